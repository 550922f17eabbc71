#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "gantry/stats/log_linear_histogram.hpp"

using gantry::stats::LogLinearHistogram;

namespace {

// Nearest rank over the sorted values, written from the definition (not from the histogram's code).
std::uint64_t exact_percentile(std::vector<std::uint64_t> values, double percent) {
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(percent / 100.0 * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

double relative_error(std::uint64_t reported, std::uint64_t exact) {
    if (exact == 0) return reported == 0 ? 0.0 : 1.0;
    return std::fabs(static_cast<double>(reported) - static_cast<double>(exact)) / static_cast<double>(exact);
}

}  // namespace

TEST_CASE("log-linear histogram: every value lands in a bucket that holds it, buckets are at most 1/128 wide") {
    std::mt19937_64 random(7);
    std::vector<std::uint64_t> values = {0, 1, 255, 256, 257, 511, 512, 1000, 65535, 65536, 1'000'000, ~std::uint64_t{0}};
    for (int i = 0; i < 20000; ++i) values.push_back(random() >> (random() % 64));
    for (const auto value : values) {
        const auto index = LogLinearHistogram::index_of(value);
        REQUIRE(LogLinearHistogram::lowest_value(index) <= value);
        REQUIRE(LogLinearHistogram::highest_value(index) >= value);
        const auto width = LogLinearHistogram::highest_value(index) - LogLinearHistogram::lowest_value(index) + 1;
        REQUIRE(static_cast<double>(width) <= std::max(1.0, static_cast<double>(LogLinearHistogram::lowest_value(index)) / 128.0));
    }
    // Buckets tile the number line: each starts right after the previous one ends.
    for (std::uint32_t index = 1; index <= LogLinearHistogram::max_index(); ++index) {
        REQUIRE(LogLinearHistogram::lowest_value(index) == LogLinearHistogram::highest_value(index - 1) + 1);
    }
    CHECK(LogLinearHistogram::highest_value(LogLinearHistogram::max_index()) == ~std::uint64_t{0});
}

TEST_CASE("log-linear histogram: percentiles within 1% of an exact sort on random latencies") {
    std::mt19937_64 random(42);
    // Three shapes: log-uniform over 10 us .. 10 s, a tight normal around 50 ms, and a bimodal mix with a stall.
    std::lognormal_distribution<double> wide(std::log(20000.0), 2.0);
    std::normal_distribution<double> tight(50000.0, 800.0);
    for (int shape = 0; shape < 3; ++shape) {
        std::vector<std::uint64_t> values;
        LogLinearHistogram histogram;
        for (int i = 0; i < 100000; ++i) {
            double v = shape == 0 ? wide(random) : tight(random);
            if (shape == 2 && i % 100 == 0) v = 1'000'000.0 + static_cast<double>(i);
            const auto value = static_cast<std::uint64_t>(std::max(0.0, v));
            values.push_back(value);
            histogram.record(value);
        }
        for (const double percent : {1.0, 50.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
            const auto exact = exact_percentile(values, percent);
            INFO("shape " << shape << " p" << percent << ": exact " << exact << ", reported " << histogram.percentile(percent));
            CHECK(relative_error(histogram.percentile(percent), exact) <= 0.01);
        }
        CHECK(histogram.count() == values.size());
        CHECK(histogram.min() == *std::min_element(values.begin(), values.end()));
        CHECK(histogram.max() == *std::max_element(values.begin(), values.end()));
        CHECK(histogram.percentile(100) == histogram.max());
    }
}

TEST_CASE("log-linear histogram: histograms recorded apart add up to the one recorded together") {
    std::mt19937_64 random(3);
    LogLinearHistogram whole;
    std::vector<LogLinearHistogram> parts(4);
    for (int i = 0; i < 50000; ++i) {
        const std::uint64_t value = 100 + random() % 3'000'000;
        whole.record(value);
        parts[static_cast<std::size_t>(i) % parts.size()].record(value);
    }
    LogLinearHistogram merged;
    for (const auto& part : parts) merged.add(part);
    CHECK(merged == whole);
    CHECK(merged.sum() == whole.sum());
    for (const double percent : {50.0, 95.0, 99.0, 99.9}) CHECK(merged.percentile(percent) == whole.percentile(percent));
}

TEST_CASE("log-linear histogram: buckets round-trip, and bad bucket lists are refused") {
    LogLinearHistogram histogram;
    for (std::uint64_t v : {3ULL, 300ULL, 300ULL, 45000ULL, 2'000'000ULL}) histogram.record(v);
    const auto copy = LogLinearHistogram::from_buckets(histogram.buckets(), histogram.min(), histogram.max(), histogram.sum());
    CHECK(copy == histogram);
    CHECK(copy.percentile(50) == histogram.percentile(50));
    CHECK_THROWS_AS(LogLinearHistogram::from_buckets({{5, 1}, {4, 1}}, 4, 5, 9), gantry::ValueError);
    CHECK_THROWS_AS(LogLinearHistogram::from_buckets({{5, 0}}, 5, 5, 0), gantry::ValueError);
    CHECK_THROWS_AS(LogLinearHistogram::from_buckets({{9000, 1}}, 5, 5, 5), gantry::ValueError);
    CHECK_THROWS_AS(LogLinearHistogram::from_buckets({{5, 1}}, 7, 7, 7), gantry::ValueError);
    CHECK(LogLinearHistogram::from_buckets({}, 0, 0, 0).empty());
}

TEST_CASE("log-linear histogram: count_reported_above agrees with percentile") {
    LogLinearHistogram histogram;
    for (int i = 1; i <= 1000; ++i) histogram.record(static_cast<std::uint64_t>(i) * 1000);
    const auto p95 = histogram.percentile(95);
    // At most 5% of the samples are reported above the 95th percentile.
    CHECK(histogram.count_reported_above(p95) <= 50);
    CHECK(histogram.count_reported_above(histogram.max()) == 0);
    CHECK(histogram.count_reported_above(0) == 1000);
}
