// The date fields of VEX documents (OpenVEX timestamp / last_updated, CycloneDX metadata.timestamp,
// analysis.firstIssued / lastUpdated) are RFC 3339 date-times; both readers take them as UTC days.
// A field that is not one fails at the cursor's JSON pointer, with an example of what was expected.
#pragma once

#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "gantry/json/json_cursor.hpp"
#include "gantry/vex/vex_document.hpp"

namespace gantry {

inline std::optional<std::chrono::sys_days> read_rfc3339_day(JsonCursor& cursor, JsonCursor::Value& value) {
    const auto text = cursor.read_string(value);
    if (!text) return std::nullopt;
    const auto day = parse_rfc3339_day(*text);
    if (!day) cursor.fail(fmt::format("expected an RFC 3339 date-time (2023-01-16T19:07:16Z), found \"{}\"", *text));
    return day;
}

}  // namespace gantry
