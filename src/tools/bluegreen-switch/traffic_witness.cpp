#include "bluegreen-switch/traffic_witness.hpp"

#include <algorithm>
#include <mutex>
#include <thread>

#include "bluegreen-switch/entrypoint_probe.hpp"
#include "gantry/http/http_client.hpp"

namespace bluegreen_switch {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kTimelineLimit = 40;
// Latencies kept per window: enough for minutes at the witness's usual rates, bounded memory.
constexpr std::size_t kWindowLatencyLimit = 200000;

}  // namespace

struct TrafficWitness::Impl {
    WitnessSettings settings;
    std::thread thread;
    std::atomic<bool> stopping{false};
    std::atomic<long> failures{0};
    std::atomic<long> closed_connection_errors{0};

    std::mutex mutex;  // guards everything below
    Clock::time_point started;
    Clock::time_point last_success;
    bool had_success = false;
    WitnessReport report;
    std::optional<Color> target;
    Clock::time_point marked;
    std::optional<long long> all_target_candidate;
    std::optional<Color> previous_color;
    WitnessSinceMark since_mark;
    long connections_opened = 0;
    long peak_in_flight = 0;
    long window_requests = 0;
    long window_failures = 0;
    std::vector<double> window_latencies_ms;

    long long since_start(Clock::time_point at) const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(at - started).count();
    }

    void note(Clock::time_point at, std::string what) {
        if (report.timeline.size() < kTimelineLimit) report.timeline.push_back({since_start(at), std::move(what)});
    }

    void record(const gantry::http::HttpResponse& response, Clock::time_point at) {
        std::lock_guard lock(mutex);
        ++report.requests;
        report.dead_connections += response.dead_connection_retries;
        // More connections than requests were ever in flight at once means some replaced closed ones.
        if (response.new_connections > 0 && connections_opened >= peak_in_flight) {
            report.reconnects += response.new_connections;
            note(at, "new connection: a kept-alive one was closed by the server");
        }
        connections_opened += response.new_connections;
        const bool transport_failed = response.failure != gantry::http::TransportFailure::None;
        const bool server_failed = !transport_failed && response.status >= 500;
        if (response.dead_connection_retries > 0) {
            closed_connection_errors += response.dead_connection_retries;
            note(at, "closed connection: a request went out on a keep-alive connection the server had closed");
        }
        ++window_requests;
        if (window_latencies_ms.size() < kWindowLatencyLimit) {
            window_latencies_ms.push_back(static_cast<double>(response.timings.total_us) / 1000.0);
        }
        if (transport_failed || server_failed) {
            ++window_failures;
            ++report.failures;
            ++failures;
            if (transport_failed) ++report.transport_errors;
            if (server_failed) ++report.server_errors;
            note(at, transport_failed ? "failure: " + response.transport_error : "failure: HTTP " + std::to_string(response.status));
        }
        if (transport_failed || server_failed) return;
        if (had_success) {
            report.max_gap_ms = std::max<long long>(
                report.max_gap_ms, std::chrono::duration_cast<std::chrono::milliseconds>(at - last_success).count());
        }
        had_success = true;
        last_success = at;

        const auto color = answering_color(response, settings.color_header);
        if (!color) {
            ++report.unknown_answers;
            return;
        }
        ++(*color == Color::Blue ? report.blue_answers : report.green_answers);
        if (color != previous_color) {
            note(at, std::string(to_string(*color)) + " answers" + (previous_color ? "" : " (first answer)"));
            previous_color = color;
        }
        if (!target) return;
        ++since_mark.colored_answers;
        if (*color == *target) ++since_mark.target_answers;
        const long long after_mark = std::chrono::duration_cast<std::chrono::milliseconds>(at - marked).count();
        if (*color == *target) {
            if (!report.first_target_ms) report.first_target_ms = after_mark;
            if (!all_target_candidate) all_target_candidate = after_mark;
        } else {
            all_target_candidate.reset();
        }
    }

    void loop() {
        gantry::http::HttpClient client({.max_host_connections = settings.connections,
                                         .max_total_connections = settings.connections});
        gantry::http::HttpRequest request = color_request(settings.url, settings.ca_file, settings.timeout);
        request.dead_connection_retries = gantry::http::DeadConnectionRetries::Count;
        const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / settings.rate));
        auto next_send = Clock::now();
        while (!stopping || client.in_flight() > 0) {
            auto now = Clock::now();
            while (!stopping && now >= next_send && client.in_flight() < static_cast<std::size_t>(settings.connections)) {
                client.start(request);
                {
                    std::lock_guard lock(mutex);
                    peak_in_flight = std::max(peak_in_flight, static_cast<long>(client.in_flight()));
                }
                next_send += interval;
                // Far behind schedule (a slow answer held every connection): resume the pace from now
                // rather than firing a burst that would itself disturb the measurement.
                if (now - next_send > std::chrono::seconds(1)) next_send = now;
            }
            const auto wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(next_send - now),
                                         std::chrono::milliseconds(1), std::chrono::milliseconds(20));
            for (auto& [id, response] : client.poll(wait)) record(response, Clock::now());
        }
    }
};

TrafficWitness::TrafficWitness(WitnessSettings settings) : impl_(std::make_unique<Impl>()) {
    impl_->settings = std::move(settings);
    impl_->settings.rate = std::clamp(impl_->settings.rate, 0.1, 100000.0);
    impl_->settings.connections = std::max(1, impl_->settings.connections);
}

TrafficWitness::~TrafficWitness() {
    if (impl_->thread.joinable()) {
        impl_->stopping = true;
        impl_->thread.join();
    }
}

void TrafficWitness::start() {
    impl_->started = Clock::now();
    impl_->thread = std::thread([impl = impl_.get()] { impl->loop(); });
}

void TrafficWitness::mark(Color target) {
    std::lock_guard lock(impl_->mutex);
    impl_->target = target;
    impl_->marked = Clock::now();
    impl_->report.first_target_ms.reset();
    impl_->all_target_candidate.reset();
    impl_->since_mark = {};
    impl_->note(impl_->marked, "switch to " + std::string(to_string(target)) + " begins");
}

long TrafficWitness::failures() const { return impl_->failures.load(); }
long TrafficWitness::closed_connection_errors() const { return impl_->closed_connection_errors.load(); }
WitnessSinceMark TrafficWitness::since_mark() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->since_mark;
}

void TrafficWitness::begin_window() {
    std::lock_guard lock(impl_->mutex);
    impl_->window_requests = 0;
    impl_->window_failures = 0;
    impl_->window_latencies_ms.clear();
}

WitnessWindow TrafficWitness::window() const {
    std::lock_guard lock(impl_->mutex);
    WitnessWindow window{.requests = impl_->window_requests, .failures = impl_->window_failures};
    if (!impl_->window_latencies_ms.empty()) {
        // Nearest-rank percentile: the smallest latency at or above 95% of the answers.
        std::vector<double> sorted = impl_->window_latencies_ms;
        const std::size_t rank = (sorted.size() * 95 + 99) / 100;
        std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(rank - 1), sorted.end());
        window.p95_latency_ms = sorted[rank - 1];
    }
    return window;
}

WitnessReport TrafficWitness::stop() {
    impl_->stopping = true;
    if (impl_->thread.joinable()) impl_->thread.join();
    std::lock_guard lock(impl_->mutex);
    const auto now = Clock::now();
    WitnessReport report = impl_->report;
    report.duration_ms = impl_->since_start(now);
    if (impl_->had_success) {
        report.max_gap_ms = std::max<long long>(
            report.max_gap_ms, std::chrono::duration_cast<std::chrono::milliseconds>(now - impl_->last_success).count());
    } else {
        report.max_gap_ms = report.duration_ms;
    }
    report.all_target_ms = impl_->all_target_candidate;
    report.achieved_rate = report.duration_ms > 0 ? 1000.0 * static_cast<double>(report.requests) / report.duration_ms : 0;
    return report;
}

}  // namespace bluegreen_switch
