// The canary analysis's condition parser and analysis-file reader: what they accept, and that every
// mistake is an InputError naming the file, line:column and what was expected.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "bluegreen-switch/analysis_condition.hpp"
#include "bluegreen-switch/analysis_file.hpp"
#include "gantry/base/error.hpp"

using namespace bluegreen_switch;

namespace {

Condition condition(const char* text) {
    const ParsedCondition parsed = parse_condition(text);
    INFO(parsed.problem);
    REQUIRE(parsed.condition.has_value());
    return *parsed.condition;
}

}  // namespace

TEST_CASE("a condition is 'result <op> number' and nothing else") {
    const Condition less = condition("result < 0.01");
    CHECK(less.comparison == Comparison::Less);
    CHECK(less.threshold == doctest::Approx(0.01));
    CHECK(less.holds(0.005));
    CHECK_FALSE(less.holds(0.01));
    CHECK_FALSE(less.holds(std::numeric_limits<double>::quiet_NaN()));

    const Condition at_least = condition("  result>=0.99 ");
    CHECK(at_least.comparison == Comparison::GreaterOrEqual);
    CHECK(at_least.holds(0.99));
    CHECK_FALSE(at_least.holds(0.98));

    CHECK(condition("result <= 500").holds(500));
    CHECK(condition("result > 1e-3").holds(0.002));
    CHECK(condition("result == 1").holds(1));
    CHECK(condition("result != 0").holds(3));
    CHECK(condition("result < -1").holds(-2));
    CHECK(condition("result < 0.01").text() == "result < 0.01");

    for (const char* bad : {"", "result", "result 0.01", "value < 1", "result < ", "result < abc", "result <> 1",
                            "result < 1; rm -rf /", "result < 1 && true", "result < inf", "result < nan", "result =< 1"}) {
        CAPTURE(bad);
        const ParsedCondition parsed = parse_condition(bad);
        CHECK_FALSE(parsed.condition.has_value());
        CHECK(parsed.problem.starts_with(std::string("condition '") + bad + "': "));
    }
    CHECK(parse_condition("result < abc").problem.find("expected 'result <op> number'") != std::string::npos);
}

TEST_CASE("an unknown operator is named, with the operators accepted") {
    CHECK(parse_condition("result => 3").problem ==
          "condition 'result => 3': unknown operator '=>' after 'result': expected one of <, <=, >, >=, ==, != (e.g. 'result < 0.01')");
    CHECK(parse_condition("result ~ 3").problem ==
          "condition 'result ~ 3': unknown operator '~' after 'result': expected one of <, <=, >, >=, ==, != (e.g. 'result < 0.01')");
    CHECK(parse_condition("result is at least 0.99").problem ==
          "condition 'result is at least 0.99': expected an operator after 'result' (one of <, <=, >, >=, ==, !=), found 'is' "
          "(e.g. 'result < 0.01')");
}

TEST_CASE("an analysis file with both kinds of metric") {
    const AnalysisSpec spec = parse_analysis(R"(token-env: MY_TOKEN
metrics:
  - name: green-errors
    kind: prometheus
    query: sum(rate(x[30s]))
    condition: result < 0.01
    interval: 2s
    count: 3
    failure-limit: 1
    inconclusive: retry
  - name: latency
    kind: witness
    figure: p95-latency
    condition: result <= 500
)",
                                             "canary.yml");
    CHECK(spec.token_env == "MY_TOKEN");
    REQUIRE(spec.metrics.size() == 2);
    CHECK(spec.uses_prometheus());
    const MetricSpec& errors = spec.metrics[0];
    CHECK(errors.kind == MetricKind::Prometheus);
    CHECK(errors.query == "sum(rate(x[30s]))");
    CHECK(errors.interval == std::chrono::milliseconds(2000));
    CHECK(errors.count == 3);
    CHECK(errors.failure_limit == 1);
    CHECK(errors.inconclusive == InconclusivePolicy::Retry);
    const MetricSpec& latency = spec.metrics[1];
    CHECK(latency.kind == MetricKind::Witness);
    CHECK(latency.figure == WitnessFigure::P95Latency);
    CHECK(latency.interval == std::chrono::milliseconds(5000));  // the default
    CHECK_FALSE(latency.count.has_value());
    CHECK(latency.failure_limit == 0);
    CHECK(latency.inconclusive == InconclusivePolicy::Fail);
    CHECK(parse_analysis("metrics:\n  - {name: e, kind: witness, figure: error-rate, condition: result < 0.05}\n", "f.yml")
              .token_env == "PROMETHEUS_TOKEN");
}

namespace {

// The message of the InputError the text gives.
std::string error_of(const std::string& text) {
    try {
        parse_analysis(text, "canary.yml");
    } catch (const gantry::InputError& error) {
        CHECK(error.code() == gantry::ExitCode::BadInput);
        return error.what();
    }
    FAIL("no InputError for: " << text);
    return "";
}

void check_error(const std::string& text, const std::string& position, const std::string& expected) {
    const std::string message = error_of(text);
    CAPTURE(message);
    CHECK(message.rfind(position, 0) == 0);
    CHECK(message.find(expected) != std::string::npos);
}

}  // namespace

TEST_CASE("every mistake in an analysis file names the file, line:column and what was expected") {
    check_error("metrics: [\n", "canary.yml:2:1: ", "invalid YAML");
    check_error("", "canary.yml: ", "expected metrics");
    check_error("token-env: X\n", "canary.yml:1:1: ", "expected metrics");
    check_error("metrics: []\n", "canary.yml:1:10: ", "expected a list of at least one metric");
    check_error("metric:\n  - name: a\n", "canary.yml:1:1: ", "metric");
    check_error("metrics:\n  - name: a\n    kind: graphite\n    condition: result < 1\n", "canary.yml:3:11: ",
                "unknown metric kind 'graphite': expected prometheus, witness or checks");
    check_error("metrics:\n  - name: a\n    kind: prometheus\n    query: up\n    condition: result <> 1\n", "canary.yml:5:16: ",
                "unknown operator '<>' after 'result': expected one of <, <=, >, >=, ==, !=");
    check_error("metrics:\n  - name: a\n    kind: prometheus\n    condition: result < 1\n", "canary.yml:2:5: ",
                "a prometheus metric expects a query");
    check_error("metrics:\n  - name: a\n    kind: witness\n    condition: result < 1\n", "canary.yml:2:5: ",
                "expects figure: error-rate or p95-latency");
    check_error("metrics:\n  - name: a\n    kind: witness\n    figure: p99\n    condition: result < 1\n", "canary.yml:4:13: ",
                "expected error-rate or p95-latency");
    check_error("metrics:\n  - name: a\n    kind: prometheus\n    query: up\n", "canary.yml:2:5: ", "expected a condition");
    check_error("metrics:\n  - kind: prometheus\n    query: up\n    condition: result < 1\n", "canary.yml:2:5: ", "expected a name");
    check_error("metrics:\n  - name: a\n    kind: prometheus\n    query: up\n    condition: result < 1\n    interval: soon\n",
                "canary.yml:6:15: ", "expected a duration");
    check_error("metrics:\n  - name: a\n    kind: prometheus\n    query: up\n    condition: result < 1\n    inconclusive: maybe\n",
                "canary.yml:6:19: ", "expected fail, pass or retry");
    check_error("metrics:\n  - name: a\n    kind: prometheus\n    query: up\n    condition: result < 1\n    failure-limit: -1\n",
                "canary.yml:6:20: ", "failure-limit");
    check_error("metrics:\n  - name: a\n    kind: prometheus\n    query: up\n    condition: result < 1\n    threshold: 3\n",
                "canary.yml:", "threshold");
    check_error("metrics:\n  - {name: a, kind: witness, figure: error-rate, condition: result < 1}\n"
                "  - {name: a, kind: witness, figure: p95-latency, condition: result < 1}\n",
                "canary.yml:3:5: ", "expected unique names");
}
