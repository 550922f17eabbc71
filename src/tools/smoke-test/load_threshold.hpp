// Pass/fail criteria of a load test, in k6's shape: `p95<500ms`, `p(99)<1s`, `avg<=200`, `max<2s`,
// `error-rate<1%`, `rps>=450`; per check with `check=NAME:`; windowed with ` per 30s` (every whole
// window of the schedule must hold, not just the whole run).
//
// Grammar: [check=NAME:]METRIC OP VALUE[ per DURATION]. METRIC: pN or p(N) (0 < N <= 100, decimals
// allowed: p99.9), med, avg, min, max (latency from the intended send time), error-rate, rps.
// OP: < <= > >= == != (k6's). A latency VALUE is a duration (250ms, 1s, 1.5s) or a bare number of
// milliseconds, as in k6; an error rate is a percentage (1%) or a fraction (0.01); rps a number of
// requests per second. Percentiles are nearest-rank over the log-linear histogram (within 0.4%).
// A threshold passes when the comparison holds over everything measured (k6: "evaluated at the end
// of the test"). can_no_longer_pass() answers --abort-on-fail: true only when no outcome of the
// requests still to come could make it pass (for a percentile below a limit: more requests above
// the limit than the rank allows of the planned total; for an error rate: more errors than allowed).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/base/comparison.hpp"
#include "smoke-test/load_result.hpp"

namespace smoke_test::load {

enum class Metric { Percentile, Mean, Min, Max, ErrorRate, Rps };
using gantry::Comparison;

struct Threshold {
    std::string text;                  // as given
    std::optional<std::string> check;  // check=NAME: (nullopt: overall)
    Metric metric = Metric::Percentile;
    double percent = 0;                // for Metric::Percentile
    Comparison comparison = Comparison::Less;
    double limit = 0;                  // microseconds (latency), a fraction (error-rate), per second (rps)
    std::optional<int> window_seconds; // " per 30s"
};

// Reads a --threshold value. Throws gantry::UsageError ("--threshold 'TEXT': what was expected").
Threshold parse_threshold(std::string_view text);

struct ThresholdVerdict {
    bool passed = true;
    std::string observed;                  // "p95=3.21ms", "error-rate=0.40%"
    std::optional<int> failed_window;      // first failing window (0-based) of a windowed threshold
};

// `series` is the check's (or the overall) measurement; `elapsed_seconds` for rps.
ThresholdVerdict evaluate(const Threshold& threshold, const CheckSeries& series, double elapsed_seconds);
// True when the threshold fails whatever the remaining `planned - series.requests` requests do.
bool can_no_longer_pass(const Threshold& threshold, const CheckSeries& series, std::uint64_t planned);

// "3.21ms", "1.204s", "850us": a latency for reports.
std::string format_latency(double microseconds);

}  // namespace smoke_test::load
