#include "smoke-test/load_threshold.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/checks/check_file.hpp"

namespace smoke_test::load {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::optional<double> number(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < 0) return std::nullopt;
    return value;
}

// gantry::checks::parse_duration reports a bad duration by exception (its callers elsewhere want the
// reason); here a bad duration is one more reason in our own message.
std::optional<std::chrono::milliseconds> duration_of(std::string_view text) {
    try {
        return gantry::checks::parse_duration(text);
    } catch (const gantry::ValueError&) {
        return std::nullopt;
    }
}

const char* kMetrics = "p95, p(99), p99.9, med, avg, min, max, error-rate or rps";

// The characters a metric's name is written with (p(99.9), error-rate); the operator starts at the
// first other one, so that a mistaken operator (`p95 ~ 500`, `p95=<500`) is named as one.
bool is_metric_character(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '(' || c == ')' || c == '.' || c == '-' || c == '_' || c == ' ' || c == '\t';
}

// METRIC OP VALUE, without check= and per, into `threshold`; nullopt when read, else why not.
std::optional<std::string> read_criterion(std::string_view text, Threshold& threshold) {
    const auto op = std::find_if_not(text.begin(), text.end(), is_metric_character);
    if (op == text.end()) return fmt::format("expected METRIC OP VALUE such as p95<500ms, found '{}'", text);
    const auto op_at = static_cast<std::size_t>(op - text.begin());
    const std::string_view metric = trim(text.substr(0, op_at));
    std::string_view rest = text.substr(op_at);
    const auto comparison = gantry::parse_comparison(rest);
    if (!comparison) return gantry::unknown_comparison(rest, metric);
    threshold.comparison = comparison->comparison;
    rest.remove_prefix(comparison->length);
    const std::string_view value = trim(rest);

    if (metric == "error-rate") {
        threshold.metric = Metric::ErrorRate;
        const bool percent = value.ends_with('%');
        const auto parsed = number(percent ? value.substr(0, value.size() - 1) : value);
        if (!parsed || (percent ? *parsed > 100 : *parsed > 1)) return fmt::format("error-rate: expected a percentage (1%) or a fraction (0.01), found '{}'", value);
        threshold.limit = percent ? *parsed / 100.0 : *parsed;
        return std::nullopt;
    }
    if (metric == "rps") {
        threshold.metric = Metric::Rps;
        const auto parsed = number(value.ends_with("/s") ? value.substr(0, value.size() - 2) : value);
        if (!parsed) return fmt::format("rps: expected requests per second (450 or 450/s), found '{}'", value);
        threshold.limit = *parsed;
        return std::nullopt;
    }
    if (metric == "med") {
        threshold.metric = Metric::Percentile;
        threshold.percent = 50;
    } else if (metric == "avg") {
        threshold.metric = Metric::Mean;
    } else if (metric == "min") {
        threshold.metric = Metric::Min;
    } else if (metric == "max") {
        threshold.metric = Metric::Max;
    } else if (metric.starts_with('p')) {
        std::string_view digits = metric.substr(1);
        if (digits.starts_with('(') && digits.ends_with(')')) digits = digits.substr(1, digits.size() - 2);
        const auto parsed = number(digits);
        if (!parsed || *parsed <= 0 || *parsed > 100) return fmt::format("expected a percentile p1..p100 such as p95 or p(99.9), found '{}'", metric);
        threshold.metric = Metric::Percentile;
        threshold.percent = *parsed;
    } else {
        return fmt::format("unknown metric '{}' (expected {})", metric, kMetrics);
    }
    if (const auto bare = number(value)) {
        threshold.limit = *bare * 1000.0;  // milliseconds, as k6 reads them
        return std::nullopt;
    }
    const auto duration = duration_of(value);
    if (!duration) return fmt::format("{}: expected a duration such as 500ms or 1.5s (a bare number is milliseconds), found '{}'", metric, value);
    threshold.limit = static_cast<double>(duration->count()) * 1000.0;
    return std::nullopt;
}

std::string metric_name(const Threshold& threshold) {
    switch (threshold.metric) {
    case Metric::Percentile: return fmt::format("p{}", threshold.percent);
    case Metric::Mean: return "avg";
    case Metric::Min: return "min";
    case Metric::Max: return "max";
    case Metric::ErrorRate: return "error-rate";
    case Metric::Rps: return "rps";
    }
    return "";
}

double latency_of(const Threshold& threshold, const LogLinearHistogram& histogram) {
    switch (threshold.metric) {
    case Metric::Percentile: return static_cast<double>(histogram.percentile(threshold.percent));
    case Metric::Mean: return histogram.mean();
    case Metric::Min: return static_cast<double>(histogram.min());
    default: return static_cast<double>(histogram.max());
    }
}

// The metric over a window (or the whole run), as a number in the unit of threshold.limit.
double observe(const Threshold& threshold, const LogLinearHistogram& latency, std::uint64_t requests, std::uint64_t errors, double seconds) {
    switch (threshold.metric) {
    case Metric::ErrorRate: return requests ? static_cast<double>(errors) / static_cast<double>(requests) : 0.0;
    case Metric::Rps: return seconds > 0 ? static_cast<double>(requests) / seconds : 0.0;
    default: return latency_of(threshold, latency);
    }
}

std::string describe(const Threshold& threshold, double observed) {
    switch (threshold.metric) {
    case Metric::ErrorRate: return fmt::format("error-rate={:.2f}%", observed * 100.0);
    case Metric::Rps: return fmt::format("rps={:.1f}", observed);
    default: return metric_name(threshold) + "=" + format_latency(observed);
    }
}

}  // namespace

std::string format_latency(double microseconds) {
    if (microseconds < 1000) return fmt::format("{:.0f}us", microseconds);
    if (microseconds < 1'000'000) return fmt::format("{:.2f}ms", microseconds / 1000.0);
    return fmt::format("{:.3f}s", microseconds / 1'000'000.0);
}

Threshold parse_threshold(std::string_view text) {
    const auto refuse = [&](const std::string& why) { return gantry::UsageError(fmt::format("--threshold '{}': {}", text, why)); };
    Threshold threshold;
    threshold.text = std::string(trim(text));
    std::string_view rest = trim(text);
    if (rest.empty()) throw refuse("expected a threshold such as p95<500ms or error-rate<1%");
    if (const auto per = rest.rfind(" per "); per != std::string_view::npos) {
        const std::string_view window = trim(rest.substr(per + 5));
        const auto length = duration_of(window);
        if (!length || length->count() < 1000 || length->count() % 1000 != 0) {
            throw refuse(fmt::format("expected a window of whole seconds after 'per' (per 30s, per 1m), found '{}'", window));
        }
        threshold.window_seconds = static_cast<int>(length->count() / 1000);
        rest = trim(rest.substr(0, per));
    }
    if (rest.starts_with("check=")) {
        rest.remove_prefix(6);
        // A check's name may hold ':' (it is often its URL): the metric follows the last ':' that
        // leaves a readable comparison.
        for (auto colon = rest.rfind(':'); colon != std::string_view::npos && colon > 0; colon = rest.rfind(':', colon - 1)) {
            Threshold attempt = threshold;
            if (read_criterion(trim(rest.substr(colon + 1)), attempt)) continue;
            attempt.check = std::string(rest.substr(0, colon));
            threshold = attempt;
            break;
        }
        if (!threshold.check) throw refuse(fmt::format("expected check=NAME:METRIC OP VALUE (e.g. check=login:p95<300ms), found '{}'", text));
    } else if (const auto problem = read_criterion(rest, threshold)) {
        throw refuse(*problem);
    }
    return threshold;
}

ThresholdVerdict evaluate(const Threshold& threshold, const CheckSeries& series, double elapsed_seconds) {
    ThresholdVerdict verdict;
    const double whole = observe(threshold, series.latency, series.requests, series.error_count(), elapsed_seconds);
    verdict.passed = series.requests > 0 ? gantry::holds(threshold.comparison, whole, threshold.limit) : threshold.metric == Metric::ErrorRate;
    verdict.observed = series.requests > 0 ? describe(threshold, whole) : "no requests";
    if (!threshold.window_seconds) return verdict;
    const std::size_t width = static_cast<std::size_t>(*threshold.window_seconds);
    // Whole windows only: a trailing part-window (a run not a multiple of the window) is judged too,
    // since its requests were sent; an empty window has nothing to judge.
    for (std::size_t start = 0, window = 0; start < series.seconds.size(); start += width, ++window) {
        LogLinearHistogram latency;
        std::uint64_t requests = 0, errors = 0;
        const std::size_t end = std::min(series.seconds.size(), start + width);
        for (std::size_t s = start; s < end; ++s) {
            latency.add(series.seconds[s].latency);
            requests += series.seconds[s].requests;
            errors += series.seconds[s].errors;
        }
        if (requests == 0) continue;
        const double observed = observe(threshold, latency, requests, errors, static_cast<double>(end - start));
        if (!gantry::holds(threshold.comparison, observed, threshold.limit)) {
            verdict.passed = false;
            verdict.failed_window = static_cast<int>(window);
            verdict.observed = fmt::format("{} in {}s-{}s", describe(threshold, observed), start, end);
            return verdict;
        }
    }
    return verdict;
}

bool can_no_longer_pass(const Threshold& threshold, const CheckSeries& series, std::uint64_t planned) {
    if (planned == 0 || threshold.window_seconds || series.requests > planned) return false;
    const bool below = threshold.comparison == Comparison::Less || threshold.comparison == Comparison::LessOrEqual;
    if (!below) return false;
    if (threshold.metric == Metric::ErrorRate) {
        const double errors = static_cast<double>(series.error_count());
        const double limit = threshold.limit * static_cast<double>(planned);
        return threshold.comparison == Comparison::Less ? errors >= limit : errors > limit;
    }
    if (threshold.metric == Metric::Percentile) {
        // The p-th percentile is the value of rank r = ceil(p% * planned): it stays within the limit only
        // while at most planned - r requests are reported above it.
        const auto rank = static_cast<std::uint64_t>(std::ceil(threshold.percent / 100.0 * static_cast<double>(planned)));
        const auto limit = static_cast<std::uint64_t>(threshold.limit);
        const std::uint64_t above = threshold.comparison == Comparison::Less ? series.latency.count_reported_above(limit > 0 ? limit - 1 : 0)
                                                                             : series.latency.count_reported_above(limit);
        return above > planned - std::min(rank, planned);
    }
    if (threshold.metric == Metric::Max) {
        const double max = static_cast<double>(series.latency.max());
        return series.requests > 0 && !gantry::holds(threshold.comparison, max, threshold.limit);
    }
    return false;
}

}  // namespace smoke_test::load
