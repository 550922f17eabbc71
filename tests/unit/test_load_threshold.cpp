#include <doctest/doctest.h>

#include <stdexcept>

#include "gantry/base/error.hpp"
#include "smoke-test/load_threshold.hpp"

using namespace smoke_test::load;

TEST_CASE("load threshold: k6's forms and ours parse to the same criterion") {
    const Threshold a = parse_threshold("p95<500ms");
    CHECK(a.metric == Metric::Percentile);
    CHECK(a.percent == 95);
    CHECK(a.comparison == Comparison::Less);
    CHECK(a.limit == 500'000);
    const Threshold b = parse_threshold("p(95) < 500");  // k6: a bare number is milliseconds
    CHECK(b.percent == 95);
    CHECK(b.limit == 500'000);
    CHECK(parse_threshold("p99.9<=1.5s").percent == doctest::Approx(99.9));
    CHECK(parse_threshold("p99.9<=1.5s").limit == 1'500'000);
    CHECK(parse_threshold("error-rate<1%").limit == doctest::Approx(0.01));
    CHECK(parse_threshold("error-rate<0.01").limit == doctest::Approx(0.01));
    CHECK(parse_threshold("rps>=450").comparison == Comparison::GreaterOrEqual);
    CHECK(parse_threshold("med<100").percent == 50);
    CHECK(parse_threshold("avg!=3").comparison == Comparison::NotEqual);
}

TEST_CASE("load threshold: per check (names may hold ':') and per window") {
    const Threshold t = parse_threshold("check=GET http://127.0.0.1:8080/:p99<300ms per 30s");
    REQUIRE(t.check);
    CHECK(*t.check == "GET http://127.0.0.1:8080/");
    CHECK(t.percent == 99);
    CHECK(t.window_seconds == 30);
    CHECK(parse_threshold("check=login:error-rate<1%").check == std::optional<std::string>("login"));
}

TEST_CASE("load threshold: mistakes say what was expected") {
    CHECK_THROWS_WITH_AS(parse_threshold("p95 500ms"), doctest::Contains("expected METRIC OP VALUE"), gantry::UsageError);
    CHECK_THROWS_WITH_AS(parse_threshold("latency<5ms"), doctest::Contains("unknown metric 'latency'"), gantry::UsageError);
    CHECK_THROWS_WITH_AS(parse_threshold("p101<5ms"), doctest::Contains("p1..p100"), gantry::UsageError);
    CHECK_THROWS_WITH_AS(parse_threshold("p95<fast"), doctest::Contains("expected a duration"), gantry::UsageError);
    CHECK_THROWS_WITH_AS(parse_threshold("error-rate<150%"), doctest::Contains("percentage"), gantry::UsageError);
    CHECK_THROWS_WITH_AS(parse_threshold("p95<5ms per 1.5s"), doctest::Contains("whole seconds"), gantry::UsageError);
    CHECK_THROWS_WITH_AS(parse_threshold("check=x"), doctest::Contains("check=NAME:METRIC"), gantry::UsageError);
    CHECK_THROWS_AS(parse_threshold(""), gantry::UsageError);
}

TEST_CASE("load threshold: an unknown operator is named, with the operators accepted") {
    CHECK_THROWS_WITH_AS(parse_threshold("p95=<500"),
                         "--threshold 'p95=<500': unknown operator '=<' after 'p95': expected one of <, <=, >, >=, ==, !=",
                         gantry::UsageError);
    CHECK_THROWS_WITH_AS(parse_threshold("p95 ~ 500ms"),
                         "--threshold 'p95 ~ 500ms': unknown operator '~' after 'p95': expected one of <, <=, >, >=, ==, !=",
                         gantry::UsageError);
    CHECK_THROWS_WITH_AS(parse_threshold("error-rate => 1%"), doctest::Contains("unknown operator '=>' after 'error-rate'"),
                         gantry::UsageError);
    CHECK(parse_threshold("avg===3").comparison == Comparison::Equal);  // k6's strict spelling
}

namespace {

CheckSeries series_of(const std::vector<std::uint64_t>& latencies_ms, std::uint64_t errors_every = 0) {
    CheckSeries series;
    for (std::size_t i = 0; i < latencies_ms.size(); ++i) {
        const bool error = errors_every && i % errors_every == 0;
        series.record(i / 10, latencies_ms[i] * 1000, latencies_ms[i] * 1000, error ? std::optional(ErrorClass::Status) : std::nullopt);
    }
    return series;
}

}  // namespace

TEST_CASE("load threshold: evaluated over the whole run, nearest rank") {
    std::vector<std::uint64_t> ms(100, 10);
    for (int i = 95; i < 100; ++i) ms[static_cast<std::size_t>(i)] = 900;  // 5 slow requests of 100
    const CheckSeries series = series_of(ms);
    CHECK(evaluate(parse_threshold("p95<20ms"), series, 10).passed);     // rank 95 is still fast
    CHECK_FALSE(evaluate(parse_threshold("p96<20ms"), series, 10).passed);
    CHECK(evaluate(parse_threshold("rps>=10"), series, 10).passed);
    CHECK_FALSE(evaluate(parse_threshold("rps>10"), series, 10).passed);
    CHECK(evaluate(parse_threshold("max<1s"), series, 10).passed);
    const CheckSeries failing = series_of(std::vector<std::uint64_t>(100, 10), 20);  // 5 errors of 100
    CHECK(evaluate(parse_threshold("error-rate<=5%"), failing, 10).passed);
    CHECK_FALSE(evaluate(parse_threshold("error-rate<5%"), failing, 10).passed);
}

TEST_CASE("load threshold: a window that fails fails the windowed threshold, though the whole run passes") {
    std::vector<std::uint64_t> ms(100, 10);
    for (int i = 40; i < 50; ++i) ms[static_cast<std::size_t>(i)] = 500;  // second 4 is slow
    const CheckSeries series = series_of(ms);
    CHECK(evaluate(parse_threshold("p80<20ms"), series, 10).passed);
    const ThresholdVerdict windowed = evaluate(parse_threshold("p80<20ms per 2s"), series, 10);
    CHECK_FALSE(windowed.passed);
    CHECK(windowed.failed_window == 2);
    CHECK(windowed.observed.find("in 4s-6s") != std::string::npos);
}

TEST_CASE("load threshold: can no longer pass only when no remaining request could save it") {
    // 100 planned; p95<20ms allows 5 requests above 20 ms.
    const Threshold p95 = parse_threshold("p95<20ms");
    CHECK_FALSE(can_no_longer_pass(p95, series_of({900, 900, 900, 900, 900}), 100));
    CHECK(can_no_longer_pass(p95, series_of({900, 900, 900, 900, 900, 900}), 100));
    const Threshold errors = parse_threshold("error-rate<5%");
    CHECK_FALSE(can_no_longer_pass(errors, series_of({1, 1, 1, 1}, 1), 100));
    CHECK(can_no_longer_pass(errors, series_of({1, 1, 1, 1, 1}, 1), 100));
    CHECK_FALSE(can_no_longer_pass(parse_threshold("rps>=10"), series_of({1}), 100));
}
