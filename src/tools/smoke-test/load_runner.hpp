// Sending a load test's requests on schedule, and measuring them.
//
// Transport: when every check is plain HTTP/1.1 (choose_transport: http:// URLs, no proxy from the
// environment, no redirects to follow, nothing libcurl alone does), over gantry's own HTTP/1.1
// client (gantry/http/http1_client.hpp), which costs a few hundred bytes and no libcurl handle per
// request in flight; otherwise over libcurl's multi interface (gantry/http/http_client.hpp). Both
// give the same HttpResponse, judged by the same evaluate_attempt.
//
// Open model: request k is due at schedule.due(k) (only this shard's k); it is started then, or as
// soon as fewer than `max_in_flight` requests are in flight, and its latency counts from the due
// time (coordinated omission corrected) while its service time counts from the actual start.
// Closed model: `users` virtual users each start the next request when the previous one is
// answered, for `duration`. Every response is judged by its check's assertions. The run ends when the
// schedule (or duration) is done and the requests in flight are answered, or early when `stop()`
// says so (Ctrl-C, --abort-on-fail): requests in flight are then abandoned and the result is partial.
// Single-threaded; `on_second` is called about once a second with the result so far (live line).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gantry/checks/check.hpp"
#include "gantry/platform/environment.hpp"
#include "smoke-test/load_plan.hpp"
#include "smoke-test/load_result.hpp"

namespace smoke_test::load {

enum class Transport { Http1, Libcurl };
const char* to_string(Transport transport);  // "http1", "libcurl"
struct TransportChoice {
    Transport transport = Transport::Libcurl;
    std::string reason;  // "every check is plain HTTP/1.1", "check 'api': an https:// URL (TLS)"
};
// Http1 when every check can go over the HTTP/1.1 client, else Libcurl with the first check that
// cannot and why. A check asserting Content-Encoding stays on libcurl, which asks for compressed
// answers; proxy variables are read from `environment`.
TransportChoice choose_transport(const std::vector<gantry::checks::Check>& checks, const gantry::Environment& environment);

struct RunPlan {
    Transport transport = Transport::Libcurl;
    Model model = Model::Open;
    std::optional<ArrivalSchedule> schedule;  // open model
    int users = 0;                            // closed model, this shard's
    Milliseconds duration{0};                 // closed model
    std::size_t max_in_flight = 1000;
    int connections_per_host = 0;             // 0: as many as requests in flight
    Shard shard;
};

struct RunHooks {
    // Asked between events: a reason to stop now ("interrupted", "threshold p95<5ms can no longer pass").
    std::function<std::optional<std::string>(const LoadResult& so_far)> stop;
    std::function<void(const LoadResult& so_far, double elapsed_seconds)> on_second;
};

// libcurl's receive buffer per request in flight: 16 KB (its default) while few are in flight, less
// as more are, so that all of them together stay within 8 MB, and never under libcurl's 1 KB minimum.
// A smaller buffer only means more reads of a large answer.
long receive_buffer_bytes(std::size_t max_in_flight);
// libcurl's upload buffer (used once a handle has sent over TLS) at its 16 KB minimum, not 64 KB.
inline constexpr long kUploadBufferBytes = 16 * 1024;

// `result` arrives with its plan and checks named; run_load fills the measurements.
void run_load(const std::vector<gantry::checks::Check>& checks, const RunPlan& plan, const RunHooks& hooks, LoadResult& result);

}  // namespace smoke_test::load
