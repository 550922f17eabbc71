// scan-gate's options, resolved from the command line, INPUT_* variables and a policy file.
// Values given as flags or inputs override the policy file's; when neither a threshold nor a budget
// is configured anywhere, the gate fails on high and critical findings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gantry/cli/inputs.hpp"
#include "scan-gate/calendar_date.hpp"
#include "scan-gate/policy.hpp"

namespace scan_gate {

enum class Color { Off, On };

enum class JsonVerdict { Built, Skipped };

struct Options {
    std::vector<std::string> reports;
    std::vector<std::string> baseline_reports;
    std::vector<std::string> waiver_files;
    std::vector<std::string> vex_files;  // OpenVEX / CycloneDX VEX documents (vex_waivers.hpp)
    std::optional<std::string> policy_file;
    Policy policy;
    std::optional<std::string> sarif_out;
    std::optional<std::string> gitlab_out;             // container_scanning report
    std::optional<std::string> gitlab_dependency_out;  // dependency_scanning report
    std::size_t top = 10;
    std::optional<CalendarDate> today;  // nullopt = today in UTC
    Color color = Color::Off;
    // Skipped when nothing prints or writes the JSON verdict (gantry::machine_verdict_wanted): on a
    // report of 100,000 findings its tree is most of the memory and a third of the time.
    JsonVerdict json_verdict = JsonVerdict::Built;
};

// Throws UsageError for bad values, InputError for a bad policy file.
Options options_from_inputs(const gantry::Inputs& inputs, Color color);

}  // namespace scan_gate
