#include "gantry/checks/check_runner.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <set>

#include <curl/curl.h>

#include "gantry/http/http_client.hpp"

namespace gantry::checks {

namespace {

using Clock = std::chrono::steady_clock;

struct CheckState {
    Clock::time_point due;
    bool in_flight = false;
    bool done = false;
    int successes_in_a_row = 0;
    bool failed_once = false;
};

}  // namespace

Milliseconds backoff_delay(const RetryPolicy& policy, int failed_attempts, std::mt19937_64& random) {
    const long long base = std::max<long long>(policy.base_delay.count(), 0);
    const long long cap = std::max<long long>(policy.max_delay.count(), 0);
    long long bound = base;
    for (int i = 1; i < failed_attempts && bound < cap; ++i) bound *= 2;
    bound = std::min(bound, cap);
    if (bound <= 0) return Milliseconds(0);
    std::uniform_int_distribution<long long> pick(0, bound);
    return Milliseconds(pick(random));
}

std::optional<Milliseconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    long long seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && end == value.data() + value.size()) {
        if (seconds < 0) return std::nullopt;
        return Milliseconds(std::min(seconds, 86400LL) * 1000);
    }
    const std::string text(value);
    const time_t when = curl_getdate(text.c_str(), nullptr);
    if (when == -1) return std::nullopt;
    const auto delta = std::chrono::system_clock::from_time_t(when) - now;
    return Milliseconds(std::clamp<long long>(std::chrono::duration_cast<Milliseconds>(delta).count(), 0, 86400000LL));
}

std::vector<CheckResult> run_checks(const std::vector<Check>& checks, const RunOptions& options) {
    std::vector<CheckResult> results(checks.size());
    std::vector<CheckState> states(checks.size());
    const Clock::time_point start = Clock::now();
    for (auto& state : states) state.due = start;
    const std::optional<Clock::time_point> deadline =
        options.deadline ? std::optional(start + *options.deadline) : std::nullopt;
    std::mt19937_64 random(options.seed);
    const int concurrency = std::max(1, options.concurrency);
    http::HttpClient client({.max_host_connections = std::max(1L, options.max_host_connections),
                             .max_total_connections = static_cast<long>(concurrency)});
    std::map<http::HttpClient::Id, std::size_t> running;
    // Attempts whose timeout was shortened to end at the deadline. When one of them times out, the
    // deadline has come, whatever the clocks' rounding says.
    std::set<http::HttpClient::Id> cut_by_deadline;
    bool deadline_reached = false;
    std::size_t remaining = checks.size();

    const auto finish = [&](std::size_t index) {
        states[index].done = true;
        --remaining;
        if (options.on_check_done) options.on_check_done(index, results[index]);
    };

    while (remaining > 0) {
        const Clock::time_point now = Clock::now();
        if (deadline && now >= *deadline) deadline_reached = true;
        if (deadline_reached) {
            for (std::size_t i = 0; i < checks.size(); ++i) {
                if (states[i].done || states[i].in_flight) continue;
                CheckResult& result = results[i];
                result.passed = false;
                result.failures.insert(result.failures.begin(),
                                       result.started ? "deadline reached after " + std::to_string(result.attempts) + " attempt" +
                                                            (result.attempts == 1 ? "" : "s")
                                                      : std::string("not run: the deadline was reached first"));
                if (!result.failure) result.failure = FailureKind::Timeout;
                finish(i);
            }
            if (remaining == 0) break;
        }
        // Start due checks in file order while there is room.
        for (std::size_t i = 0; i < checks.size() && running.size() < static_cast<std::size_t>(concurrency); ++i) {
            CheckState& state = states[i];
            if (state.done || state.in_flight || state.due > now || deadline_reached) continue;
            http::HttpRequest request = checks[i].request;
            bool cut = false;
            if (deadline) {
                // Rounded up, so that an attempt cut by the deadline ends at or after it and nothing
                // else starts in the sliver before.
                const auto left = std::chrono::ceil<Milliseconds>(*deadline - now);
                cut = left <= request.timeout;
                request.timeout = std::max(Milliseconds(1), std::min(request.timeout, left));
            }
            const auto id = client.start(request);
            running.emplace(id, i);
            if (cut) cut_by_deadline.insert(id);
            state.in_flight = true;
            results[i].started = true;
        }
        // Sleep until the next due retry when nothing is running; otherwise wake on activity.
        Milliseconds wait(1000);
        for (std::size_t i = 0; i < checks.size(); ++i) {
            if (states[i].done || states[i].in_flight) continue;
            wait = std::min(wait, std::chrono::duration_cast<Milliseconds>(states[i].due - now) + Milliseconds(1));
        }
        if (deadline) wait = std::min(wait, std::chrono::duration_cast<Milliseconds>(*deadline - now) + Milliseconds(1));
        wait = std::max(wait, Milliseconds(0));
        for (auto& [id, response] : client.poll(wait)) {
            const std::size_t index = running.at(id);
            running.erase(id);
            if (cut_by_deadline.erase(id) && response.failure == http::TransportFailure::Timeout) deadline_reached = true;
            CheckState& state = states[index];
            state.in_flight = false;
            const Check& check = checks[index];
            CheckResult& result = results[index];
            ++result.attempts;
            result.attempt_times_us.push_back(response.timings.total_us);
            result.status = response.status;
            result.http_version = response.http_version;
            result.timings = response.timings;
            if (response.tls.present) result.tls = response.tls;
            for (const auto& [name, value] : response.headers) {
                if (name != "set-cookie") continue;
                const auto end = value.find(';');
                const auto equals = value.find('=');
                result.cookies_seen.push_back(value.substr(0, end));
                if (equals != std::string::npos && equals < end) {
                    const std::string cookie = value.substr(equals + 1, end == std::string::npos ? end : end - equals - 1);
                    if (!cookie.empty()) result.cookies_seen.push_back(cookie);
                }
            }
            const AttemptVerdict verdict = evaluate_attempt(check, response);
            const Clock::time_point done_at = Clock::now();
            const int max_attempts = std::max(check.retry.attempts, check.retry.consecutive);
            if (verdict.passed) {
                ++state.successes_in_a_row;
                if (state.successes_in_a_row >= check.retry.consecutive) {
                    result.passed = true;
                    result.flaky = state.failed_once;
                    result.failures.clear();
                    result.failure.reset();
                    finish(index);
                } else if (result.attempts >= max_attempts) {
                    result.passed = false;
                    result.failures = {std::to_string(state.successes_in_a_row) + " successes in a row, " +
                                       std::to_string(check.retry.consecutive) + " needed, after " +
                                       std::to_string(result.attempts) + " attempts"};
                    result.failure = FailureKind::Assertion;
                    finish(index);
                } else {
                    state.due = done_at + check.retry.base_delay;
                }
                continue;
            }
            state.successes_in_a_row = 0;
            state.failed_once = true;
            result.failures = verdict.failures;
            result.failure = verdict.failure;
            const bool retryable = verdict.failure && check.retry.retry_on.count(*verdict.failure) > 0;
            if (!retryable || result.attempts >= max_attempts) {
                finish(index);
                continue;
            }
            Milliseconds delay = backoff_delay(check.retry, result.attempts, random);
            if (response.status == 429 || response.status == 503) {
                if (const auto header = response.header("retry-after")) {
                    if (const auto asked = parse_retry_after(*header, std::chrono::system_clock::now())) delay = std::max(delay, *asked);
                }
            }
            if (deadline_reached || (deadline && done_at + delay >= *deadline)) {
                result.failures.insert(result.failures.begin(), "deadline reached after " + std::to_string(result.attempts) +
                                                                    " attempt" + (result.attempts == 1 ? "" : "s"));
                finish(index);
                continue;
            }
            if (options.on_retry) options.on_retry(index, verdict, delay);
            state.due = done_at + delay;
        }
    }
    return results;
}

}  // namespace gantry::checks
