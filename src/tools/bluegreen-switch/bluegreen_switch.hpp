// bluegreen-switch's testable entry point: read the live colour, check, switch, verify, roll back,
// drain, and describe it all.
//
// options_from_inputs() validates the command line (UsageError, exit 2). run() drives one Provider
// through the flow described in the spec and returns an Outcome: exit 0 when the traffic moved or
// already was where asked, 1 when the switch was refused (unhealthy target, drift, lock held) or
// rolled back, or --status found drift or an interrupted switch, 2 for bad configuration, 3 when the
// provider cannot be reached. Once the options are valid, run() does not throw: an error becomes the
// Outcome's exit code, with its --json result and (for a switch, rollback or repair) its audit line,
// like any other end. Progress lines (one per step, for the CI log) go to `progress` as they happen;
// everything else is in the Outcome.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/color.hpp"
#include "bluegreen-switch/provider_settings.hpp"
#include "bluegreen-switch/switch_boundary.hpp"
#include "bluegreen-switch/traffic_witness.hpp"
#include "gantry/checks/check.hpp"
#include "gantry/cli/inputs.hpp"
#include "gantry/cli/outcome.hpp"
#include "gantry/platform/environment.hpp"

namespace bluegreen_switch {

using gantry::checks::Milliseconds;

enum class Mode { Switch, Rollback, Status, RepairState };
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
    // Where what the load balancer serves is read (new connections, colour by color_header); default:
    // the witness URL.
    std::optional<std::string> read_url;
    std::string color_header = "X-Color";
    long error_budget = 0;  // failed witness answers
    // Witness requests sent on a keep-alive connection the load balancer closed; default: one per
    // witness connection per step (what a reload costs at most).
    std::optional<long> closed_connection_budget;
    Milliseconds drain_timeout{30000};
    Milliseconds settle{1000};
    std::string junit_file;
    std::string analysis_file;   // --analysis: the canary analysis of the weighted steps
    std::string prometheus_url;  // --prometheus-url: where its prometheus metrics are queried
    std::optional<Boundary> stop_at;  // BLUEGREEN_SWITCH_STOP_AT (switch_boundary.hpp)
};

using Progress = std::function<void(const std::string& line)>;

Options options_from_inputs(const gantry::CommandLine& command_line, const gantry::Environment& environment);
gantry::Outcome run(const Options& options, const gantry::Environment& environment, const Progress& progress = {});

// "10,50,100" -> {10, 50, 100}: increasing percentages ending at 100. Throws UsageError.
std::vector<int> parse_steps(const std::string& text);

}  // namespace bluegreen_switch
