#include "bluegreen-switch/canary_analysis.hpp"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace bluegreen_switch {

namespace {

// Between two attempts of a failed Prometheus query: long enough for a restart hiccup, short next to
// a step pause.
constexpr std::chrono::milliseconds kRetryPause{500};
// Series named in a failure message, at most.
constexpr std::size_t kSeriesInMessage = 3;

std::string values_text(const std::vector<PrometheusSample>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size() && i < kSeriesInMessage; ++i) {
        text += fmt::format("{}{:g}{}", i ? ", " : "", values[i].value,
                            values[i].series == "scalar" || values[i].series == "{}" || values[i].series.empty() ? ""
                                                                                                               : " " + values[i].series);
    }
    if (values.size() > kSeriesInMessage) text += fmt::format(" and {} more series", values.size() - kSeriesInMessage);
    return text;
}

// "3 checks, 1 failed (health: status 503, expected 200); ": the run on one line.
std::string checks_detail(const CheckRun& run) {
    if (run.failed == 0) return fmt::format("{} checks, none failed; ", run.total);
    std::string failures = run.detail;
    for (std::size_t at = failures.find('\n'); at != std::string::npos; at = failures.find('\n', at)) failures.replace(at, 1, "; ");
    return fmt::format("{} checks, {} failed ({}); ", run.total, run.failed, failures);
}

}  // namespace

const char* to_string(MeasureOutcome outcome) {
    switch (outcome) {
        case MeasureOutcome::Passed: return "passed";
        case MeasureOutcome::Failed: return "failed";
        case MeasureOutcome::Inconclusive: return "inconclusive";
    }
    return "";
}

const char* to_string(AnalysisVerdict verdict) {
    switch (verdict) {
        case AnalysisVerdict::Passed: return "passed";
        case AnalysisVerdict::Failed: return "failed";
        case AnalysisVerdict::Inconclusive: return "inconclusive";
    }
    return "";
}

CanaryAnalysis::CanaryAnalysis(AnalysisSpec spec, std::optional<PrometheusQuery> prometheus, Clock::time_point run_started,
                               Notify notify, ChecksTarget checks_target)
    : prometheus_(std::move(prometheus)), checks_target_(checks_target), run_started_(run_started), notify_(std::move(notify)) {
    record_.file = spec.file;
    record_.metrics = std::move(spec.metrics);
    states_.resize(record_.metrics.size());
}

void CanaryAnalysis::begin_step(int percent, std::chrono::milliseconds pause, TrafficWitness* witness) {
    percent_ = percent;
    record_.steps.push_back(percent);
    const auto now = Clock::now();
    step_end_ = now + pause;
    for (std::size_t i = 0; i < states_.size(); ++i) {
        // A metric whose interval is longer than the pause is measured once, at the step's end.
        states_[i].next_due = std::min(now + record_.metrics[i].interval, step_end_);
        states_[i].measured_in_step = 0;
        states_[i].conclusive_in_step = 0;
    }
    if (witness) witness->begin_window();
}

bool CanaryAnalysis::may_measure(std::size_t index) const {
    const auto& count = record_.metrics[index].count;
    return !count || states_[index].measured_in_step < *count;
}

CanaryAnalysis::Clock::time_point CanaryAnalysis::next_due() const {
    Clock::time_point next = step_end_;
    for (std::size_t i = 0; i < states_.size(); ++i) {
        if (may_measure(i)) next = std::min(next, states_[i].next_due);
    }
    return next;
}

std::optional<std::string> CanaryAnalysis::measure_due(TrafficWitness* witness) {
    const auto now = Clock::now();
    for (std::size_t i = 0; i < states_.size(); ++i) {
        // What falls due at the step's end is end_step()'s.
        if (!may_measure(i) || states_[i].next_due > now || states_[i].next_due >= step_end_) continue;
        if (auto reason = measure(i, witness)) return reason;
        states_[i].next_due += record_.metrics[i].interval;
    }
    return std::nullopt;
}

std::optional<std::string> CanaryAnalysis::end_step(TrafficWitness* witness) {
    for (std::size_t i = 0; i < states_.size(); ++i) {
        if (states_[i].measured_in_step > 0 && (!may_measure(i) || states_[i].next_due > Clock::now())) continue;
        if (auto reason = measure(i, witness)) return reason;
    }
    for (std::size_t i = 0; i < states_.size(); ++i) {
        const MetricSpec& metric = record_.metrics[i];
        if (metric.inconclusive == InconclusivePolicy::Retry && states_[i].conclusive_in_step == 0) {
            record_.verdict = AnalysisVerdict::Inconclusive;
            record_.failed_metric = metric.name;
            record_.reason = fmt::format("canary analysis inconclusive: metric '{}' gave no data in {} measurements at "
                                         "step {}% (inconclusive: retry), so the switch does not go on",
                                         metric.name, states_[i].measured_in_step, percent_);
            return record_.reason;
        }
    }
    return std::nullopt;
}

void CanaryAnalysis::finish() {
    if (!record_.verdict) record_.verdict = AnalysisVerdict::Passed;
}

std::vector<PrometheusSample> CanaryAnalysis::query_with_retries(const MetricSpec& metric) {
    for (int attempt = 1;; ++attempt) {
        try {
            return query_prometheus(*prometheus_, metric.query);
        } catch (const gantry::Error& error) {
            if (error.code() != gantry::ExitCode::Environment || attempt >= kPrometheusAttempts) {
                record_.verdict = AnalysisVerdict::Inconclusive;
                record_.failed_metric = metric.name;
                record_.reason = fmt::format("canary analysis: metric '{}' at step {}%: {}{}", metric.name, percent_, error.what(),
                                             error.code() == gantry::ExitCode::Environment
                                                 ? fmt::format(" ({} attempts)", attempt)
                                                 : std::string());
                throw gantry::Error(error.code(), record_.reason);
            }
        }
        std::this_thread::sleep_for(kRetryPause);
    }
}

CheckRun CanaryAnalysis::run_checks(const MetricSpec& metric) {
    if (!checks_target_.checks || !checks_target_.checks->contains(metric.name)) {
        // load_switch_inputs() reads every checks metric's file; a caller that did not is a bug.
        throw gantry::Error(gantry::ExitCode::BadInput,
                            fmt::format("canary analysis: metric '{}': its check file {} was not read", metric.name, metric.check_file));
    }
    return checks_target_.checks->at(metric.name).run(checks_target_.color);
}

std::optional<std::string> CanaryAnalysis::measure(std::size_t index, TrafficWitness* witness) {
    const MetricSpec& metric = record_.metrics[index];
    MetricState& state = states_[index];
    MetricMeasurement measurement{.metric = metric.name, .percent = percent_};
    if (metric.kind == MetricKind::Prometheus) {
        measurement.values = query_with_retries(metric);
    } else if (metric.kind == MetricKind::Checks) {
        const CheckRun run = run_checks(metric);
        measurement.values.push_back({"failed-checks", static_cast<double>(run.failed)});
        measurement.detail = checks_detail(run);
    } else if (witness) {
        const WitnessWindow window = witness->window();
        if (metric.figure == WitnessFigure::ErrorRate && window.requests > 0) {
            measurement.values.push_back({to_string(metric.figure), static_cast<double>(window.failures) / static_cast<double>(window.requests)});
        } else if (metric.figure == WitnessFigure::P95Latency && window.p95_latency_ms) {
            measurement.values.push_back({to_string(metric.figure), *window.p95_latency_ms});
        }
        measurement.detail = fmt::format("{} witness answers, {} failed; ", window.requests, window.failures);
    }
    measurement.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - run_started_).count();
    ++state.measured_in_step;

    std::vector<PrometheusSample> failing;
    for (const auto& sample : measurement.values) {
        if (!metric.condition.holds(sample.value)) failing.push_back(sample);
    }
    if (measurement.values.empty()) {
        measurement.outcome = MeasureOutcome::Inconclusive;
        measurement.counted_as_failure = metric.inconclusive == InconclusivePolicy::Fail;
        if (metric.inconclusive == InconclusivePolicy::Pass) ++state.conclusive_in_step;
        measurement.detail += fmt::format("no data (inconclusive: {})", metric.inconclusive == InconclusivePolicy::Fail   ? "fail"
                                                                        : metric.inconclusive == InconclusivePolicy::Pass ? "pass"
                                                                                                                          : "retry");
    } else {
        ++state.conclusive_in_step;
        measurement.outcome = failing.empty() ? MeasureOutcome::Passed : MeasureOutcome::Failed;
        measurement.counted_as_failure = !failing.empty();
        measurement.detail += failing.empty() ? fmt::format("{}: {} holds", values_text(measurement.values), metric.condition.text())
                                              : fmt::format("{}: {} does not hold", values_text(failing), metric.condition.text());
    }
    if (measurement.counted_as_failure) ++state.failures;
    record_.measurements.push_back(measurement);
    if (notify_) notify_(measurement);
    if (state.failures <= metric.failure_limit) return std::nullopt;
    record_.verdict = AnalysisVerdict::Failed;
    record_.failed_metric = metric.name;
    record_.reason = fmt::format("canary analysis failed: metric '{}' at step {}%: {} ({} failed measurements, failure-limit {})",
                                 metric.name, percent_,
                                 measurement.values.empty() ? std::string("no data") : values_text(failing) + ", expected " + metric.condition.text(),
                                 state.failures, metric.failure_limit);
    return record_.reason;
}

}  // namespace bluegreen_switch
