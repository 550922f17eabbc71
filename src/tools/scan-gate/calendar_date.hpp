// Calendar dates for waiver expiry: parsing YYYY-MM-DD (or the date part of an RFC 3339 timestamp),
// today's date in UTC, and day arithmetic.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scan_gate {

struct CalendarDate {
    int year = 1970;
    int month = 1;
    int day = 1;

    long days_since_epoch() const;
    std::string to_string() const;  // YYYY-MM-DD
    friend auto operator<=>(const CalendarDate&, const CalendarDate&) = default;
};

// Accepts "2026-12-31" and "2026-12-31T10:00:00Z"; nullopt for anything else or an impossible date.
std::optional<CalendarDate> parse_calendar_date(std::string_view text);
CalendarDate today_utc();
long days_between(const CalendarDate& from, const CalendarDate& to);  // to - from

}  // namespace scan_gate
