// The runs that change no traffic: --status (what is served against what is recorded), --repair-state
// (the state file rewritten from what is served) and --dry-run (the plan of a switch). They share the
// Flow's reading and deciding with the switch (switch_flow.cpp), so that a plan is what the switch
// would do and a status is what the switch would find.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bluegreen-switch/switch_flow.hpp"
#include "gantry/base/error.hpp"

namespace bluegreen_switch {

gantry::ExitCode Flow::status() {
    snapshot_ = take_state_snapshot(options_.state_file);
    const std::optional<SwitchState>& state = snapshot_.state;
    const LiveReading reading = read_live_step();
    record_.live_after = reading.live;
    if (state) record_.previous_after = state->previous;
    record_.recorded_state = (state ? describe_state(*state) : std::string("no state file yet")) + " (" + options_.state_file + ")";
    std::vector<std::string> problems;
    if (const auto what = drift(state, reading)) {
        record_.drift = true;
        problems.push_back("drift: " + *what + "; switch with --force, or record what is served with --repair-state");
    }
    if (state && state->pending) {
        record_.interrupted_switch_found = true;
        problems.push_back(fmt::format("a switch to {0} was interrupted: --to {0} completes it, --rollback undoes it, "
                                       "--repair-state records what is served",
                                       color_name(state->pending)));
    }
    if (reading.configuration_differs) {
        problems.push_back(record_.provider + "'s configuration does not say what it serves: the next reload changes the traffic");
    }
    if (problems.empty()) return gantry::ExitCode::Success;
    record_.refusal = fmt::format("{}", fmt::join(problems, "; "));
    return gantry::ExitCode::Failed;
}

gantry::ExitCode Flow::repair_state() {
    std::optional<SwitchState> before;
    std::string found;
    try {
        snapshot_ = take_state_snapshot(options_.state_file);
        before = snapshot_.state;
        found = before ? describe_state(*before) : "no state file";
    } catch (const gantry::InputError& error) {
        found = std::string("unreadable: ") + error.reason();
    }
    record_.recorded_state = found + " (" + options_.state_file + ")";
    const LiveReading reading = read_live_step();
    SwitchState repaired;
    repaired.live = reading.live;
    repaired.previous = before && before->previous != reading.live ? before->previous : std::nullopt;
    repaired.provider = record_.provider;
    if (before && before->live == reading.live) {
        repaired.version = before->version;
        repaired.switched_at = before->switched_at;
    }
    record_.live_after = reading.live;
    record_.previous_after = repaired.previous;
    const std::string written = "write " + options_.state_file + ": " + describe_state(repaired) +
                                (reading.live ? "" : " (traffic is split: no live colour is recorded; the next --to sets one)");
    if (options_.execution == Execution::DryRun) {
        record_.plan.push_back(written);
        return gantry::ExitCode::Success;
    }
    audit_.record("repair-state", {{"before", found},
                                   {"live", color_name(reading.live)},
                                   {"source", record_.read_source},
                                   {"detail", reading.detail}});
    write_switch_state(options_.state_file, repaired);
    record_.repaired = true;
    progress(written);
    return gantry::ExitCode::Success;
}

gantry::ExitCode Flow::plan() {
    const Decision decision = read_and_decide();
    if (decision.nothing_to_do) {
        record_.nothing_to_do = true;
        return gantry::ExitCode::Success;
    }
    const bool several = inputs_.steps.size() > 1;
    for (int percent : inputs_.steps) {
        // Each step's plan is relative to the load balancer as it is now, so each gets a heading.
        if (several) record_.plan.push_back("step " + std::to_string(percent) + "% (from the current state):");
        for (auto& line : inputs_.provider->plan(decision.target, percent)) record_.plan.push_back(std::move(line));
        if (percent < 100 && inputs_.health) {
            record_.plan.push_back("run the health checks " + inputs_.health->file() + " against " + color_name(decision.target));
        }
    }
    record_.plan.push_back(inputs_.entrypoint ? "wait until " + inputs_.entrypoint->url + " answers " + color_name(decision.target) +
                                                    " on new connections"
                                              : "(no --read-url or --witness-url: the switch cannot be confirmed through the entrypoint)");
    record_.plan.push_back("write " + options_.state_file + ": live " + color_name(decision.target) + ", previous " +
                           color_name(decision.previous_after));
    return gantry::ExitCode::Success;
}

}  // namespace bluegreen_switch
