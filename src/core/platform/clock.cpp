#include "gantry/platform/clock.hpp"

#include <charconv>
#include <chrono>
#include <ctime>

#include <fmt/chrono.h>

namespace gantry {

std::int64_t stamp_time(const Environment& environment) {
    if (const auto epoch = environment.get("SOURCE_DATE_EPOCH"); epoch && !epoch->empty()) {
        std::int64_t seconds = 0;
        const auto [end, error] = std::from_chars(epoch->data(), epoch->data() + epoch->size(), seconds);
        if (error == std::errc() && end == epoch->data() + epoch->size() && seconds >= 0) return seconds;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string utc_timestamp_without_zone(std::int64_t unix_seconds) {
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}", fmt::gmtime(static_cast<std::time_t>(unix_seconds)));
}

std::string utc_timestamp(std::int64_t unix_seconds) { return utc_timestamp_without_zone(unix_seconds) + "Z"; }

}  // namespace gantry
