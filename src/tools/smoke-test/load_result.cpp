#include "smoke-test/load_result.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace smoke_test::load {

namespace {

constexpr const char* kFormat = "gantry-smoke-test-load/1";

nlohmann::json histogram_json(const LogLinearHistogram& histogram) {
    nlohmann::json buckets = nlohmann::json::array();
    for (const auto& [index, count] : histogram.buckets()) buckets.push_back({index, count});
    return {{"count", histogram.count()}, {"min", histogram.min()}, {"max", histogram.max()}, {"sum", histogram.sum()},
            {"buckets", std::move(buckets)}};
}

// Reading with the JSON pointer of every value, so that a damaged file is named precisely.
class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& pointer, const std::string& expected) const {
        throw gantry::InputError(fmt::format("{}: {}: expected {}", file_, pointer.empty() ? "/" : pointer, expected));
    }
    const nlohmann::json& member(const nlohmann::json& object, const std::string& pointer, const char* key) const {
        if (!object.is_object() || !object.contains(key)) fail(pointer, fmt::format("an object with `{}`", key));
        return object.at(key);
    }
    std::uint64_t count(const nlohmann::json& value, const std::string& pointer) const {
        if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<long long>() >= 0)) fail(pointer, "a whole number >= 0");
        return value.get<std::uint64_t>();
    }
    std::uint64_t count_member(const nlohmann::json& object, const std::string& pointer, const char* key) const {
        return count(member(object, pointer, key), pointer + "/" + key);
    }
    LogLinearHistogram histogram(const nlohmann::json& value, const std::string& pointer) const {
        const auto& buckets = member(value, pointer, "buckets");
        if (!buckets.is_array()) fail(pointer + "/buckets", "an array of [index, count] pairs");
        std::vector<std::pair<std::uint32_t, std::uint64_t>> pairs;
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            const std::string where = fmt::format("{}/buckets/{}", pointer, i);
            if (!buckets[i].is_array() || buckets[i].size() != 2) fail(where, "an [index, count] pair");
            const auto index = count(buckets[i][0], where + "/0");
            if (index > LogLinearHistogram::max_index()) fail(where + "/0", "a bucket index of the log-linear histogram");
            pairs.emplace_back(static_cast<std::uint32_t>(index), count(buckets[i][1], where + "/1"));
        }
        try {
            auto histogram = LogLinearHistogram::from_buckets(pairs, count_member(value, pointer, "min"),
                                                              count_member(value, pointer, "max"), count_member(value, pointer, "sum"));
            if (histogram.count() != count_member(value, pointer, "count")) fail(pointer + "/count", "the sum of the bucket counts");
            return histogram;
        } catch (const gantry::ValueError& e) {
            fail(pointer, std::string("a consistent histogram (") + e.what() + ")");
        }
    }

private:
    std::string file_;
};

}  // namespace

const char* to_string(ErrorClass error) {
    switch (error) {
    case ErrorClass::Connect: return "connect";
    case ErrorClass::Timeout: return "timeout";
    case ErrorClass::Status: return "status";
    case ErrorClass::Assertion: return "assertion";
    case ErrorClass::Tls: return "tls";
    case ErrorClass::Other: return "other";
    }
    return "other";
}

std::uint64_t CheckSeries::error_count() const {
    std::uint64_t total = 0;
    for (const auto count : errors) total += count;
    return total;
}

void CheckSeries::record(std::uint64_t due_second, std::uint64_t latency_us, std::uint64_t service_us,
                         std::optional<ErrorClass> error) {
    ++requests;
    latency.record(latency_us);
    service.record(service_us);
    if (error) ++errors[static_cast<std::size_t>(*error)];
    if (seconds.size() <= due_second) seconds.resize(due_second + 1);
    SecondStats& second = seconds[due_second];
    second.latency.record(latency_us);
    ++second.requests;
    if (error) ++second.errors;
}

void CheckSeries::add(const CheckSeries& other) {
    latency.add(other.latency);
    service.add(other.service);
    requests += other.requests;
    for (std::size_t i = 0; i < kErrorClasses; ++i) errors[i] += other.errors[i];
    if (seconds.size() < other.seconds.size()) seconds.resize(other.seconds.size());
    for (std::size_t i = 0; i < other.seconds.size(); ++i) {
        seconds[i].latency.add(other.seconds[i].latency);
        seconds[i].requests += other.seconds[i].requests;
        seconds[i].errors += other.seconds[i].errors;
    }
}

CheckSeries LoadResult::overall() const {
    CheckSeries all;
    all.name = "overall";
    for (const auto& check : checks) all.add(check);
    return all;
}

std::string LoadResult::transport() const {
    std::string common;
    for (const auto& [shard, name] : transports) {
        if (!common.empty() && name != common) return "mixed";
        common = name;
    }
    return common;
}

double LoadResult::requests_per_second() const {
    std::uint64_t requests = 0;
    for (const auto& check : checks) requests += check.requests;
    return elapsed_seconds > 0 ? static_cast<double>(requests) / elapsed_seconds : 0.0;
}

nlohmann::json to_json(const LoadResult& result) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& check : result.checks) {
        nlohmann::json errors = nlohmann::json::object();
        for (std::size_t i = 0; i < kErrorClasses; ++i) errors[to_string(static_cast<ErrorClass>(i))] = check.errors[i];
        nlohmann::json seconds = nlohmann::json::array();
        for (const auto& second : check.seconds) {
            seconds.push_back({{"requests", second.requests}, {"errors", second.errors}, {"latency_us", histogram_json(second.latency)}});
        }
        checks.push_back({{"name", check.name}, {"requests", check.requests}, {"errors", errors},
                          {"latency_us", histogram_json(check.latency)}, {"service_us", histogram_json(check.service)},
                          {"seconds", seconds}});
    }
    nlohmann::json transports = nlohmann::json::array();
    for (const auto& [shard, name] : result.transports) transports.push_back({{"shard", shard}, {"transport", name}});
    return {{"format", kFormat}, {"plan", result.plan}, {"shard_count", result.shard_count}, {"shards", result.shards},
            {"partial", result.partial}, {"stop_reason", result.stop_reason}, {"elapsed_seconds", result.elapsed_seconds},
            {"planned", result.planned}, {"transports", transports}, {"checks", checks}};
}

LoadResult load_result_from_json(const nlohmann::json& json, const std::string& file) {
    const Reader read(file);
    if (!json.is_object() || json.value("format", "") != kFormat) read.fail("/format", fmt::format("\"{}\" (a file of smoke-test load --histogram-out)", kFormat));
    LoadResult result;
    result.plan = read.member(json, "", "plan");
    result.shard_count = static_cast<int>(read.count_member(json, "", "shard_count"));
    if (result.shard_count < 1) read.fail("/shard_count", "a whole number >= 1");
    result.shards.clear();
    const auto& shards = read.member(json, "", "shards");
    if (!shards.is_array() || shards.empty()) read.fail("/shards", "a non-empty array of shard numbers");
    for (std::size_t i = 0; i < shards.size(); ++i) {
        const auto shard = read.count(shards[i], fmt::format("/shards/{}", i));
        if (shard < 1 || shard > static_cast<std::uint64_t>(result.shard_count)) read.fail(fmt::format("/shards/{}", i), "a shard number from 1 to shard_count");
        result.shards.push_back(static_cast<int>(shard));
    }
    const auto& partial = read.member(json, "", "partial");
    if (!partial.is_boolean()) read.fail("/partial", "true or false");
    result.partial = partial.get<bool>();
    const auto& reason = read.member(json, "", "stop_reason");
    if (!reason.is_string()) read.fail("/stop_reason", "a string");
    result.stop_reason = reason.get<std::string>();
    const auto& elapsed = read.member(json, "", "elapsed_seconds");
    if (!elapsed.is_number() || elapsed.get<double>() < 0) read.fail("/elapsed_seconds", "a number >= 0");
    result.elapsed_seconds = elapsed.get<double>();
    result.planned = read.count_member(json, "", "planned");
    if (json.contains("transports")) {  // absent in the files of gantry before it recorded the transport
        const auto& transports = json.at("transports");
        if (!transports.is_array()) read.fail("/transports", "an array of {\"shard\", \"transport\"} objects");
        for (std::size_t i = 0; i < transports.size(); ++i) {
            const std::string at = fmt::format("/transports/{}", i);
            const auto shard = read.count_member(transports[i], at, "shard");
            if (shard > static_cast<std::uint64_t>(result.shard_count) ||
                std::find(result.shards.begin(), result.shards.end(), static_cast<int>(shard)) == result.shards.end()) {
                read.fail(at + "/shard", "one of the file's shards");
            }
            const auto& name = read.member(transports[i], at, "transport");
            if (!name.is_string() || name.get<std::string>().empty()) read.fail(at + "/transport", "a transport name");
            result.transports[static_cast<int>(shard)] = name.get<std::string>();
        }
    }
    const auto& checks = read.member(json, "", "checks");
    if (!checks.is_array()) read.fail("/checks", "an array");
    for (std::size_t c = 0; c < checks.size(); ++c) {
        const std::string at = fmt::format("/checks/{}", c);
        CheckSeries series;
        const auto& name = read.member(checks[c], at, "name");
        if (!name.is_string()) read.fail(at + "/name", "a string");
        series.name = name.get<std::string>();
        series.requests = read.count_member(checks[c], at, "requests");
        const auto& errors = read.member(checks[c], at, "errors");
        for (std::size_t i = 0; i < kErrorClasses; ++i) {
            series.errors[i] = read.count_member(errors, at + "/errors", to_string(static_cast<ErrorClass>(i)));
        }
        series.latency = read.histogram(read.member(checks[c], at, "latency_us"), at + "/latency_us");
        series.service = read.histogram(read.member(checks[c], at, "service_us"), at + "/service_us");
        if (series.latency.count() != series.requests || series.service.count() != series.requests) {
            read.fail(at + "/requests", "as many requests as latencies recorded");
        }
        const auto& seconds = read.member(checks[c], at, "seconds");
        if (!seconds.is_array()) read.fail(at + "/seconds", "an array");
        for (std::size_t s = 0; s < seconds.size(); ++s) {
            const std::string where = fmt::format("{}/seconds/{}", at, s);
            SecondStats second;
            second.requests = read.count_member(seconds[s], where, "requests");
            second.errors = read.count_member(seconds[s], where, "errors");
            second.latency = read.histogram(read.member(seconds[s], where, "latency_us"), where + "/latency_us");
            series.seconds.push_back(std::move(second));
        }
        result.checks.push_back(std::move(series));
    }
    return result;
}

LoadResult merge_shards(const std::vector<LoadResult>& shards, const std::vector<std::string>& files) {
    if (shards.empty()) throw gantry::UsageError("load merge: no shard files given");
    LoadResult merged = shards.front();
    std::vector<int> seen = merged.shards;
    for (std::size_t i = 1; i < shards.size(); ++i) {
        const LoadResult& shard = shards[i];
        if (shard.plan != merged.plan || shard.shard_count != merged.shard_count) {
            throw gantry::InputError(fmt::format("{}: /plan: expected the same plan and shard count as {} (shards of one run), "
                                                 "found a different one", files[i], files.front()));
        }
        if (shard.checks.size() != merged.checks.size()) throw gantry::InputError(files[i] + ": /checks: expected the same checks as " + files.front());
        for (const int index : shard.shards) {
            if (std::find(seen.begin(), seen.end(), index) != seen.end()) {
                throw gantry::InputError(fmt::format("{}: /shards: shard {} of {} is given twice", files[i], index, merged.shard_count));
            }
            seen.push_back(index);
        }
        for (std::size_t c = 0; c < shard.checks.size(); ++c) {
            if (shard.checks[c].name != merged.checks[c].name) throw gantry::InputError(fmt::format("{}: /checks/{}/name: expected '{}'", files[i], c, merged.checks[c].name));
            merged.checks[c].add(shard.checks[c]);
        }
        merged.transports.insert(shard.transports.begin(), shard.transports.end());
        merged.partial = merged.partial || shard.partial;
        if (merged.stop_reason.empty()) merged.stop_reason = shard.stop_reason;
        merged.elapsed_seconds = std::max(merged.elapsed_seconds, shard.elapsed_seconds);
        merged.planned += shard.planned;
    }
    std::sort(seen.begin(), seen.end());
    if (static_cast<int>(seen.size()) != merged.shard_count) {
        std::string missing;
        for (int index = 1; index <= merged.shard_count; ++index) {
            if (!std::binary_search(seen.begin(), seen.end(), index)) missing += (missing.empty() ? "" : ", ") + std::to_string(index);
        }
        throw gantry::InputError(fmt::format("load merge: expected all {} shards of the run, missing shard {}", merged.shard_count, missing));
    }
    merged.shards = seen;
    return merged;
}

}  // namespace smoke_test::load
