// One run of bluegreen-switch, from its options to a SwitchRecord, in the order the state rules need:
// read and validate every input (switch_inputs.hpp) -> take the lock -> read the state file and the
// load balancer -> decide -> health -> mark pending -> change the load balancer step by step -> confirm
// through the entrypoint -> settle (witness) -> verify -> commit the state -> drain. With --analysis,
// each weighted step's pause is spent measuring the canary metrics (canary_analysis.hpp); a failure
// rolls back like a failed health check, a Prometheus that stays unreachable like an unreachable load
// balancer (rolled back, exit 3).
//
// run() never throws for what a run meets (bad input, refusals, an unreachable load balancer): the
// error becomes the record's exit code and reason, and every switch, rollback or repair ends with one
// `result` line in the audit log, refused or not (a dry run and --status write nothing). What the state
// file says after each kind of end is described in switch_state.hpp; in short, a failed step leaves it
// exactly as the run found it whenever the load balancer can be confirmed back on the old colour, and
// keeps `pending` (saying so) when it cannot. The named points between the steps can stop the process
// for crash tests (switch_boundary.hpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/audit_log.hpp"
#include "bluegreen-switch/bluegreen_switch.hpp"
#include "bluegreen-switch/canary_analysis.hpp"
#include "bluegreen-switch/live_reading.hpp"
#include "bluegreen-switch/switch_boundary.hpp"
#include "bluegreen-switch/switch_inputs.hpp"
#include "bluegreen-switch/switch_report.hpp"
#include "bluegreen-switch/switch_state.hpp"
#include "bluegreen-switch/traffic_witness.hpp"
#include "gantry/platform/environment.hpp"

namespace bluegreen_switch {

class Flow {
public:
    Flow(const Options& options, const gantry::Environment& environment, const Progress& progress);

    gantry::ExitCode run();
    const SwitchRecord& record() const { return record_; }
    std::vector<std::string> secrets() const;
    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    using Clock = std::chrono::steady_clock;

    // What a switch or rollback is about to do, decided from the state file and the load balancer.
    struct Decision {
        Color target = Color::Green;
        Color old = Color::Blue;                 // the colour traffic leaves, and goes back to on failure
        std::optional<Color> previous_after;     // what the state records as previous when it succeeds
        bool interrupted = false;
        bool nothing_to_do = false;              // the target is served, configured and recorded as live
    };

    gantry::ExitCode dispatch();
    gantry::ExitCode status();
    gantry::ExitCode repair_state();
    gantry::ExitCode plan();
    gantry::ExitCode switch_traffic();

    LiveReading read_live_step();
    std::optional<std::string> drift(const std::optional<SwitchState>& state, const LiveReading& reading) const;
    Decision decide(const std::optional<SwitchState>& state, const LiveReading& reading) const;
    Decision read_and_decide();
    gantry::ExitCode nothing_to_do(const Decision& decision);
    std::optional<std::string> change_traffic(const Decision& decision, std::optional<TrafficWitness>& witness);
    gantry::ExitCode recover_from_failed_step(const gantry::Error& error, const Decision& decision,
                                              std::optional<TrafficWitness>& witness);
    gantry::ExitCode roll_back(const std::string& failure, const Decision& decision, std::optional<TrafficWitness>& witness);
    gantry::ExitCode commit(const Decision& decision, std::optional<TrafficWitness>& witness);
    void put_state_back(Color old);
    std::string pending_note(const Decision& decision) const;

    void apply(Color target, int percent, const std::string& name);
    std::optional<std::string> confirm(Color target);
    std::optional<std::string> settle(std::optional<TrafficWitness>& witness, Color target);
    std::optional<std::string> watch(std::optional<TrafficWitness>& witness, Milliseconds duration) const;
    std::optional<std::string> analyse_step(std::optional<TrafficWitness>& witness, int percent);
    std::optional<std::string> over_budget(std::optional<TrafficWitness>& witness) const;
    long closed_connection_budget() const;
    void drain(Color old);
    CheckRun checks(const std::string& name, ColorChecks& file, Color color);
    void add_step(std::string name, bool passed, Clock::time_point begun, std::string detail);
    template <class Action>
    auto step(const std::string& name, Action&& action) -> decltype(action());
    void on_boundary(Boundary boundary);
    long long since_start(Clock::time_point at) const;
    void progress(const std::string& line) const;

    const Options& options_;
    const gantry::Environment& environment_;
    const Progress& progress_;
    SwitchInputs inputs_;
    AuditLog audit_;
    BoundaryStop stop_;
    bool provider_write_reached_ = false;
    Clock::time_point started_;
    SwitchRecord record_;
    StateSnapshot snapshot_;
    std::vector<std::string> warnings_;
    std::optional<CanaryAnalysis> analysis_;
};

}  // namespace bluegreen_switch
