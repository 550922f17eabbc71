// What a load test measured, in a form that merges exactly: shards of one run add up to the run.
//
// Per check: the latency from the intended send time (corrected for coordinated omission: a request
// that had to wait for its turn counts the wait) and the plain service time, both log-linear
// histograms in microseconds; the requests sent and the errors by class; and per second of the
// schedule (by intended send time) a latency histogram with its request and error counts, for
// windowed thresholds and the latency-over-time chart. Everything is a count or a histogram, so
// add() is exact: no percentile is ever averaged. The `plan` (model, rate or stages or users,
// duration, checks) must be equal in every shard; merge_shards() refuses shards of different plans,
// repeated shards and incomplete sets, naming the file and what was expected (InputError, exit 2).
// Each shard also records the transport its requests went over (load_runner.hpp: "http1" or
// "libcurl"). Shards of one plan may differ there - the transport follows the check file's URLs and
// the runner's proxy variables, which the plan does not hold - so a merge keeps every shard's and
// does not refuse: transport() says "mixed" and the merge report lists which shard used which.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/stats/log_linear_histogram.hpp"

namespace smoke_test::load {

using gantry::stats::LogLinearHistogram;

// Why a request counts as an error: no connection (refused, DNS), no answer in time, an unexpected
// status, a failed assertion on an expected status, a TLS failure, anything else libcurl reports.
enum class ErrorClass { Connect, Timeout, Status, Assertion, Tls, Other };
inline constexpr std::size_t kErrorClasses = 6;
const char* to_string(ErrorClass error);

struct SecondStats {
    LogLinearHistogram latency;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
};

struct CheckSeries {
    std::string name;
    LogLinearHistogram latency;  // from the intended send time, microseconds
    LogLinearHistogram service;  // from the actual send, microseconds
    std::uint64_t requests = 0;  // completed (answered or failed)
    std::array<std::uint64_t, kErrorClasses> errors{};
    std::vector<SecondStats> seconds;  // index: second of the schedule the request was due in

    std::uint64_t error_count() const;
    void record(std::uint64_t due_second, std::uint64_t latency_us, std::uint64_t service_us, std::optional<ErrorClass> error);
    void add(const CheckSeries& other);
};

struct LoadResult {
    nlohmann::json plan = nlohmann::json::object();  // equal in every shard of a run
    int shard_count = 1;
    std::vector<int> shards{1};     // which shards (1-based) this result holds
    bool partial = false;           // interrupted (Ctrl-C) or stopped by --abort-on-fail
    std::string stop_reason;        // empty when the run went to its end
    double elapsed_seconds = 0;     // the longest shard's
    std::uint64_t planned = 0;      // requests the schedule holds (open model; 0 for the closed model)
    std::vector<CheckSeries> checks;
    // By shard number, the transport its requests went over ("http1" or "libcurl"); a shard file
    // written before gantry recorded it (format 1 allows leaving it out) has no entry.
    std::map<int, std::string> transports;

    CheckSeries overall() const;
    // The transport of every shard that recorded one, "mixed" when they differ, "" when none did.
    std::string transport() const;
    double requests_per_second() const;
};

nlohmann::json to_json(const LoadResult& result);
// Reads what to_json() wrote; InputError naming `file` and the JSON pointer on anything else.
LoadResult load_result_from_json(const nlohmann::json& json, const std::string& file);
// The shards of one run, combined. `files` names them for messages (same order).
LoadResult merge_shards(const std::vector<LoadResult>& shards, const std::vector<std::string>& files);

}  // namespace smoke_test::load
