// Running a list of checks concurrently, with retries, and collecting one result per check.
//
// run_checks() drives every check through one http::HttpClient (libcurl multi): at most
// `concurrency` attempts are in flight, connections per host are bounded, HTTP/2 is used where the
// server offers it. Attempts start in file order; results come back in file order whatever finishes
// first. A failed attempt is repeated when its FailureKind is in the check's retry policy and
// attempts remain, after an exponential backoff with full jitter (uniform in [0, min(max-delay,
// delay * 2^(n-1))]) or, when the server sent Retry-After with a 429 or 503, at least that long.
// Nothing starts after the deadline, and attempts in flight are cut at it (their timeout is capped),
// so a run never outlives it by more than a moment. A check that passed after a failed attempt is
// flaky. In wait mode (consecutive > 1) a check passes after that many successes in a row, spaced
// by the base delay. The engine prints nothing: progress goes to the callback.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/checks/check.hpp"
#include "gantry/checks/check_assertions.hpp"
#include "gantry/http/http_exchange.hpp"

namespace gantry::checks {

struct CheckResult {
    bool passed = false;
    bool flaky = false;           // passed, but an earlier attempt failed
    bool started = false;         // false: the deadline came before the first attempt
    int attempts = 0;
    std::vector<std::string> failures;  // of the last failing attempt (empty when passed)
    std::optional<FailureKind> failure;
    std::vector<std::int64_t> attempt_times_us;  // total time of every attempt, in order
    // The last attempt's answer, without its body.
    long status = 0;
    std::string http_version;
    http::Timings timings;
    http::TlsInfo tls;
    // Cookie values the server set (Set-Cookie), so that reports can mask them.
    std::vector<std::string> cookies_seen;
};

struct RunOptions {
    int concurrency = 10;
    long max_host_connections = 6;
    std::optional<Milliseconds> deadline;  // from the start of the run
    std::uint64_t seed = std::random_device{}();  // jitter; fixed in tests
    // Called as each check finishes (completion order), with its index in the input.
    std::function<void(std::size_t index, const CheckResult& result)> on_check_done;
    // Called before an attempt is retried, with the delay chosen.
    std::function<void(std::size_t index, const AttemptVerdict& verdict, Milliseconds delay)> on_retry;
};

std::vector<CheckResult> run_checks(const std::vector<Check>& checks, const RunOptions& options);

// The backoff before attempt `failed_attempts + 1`: full jitter over the exponential bound.
Milliseconds backoff_delay(const RetryPolicy& policy, int failed_attempts, std::mt19937_64& random);
// Retry-After as seconds or an HTTP date, relative to `now`; nullopt when unreadable.
std::optional<Milliseconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace gantry::checks
