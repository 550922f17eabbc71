#include <doctest/doctest.h>

#include <random>

#include "gantry/base/error.hpp"
#include "smoke-test/load.hpp"
#include "smoke-test/load_result.hpp"

using namespace smoke_test::load;

namespace {

LoadResult shard_result(int index, int count, const std::vector<std::uint64_t>& latencies_us) {
    LoadResult result;
    result.plan = {{"model", "open"}, {"rate", 100}};
    result.shard_count = count;
    result.shards = {index};
    result.elapsed_seconds = 10;
    result.checks.resize(1);
    result.checks[0].name = "home";
    for (std::size_t k = static_cast<std::size_t>(index - 1); k < latencies_us.size(); k += static_cast<std::size_t>(count)) {
        result.checks[0].record(k / 100, latencies_us[k], latencies_us[k] / 2, k % 50 == 0 ? std::optional(ErrorClass::Timeout) : std::nullopt);
    }
    return result;
}

}  // namespace

TEST_CASE("load result: four shards written, read back and merged equal one run, bucket for bucket") {
    std::mt19937_64 random(3);
    std::lognormal_distribution<double> latency(std::log(20000.0), 1.0);
    std::vector<std::uint64_t> latencies;
    for (int i = 0; i < 1000; ++i) latencies.push_back(static_cast<std::uint64_t>(latency(random)));
    const LoadResult whole = shard_result(1, 1, latencies);
    std::vector<LoadResult> shards;
    std::vector<std::string> files;
    for (int i = 1; i <= 4; ++i) {
        shards.push_back(load_result_from_json(nlohmann::json::parse(to_json(shard_result(i, 4, latencies)).dump()), "shard.json"));
        files.push_back("shard-" + std::to_string(i) + ".json");
    }
    const LoadResult merged = merge_shards(shards, files);
    CHECK(merged.checks[0].latency == whole.checks[0].latency);
    CHECK(merged.checks[0].service == whole.checks[0].service);
    CHECK(merged.checks[0].latency.sum() == whole.checks[0].latency.sum());
    CHECK(merged.checks[0].errors == whole.checks[0].errors);
    REQUIRE(merged.checks[0].seconds.size() == whole.checks[0].seconds.size());
    for (std::size_t s = 0; s < merged.checks[0].seconds.size(); ++s) CHECK(merged.checks[0].seconds[s].latency == whole.checks[0].seconds[s].latency);
    for (const double p : {50.0, 95.0, 99.0, 99.9}) CHECK(merged.checks[0].latency.percentile(p) == whole.checks[0].latency.percentile(p));
}

TEST_CASE("load result: merge refuses other plans, repeated and missing shards, naming the file") {
    const std::vector<std::uint64_t> latencies(40, 1000);
    LoadResult other = shard_result(2, 2, latencies);
    other.plan["rate"] = 200;
    CHECK_THROWS_WITH_AS(merge_shards({shard_result(1, 2, latencies), other}, {"a.json", "b.json"}),
                         doctest::Contains("b.json: /plan: expected the same plan"), gantry::InputError);
    CHECK_THROWS_WITH_AS(merge_shards({shard_result(1, 2, latencies), shard_result(1, 2, latencies)}, {"a.json", "b.json"}),
                         doctest::Contains("shard 1 of 2 is given twice"), gantry::InputError);
    CHECK_THROWS_WITH_AS(merge_shards({shard_result(1, 3, latencies), shard_result(3, 3, latencies)}, {"a.json", "b.json"}),
                         doctest::Contains("missing shard 2"), gantry::InputError);
}

TEST_CASE("load result: a damaged file is named with its JSON pointer") {
    nlohmann::json json = to_json(shard_result(1, 1, std::vector<std::uint64_t>(10, 500)));
    json["checks"][0]["latency_us"]["buckets"][0][1] = -3;
    CHECK_THROWS_WITH_AS(load_result_from_json(json, "s.json"), doctest::Contains("s.json: /checks/0/latency_us/buckets/0/1: expected a whole number"),
                         gantry::InputError);
    CHECK_THROWS_WITH_AS(load_result_from_json(nlohmann::json::object(), "s.json"), doctest::Contains("s.json: /format"), gantry::InputError);
}

TEST_CASE("load result: the shard file records the transport, and a merge of shards on different transports says so") {
    const std::vector<std::uint64_t> latencies(40, 1000);
    std::vector<LoadResult> shards;
    for (int i = 1; i <= 3; ++i) {
        LoadResult shard = shard_result(i, 3, latencies);
        shard.transports[i] = i == 2 ? "libcurl" : "http1";
        const nlohmann::json written = to_json(shard);
        CHECK(written["transports"] == nlohmann::json::array({{{"shard", i}, {"transport", shard.transports[i]}}}));
        shards.push_back(load_result_from_json(nlohmann::json::parse(written.dump()), "shard.json"));
        CHECK(shards.back().transports == shard.transports);
    }
    const LoadResult same = merge_shards({shards[0], shards[2], shard_result(2, 3, latencies)}, {"a.json", "c.json", "b.json"});
    CHECK(same.transport() == "http1");  // shard 2's file recorded none (an older gantry's)
    // Not refused: the plan is the same, only the client that measured differs.
    const LoadResult mixed = merge_shards(shards, {"a.json", "b.json", "c.json"});
    CHECK(mixed.transport() == "mixed");
    CHECK(mixed.transports == std::map<int, std::string>{{1, "http1"}, {2, "libcurl"}, {3, "http1"}});
    CHECK(mixed.checks[0].requests == 40);
    CHECK(transports_by_shard(mixed) == "http1 (shards 1, 3), libcurl (shard 2)");
    const gantry::Outcome outcome = render_load_outcome(mixed, {}, "");
    CHECK(outcome.json["transport"] == "mixed");
    CHECK(outcome.json["transports"] == nlohmann::json{{"http1", {1, 3}}, {"libcurl", {2}}});
    CHECK(outcome.text.find("transports: http1 (shards 1, 3), libcurl (shard 2)\n") != std::string::npos);
    CHECK(render_load_outcome(same, {}, "").json["transport"] == "http1");
    CHECK_FALSE(render_load_outcome(shard_result(1, 1, latencies), {}, "").json.contains("transport"));
}

TEST_CASE("load result: a transport for a shard the file does not hold is refused") {
    nlohmann::json json = to_json(shard_result(1, 2, std::vector<std::uint64_t>(10, 500)));
    json["transports"] = nlohmann::json::array({{{"shard", 2}, {"transport", "http1"}}});
    CHECK_THROWS_WITH_AS(load_result_from_json(json, "s.json"), doctest::Contains("s.json: /transports/0/shard: expected one of the file's shards"),
                         gantry::InputError);
}
