// The check engine: backoff and Retry-After arithmetic (offline), then retries, deadlines, wait
// mode and ordering against the loopback servers of tests/smoke/run.sh (suite "loopback").
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <string>

#include "gantry/checks/check_file.hpp"
#include "gantry/checks/check_runner.hpp"

using namespace gantry::checks;

namespace {

std::string loopback(const char* name) {
    const char* value = std::getenv(name);
    REQUIRE_MESSAGE(value != nullptr, name << " is not set: run tests/smoke/run.sh BUILD_DIR");
    return value;
}

Check check_of(const std::string& text) {
    CheckDefaults defaults;
    defaults.base_url = loopback("GANTRY_LOOPBACK_HTTP");
    defaults.ca_file = loopback("GANTRY_LOOPBACK_CA");
    defaults.retry.base_delay = Milliseconds(10);
    defaults.retry.max_delay = Milliseconds(50);
    return parse_inline_check(text, 1, Variables(), defaults);
}

// A key no other test (or earlier run against the same server) uses.
std::string fresh_key(const char* what) {
    return std::string(what) + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

TEST_CASE("backoff: full jitter under an exponential bound, capped") {
    RetryPolicy policy;
    policy.base_delay = Milliseconds(100);
    policy.max_delay = Milliseconds(1000);
    std::mt19937_64 random(42);
    for (int failed = 1; failed <= 8; ++failed) {
        const long long bound = std::min(1000LL, 100LL << (failed - 1));
        for (int i = 0; i < 200; ++i) {
            const auto delay = backoff_delay(policy, failed, random).count();
            CHECK(delay >= 0);
            CHECK(delay <= bound);
        }
    }
    // Jitter actually varies (two equal draws in a row 50 times would mean a constant).
    std::set<long long> seen;
    for (int i = 0; i < 50; ++i) seen.insert(backoff_delay(policy, 5, random).count());
    CHECK(seen.size() > 10);
    policy.base_delay = Milliseconds(0);
    CHECK(backoff_delay(policy, 3, random) == Milliseconds(0));
    policy.base_delay = Milliseconds(100);
    CHECK(backoff_delay(policy, 1000, random) <= Milliseconds(1000));  // no overflow on many attempts
}

TEST_CASE("Retry-After: seconds or an HTTP date") {
    const auto now = std::chrono::system_clock::from_time_t(1700000000);  // Tue, 14 Nov 2023 22:13:20 GMT
    CHECK(parse_retry_after("5", now) == Milliseconds(5000));
    CHECK(parse_retry_after(" 0 ", now) == Milliseconds(0));
    CHECK(parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now) == Milliseconds(30000));
    CHECK(parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now) == Milliseconds(0));  // in the past
    CHECK(parse_retry_after("soon", now) == std::nullopt);
    CHECK(parse_retry_after("-3", now) == std::nullopt);
    CHECK(parse_retry_after("", now) == std::nullopt);
}

TEST_SUITE("loopback" * doctest::skip(std::getenv("GANTRY_LOOPBACK_HTTP") == nullptr)) {

TEST_CASE("runner: results come back in input order with the last answer's status") {
    const std::vector<Check> checks = {check_of("GET /slow/200 200"), check_of("GET /status/404 404"),
                                       check_of("GET /json 200 json:/status==ok")};
    std::vector<std::size_t> completed;
    RunOptions options;
    options.on_check_done = [&](std::size_t index, const CheckResult&) { completed.push_back(index); };
    const auto results = run_checks(checks, options);
    REQUIRE(results.size() == 3);
    CHECK(results[0].status == 200);
    CHECK(results[1].status == 404);
    CHECK(results[2].status == 200);
    for (const auto& result : results) {
        CHECK(result.passed);
        CHECK(result.attempts == 1);
        CHECK_FALSE(result.flaky);
    }
    CHECK(completed.size() == 3);
}

TEST_CASE("runner: a service that fails twice passes on the third attempt and is flaky") {
    const auto results = run_checks({check_of("GET /flaky/" + fresh_key("a") + "/2 200 attempts=5")}, RunOptions{.seed = 1});
    CHECK(results[0].passed);
    CHECK(results[0].flaky);
    CHECK(results[0].attempts == 3);
    CHECK(results[0].attempt_times_us.size() == 3);
}

TEST_CASE("runner: attempts run out; assertions are not retried unless asked") {
    const auto out_of_attempts = run_checks({check_of("GET /flaky/" + fresh_key("b") + "/5 200 attempts=2")}, RunOptions{});
    CHECK_FALSE(out_of_attempts[0].passed);
    CHECK(out_of_attempts[0].attempts == 2);
    CHECK(out_of_attempts[0].failure == FailureKind::ServerError);
    CHECK(out_of_attempts[0].failures == std::vector<std::string>{"status 503, expected 200"});

    const auto assertion = run_checks({check_of("GET /json/degraded json:/status==ok attempts=4")}, RunOptions{});
    CHECK(assertion[0].attempts == 1);
    CHECK(assertion[0].failure == FailureKind::Assertion);

    Check retried = check_of("GET /json/degraded json:/status==ok attempts=3");
    retried.retry.retry_on.insert(FailureKind::Assertion);
    CHECK(run_checks({retried}, RunOptions{})[0].attempts == 3);
}

TEST_CASE("runner: refused connections are retried; a slow answer fails a 100 ms limit") {
    Check refused = check_of("GET http://" + loopback("GANTRY_LOOPBACK_CLOSED") + "/ attempts=3");
    const auto results = run_checks({refused, check_of("GET /slow/400 200 <100ms")}, RunOptions{});
    CHECK(results[0].attempts == 3);
    CHECK(results[0].failure == FailureKind::Refused);
    CHECK_FALSE(results[1].passed);
    REQUIRE(results[1].failures.size() == 1);
    CHECK(results[1].failures[0].starts_with("time "));
    CHECK(results[1].failures[0].ends_with(" > limit 100 ms"));
}

TEST_CASE("runner: Retry-After is honoured before the next attempt") {
    const std::string key = fresh_key("c");
    const auto start = std::chrono::steady_clock::now();
    const auto results = run_checks({check_of("GET /retry-after/" + key + "/1 200 attempts=3")}, RunOptions{});
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(results[0].passed);
    CHECK(results[0].attempts == 2);
    // The backoff alone is at most 50 ms here: only Retry-After explains a wait of a second.
    CHECK(waited >= std::chrono::milliseconds(1000));
}

TEST_CASE("runner: the deadline stops retries and checks that have not started") {
    RunOptions options;
    options.deadline = Milliseconds(300);
    const auto retried = run_checks({check_of("GET /flaky/" + fresh_key("d") + "/100000 200 attempts=100000")}, options);
    CHECK_FALSE(retried[0].passed);
    CHECK(retried[0].attempts > 1);
    CHECK(retried[0].failures.at(0).starts_with("deadline reached after "));

    // One slot, taken by an answer slower than the deadline: the second check never starts.
    options.concurrency = 1;
    const auto results = run_checks({check_of("GET /slow/3000"), check_of("GET /json")}, options);
    CHECK_FALSE(results[0].passed);
    CHECK(results[0].failure == FailureKind::Timeout);
    CHECK_FALSE(results[1].passed);
    CHECK_FALSE(results[1].started);
    CHECK(results[1].failures.at(0) == "not run: the deadline was reached first");
}

TEST_CASE("runner: wait mode passes after N successes in a row") {
    Check check = check_of("GET /json 200");
    check.retry.consecutive = 3;
    check.retry.attempts = 3;
    const auto results = run_checks({check}, RunOptions{});
    CHECK(results[0].passed);
    CHECK(results[0].attempts == 3);
    CHECK_FALSE(results[0].flaky);

    Check flaky = check_of("GET /flaky/" + fresh_key("e") + "/1 200");
    flaky.retry.consecutive = 2;
    flaky.retry.attempts = 4;
    const auto flaky_results = run_checks({flaky}, RunOptions{});
    CHECK(flaky_results[0].passed);
    CHECK(flaky_results[0].attempts == 3);
    CHECK(flaky_results[0].flaky);
}

TEST_CASE("runner: TLS certificate checks against the test CA") {
    const auto results = run_checks({check_of("GET " + loopback("GANTRY_LOOPBACK_TLS_GOOD") + "/json tls-days>=30 tls-hostname"),
                                     check_of("GET " + loopback("GANTRY_LOOPBACK_TLS_EXPIRING") + "/json tls-days>=30"),
                                     check_of("GET " + loopback("GANTRY_LOOPBACK_TLS_WRONGHOST") + "/json"),
                                     check_of("GET " + loopback("GANTRY_LOOPBACK_TLS_WRONGHOST") + "/json insecure tls-hostname")},
                                    RunOptions{});
    CHECK(results[0].passed);
    CHECK(results[0].tls.days_left >= 398);
    CHECK_FALSE(results[1].passed);
    REQUIRE(results[1].failures.size() == 1);
    CHECK(results[1].failures[0].starts_with("certificate expires in "));
    CHECK(results[1].failure == FailureKind::Tls);
    CHECK_FALSE(results[2].passed);
    CHECK(results[2].failure == FailureKind::Tls);
    CHECK(results[2].attempts == 1);  // TLS failures are not retried by default
    CHECK_FALSE(results[3].passed);
    CHECK(results[3].failures == std::vector<std::string>{"certificate /CN=wronghost does not match the host name"});
}

TEST_CASE("runner: many checks at bounded concurrency all finish") {
    std::vector<Check> checks;
    for (int i = 0; i < 60; ++i) checks.push_back(check_of("GET /status/" + std::to_string(200 + i % 3) + " 2xx"));
    RunOptions options;
    options.concurrency = 7;
    options.max_host_connections = 3;
    const auto results = run_checks(checks, options);
    for (std::size_t i = 0; i < results.size(); ++i) {
        CHECK(results[i].passed);
        CHECK(results[i].status == static_cast<long>(200 + i % 3));
    }
}

}  // TEST_SUITE
