#include "smoke-test/load_plan.hpp"

#include <charconv>
#include <cmath>
#include <numeric>
#include <string>

#include "gantry/base/error.hpp"
#include "gantry/checks/check_file.hpp"

namespace smoke_test::load {

namespace {

double parse_number(std::string_view text, std::string_view what) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < 0) {
        throw gantry::ValueError("expected " + std::string(what) + ", found '" + std::string(text) + "'");
    }
    return value;
}

}  // namespace

double parse_rate(std::string_view text) {
    const auto slash = text.find('/');
    const double count = parse_number(text.substr(0, slash), "a rate such as 500/s (requests per s, m or ms)");
    double per_second = count;
    if (slash != std::string_view::npos) {
        const std::string_view unit = text.substr(slash + 1);
        if (unit == "s") {
            per_second = count;
        } else if (unit == "m" || unit == "min") {
            per_second = count / 60.0;
        } else if (unit == "ms") {
            per_second = count * 1000.0;
        } else {
            throw gantry::ValueError("expected a rate such as 500/s (per s, m or ms), found '" + std::string(text) + "'");
        }
    }
    if (per_second > 10'000'000) throw gantry::ValueError("a rate above 10,000,000/s is not a load test ('" + std::string(text) + "')");
    return per_second;
}

std::vector<Stage> parse_stages(std::string_view text) {
    std::vector<Stage> stages;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        const auto colon = item.find(':');
        if (colon == std::string_view::npos) {
            throw gantry::ValueError("expected DURATION:RATE stages such as 30s:100,2m:500,30s:0, found '" + std::string(item) + "'");
        }
        Stage stage;
        stage.duration = gantry::checks::parse_duration(item.substr(0, colon));
        if (stage.duration.count() <= 0) throw gantry::ValueError("a stage lasts more than 0 ms ('" + std::string(item) + "')");
        stage.target = parse_rate(item.substr(colon + 1));
        stages.push_back(stage);
    }
    if (stages.empty()) throw gantry::ValueError("expected at least one DURATION:RATE stage, e.g. 30s:100,2m:500,30s:0");
    return stages;
}

ArrivalSchedule::ArrivalSchedule(double start_rate, std::vector<Stage> stages) {
    double at = 0;
    double before = 0;
    double rate = start_rate;
    for (const Stage& stage : stages) {
        Segment segment{at, static_cast<double>(stage.duration.count()) / 1000.0, rate, stage.target, before};
        before += segment.length * (segment.from_rate + segment.to_rate) / 2.0;
        at += segment.length;
        rate = stage.target;
        segments_.push_back(segment);
    }
    // Request k is in the schedule when k < the integral; a rounding hair above a whole number is not a request.
    total_ = static_cast<std::uint64_t>(std::ceil(before - 1e-9));
}

double ArrivalSchedule::length_seconds() const {
    return segments_.empty() ? 0.0 : segments_.back().start + segments_.back().length;
}

std::optional<double> ArrivalSchedule::due(std::uint64_t k) const {
    if (k >= total_) return std::nullopt;
    const double wanted = static_cast<double>(k);
    for (const Segment& s : segments_) {
        const double in_segment = s.length * (s.from_rate + s.to_rate) / 2.0;
        if (wanted >= s.before + in_segment && &s != &segments_.back()) continue;
        // Solve before + r0*t + (r1-r0)/(2L)*t^2 = wanted for t in [0, L], in the form that stays exact
        // for a constant rate and for a ramp down.
        const double left = wanted - s.before;
        if (left <= 0) return s.start;
        const double a = (s.to_rate - s.from_rate) / (2.0 * s.length);
        const double b = s.from_rate;
        const double root = std::sqrt(std::max(0.0, b * b + 4.0 * a * left));
        const double denominator = b + root;
        const double t = denominator > 0 ? 2.0 * left / denominator : s.length;
        return s.start + std::min(t, s.length);
    }
    return std::nullopt;
}

WeightedRotation::WeightedRotation(const std::vector<int>& weights) {
    long long sum = 0;
    for (const int weight : weights) {
        if (weight < 1) throw gantry::ValueError("a check's weight is a whole number >= 1");
        sum += weight;
    }
    if (weights.empty()) throw gantry::ValueError("no checks to send");
    if (sum > 1'000'000) throw gantry::ValueError("the checks' weights add up to more than 1,000,000");
    // Smooth weighted round-robin: each turn every check gains its weight, the richest is picked and
    // pays the sum. Over a cycle of `sum` turns each check is picked exactly `weight` times, spread out.
    std::vector<long long> current(weights.size(), 0);
    cycle_.reserve(static_cast<std::size_t>(sum));
    for (long long turn = 0; turn < sum; ++turn) {
        std::size_t best = 0;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            current[i] += weights[i];
            if (current[i] > current[best]) best = i;
        }
        current[best] -= sum;
        cycle_.push_back(static_cast<std::uint32_t>(best));
    }
}

int shard_users(int total, Shard shard) {
    return total / shard.count + (shard.index - 1 < total % shard.count ? 1 : 0);
}

}  // namespace smoke_test::load
