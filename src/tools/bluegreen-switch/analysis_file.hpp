// The canary analysis file (--analysis FILE): which metrics decide whether a weighted switch goes on.
//
//   token-env: PROMETHEUS_TOKEN        # optional: the variable holding Prometheus's bearer token
//   metrics:
//     - name: green-errors
//       kind: prometheus               # an instant query to --prometheus-url
//       query: sum(rate(...[30s])) / sum(rate(...[30s]))
//       condition: result < 0.01       # every series of a vector (or the scalar) must hold
//       interval: 2s                   # measured every interval during a step's pause (default 5s)
//       count: 3                       # at most this many measurements per step (default: no limit)
//       failure-limit: 0               # failed measurements tolerated over the whole switch (default 0)
//       inconclusive: fail             # no data: fail (default), pass, or retry at the next interval
//     - name: witness-p95
//       kind: witness                  # the traffic witness's own figures for the step
//       figure: p95-latency            # or error-rate (failed answers / answers, 0..1); latency in ms
//       condition: result <= 500
//     - name: green-checks
//       kind: checks                   # a smoke-test check file run against the new colour
//       file: canary-checks.yml        # relative to this file; ${COLOR}/${TARGET} as in --verify
//       interval: 10s                  # result: how many checks failed; condition default result == 0
//
// A checks metric's file is a smoke-test check file in the format of --health and --verify
// (color_checks.hpp, gantry/checks/check_file.hpp): ${COLOR} is the new colour, ${TARGET} its --blue
// or --green value, so the checks reach the canary directly rather than through the entrypoint. At
// each of the metric's intervals every check is sent once (with its own retries) and the result is
// the number of checks that failed; `condition` may set another bound (result <= 1).
//
// read_analysis_file() validates everything before any traffic moves: YAML syntax, unknown keys,
// unknown kinds and figures, conditions (analysis_condition.hpp), durations, duplicate names. Every
// problem is an InputError naming the file, line:column and what was expected (exit 2). The check
// files of checks metrics are read by load_analysis_checks() (analysis_checks.hpp), also before any
// traffic moves; a missing one is an InputError at its `file:` line.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bluegreen-switch/analysis_condition.hpp"
#include "gantry/base/error.hpp"

namespace bluegreen_switch {

enum class MetricKind { Prometheus, Witness, Checks };
enum class WitnessFigure { ErrorRate, P95Latency };
enum class InconclusivePolicy { Fail, Pass, Retry };

struct MetricSpec {
    std::string name;
    MetricKind kind = MetricKind::Prometheus;
    std::string query;                            // prometheus
    WitnessFigure figure = WitnessFigure::ErrorRate;  // witness
    std::string check_file;                       // checks: the path, joined to the analysis file's folder
    gantry::SourcePosition check_file_at;         // checks: where `file:` is, for messages about the file
    Condition condition;
    std::chrono::milliseconds interval{5000};
    std::optional<int> count;
    int failure_limit = 0;
    InconclusivePolicy inconclusive = InconclusivePolicy::Fail;
};

struct AnalysisSpec {
    std::string file;
    std::string token_env = "PROMETHEUS_TOKEN";
    std::vector<MetricSpec> metrics;

    bool uses_prometheus() const;
};

AnalysisSpec parse_analysis(std::string_view text, const std::string& file_name);
AnalysisSpec read_analysis_file(const std::string& path);

const char* to_string(WitnessFigure figure);
const char* to_string(MetricKind kind);

}  // namespace bluegreen_switch
