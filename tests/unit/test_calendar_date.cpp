#include <doctest/doctest.h>

#include "scan-gate/calendar_date.hpp"

using namespace scan_gate;

TEST_CASE("calendar dates") {
    CHECK(parse_calendar_date("2026-12-31")->to_string() == "2026-12-31");
    CHECK(parse_calendar_date("2026-12-31T10:00:00Z")->day == 31);
    CHECK_FALSE(parse_calendar_date("2026-02-30").has_value());
    CHECK_FALSE(parse_calendar_date("2026-1-01").has_value());
    CHECK_FALSE(parse_calendar_date("tomorrow").has_value());
    CHECK_FALSE(parse_calendar_date("2026-12-31x").has_value());
    CHECK(parse_calendar_date("2024-02-29").has_value());
    CHECK(days_between(*parse_calendar_date("2026-11-22"), *parse_calendar_date("2026-12-06")) == 14);
    CHECK(days_between(*parse_calendar_date("2027-01-01"), *parse_calendar_date("2026-12-31")) == -1);
    CHECK(today_utc().year >= 2024);
}
