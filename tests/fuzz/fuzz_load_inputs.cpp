// libFuzzer target for what smoke-test load reads from its user and from other jobs: --threshold
// texts (then judged against an empty and a small measurement), --rate, --stages (then the arrival
// schedule built from them, first and last request), and the shard files `load merge` reads (read,
// then merged with themselves, which must be refused, and with a copy claiming to be shard 2 of 2).
// The first byte picks the reader, modulo 4 ('0' threshold, '1' rate, '2' stages, '3' shard file). gantry::Error is the expected outcome of bad input; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "smoke-test/load_plan.hpp"
#include "smoke-test/load_result.hpp"
#include "smoke-test/load_threshold.hpp"

using namespace smoke_test::load;

namespace {

void read_threshold(std::string_view text) {
    const Threshold threshold = parse_threshold(text);
    CheckSeries series;
    (void)evaluate(threshold, series, 0.0);
    (void)can_no_longer_pass(threshold, series, 0);
    series.record(0, 1500, 900, std::nullopt);
    series.record(3, 250000, 1000, ErrorClass::Timeout);
    (void)evaluate(threshold, series, 4.0);
    (void)can_no_longer_pass(threshold, series, 100);
}

void read_stages(std::string_view text) {
    const ArrivalSchedule schedule(0, parse_stages(text));
    (void)schedule.length_seconds();
    if (schedule.total() > 0) {
        (void)schedule.due(0);
        (void)schedule.due(schedule.total() - 1);
    }
    (void)schedule.due(schedule.total());
}

void read_shard_file(std::string_view text) {
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return;  // the merge command reports a JSON syntax error before this
    const LoadResult shard = load_result_from_json(json, "shard.json");
    (void)shard.overall();
    (void)shard.transport();
    (void)shard.requests_per_second();
    (void)to_json(shard);
    try {
        (void)merge_shards({shard, shard}, {"a.json", "b.json"});
    } catch (const gantry::Error&) {
    }
    if (shard.shard_count == 2 && shard.shards == std::vector<int>{1}) {
        LoadResult second = shard;
        second.shards = {2};
        (void)merge_shards({shard, second}, {"a.json", "b.json"});
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 4) {
            case 0: read_threshold(text); break;
            case 1: (void)parse_rate(text); break;
            case 2: read_stages(text); break;
            default: read_shard_file(text); break;
        }
    } catch (const gantry::Error&) {
    }
    return 0;
}
