#include "bluegreen-switch/bluegreen_switch.hpp"

#include <chrono>
#include <thread>
#include <type_traits>

#include "bluegreen-switch/audit_log.hpp"
#include "bluegreen-switch/provider.hpp"
#include "bluegreen-switch/switch_lock.hpp"
#include "bluegreen-switch/switch_report.hpp"
#include "bluegreen-switch/switch_state.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/checks/check_file.hpp"
#include "gantry/checks/check_runner.hpp"
#include "gantry/checks/check_secrets.hpp"
#include "gantry/checks/variables.hpp"

namespace bluegreen_switch {

namespace {

using Clock = std::chrono::steady_clock;

std::string colour_name(const std::optional<Color>& color) {
    return color ? std::string(to_string(*color)) : std::string("unknown");
}

// The --blue/--green value of a colour, as the health checks' ${TARGET}.
std::string address_of(const ProviderSettings& settings, Color color) {
    const std::string& value = color == Color::Blue ? settings.blue : settings.green;
    return value.empty() ? std::string(to_string(color)) : value;
}

struct CheckRun {
    bool passed = true;
    int total = 0;
    int failed = 0;
    std::string detail;
    std::vector<std::string> secrets;
};

// Runs a smoke-test check file with ${COLOR} and ${TARGET} naming `color`.
CheckRun run_check_file(const std::string& file, Color color, const Options& options,
                        const gantry::Environment& environment) {
    gantry::checks::Variables variables(environment);
    variables.set("COLOR", std::string(to_string(color)));
    variables.set("TARGET", address_of(options.provider, color));
    gantry::checks::CheckDefaults defaults;
    defaults.ca_file = options.ca_file;
    const auto suite = gantry::checks::read_check_file(gantry::read_file(file), file, variables, defaults);
    CheckRun run;
    run.secrets = variables.secrets();
    for (const auto& check : suite.checks) gantry::checks::collect_credentials(check, run.secrets);
    gantry::checks::RunOptions run_options;
    run_options.concurrency = 4;
    const auto results = gantry::checks::run_checks(suite.checks, run_options);
    for (const auto& result : results) run.secrets.insert(run.secrets.end(), result.cookies_seen.begin(), result.cookies_seen.end());
    gantry::checks::normalise_secrets(run.secrets);
    run.total = static_cast<int>(results.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (results[i].passed) continue;
        ++run.failed;
        run.passed = false;
        if (!run.detail.empty()) run.detail += "\n";
        run.detail += suite.checks[i].name + ": " +
                      (results[i].failures.empty() ? std::string("failed") : results[i].failures.front());
    }
    if (run.passed) run.detail = std::to_string(run.total) + " of " + std::to_string(run.total) + " checks passed";
    return run;
}

class Flow {
public:
    Flow(const Options& options, const gantry::Environment& environment, const Progress& progress, Provider& provider)
        : options_(options), environment_(environment), progress_(progress), provider_(provider),
          audit_(options.execution == Execution::DryRun ? AuditLog() : AuditLog(options.audit_log, std::string(provider.name()))),
          started_(Clock::now()) {
        record_.provider = std::string(provider.name());
        record_.mode = options.mode;
        record_.execution = options.execution;
    }

    SwitchRecord& record() { return record_; }
    std::vector<std::string>& secrets() { return secrets_; }

    gantry::ExitCode status() {
        const auto state = read_switch_state(options_.state_file);
        const auto reading = step("read", [&] { return provider_.read(); });
        record_.live_before = record_.live_after = reading.live;
        record_.reading_detail = reading.detail;
        record_.green_percent_before = reading.green_percent;
        if (state) record_.previous_after = state->previous;
        record_.drift = state && state->live && !state->pending && state->live != reading.live;
        if (state && state->pending) record_.interrupted_switch_found = true;
        if (!state) {
            record_.recorded_state = "no state file yet (" + options_.state_file + ")";
        } else {
            record_.recorded_state = "live " + colour_name(state->live) + ", previous " + colour_name(state->previous) +
                                     (state->version.empty() ? "" : ", version " + state->version) +
                                     (state->switched_at.empty() ? "" : ", switched at " + state->switched_at) +
                                     (state->pending ? ", a switch to " + colour_name(state->pending) + " was interrupted" : "") +
                                     " (" + options_.state_file + ")";
        }
        return gantry::ExitCode::Success;
    }

    gantry::ExitCode switch_traffic() {
        const auto state = read_switch_state(options_.state_file);
        const ProviderReading reading = step("read", [&] { return provider_.read(); });
        record_.live_before = reading.live;
        record_.reading_detail = reading.detail;
        record_.green_percent_before = reading.green_percent;
        audit_.record("read", {{"live", colour_name(reading.live)}, {"detail", reading.detail}});

        const bool interrupted = state && state->pending;
        record_.interrupted_switch_found = interrupted;
        if (state && state->live && !interrupted && state->live != reading.live) {
            record_.drift = true;
            const std::string what = "the state file " + options_.state_file + " says " + colour_name(state->live) +
                                     " is live, but " + record_.provider + " sends traffic to " +
                                     (reading.live ? colour_name(reading.live) : "both colours (" + reading.detail + ")");
            if (options_.drift == DriftPolicy::Refuse) {
                return refuse("drift: " + what + "; find out who changed it, then rerun with --force");
            }
            progress("drift (ignored with --force): " + what);
        }

        Color target;
        if (options_.mode == Mode::Rollback) {
            if (state && state->previous) {
                target = *state->previous;
            } else if (reading.live) {
                target = other(*reading.live);
            } else {
                throw gantry::UsageError("--rollback needs a previous colour: the state file " + options_.state_file +
                                         " records none and the live colour cannot be read; use --to");
            }
        } else {
            target = *options_.to;
        }
        record_.target = target;
        // The colour traffic leaves: what the provider reads, else what was recorded, else the other one.
        const Color old = reading.live ? *reading.live : state && state->live && !interrupted ? *state->live : other(target);
        if (reading.live == target && !interrupted) {
            record_.nothing_to_do = true;
            record_.live_after = target;
            record_.previous_after = state ? state->previous : std::nullopt;
            if (options_.execution == Execution::Apply && (!state || state->live != target)) {
                SwitchState recorded = state.value_or(SwitchState{});
                recorded.live = target;
                recorded.provider = record_.provider;
                write_switch_state(options_.state_file, recorded);
            }
            progress(colour_name(target) + " is already live: nothing to do");
            return gantry::ExitCode::Success;
        }
        if (interrupted) {
            progress("an interrupted switch to " + colour_name(state->pending) + " was found in " + options_.state_file +
                     "; the load balancer is set again");
        }
        const std::vector<int> steps = effective_steps();

        if (options_.execution == Execution::DryRun) {
            for (int percent : steps) {
                // Each step's plan is relative to the load balancer as it is now, so each gets a heading.
                if (steps.size() > 1) record_.plan.push_back("step " + std::to_string(percent) + "% (from the current state):");
                for (auto& line : provider_.plan(target, percent)) record_.plan.push_back(std::move(line));
                if (percent < 100 && !options_.health_file.empty()) {
                    record_.plan.push_back("run the health checks " + options_.health_file + " against " + colour_name(target));
                }
            }
            record_.plan.push_back("write " + options_.state_file + ": live " + colour_name(target) + ", previous " +
                                   colour_name(old));
            record_.live_after = reading.live;
            return gantry::ExitCode::Success;
        }

        if (!options_.health_file.empty()) {
            const CheckRun health = checks("health " + colour_name(target), options_.health_file, target);
            if (!health.passed) {
                return refuse(colour_name(target) + " is unhealthy, so traffic stays on " + colour_name(old) + ": " +
                              health.detail);
            }
        }

        std::optional<TrafficWitness> witness;
        if (options_.witness) {
            witness.emplace(*options_.witness);
            witness->start();
            // A moment of traffic before the switch, so the witness has a baseline and warm connections.
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
        SwitchState pending = state.value_or(SwitchState{});
        pending.live = old;
        pending.pending = target;
        pending.provider = record_.provider;
        write_switch_state(options_.state_file, pending);

        const auto switch_started = Clock::now();
        if (witness) witness->mark(target);
        std::string failure;
        try {
            for (int percent : steps) {
                const std::string name = percent == 100 ? "switch to " + colour_name(target)
                                                        : "switch " + std::to_string(percent) + "% to " + colour_name(target);
                step(name, [&] { provider_.apply(target, percent); });
                audit_.record("switch", {{"to", colour_name(target)}, {"percent", percent}});
                if (percent == 100) {
                    record_.switch_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - switch_started).count();
                    break;
                }
                failure = watch(witness, options_.step_pause);
                if (failure.empty() && !options_.health_file.empty()) {
                    const CheckRun health = checks("health " + colour_name(target) + " at " + std::to_string(percent) + "%",
                                                   options_.health_file, target);
                    if (!health.passed) failure = colour_name(target) + " became unhealthy: " + health.detail;
                }
                if (!failure.empty()) break;
            }
            if (failure.empty()) failure = watch(witness, options_.settle);
            if (failure.empty() && !options_.verify_file.empty()) {
                const CheckRun verify = checks("verify", options_.verify_file, target);
                if (!verify.passed) failure = "verification failed: " + verify.detail;
            }
            if (failure.empty()) failure = over_budget(witness);
        } catch (const gantry::InputError&) {
            // The provider refused the configuration and changed nothing (nginx -t): the old colour is
            // still live, so the pending mark goes.
            write_switch_state(options_.state_file, without_pending(state, old));
            throw;
        }

        if (!failure.empty()) {
            progress("rolling back to " + colour_name(old) + ": " + failure);
            if (witness) witness->mark(old);
            step("rollback to " + colour_name(old), [&] { provider_.apply(old, 100); });
            audit_.record("rollback", {{"to", colour_name(old)}, {"reason", failure}});
            watch(witness, std::chrono::milliseconds(300));
            if (witness) record_.witness = witness->stop();
            write_switch_state(options_.state_file, without_pending(state, old));
            record_.rolled_back = true;
            record_.live_after = old;
            record_.previous_after = state ? state->previous : std::nullopt;
            record_.refusal = failure;
            return gantry::ExitCode::Failed;
        }

        SwitchState done;
        done.live = target;
        done.previous = old;
        done.provider = record_.provider;
        done.version = options_.deploy_version;
        done.switched_at = utc_timestamp();
        write_switch_state(options_.state_file, done);
        record_.switched = true;
        record_.live_after = target;
        record_.previous_after = old;
        drain(old);
        if (witness) {
            record_.witness = witness->stop();
            if (record_.witness->all_target_ms) record_.switch_ms = record_.witness->all_target_ms;
        }
        audit_.record("done", {{"live", colour_name(target)}, {"previous", colour_name(old)},
                               {"switch-ms", record_.switch_ms.value_or(0)}});
        return gantry::ExitCode::Success;
    }

private:
    gantry::ExitCode refuse(const std::string& reason) {
        record_.refusal = reason;
        record_.live_after = record_.live_before;
        audit_.record("refused", {{"reason", reason}});
        return gantry::ExitCode::Failed;
    }

    SwitchState without_pending(const std::optional<SwitchState>& before, Color live) const {
        SwitchState state = before.value_or(SwitchState{});
        state.live = live;
        state.pending.reset();
        state.provider = record_.provider;
        return state;
    }

    std::vector<int> effective_steps() {
        if (options_.steps.size() > 1 && provider_.weights() == WeightSupport::AllOrNothing) {
            progress(record_.provider + " cannot split traffic by weight: switching at once");
            return {100};
        }
        return options_.steps;
    }

    // Waits `duration`, returning early with a reason when the witness counts more failures than the budget.
    std::string watch(std::optional<TrafficWitness>& witness, Milliseconds duration) {
        const auto until = Clock::now() + duration;
        while (Clock::now() < until) {
            if (auto reason = over_budget(witness); !reason.empty()) return reason;
            std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(50), until - Clock::now()));
        }
        return over_budget(witness);
    }

    std::string over_budget(std::optional<TrafficWitness>& witness) const {
        if (!witness || witness->failures() <= options_.error_budget) return {};
        return std::to_string(witness->failures()) + " failed requests through the entrypoint, over the error budget of " +
               std::to_string(options_.error_budget);
    }

    void drain(Color old) {
        const auto begun = Clock::now();
        const auto until = begun + options_.drain_timeout;
        std::optional<long> in_flight;
        while (true) {
            try {
                in_flight = provider_.in_flight(old);
            } catch (const gantry::Error&) {
                in_flight.reset();  // draining is best effort: the switch itself is done
            }
            if (!in_flight || *in_flight <= 0 || Clock::now() >= until) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (!in_flight) return;  // the provider cannot tell; no step to report
        StepRecord drained{.name = "drain " + colour_name(old),
                           .result = *in_flight <= 0 ? StepResult::Passed : StepResult::Failed,
                           .at_ms = since_start(begun),
                           .took_ms = since_start(Clock::now()) - since_start(begun),
                           .detail = *in_flight <= 0 ? "no requests left in flight"
                                                     : std::to_string(*in_flight) + " requests still in flight after " +
                                                           std::to_string(options_.drain_timeout.count()) + " ms"};
        progress(drained.name + ": " + drained.detail);
        audit_.record("drain", {{"color", colour_name(old)}, {"in-flight", *in_flight}});
        record_.steps.push_back(std::move(drained));
    }

    CheckRun checks(const std::string& name, const std::string& file, Color color) {
        const auto begun = Clock::now();
        CheckRun run = run_check_file(file, color, options_, environment_);
        secrets_.insert(secrets_.end(), run.secrets.begin(), run.secrets.end());
        record_.steps.push_back({.name = name,
                                 .result = run.passed ? StepResult::Passed : StepResult::Failed,
                                 .at_ms = since_start(begun),
                                 .took_ms = since_start(Clock::now()) - since_start(begun),
                                 .detail = run.detail});
        progress(name + ": " + (run.passed ? "passed" : "FAILED") + " - " + run.detail);
        audit_.record("checks", {{"step", name}, {"passed", run.passed}, {"detail", run.detail}});
        return run;
    }

    template <class Action>
    std::invoke_result_t<Action> step(const std::string& name, Action&& action) {
        const auto begun = Clock::now();
        const auto finish = [&](StepResult result, std::string detail) {
            record_.steps.push_back({.name = name,
                                     .result = result,
                                     .at_ms = since_start(begun),
                                     .took_ms = since_start(Clock::now()) - since_start(begun),
                                     .detail = std::move(detail)});
            // A failed step's reason reaches the user once, as the error that ends the run.
            progress(name + (result == StepResult::Passed ? ": done" : ": FAILED") + " (" +
                     std::to_string(record_.steps.back().took_ms) + " ms)");
        };
        try {
            if constexpr (std::is_void_v<decltype(action())>) {
                action();
                finish(StepResult::Passed, "");
            } else {
                auto value = action();
                finish(StepResult::Passed, "");
                return value;
            }
        } catch (const std::exception& error) {
            finish(StepResult::Failed, error.what());
            throw;
        }
    }

    long long since_start(Clock::time_point at) const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(at - started_).count();
    }

    void progress(const std::string& line) const {
        if (progress_) progress_(line);
    }

    const Options& options_;
    const gantry::Environment& environment_;
    const Progress& progress_;
    Provider& provider_;
    AuditLog audit_;
    Clock::time_point started_;
    SwitchRecord record_;
    std::vector<std::string> secrets_;
};

}  // namespace

gantry::Outcome run(const Options& options, const gantry::Environment& environment, const Progress& progress) {
    gantry::Outcome outcome("bluegreen-switch");
    auto provider = make_provider(options.provider);
    Flow flow(options, environment, progress, *provider);
    if (options.mode == Mode::Status) {
        outcome.exit_code = flow.status();
    } else if (options.execution == Execution::DryRun) {
        outcome.exit_code = flow.switch_traffic();
    } else {
        const SwitchLock lock(options.lock_file);
        outcome.exit_code = flow.switch_traffic();
    }
    flow.record().error_budget = options.witness ? std::optional<long>(options.error_budget) : std::nullopt;
    outcome.secrets = flow.secrets();
    describe(flow.record(), options, outcome);
    return outcome;
}

}  // namespace bluegreen_switch
