#include "bluegreen-switch/switch_flow.hpp"

#include <algorithm>
#include <new>
#include <system_error>
#include <thread>
#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bluegreen-switch/switch_lock.hpp"
#include "gantry/base/error.hpp"

namespace bluegreen_switch {

namespace {

// A moment of traffic before the switch, so that the witness has a baseline and warm connections.
constexpr std::chrono::milliseconds kWitnessWarmUp{300};
// Traffic watched after a rollback, so that the report shows the old colour answering again.
constexpr std::chrono::milliseconds kAfterRollback{300};
// The settle window is at least this many witness requests long: with --settle 0s the witness must
// still get the chance to see the new colour.
constexpr int kSettleRequests = 5;


// Any exception as the gantry::Error it stands for (filesystem and allocation failures are the
// environment's; anything else is taken as bad input, as report_error does).
gantry::Error as_error(const std::exception& error) {
    if (const auto* known = dynamic_cast<const gantry::Error*>(&error)) return *known;
    const bool system = dynamic_cast<const std::bad_alloc*>(&error) != nullptr || dynamic_cast<const std::system_error*>(&error) != nullptr;
    return gantry::Error(system ? gantry::ExitCode::Environment : gantry::ExitCode::BadInput, error.what());
}

}  // namespace

Flow::Flow(const Options& options, const gantry::Environment& environment, const Progress& progress)
    : options_(options),
      environment_(environment),
      progress_(progress),
      audit_(options.execution == Execution::DryRun || options.mode == Mode::Status ? AuditLog()
                                                                                     : AuditLog(options.audit_log, options.provider.kind)),
      stop_(options.stop_at),
      started_(Clock::now()) {
    record_.provider = options.provider.kind;
    record_.mode = options.mode;
    record_.execution = options.execution;
    if (options.witness) record_.error_budget = options.error_budget;
}

std::vector<std::string> Flow::secrets() const { return inputs_.secrets(); }

gantry::ExitCode Flow::run() {
    gantry::ExitCode code = gantry::ExitCode::Success;
    try {
        code = dispatch();
    } catch (const std::exception& caught) {
        const gantry::Error error = as_error(caught);
        code = error.code();
        // A refusal (lock held, target not ready) is exit 1 like any other; the rest are errors.
        (code == gantry::ExitCode::Failed ? record_.refusal : record_.error) = error.what();
        // On stderr too, where errors have always been; a refusal is the headline's business.
        if (code != gantry::ExitCode::Failed) progress(std::string("error: ") + error.what());
    }
    if (analysis_) record_.analysis = analysis_->record();
    record_.exit_code = code;
    try {
        audit_.record("result", result_line(record_));
    } catch (const std::exception& error) {
        warnings_.push_back(std::string("the run's result line is missing from the audit log: ") + error.what());
    }
    return code;
}

gantry::ExitCode Flow::dispatch() {
    inputs_ = load_switch_inputs(options_, environment_);
    record_.provider = std::string(inputs_.provider->name());
    if (options_.witness) record_.closed_connection_budget = closed_connection_budget();
    inputs_.provider->set_boundary_hook([this](Boundary boundary) { on_boundary(boundary); });
    if (options_.mode == Mode::Status) return status();
    if (options_.execution == Execution::DryRun) return options_.mode == Mode::RepairState ? repair_state() : plan();
    const SwitchLock lock(options_.lock_file);
    stop_.reached(Boundary::AfterLock);
    return options_.mode == Mode::RepairState ? repair_state() : switch_traffic();
}

// ---- reading and deciding -------------------------------------------------------------------------

LiveReading Flow::read_live_step() {
    LiveReading reading = step("read", [&] { return read_live(*inputs_.provider, inputs_.entrypoint); });
    record_.live_before = reading.live;
    record_.reading_detail = reading.detail;
    record_.read_source = std::string(to_string(reading.source));
    if (inputs_.entrypoint) record_.read_url = inputs_.entrypoint->url;
    record_.configuration_differs = reading.configuration_differs;
    record_.green_percent_before = reading.green_percent;
    return reading;
}

std::optional<std::string> Flow::drift(const std::optional<SwitchState>& state, const LiveReading& reading) const {
    if (!state || !state->live || state->pending || state->live == reading.live) return std::nullopt;
    return "the state file " + options_.state_file + " says " + color_name(state->live) + " is live, but " + record_.provider +
           " sends traffic to " + (reading.live ? color_name(reading.live) : "both colours (" + reading.detail + ")");
}

Flow::Decision Flow::decide(const std::optional<SwitchState>& state, const LiveReading& reading) const {
    Decision decision;
    decision.interrupted = state && state->pending;
    const std::optional<Color> confirmed = state ? state->live : std::nullopt;  // the last colour a run confirmed
    if (options_.mode == Mode::Rollback) {
        if (decision.interrupted && confirmed) {
            decision.target = *confirmed;  // rolling back an interrupted switch undoes it
        } else if (state && state->previous) {
            decision.target = *state->previous;
        } else if (reading.live) {
            decision.target = other(*reading.live);
        } else {
            throw gantry::UsageError("--rollback needs a previous colour: the state file " + options_.state_file +
                                     " records none and the live colour cannot be read; use --to");
        }
    } else {
        decision.target = *options_.to;
    }
    // The colour traffic leaves: after an interruption the last confirmed one, else what is served.
    decision.old = decision.interrupted && confirmed ? *confirmed
                   : reading.live                    ? *reading.live
                   : confirmed                       ? *confirmed
                                                     : other(decision.target);
    // Undoing an interrupted switch (or setting a colour again) leaves the history as it was.
    decision.previous_after = decision.target == decision.old ? (state ? state->previous : std::nullopt)
                                                              : std::optional<Color>(decision.old);
    return decision;
}

// The state file and the load balancer, read under the lock; drift refused (or, with --force, only
// said); what to do decided.
Flow::Decision Flow::read_and_decide() {
    snapshot_ = take_state_snapshot(options_.state_file);
    const std::optional<SwitchState>& state = snapshot_.state;
    const LiveReading reading = read_live_step();
    record_.live_after = reading.live;
    audit_.record("read", {{"live", color_name(reading.live)}, {"source", record_.read_source}, {"detail", reading.detail}});
    if (const auto what = drift(state, reading)) {
        record_.drift = true;
        if (options_.drift == DriftPolicy::Refuse) {
            throw gantry::Error(gantry::ExitCode::Failed,
                                "drift: " + *what + "; find out who changed it, then rerun with --force (or record what is "
                                "served with --repair-state)");
        }
        progress("drift (ignored with --force): " + *what);
    }
    // Before anything changes: a provider may learn only now that it has no weights (Caddy's policy).
    require_weights_for_steps(inputs_.steps, *inputs_.provider);
    Decision decision = decide(state, reading);
    record_.target = decision.target;
    record_.interrupted_switch_found = decision.interrupted;
    decision.nothing_to_do = !decision.interrupted && reading.live == decision.target && !reading.configuration_differs;
    return decision;
}

std::string Flow::pending_note(const Decision& decision) const {
    return fmt::format("the load balancer may be half-way between {} and {}, so the state file {} keeps \"pending\": "
                       "\"{}\" and the next run sets the load balancer again (--to {} completes the switch, --to {} or "
                       "--rollback undoes it, --status shows what is served)",
                       to_string(decision.old), to_string(decision.target), options_.state_file, to_string(decision.target),
                       to_string(decision.target), to_string(decision.old));
}

// ---- the switch -------------------------------------------------------------------------------------

gantry::ExitCode Flow::switch_traffic() {
    const Decision decision = read_and_decide();
    const std::optional<SwitchState>& state = snapshot_.state;
    if (decision.nothing_to_do) return nothing_to_do(decision);
    if (decision.interrupted) {
        const bool completing = decision.target == state->pending;
        record_.interrupted_note = fmt::format(
            "a switch to {} was interrupted (\"pending\" in {}); {}", color_name(state->pending), options_.state_file,
            completing ? "completing it: the load balancer is set to " + color_name(decision.target) + " again"
                       : "undoing it: the load balancer is set back to " + color_name(decision.target));
        progress(record_.interrupted_note);
        audit_.record("interrupted", {{"pending", color_name(state->pending)},
                                      {"live", color_name(state->live)},
                                      {"now", completing ? "completing it" : "undoing it"}});
    }

    if (inputs_.health) {
        const CheckRun health = checks("health " + color_name(decision.target), *inputs_.health, decision.target);
        if (!health.passed) {
            throw gantry::Error(gantry::ExitCode::Failed, color_name(decision.target) + " is unhealthy, so traffic stays on " +
                                                              color_name(decision.old) + ": " + health.detail);
        }
    }

    if (inputs_.analysis) {
        analysis_.emplace(
            *inputs_.analysis, inputs_.prometheus, started_,
            [this](const MetricMeasurement& m) {
                progress(fmt::format("analysis {} at {}%: {} - {}", m.metric, m.percent, to_string(m.outcome), m.detail));
            },
            ChecksTarget{.color = decision.target, .checks = &inputs_.analysis_checks});
    }
    std::optional<TrafficWitness> witness;
    if (options_.witness) {
        witness.emplace(*options_.witness);
        witness->start();
        std::this_thread::sleep_for(kWitnessWarmUp);
    }
    SwitchState pending = state.value_or(SwitchState{});
    pending.live = decision.old;
    pending.pending = decision.target;
    pending.provider = record_.provider;
    audit_.record("begin", {{"from", color_name(decision.old)}, {"to", color_name(decision.target)}, {"steps", inputs_.steps}});
    write_switch_state(options_.state_file, pending);
    stop_.reached(Boundary::AfterPending);

    std::optional<std::string> failure;
    try {
        failure = change_traffic(decision, witness);
    } catch (const std::exception& error) {
        return recover_from_failed_step(as_error(error), decision, witness);
    }
    if (failure) return roll_back(*failure, decision, witness);
    return commit(decision, witness);
}

gantry::ExitCode Flow::nothing_to_do(const Decision& decision) {
    const std::optional<SwitchState>& state = snapshot_.state;
    record_.nothing_to_do = true;
    record_.live_after = decision.target;
    record_.previous_after = state ? state->previous : std::nullopt;
    if (!state || state->live != decision.target) {
        SwitchState recorded = state.value_or(SwitchState{});
        recorded.live = decision.target;
        recorded.provider = record_.provider;
        audit_.record("record", {{"live", color_name(decision.target)}});
        write_switch_state(options_.state_file, recorded);
    }
    progress(color_name(decision.target) + " is already live: nothing to do");
    return gantry::ExitCode::Success;
}

// Moves the traffic step by step and checks the result; the reason to roll back, if any.
std::optional<std::string> Flow::change_traffic(const Decision& decision, std::optional<TrafficWitness>& witness) {
    const Color target = decision.target;
    const auto switch_started = Clock::now();
    if (witness) witness->mark(target);
    for (int percent : inputs_.steps) {
        apply(target, percent, percent == 100 ? "switch to " + color_name(target) : fmt::format("switch {}% to {}", percent, color_name(target)));
        audit_.record("switch", {{"to", color_name(target)}, {"percent", percent}});
        if (percent == 100) {
            record_.switch_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - switch_started).count();
            break;
        }
        std::optional<std::string> failure = analysis_ ? analyse_step(witness, percent) : watch(witness, options_.step_pause);
        if (!failure && inputs_.health) {
            const CheckRun health = checks(fmt::format("health {} at {}%", color_name(target), percent), *inputs_.health, target);
            if (!health.passed) failure = color_name(target) + " became unhealthy: " + health.detail;
        }
        if (failure) return failure;
    }
    if (analysis_) analysis_->finish();
    if (auto failure = confirm(target)) return failure;
    if (auto failure = settle(witness, target)) return failure;
    if (inputs_.verify) {
        const CheckRun verify = checks("verify", *inputs_.verify, target);
        if (!verify.passed) return "verification failed: " + verify.detail;
    }
    return over_budget(witness);
}

// One provider change, passing the boundaries around it (a provider without an intermediate point
// passes after-provider-write where its change is done).
void Flow::apply(Color target, int percent, const std::string& name) {
    provider_write_reached_ = false;
    step(name, [&] { inputs_.provider->apply(target, percent); });
    if (!provider_write_reached_) stop_.reached(Boundary::AfterProviderWrite);
    stop_.reached(Boundary::AfterReload);
}

// Waits until new connections through the entrypoint get the target; the reason to roll back, if any.
std::optional<std::string> Flow::confirm(Color target) {
    if (!inputs_.entrypoint) {
        record_.confirmation = "not confirmed (no --read-url or --witness-url to ask)";
        return std::nullopt;
    }
    const auto begun = Clock::now();
    const ColorConfirmation confirmation = wait_for_color(*inputs_.entrypoint, target, options_.provider.timeout);
    record_.confirmation = confirmation.detail;
    if (confirmation.colorless) {
        record_.confirmation = "not confirmed: " + confirmation.detail;
        return std::nullopt;
    }
    record_.confirmed = confirmation.confirmed;
    add_step("confirm " + color_name(target), confirmation.confirmed, begun, confirmation.detail);
    audit_.record("confirm", {{"color", color_name(target)}, {"confirmed", confirmation.confirmed}, {"detail", confirmation.detail}});
    if (confirmation.confirmed) return std::nullopt;
    return "the entrypoint does not serve " + color_name(target) + ": " + confirmation.detail;
}

// The witness keeps running for --settle; it must see the target by then. The reason to roll back, if any.
std::optional<std::string> Flow::settle(std::optional<TrafficWitness>& witness, Color target) {
    Milliseconds window = options_.settle;
    if (witness) {
        window = std::max(window, Milliseconds(static_cast<long long>(kSettleRequests * 1000 / options_.witness->rate) + 1));
    }
    if (auto failure = watch(witness, window); failure || !witness) return failure;
    const WitnessSinceMark seen = witness->since_mark();
    if (seen.colored_answers > 0 && seen.target_answers == 0) {
        return fmt::format("the witness saw {} answers through {} since the switch and none from {} within {} ms: the "
                           "load balancer does not send traffic where the switch says",
                           seen.colored_answers, options_.witness->url, color_name(target), window.count());
    }
    return std::nullopt;
}

// Waits `duration`, returning early with a reason when the witness goes over a budget.
std::optional<std::string> Flow::watch(std::optional<TrafficWitness>& witness, Milliseconds duration) const {
    const auto until = Clock::now() + duration;
    while (Clock::now() < until) {
        if (auto reason = over_budget(witness)) return reason;
        std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(50), until - Clock::now()));
    }
    return over_budget(witness);
}

// The step's pause spent measuring the canary metrics; the reason to roll back, if any. A Prometheus
// that stays unreachable throws (the failed-step path rolls back, exit 3).
std::optional<std::string> Flow::analyse_step(std::optional<TrafficWitness>& witness, int percent) {
    const auto begun = Clock::now();
    const std::size_t before = analysis_->record().measurements.size();
    TrafficWitness* seen = witness ? &*witness : nullptr;
    const auto summary = [&] {
        std::string detail;
        const auto& all = analysis_->record().measurements;
        for (std::size_t i = before; i < all.size(); ++i) {
            detail += fmt::format("{}{}: {} - {}", detail.empty() ? "" : "\n", all[i].metric, to_string(all[i].outcome), all[i].detail);
        }
        return detail;
    };
    const auto finish = [&](std::optional<std::string> failure) {
        add_step(fmt::format("analysis at {}%", percent), !failure, begun, failure ? *failure + "\n" + summary() : summary());
        audit_.record("analysis", {{"percent", percent}, {"passed", !failure}, {"detail", failure ? *failure : summary()}});
        return failure;
    };
    analysis_->begin_step(percent, options_.step_pause, seen);
    const auto until = begun + options_.step_pause;
    try {
        while (Clock::now() < until) {
            if (auto reason = over_budget(witness)) return finish(reason);
            if (auto reason = analysis_->measure_due(seen)) return finish(reason);
            const auto wake = std::min({analysis_->next_due(), until, Clock::now() + std::chrono::milliseconds(50)});
            std::this_thread::sleep_until(wake);
        }
        if (auto reason = over_budget(witness)) return finish(reason);
        if (auto reason = analysis_->end_step(seen)) return finish(reason);
        return finish(std::nullopt);
    } catch (const gantry::Error& error) {
        finish(error.what());
        throw;
    }
}

long Flow::closed_connection_budget() const {
    if (options_.closed_connection_budget) return *options_.closed_connection_budget;
    const int connections = options_.witness ? options_.witness->connections : 0;
    return static_cast<long>(connections) * static_cast<long>(std::max<std::size_t>(1, inputs_.steps.size()));
}

std::optional<std::string> Flow::over_budget(std::optional<TrafficWitness>& witness) const {
    if (!witness) return std::nullopt;
    if (const long failed = witness->failures(); failed > options_.error_budget) {
        return fmt::format("{} failed answers through the entrypoint, over the error budget of {}", failed, options_.error_budget);
    }
    if (const long closed = witness->closed_connection_errors(); closed > closed_connection_budget()) {
        std::string reason = fmt::format("{} requests went out on a keep-alive connection the load balancer closed, over "
                                         "the closed-connection budget of {}",
                                         closed, closed_connection_budget());
        if ((record_.provider == "nginx" || record_.provider == "caddy") && options_.provider.flag_file.empty()) {
            reason += "; a reload closes them: --flag-file switches " + record_.provider + " without reloading it";
        }
        return reason;
    }
    return std::nullopt;
}

// ---- the ends of a switch -----------------------------------------------------------------------------

// The state file as the run found it, now that the load balancer is known to be back on `old`; an
// interrupted switch found at the start is settled by it, so its mark goes.
void Flow::put_state_back(Color old) {
    if (snapshot_.state && snapshot_.state->pending) {
        SwitchState settled = *snapshot_.state;
        settled.live = old;
        settled.pending.reset();
        write_switch_state(options_.state_file, settled);
        return;
    }
    restore_state_snapshot(snapshot_);
}

gantry::ExitCode Flow::recover_from_failed_step(const gantry::Error& error, const Decision& decision,
                                                std::optional<TrafficWitness>& witness) {
    const std::string reason = error.what();
    audit_.record("failed", {{"reason", reason}});
    if (witness) record_.witness = witness->stop();
    const auto back_on_old = [&](const LiveReading& reading) { return reading.live == decision.old && !reading.configuration_differs; };
    std::optional<LiveReading> after;
    try {
        after = read_live(*inputs_.provider, inputs_.entrypoint);
    } catch (const std::exception&) {
        after.reset();  // the load balancer cannot tell: it must not be taken as back
    }
    std::string rollback;
    if (!after || !back_on_old(*after)) {
        try {
            apply(decision.old, 100, "rollback to " + color_name(decision.old));
            audit_.record("rollback", {{"to", color_name(decision.old)}, {"reason", reason}});
            after = read_live(*inputs_.provider, inputs_.entrypoint);
            rollback = "rolled back to " + color_name(decision.old);
        } catch (const std::exception& second) {
            rollback = "the rollback to " + color_name(decision.old) + " failed too: " + second.what();
        }
    }
    std::string note;
    if (after && back_on_old(*after)) {
        put_state_back(decision.old);
        record_.live_after = decision.old;
        record_.previous_after = snapshot_.state ? snapshot_.state->previous : std::nullopt;
        record_.rolled_back = !rollback.empty();
        note = "traffic is on " + color_name(decision.old) + " as before and the state file " + options_.state_file + " is as it was";
    } else {
        record_.live_after = after ? after->live : std::nullopt;
        note = pending_note(decision);
    }
    const std::string message = reason + "; " + (rollback.empty() ? "" : rollback + "; ") + note;
    if (error.code() == gantry::ExitCode::Failed) {
        record_.refusal = message;
        return gantry::ExitCode::Failed;
    }
    throw gantry::Error(error.code(), message);
}

gantry::ExitCode Flow::roll_back(const std::string& failure, const Decision& decision, std::optional<TrafficWitness>& witness) {
    progress("rolling back to " + color_name(decision.old) + ": " + failure);
    if (witness) witness->mark(decision.old);
    try {
        apply(decision.old, 100, "rollback to " + color_name(decision.old));
    } catch (const std::exception& caught) {
        const gantry::Error error = as_error(caught);
        if (witness) record_.witness = witness->stop();
        throw gantry::Error(error.code(), "the switch to " + color_name(decision.target) + " failed (" + failure +
                                              ") and so did the rollback to " + color_name(decision.old) + ": " + error.what() +
                                              "; " + pending_note(decision));
    }
    audit_.record("rollback", {{"to", color_name(decision.old)}, {"reason", failure}});
    watch(witness, kAfterRollback);
    if (witness) record_.witness = witness->stop();
    put_state_back(decision.old);
    record_.rolled_back = true;
    record_.live_after = decision.old;
    record_.previous_after = snapshot_.state ? snapshot_.state->previous : std::nullopt;
    record_.refusal = failure;
    return gantry::ExitCode::Failed;
}

gantry::ExitCode Flow::commit(const Decision& decision, std::optional<TrafficWitness>& witness) {
    SwitchState done;
    done.live = decision.target;
    done.previous = decision.previous_after;
    done.provider = record_.provider;
    done.version = options_.deploy_version;
    done.switched_at = utc_timestamp();
    audit_.record("done", {{"live", color_name(decision.target)},
                           {"previous", color_name(decision.previous_after)},
                           {"switch-ms", record_.switch_ms.value_or(0)}});
    write_switch_state(options_.state_file, done);
    stop_.reached(Boundary::AfterStateWrite);
    record_.switched = true;
    record_.live_after = decision.target;
    record_.previous_after = decision.previous_after;
    if (decision.old != decision.target) drain(decision.old);
    if (witness) {
        record_.witness = witness->stop();
        if (record_.witness->all_target_ms) record_.switch_ms = record_.witness->all_target_ms;
    }
    return gantry::ExitCode::Success;
}

void Flow::drain(Color old) {
    const auto begun = Clock::now();
    const auto until = begun + options_.drain_timeout;
    std::optional<long> in_flight;
    while (true) {
        try {
            in_flight = inputs_.provider->in_flight(old);
        } catch (const gantry::Error&) {
            in_flight.reset();  // draining is best effort: the switch itself is done
        }
        if (!in_flight || *in_flight <= 0 || Clock::now() >= until) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!in_flight) return;  // the provider cannot tell; no step to report
    const std::string detail = *in_flight <= 0 ? std::string("no requests left in flight")
                                               : fmt::format("{} requests still in flight after {} ms", *in_flight,
                                                             options_.drain_timeout.count());
    add_step("drain " + color_name(old), *in_flight <= 0, begun, detail);
    progress("drain " + color_name(old) + ": " + detail);
    audit_.record("drain", {{"color", color_name(old)}, {"in-flight", *in_flight}});
}

// ---- steps -----------------------------------------------------------------------------------------

CheckRun Flow::checks(const std::string& name, ColorChecks& file, Color color) {
    const auto begun = Clock::now();
    const CheckRun run = file.run(color);
    add_step(name, run.passed, begun, run.detail);
    progress(name + ": " + (run.passed ? "passed" : "FAILED") + " - " + run.detail);
    audit_.record("checks", {{"step", name}, {"passed", run.passed}, {"detail", run.detail}});
    return run;
}

void Flow::add_step(std::string name, bool passed, Clock::time_point begun, std::string detail) {
    record_.steps.push_back({.name = std::move(name),
                             .result = passed ? StepResult::Passed : StepResult::Failed,
                             .at_ms = since_start(begun),
                             .took_ms = since_start(Clock::now()) - since_start(begun),
                             .detail = std::move(detail)});
}

template <class Action>
auto Flow::step(const std::string& name, Action&& action) -> decltype(action()) {
    const auto begun = Clock::now();
    const auto finish = [&](bool passed, std::string detail) {
        add_step(name, passed, begun, std::move(detail));
        // A failed step's reason reaches the user once, as the error that ends the run.
        progress(name + (passed ? ": done" : ": FAILED") + " (" + std::to_string(record_.steps.back().took_ms) + " ms)");
    };
    try {
        if constexpr (std::is_void_v<decltype(action())>) {
            action();
            finish(true, "");
        } else {
            auto value = action();
            finish(true, "");
            return value;
        }
    } catch (const std::exception& error) {
        finish(false, error.what());
        throw;
    }
}

void Flow::on_boundary(Boundary boundary) {
    if (boundary == Boundary::AfterProviderWrite) provider_write_reached_ = true;
    stop_.reached(boundary);
}

long long Flow::since_start(Clock::time_point at) const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(at - started_).count();
}

void Flow::progress(const std::string& line) const {
    if (progress_) progress_(line);
}

}  // namespace bluegreen_switch
