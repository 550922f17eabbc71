// bluegreen-switch's testable entry point: read the live colour, check, switch, verify, roll back,
// drain, and describe it all.
//
// options_from_inputs() validates the command line (UsageError, exit 2). run() drives one Provider
// through the flow described in the spec and returns an Outcome: exit 0 when the traffic moved or
// already was where asked, 1 when the switch was refused (unhealthy target, drift, lock held) or
// rolled back, 2 for bad configuration, 3 when the provider cannot be reached. Progress lines (one per
// step, for the CI log) go to `progress` as they happen; everything else is in the Outcome.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/color.hpp"
#include "bluegreen-switch/provider_settings.hpp"
#include "bluegreen-switch/traffic_witness.hpp"
#include "gantry/checks/check.hpp"
#include "gantry/cli/inputs.hpp"
#include "gantry/cli/outcome.hpp"
#include "gantry/platform/environment.hpp"

namespace bluegreen_switch {

using gantry::checks::Milliseconds;

enum class Mode { Switch, Rollback, Status };
enum class Execution { Apply, DryRun };
enum class DriftPolicy { Refuse, Force };

struct Options {
    Mode mode = Mode::Switch;
    std::optional<Color> to;
    Execution execution = Execution::Apply;
    DriftPolicy drift = DriftPolicy::Refuse;
    ProviderSettings provider;
    std::string state_file = "bluegreen-state.json";
    std::string audit_log;
    std::string lock_file;
    std::string deploy_version;
    std::string health_file;
    std::string verify_file;
    std::string ca_file;
    std::vector<int> steps{100};
    Milliseconds step_pause{0};
    std::optional<WitnessSettings> witness;
    long error_budget = 0;
    Milliseconds drain_timeout{30000};
    Milliseconds settle{1000};
    std::string junit_file;
};

using Progress = std::function<void(const std::string& line)>;

Options options_from_inputs(const gantry::CommandLine& command_line, const gantry::Environment& environment);
gantry::Outcome run(const Options& options, const gantry::Environment& environment, const Progress& progress = {});

// "10,50,100" -> {10, 50, 100}: increasing percentages ending at 100. Throws UsageError.
std::vector<int> parse_steps(const std::string& text);

}  // namespace bluegreen_switch
