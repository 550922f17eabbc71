// The traffic witness: steady keep-alive requests through the public entrypoint while a switch runs,
// recording what a client saw.
//
// start() launches a thread that sends `rate` requests per second (paced on a fixed schedule; at most
// `connections` in flight, reused keep-alive connections) until stop(). Each answer is classified.
// A failed answer is a transport error or a 5xx: what any client gets. A closed-connection error is
// a request libcurl silently resent because its reused connection had been closed by the server -
// the error a client without such a retry (wrk, a proxy) gets when a reload closes keep-alive
// connections; it is counted apart (dead_connections), so that a switch can budget the two
// separately. The colour that answered comes from answering_color() (entrypoint_probe.hpp).
// Connections opened to replace closed
// keep-alive ones are counted too (reconnects). mark(target) starts the measurement of a
// switch: the time to the first answer from `target` and to the first answer after which no other
// colour answered. The report holds totals, the longest gap between two successful answers and a
// short timeline of colour changes and failures. begin_window() starts a measurement window that
// window() reads (the canary analysis's witness figures of one step). failures() may be read at any time from another
// thread (for the error budget).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/color.hpp"

namespace bluegreen_switch {

struct WitnessSettings {
    std::string url;
    double rate = 50;  // requests per second
    int connections = 4;
    std::string color_header = "X-Color";
    std::string ca_file;
    std::chrono::milliseconds timeout{2000};
};

struct WitnessEvent {
    long long at_ms = 0;  // since the witness started
    std::string what;     // "first green answer", "failure: connection refused", ...
};

struct WitnessReport {
    long requests = 0;
    long failures = 0;          // failed answers: transport errors and 5xx
    long transport_errors = 0;
    long server_errors = 0;     // 5xx
    long dead_connections = 0;  // closed-connection errors: resent by libcurl after a closed keep-alive connection
    // Connections opened after the first `connections` ones: each replaces a kept-alive connection the
    // load balancer closed (a reload does that to every idle one), a moment at which a client sending
    // on it gets an error. Servers also close connections after many requests (nginx: 1000), so this
    // is an upper bound of the risk, reported next to the failures the witness itself saw.
    long reconnects = 0;
    long blue_answers = 0;
    long green_answers = 0;
    long unknown_answers = 0;
    long long duration_ms = 0;
    long long max_gap_ms = 0;   // longest time between two successful answers
    std::optional<long long> first_target_ms;  // from mark() to the first answer from the target
    std::optional<long long> all_target_ms;    // from mark() to the first answer after the last other-colour one
    double achieved_rate = 0;
    std::vector<WitnessEvent> timeline;        // at most a few dozen entries
};

// What the witness saw since the last begin_window() (a weighted step of a canary analysis): answers,
// failed answers and the 95th percentile of the answers' latency (nullopt without answers).
struct WitnessWindow {
    long requests = 0;
    long failures = 0;
    std::optional<double> p95_latency_ms;
};

// Successful answers since the last mark() that named a colour, and those from the marked target.
struct WitnessSinceMark {
    long colored_answers = 0;
    long target_answers = 0;
};

class TrafficWitness {
public:
    explicit TrafficWitness(WitnessSettings settings);
    ~TrafficWitness();
    TrafficWitness(const TrafficWitness&) = delete;
    TrafficWitness& operator=(const TrafficWitness&) = delete;

    void start();
    void mark(Color target);
    long failures() const;                  // failed answers so far
    long closed_connection_errors() const;  // requests sent on a closed keep-alive connection so far
    WitnessSinceMark since_mark() const;
    void begin_window();
    WitnessWindow window() const;
    WitnessReport stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace bluegreen_switch
