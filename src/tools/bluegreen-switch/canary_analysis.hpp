// The canary analysis of one switch: during each weighted step, every metric of the analysis file
// (analysis_file.hpp) is measured at its interval, and the switch goes on only while they hold.
//
// begin_step() starts a step (and the witness's window for the witness figures); measure_due() takes
// the measurements whose time has come, end_step() those the step still owes (each metric is measured
// at least once per step, however short the pause). Each returns the reason to roll back, if any: a
// metric whose failed measurements exceed its failure-limit (counted over the whole switch), or, at a
// step's end, a metric with `inconclusive: retry` that never gave data in that step. No data counts
// as a failure with `inconclusive: fail`, as a pass with `pass`. A Prometheus query that fails is
// tried kPrometheusAttempts times; then the EnvironmentError propagates (the flow rolls back, exit 3)
// with the analysis marked inconclusive on that metric. A checks metric sends its check file's checks
// to the new colour (`target`, as --verify does) and its result is how many failed; its checks come
// from `checks` (analysis_checks.hpp), which the caller owns and keeps alive. Every measurement is
// kept for the reports.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/analysis_checks.hpp"
#include "bluegreen-switch/analysis_file.hpp"
#include "bluegreen-switch/color.hpp"
#include "bluegreen-switch/prometheus_query.hpp"
#include "bluegreen-switch/traffic_witness.hpp"

namespace bluegreen_switch {

enum class MeasureOutcome { Passed, Failed, Inconclusive };
enum class AnalysisVerdict { Passed, Failed, Inconclusive };

struct MetricMeasurement {
    std::string metric;
    int percent = 0;                        // the step
    long long at_ms = 0;                    // since the run started
    std::vector<PrometheusSample> values;   // a witness figure is one value named after it
    MeasureOutcome outcome = MeasureOutcome::Passed;
    bool counted_as_failure = false;
    std::string detail;
};

struct AnalysisRecord {
    std::string file;
    std::vector<MetricSpec> metrics;
    std::vector<int> steps;                 // the weighted steps measured
    std::vector<MetricMeasurement> measurements;
    std::optional<AnalysisVerdict> verdict;  // nullopt: the switch ended before the analysis did
    std::string failed_metric;
    std::string reason;
};

// Where a checks metric's checks go: the colour being switched to, and the checks by metric name.
struct ChecksTarget {
    Color color = Color::Green;
    AnalysisChecks* checks = nullptr;  // needed only when the analysis has checks metrics
};

const char* to_string(MeasureOutcome outcome);
const char* to_string(AnalysisVerdict verdict);

class CanaryAnalysis {
public:
    using Clock = std::chrono::steady_clock;
    using Notify = std::function<void(const MetricMeasurement&)>;
    static constexpr int kPrometheusAttempts = 3;

    CanaryAnalysis(AnalysisSpec spec, std::optional<PrometheusQuery> prometheus, Clock::time_point run_started, Notify notify,
                   ChecksTarget checks_target = {});

    void begin_step(int percent, std::chrono::milliseconds pause, TrafficWitness* witness);
    std::optional<std::string> measure_due(TrafficWitness* witness);
    std::optional<std::string> end_step(TrafficWitness* witness);
    // When the next measurement is due in this step (for the caller's sleep).
    Clock::time_point next_due() const;
    // All weighted steps passed.
    void finish();

    const AnalysisRecord& record() const { return record_; }

private:
    struct MetricState {
        Clock::time_point next_due;
        int measured_in_step = 0;
        int conclusive_in_step = 0;
        int failures = 0;
    };

    std::optional<std::string> measure(std::size_t index, TrafficWitness* witness);
    std::vector<PrometheusSample> query_with_retries(const MetricSpec& metric);
    CheckRun run_checks(const MetricSpec& metric);
    bool may_measure(std::size_t index) const;

    AnalysisRecord record_;
    std::optional<PrometheusQuery> prometheus_;
    ChecksTarget checks_target_;
    Clock::time_point run_started_;
    Notify notify_;
    int percent_ = 0;
    Clock::time_point step_end_;
    std::vector<MetricState> states_;
};

}  // namespace bluegreen_switch
