// What a run of bluegreen-switch did, step by step, and how it is told: text, JSON (--json, kebab-case
// keys), the step summary with a timeline, outputs and the JUnit file. The flow fills a SwitchRecord;
// describe() turns it into the Outcome's parts without deciding anything.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/bluegreen_switch.hpp"
#include "bluegreen-switch/canary_analysis.hpp"
#include "bluegreen-switch/color.hpp"
#include "bluegreen-switch/traffic_witness.hpp"
#include "gantry/cli/outcome.hpp"

namespace bluegreen_switch {

enum class StepResult { Passed, Failed, Skipped };

struct StepRecord {
    std::string name;       // "read", "health green", "switch 50%", "verify", "rollback", "drain blue"
    StepResult result = StepResult::Passed;
    long long at_ms = 0;    // since the run started
    long long took_ms = 0;
    std::string detail;     // one or more lines
};

struct SwitchRecord {
    std::string provider;
    Mode mode = Mode::Switch;
    Execution execution = Execution::Apply;
    std::optional<Color> live_before;
    std::optional<Color> target;
    std::optional<Color> live_after;
    std::optional<Color> previous_after;
    std::string reading_detail;
    std::string read_source;       // "entrypoint" (what is served) or "load balancer" (its configuration)
    std::string read_url;          // where what is served was asked, when anywhere
    bool configuration_differs = false;  // the load balancer's configuration says another colour than it serves
    std::string recorded_state;    // --status and --repair-state: what the state file says, one line
    int green_percent_before = 0;
    bool switched = false;
    bool rolled_back = false;
    bool nothing_to_do = false;
    bool drift = false;
    bool repaired = false;
    bool interrupted_switch_found = false;
    std::string interrupted_note;  // what this run does about it, one line
    std::string refusal;    // why exit 1, when it is
    std::string error;      // why exit 2 or 3, when it is
    gantry::ExitCode exit_code = gantry::ExitCode::Success;
    std::vector<StepRecord> steps;
    std::vector<std::string> plan;  // dry run: what would be done
    std::optional<WitnessReport> witness;
    std::optional<bool> confirmed;  // the entrypoint answered with the new colour; nullopt: not checked
    std::string confirmation;       // how, or why not
    std::optional<long long> switch_ms;
    std::optional<long> error_budget;
    std::optional<long> closed_connection_budget;
    std::optional<AnalysisRecord> analysis;  // --analysis: every measurement, the verdict
};

// The audit log's closing line of a run: its verdict, exit code, colours and reason.
nlohmann::json result_line(const SwitchRecord& record);

// Fills outcome.headline/text/json/summary/outputs/files (JUnit) from the record.
void describe(const SwitchRecord& record, const Options& options, gantry::Outcome& outcome);

}  // namespace bluegreen_switch
