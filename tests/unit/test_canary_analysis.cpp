// CanaryAnalysis's bookkeeping without a load balancer: what no data means under each inconclusive
// policy, failure-limit counted over the whole switch, and a Prometheus nobody listens on (tried
// kPrometheusAttempts times, then an exit-3 error with the analysis inconclusive on that metric).
// The metrics read no witness here (nullptr), which is "no data"; real measurements are in
// tests/bluegreen/canary.sh against HAProxy and Prometheus.
#include <doctest/doctest.h>

#include <chrono>

#include "bluegreen-switch/canary_analysis.hpp"
#include "gantry/base/error.hpp"
#include "loopback_servers.hpp"

using namespace bluegreen_switch;
using namespace std::chrono_literals;

namespace {

AnalysisSpec one_metric(const std::string& yaml) { return parse_analysis("metrics:\n  - " + yaml + "\n", "canary.yml"); }

CanaryAnalysis analysis_of(const AnalysisSpec& spec, std::optional<PrometheusQuery> prometheus = std::nullopt) {
    return CanaryAnalysis(spec, std::move(prometheus), CanaryAnalysis::Clock::now(), {});
}

}  // namespace

TEST_CASE("no data is a failure, a pass or a retry as the metric says") {
    const std::string metric = "{name: m, kind: witness, figure: error-rate, condition: result < 0.01, inconclusive: ";
    {
        CanaryAnalysis analysis = analysis_of(one_metric(metric + "fail}"));
        analysis.begin_step(25, 0ms, nullptr);
        const std::string reason = analysis.end_step(nullptr).value();  // throws when it passed
        CHECK(reason.find("metric 'm' at step 25%: no data") != std::string::npos);
        REQUIRE(analysis.record().verdict == AnalysisVerdict::Failed);
        CHECK(analysis.record().failed_metric == "m");
        REQUIRE(analysis.record().measurements.size() == 1);
        CHECK(analysis.record().measurements[0].outcome == MeasureOutcome::Inconclusive);
        CHECK(analysis.record().measurements[0].counted_as_failure);
    }
    {
        CanaryAnalysis analysis = analysis_of(one_metric(metric + "pass}"));
        for (int percent : {25, 50}) {
            analysis.begin_step(percent, 0ms, nullptr);
            CHECK_FALSE(analysis.end_step(nullptr).has_value());
        }
        analysis.finish();
        CHECK(analysis.record().verdict == AnalysisVerdict::Passed);
        CHECK(analysis.record().measurements.size() == 2);
        CHECK(analysis.record().steps == std::vector<int>{25, 50});
    }
    {
        CanaryAnalysis analysis = analysis_of(one_metric(metric + "retry}"));
        analysis.begin_step(10, 0ms, nullptr);
        const std::string reason = analysis.end_step(nullptr).value();  // throws when it passed
        CHECK(reason.find("inconclusive") != std::string::npos);
        CHECK(analysis.record().verdict == AnalysisVerdict::Inconclusive);
        CHECK_FALSE(analysis.record().measurements.at(0).counted_as_failure);
    }
}

TEST_CASE("failure-limit counts failed measurements over the whole switch") {
    CanaryAnalysis analysis =
        analysis_of(one_metric("{name: m, kind: witness, figure: p95-latency, condition: result < 1, failure-limit: 2}"));
    for (int percent : {5, 25}) {
        analysis.begin_step(percent, 0ms, nullptr);
        CHECK_FALSE(analysis.end_step(nullptr).has_value());  // 1, then 2 failures: within the limit
    }
    analysis.begin_step(50, 0ms, nullptr);
    const std::string reason = analysis.end_step(nullptr).value();  // throws when it passed
    CHECK(reason.find("metric 'm' at step 50%") != std::string::npos);
    CHECK(reason.find("3 failed measurements, failure-limit 2") != std::string::npos);
    CHECK(analysis.record().verdict == AnalysisVerdict::Failed);
}

TEST_CASE("a Prometheus nobody listens on: tried, then an environment error, the analysis inconclusive") {
    const AnalysisSpec spec = one_metric("{name: errors, kind: prometheus, query: up, condition: result == 1}");
    const PrometheusQuery nobody{.base_url = "http://127.0.0.1:" + std::to_string(gantry::testing::free_port()),
                                 .timeout = 2000ms};
    CanaryAnalysis analysis = analysis_of(spec, nobody);
    analysis.begin_step(50, 0ms, nullptr);
    try {
        analysis.end_step(nullptr);
        FAIL("no error");
    } catch (const gantry::Error& error) {
        CHECK(error.code() == gantry::ExitCode::Environment);
        const std::string message = error.what();
        CHECK(message.find("metric 'errors' at step 50%") != std::string::npos);
        CHECK(message.find("cannot be reached") != std::string::npos);
        CHECK(message.find(std::to_string(CanaryAnalysis::kPrometheusAttempts) + " attempts") != std::string::npos);
    }
    CHECK(analysis.record().verdict == AnalysisVerdict::Inconclusive);
    CHECK(analysis.record().failed_metric == "errors");
    CHECK(analysis.record().measurements.empty());
}
