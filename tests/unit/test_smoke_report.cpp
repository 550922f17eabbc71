#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "gantry/checks/check_file.hpp"
#include "gantry/cli/inputs.hpp"
#include "smoke-test/smoke_test.hpp"
#include "smoke-test/smoke_test_report.hpp"
#include "smoke-test/smoke_test_spec.hpp"

using namespace gantry::checks;

namespace {

Check check_named(const std::string& text, int index) {
    return parse_inline_check(text, index, Variables(), CheckDefaults{});
}

CheckResult answered(long status, std::int64_t total_us, int attempts = 1) {
    CheckResult result;
    result.passed = true;
    result.started = true;
    result.status = status;
    result.attempts = attempts;
    result.timings.total_us = total_us;
    for (int i = 0; i < attempts; ++i) result.attempt_times_us.push_back(total_us);
    return result;
}

gantry::CommandLine parse(std::vector<const char*> args) {
    args.insert(args.begin(), "smoke-test");
    return gantry::parse_command_line(smoke_test::spec(), static_cast<int>(args.size()), args.data(), gantry::Environment());
}

}  // namespace

TEST_CASE("smoke-test options: defaults, overrides and bad values") {
    const auto options = smoke_test::options_from_inputs(parse({"-f", "c.yml", "--check", "GET http://x/", "--attempts", "4",
                                                                "--retry-on", "refused,5xx", "--deadline", "2m",
                                                                "--shard", "2/3", "--fail-on-flaky"}));
    CHECK(options.check_file == "c.yml");
    CHECK(options.inline_checks.size() == 1);
    CHECK(options.attempts == 4);
    CHECK(options.retry_on == std::vector<std::string>{"refused", "5xx"});
    CHECK(options.deadline == Milliseconds(120000));
    CHECK(options.shard.index == 2);
    CHECK(options.shard.count == 3);
    CHECK(options.flaky == smoke_test::FlakyPolicy::Fail);
    CHECK(options.concurrency == 10);
    CHECK(options.timeout == Milliseconds(10000));

    const auto defaults = smoke_test::options_from_inputs(parse({"--check", "GET http://x/"}));
    CHECK_FALSE(defaults.attempts);
    CHECK_FALSE(defaults.retry_on);
    CHECK_FALSE(defaults.deadline);

    CHECK_THROWS_WITH_AS(smoke_test::options_from_inputs(parse({})),
                         "no checks given: pass -f checks.yml and/or --check 'GET https://host/healthz 200' (or the "
                         "`file` / `check` inputs)",
                         gantry::UsageError);
    CHECK_THROWS_AS(smoke_test::options_from_inputs(parse({"--check", "x", "--attempts", "0"})), gantry::UsageError);
    CHECK_THROWS_AS(smoke_test::options_from_inputs(parse({"--check", "x", "--retry-on", "sometimes"})), gantry::UsageError);
    CHECK_THROWS_AS(smoke_test::options_from_inputs(parse({"--check", "x", "--deadline", "soon"})), gantry::UsageError);
    CHECK_THROWS_AS(smoke_test::parse_shard("3/2"), gantry::UsageError);
    CHECK_THROWS_AS(smoke_test::parse_shard("0/2"), gantry::UsageError);
    CHECK_THROWS_AS(smoke_test::parse_shard("1"), gantry::UsageError);
}

TEST_CASE("percentiles are nearest-rank") {
    CHECK(smoke_test::percentile({}, 95) == 0);
    CHECK(smoke_test::percentile({7}, 50) == 7);
    CHECK(smoke_test::percentile({5, 1, 4, 2, 3}, 50) == 3);
    std::vector<long long> hundred;
    for (int i = 1; i <= 100; ++i) hundred.push_back(i);
    CHECK(smoke_test::percentile(hundred, 95) == 95);
    CHECK(smoke_test::percentile(hundred, 100) == 100);
}

TEST_CASE("smoke-test report: verdict, outputs, JSON, summary, annotations and JUnit in input order") {
    std::vector<Check> checks = {check_named("GET http://a/ 200", 1), check_named("GET http://a/ 200", 2),
                                 check_named("GET https://b/x 200 json:/ok==true", 3)};
    make_names_unique(checks);
    checks[2].declared_at = gantry::SourcePosition{.file = "checks.yml", .line = 7, .column = 5};
    std::vector<CheckResult> results = {answered(200, 10000), answered(200, 30000, 3), answered(500, 20000)};
    results[1].flaky = true;
    results[2].passed = false;
    results[2].failures = {"status 500, expected 200", "json /ok: no such value"};
    results[2].failure = FailureKind::ServerError;
    results[2].tls = {.present = true, .version = "TLSv1.3", .days_left = 12, .hostname_matches = true};
    smoke_test::Options options;
    options.junit_file = "out/junit.xml";

    const gantry::Outcome outcome = smoke_test::render_outcome({checks, results, {"a warning"}}, options);
    CHECK(outcome.exit_code == gantry::ExitCode::Failed);
    CHECK(outcome.headline == "smoke-test: FAILED - 1 of 3 checks failed (1 flaky), p50 20 ms, p95 30 ms, certificates valid 12+ days");
    CHECK(outcome.outputs.values() == std::vector<std::pair<std::string, std::string>>{
                                          {"passed", "2"}, {"failed", "1"}, {"flaky", "1"}, {"p95-ms", "30"}, {"min-cert-days", "12"}});
    CHECK(outcome.json.at("passed") == false);
    CHECK(outcome.json.at("totals").at("retries") == 2);
    CHECK(outcome.json.at("checks").size() == 3);
    CHECK(outcome.json.at("checks")[1].at("name") == "GET http://a/ (2)");
    CHECK(outcome.json.at("checks")[1].at("attempt-times-ms") == nlohmann::json{30, 30, 30});
    CHECK(outcome.json.at("checks")[2].at("failure-kind") == "5xx");
    CHECK(outcome.json.at("checks")[2].at("tls").at("days-left") == 12);
    // A failing row also shows what was requested and where the check is declared.
    CHECK(outcome.summary_markdown.find("| ❌ | GET https://b/x<br>`checks.yml:7:5` | 500 | 20 ms | 1 | 12 | "
                                        "status 500, expected 200 |") != std::string::npos);
    CHECK(outcome.summary_markdown.rfind("## ❌ smoke-test: failed\n\n**1** of 3 checks failed", 0) == 0);
    CHECK(outcome.summary_markdown.find("Warnings (1)") != std::string::npos);
    REQUIRE(outcome.annotations.size() == 2);
    CHECK(outcome.annotations[0].level == gantry::AnnotationLevel::Warning);
    CHECK(outcome.annotations[0].file.empty());
    CHECK(outcome.annotations[1].file == "checks.yml");
    CHECK(outcome.annotations[1].line == 7);
    CHECK(outcome.annotations[1].message == "GET https://b/x\n- status 500, expected 200\n- json /ok: no such value");
    REQUIRE(outcome.files.size() == 1);
    const std::string& junit = outcome.files[0].content;
    CHECK(junit.find(R"x(<testcase classname="smoke-test" name="GET http://a/ (2)")x") != std::string::npos);
    CHECK(junit.find(R"(<testcase classname="smoke-test.checks.yml" name="GET https://b/x")") != std::string::npos);
    CHECK(junit.find(R"(<failure message="status 500, expected 200")") != std::string::npos);
    // The text lists what needs attention; passing checks only with --verbose.
    CHECK(outcome.text.find("FAIL  GET https://b/x  500  20 ms  - status 500, expected 200") != std::string::npos);
    CHECK(outcome.text.find("PASS ") == std::string::npos);

    options.flaky = smoke_test::FlakyPolicy::Fail;
    results[2] = answered(200, 20000);
    CHECK(smoke_test::render_outcome({checks, results, {}}, options).exit_code == gantry::ExitCode::Failed);
    options.flaky = smoke_test::FlakyPolicy::Pass;
    const auto passed = smoke_test::render_outcome({checks, results, {}}, options);
    CHECK(passed.exit_code == gantry::ExitCode::Success);
    CHECK(passed.headline == "smoke-test: PASSED - 3 of 3 checks passed (1 flaky), p50 20 ms, p95 30 ms");
    CHECK(passed.outputs.values().back().second.empty());  // min-cert-days without TLS
}
