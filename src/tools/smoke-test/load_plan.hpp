// What a load test sends and when: the open model's arrival schedule, the closed model's virtual
// users, the weighted rotation over the checks, and the split into CI shards.
//
// Open model: requests are due at fixed times whatever the server does - a constant rate (--rate
// 500/s) or stages that ramp the rate linearly from the previous target (--stages 30s:100,2m:500,
// 30s:0, starting from 0). Request k (0-based) is due when the integral of the rate reaches k; the
// schedule holds ceil(integral over the whole run) requests. Closed model: N virtual users each send
// their next request when the previous one is answered. The k-th request of the whole run uses the
// check at position k of a smooth weighted round-robin over the check weights (nginx's algorithm), so
// the mix is exact and the same in every run. Shard I of N sends requests I-1, I-1+N, I-1+2N, ... of
// the whole schedule (and gets every Nth virtual user): the shards together send exactly what one run
// would, and their histograms merge into that run's.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/base/error.hpp"

#include "smoke-test/shard.hpp"

namespace smoke_test::load {

using Milliseconds = std::chrono::milliseconds;

enum class Model { Open, Closed };

struct Stage {
    Milliseconds duration{0};
    double target = 0;  // requests per second reached at the end of the stage
};

// "500/s", "500", "30000/m", "10/ms" -> requests per second. Throws gantry::ValueError.
double parse_rate(std::string_view text);
// "30s:100,2m:500,30s:0" -> stages. Throws gantry::ValueError.
std::vector<Stage> parse_stages(std::string_view text);

class ArrivalSchedule {
public:
    ArrivalSchedule(double start_rate, std::vector<Stage> stages);
    // Seconds after the start at which request k is due; nullopt when the schedule ends before it.
    std::optional<double> due(std::uint64_t k) const;
    // Requests in the whole schedule.
    std::uint64_t total() const { return total_; }
    double length_seconds() const;

private:
    struct Segment {
        double start = 0;       // seconds
        double length = 0;      // seconds
        double from_rate = 0;
        double to_rate = 0;
        double before = 0;      // requests due before the segment starts (the integral so far)
    };
    std::vector<Segment> segments_;
    std::uint64_t total_ = 0;
};

// Which check each request uses: a smooth weighted round-robin over the weights, as a cycle.
class WeightedRotation {
public:
    // Throws gantry::ValueError when a weight is below 1 or the weights add up to more than 1,000,000.
    explicit WeightedRotation(const std::vector<int>& weights);
    std::size_t at(std::uint64_t k) const { return cycle_[k % cycle_.size()]; }

private:
    std::vector<std::uint32_t> cycle_;
};

// Virtual users of shard `shard` when the whole run has `total`: every Nth one, starting at the Ith.
int shard_users(int total, Shard shard);

}  // namespace smoke_test::load
