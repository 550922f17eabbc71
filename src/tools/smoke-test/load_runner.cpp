#include "smoke-test/load_runner.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include <sys/prctl.h>

#include "gantry/checks/check_assertions.hpp"
#include "gantry/http/http1_client.hpp"
#include "gantry/http/http1_request.hpp"
#include "gantry/http/http_client.hpp"

namespace smoke_test::load {

namespace {

using Clock = std::chrono::steady_clock;
using gantry::checks::Check;
using gantry::checks::FailureKind;

std::optional<ErrorClass> classify(const Check& check, const gantry::http::HttpResponse& response) {
    const gantry::checks::AttemptVerdict verdict = gantry::checks::evaluate_attempt(check, response);
    if (verdict.passed) return std::nullopt;
    switch (verdict.failure.value_or(FailureKind::Other)) {
    case FailureKind::Refused:
    case FailureKind::Dns: return ErrorClass::Connect;
    case FailureKind::Timeout: return ErrorClass::Timeout;
    case FailureKind::Tls: return ErrorClass::Tls;
    case FailureKind::ServerError: return ErrorClass::Status;
    case FailureKind::Assertion: {
        const bool status_expected = check.statuses.empty() ||
            std::any_of(check.statuses.begin(), check.statuses.end(), [&](const auto& range) { return range.contains(response.status); });
        return status_expected ? ErrorClass::Assertion : ErrorClass::Status;
    }
    case FailureKind::Other: break;
    }
    return ErrorClass::Other;
}

struct InFlight {
    std::size_t check = 0;
    Clock::time_point due;
    Clock::time_point sent;
    std::uint64_t due_second = 0;
    int user = -1;  // closed model
};

std::uint64_t micros(Clock::duration d) {
    return static_cast<std::uint64_t>(std::max<long long>(0, std::chrono::duration_cast<std::chrono::microseconds>(d).count()));
}

}  // namespace

long receive_buffer_bytes(std::size_t max_in_flight) {
    constexpr std::size_t kBudget = 8 * 1024 * 1024;
    constexpr std::size_t kMin = 1024;
    constexpr std::size_t kMax = 16 * 1024;
    return static_cast<long>(std::clamp(kBudget / std::max<std::size_t>(max_in_flight, 1), kMin, kMax));
}

namespace {

// The request as the load test sends it: every answer is judged, and then only its verdict is
// kept, so of the body and the headers only what an assertion reads is kept.
gantry::http::HttpRequest load_request(const Check& check) {
    gantry::http::HttpRequest request = check.request;
    if (!check.tls.min_days && !check.tls.hostname && !check.tls.min_version) {
        request.certificate_details = gantry::http::CertificateDetails::Skip;
    }
    request.body_limit = gantry::checks::body_bytes_read(check);
    if (check.headers.empty()) request.response_headers = gantry::http::ResponseHeaders::Skip;
    return request;
}

// The schedule, over either client (HttpClient or Http1Client: the same start/poll interface).
template <class Client>
void drive(Client& client, const std::vector<typename Client::PreparedRequest>& prepared, const std::vector<Check>& checks,
           const RunPlan& plan, const RunHooks& hooks, LoadResult& result) {
    std::vector<int> weights;
    for (const auto& check : checks) weights.push_back(check.weight);
    const WeightedRotation rotation(weights);

    result.checks.assign(checks.size(), CheckSeries{});
    for (std::size_t i = 0; i < checks.size(); ++i) result.checks[i].name = checks[i].name;

    const Clock::time_point start = Clock::now();
    std::unordered_map<std::uint64_t, InFlight> in_flight;
    const auto step = static_cast<std::uint64_t>(plan.shard.count);
    std::uint64_t next = static_cast<std::uint64_t>(plan.shard.index - 1);  // open model: next request of the whole schedule
    std::uint64_t closed_sent = 0;  // closed model: requests started, for the rotation
    const Clock::time_point closed_end = start + plan.duration;
    Clock::time_point next_tick = start + std::chrono::seconds(1);
    std::vector<int> idle_users;
    if (plan.model == Model::Closed) {
        for (int user = plan.users - 1; user >= 0; --user) idle_users.push_back(user);
    }

    in_flight.reserve(plan.model == Model::Closed ? std::min(static_cast<std::size_t>(plan.users), plan.max_in_flight) : plan.max_in_flight);
    // `due`: the intended send time (open model); a closed model's request is due when it is sent.
    const auto send = [&](std::size_t check, std::optional<Clock::time_point> due, int user) {
        const Clock::time_point sent = Clock::now();
        const Clock::time_point intended = due.value_or(sent);
        InFlight request{check, intended, sent, micros(intended - start) / 1'000'000, user};
        in_flight.emplace(client.start(prepared[check]), request);
    };

    while (true) {
        const Clock::time_point now = Clock::now();
        bool more_to_send = false;
        std::optional<Clock::time_point> next_due;
        if (plan.model == Model::Open) {
            while (true) {
                const auto due = plan.schedule->due(next);
                if (!due) break;
                more_to_send = true;
                const Clock::time_point at = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*due));
                if (at > now) {
                    next_due = at;
                    break;
                }
                if (in_flight.size() >= plan.max_in_flight) break;  // late: its latency keeps counting from `at`
                send(rotation.at(next), at, -1);
                next += step;
            }
        } else if (now < closed_end) {
            more_to_send = true;
            while (!idle_users.empty() && in_flight.size() < plan.max_in_flight) {
                const int user = idle_users.back();
                idle_users.pop_back();
                send(rotation.at(closed_sent++ * step + static_cast<std::uint64_t>(plan.shard.index - 1)), std::nullopt, user);
            }
        }
        if (!more_to_send && in_flight.empty()) break;
        if (hooks.stop) {
            if (auto reason = hooks.stop(result)) {
                result.partial = true;
                result.stop_reason = *reason;
                break;
            }
        }
        // To the microsecond: the next request is sent at its intended time, not at the next millisecond.
        std::chrono::microseconds wait = std::chrono::milliseconds(50);
        if (next_due) wait = std::min(wait, std::chrono::ceil<std::chrono::microseconds>(*next_due - Clock::now()));
        if (plan.model == Model::Closed && more_to_send) wait = std::min(wait, std::chrono::ceil<std::chrono::microseconds>(closed_end - Clock::now()));
        wait = std::max(wait, std::chrono::microseconds(0));
        auto finished = client.poll(wait);
        // Every answer of the batch was complete when poll returned: one clock reading serves them all.
        const Clock::time_point done = Clock::now();
        for (auto& [id, response] : finished) {
            const auto found = in_flight.find(id);
            if (found == in_flight.end()) continue;
            const InFlight request = found->second;
            in_flight.erase(found);
            result.checks[request.check].record(request.due_second, micros(done - request.due), micros(done - request.sent),
                                                classify(checks[request.check], response));
            if (request.user >= 0) idle_users.push_back(request.user);
        }
        if (Clock::now() >= next_tick) {
            next_tick += std::chrono::seconds(1);
            result.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
            if (hooks.on_second) hooks.on_second(result, result.elapsed_seconds);
        }
    }
    result.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (plan.model == Model::Open) {
        // The rate is judged over the schedule's length (the requests' due times), not over the
        // moment the last answer came.
        result.elapsed_seconds = result.partial ? result.elapsed_seconds : std::max(plan.schedule->length_seconds(), 1e-9);
    } else if (!result.partial) {
        result.elapsed_seconds = std::chrono::duration<double>(plan.duration).count();
    }
}

}  // namespace

TransportChoice choose_transport(const std::vector<Check>& checks, const gantry::Environment& environment) {
    for (const auto& check : checks) {
        if (check.kind != gantry::checks::CheckKind::Http) return {Transport::Libcurl, "check '" + check.name + "': a TCP connect check"};
        for (const auto& header : check.headers) {
            std::string name = header.name;
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            // libcurl asks for compressed answers and decodes them: a check on the encoding sees that.
            if (name == "content-encoding") return {Transport::Libcurl, "check '" + check.name + "': asserts Content-Encoding"};
        }
        if (auto obstacle = gantry::http::http1_obstacle(check.request, environment)) {
            return {Transport::Libcurl, "check '" + check.name + "': " + *obstacle};
        }
    }
    return {Transport::Http1, "every check is plain HTTP/1.1"};
}

const char* to_string(Transport transport) { return transport == Transport::Http1 ? "http1" : "libcurl"; }

void run_load(const std::vector<Check>& checks, const RunPlan& plan, const RunHooks& hooks, LoadResult& result) {
    // The kernel may end a wait up to the thread's timer slack late (50 us by default), and each
    // request's latency counts from its intended send time: the schedule wants the wake-up on time.
    ::prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
    const long host_connections = plan.connections_per_host > 0 ? plan.connections_per_host : static_cast<long>(plan.max_in_flight);
    if (plan.transport == Transport::Http1) {
        gantry::http::Http1Client client(gantry::http::Http1ClientOptions{host_connections});
        std::vector<gantry::http::Http1Client::PreparedRequest> prepared;
        for (const auto& check : checks) prepared.push_back(client.prepare(load_request(check)));
        drive(client, prepared, checks, plan, hooks, result);
        return;
    }
    gantry::http::HttpClientOptions client_options;
    client_options.max_host_connections = host_connections;
    client_options.receive_buffer_bytes = receive_buffer_bytes(plan.max_in_flight);
    client_options.upload_buffer_bytes = kUploadBufferBytes;
    gantry::http::HttpClient client(client_options);
    std::vector<gantry::http::HttpClient::PreparedRequest> prepared;
    for (const auto& check : checks) prepared.push_back(client.prepare(load_request(check)));
    drive(client, prepared, checks, plan, hooks, result);
}

}  // namespace smoke_test::load
