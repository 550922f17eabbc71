#include "scan-gate/calendar_date.hpp"

#include <chrono>
#include <cstdio>

namespace scan_gate {

long CalendarDate::days_since_epoch() const {
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

std::string CalendarDate::to_string() const {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    return buffer;
}

std::optional<CalendarDate> parse_calendar_date(std::string_view text) {
    if (text.size() < 10 || (text.size() > 10 && text[10] != 'T' && text[10] != ' ')) return std::nullopt;
    for (std::size_t i = 0; i < 10; ++i) {
        const bool dash = i == 4 || i == 7;
        if (dash ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return std::nullopt;
    }
    auto number = [&](std::size_t from, std::size_t length) {
        int value = 0;
        for (std::size_t i = from; i < from + length; ++i) value = value * 10 + (text[i] - '0');
        return value;
    };
    CalendarDate date{number(0, 4), number(5, 2), number(8, 2)};
    const std::chrono::year_month_day ymd{std::chrono::year{date.year},
                                          std::chrono::month{static_cast<unsigned>(date.month)},
                                          std::chrono::day{static_cast<unsigned>(date.day)}};
    if (!ymd.ok()) return std::nullopt;
    return date;
}

CalendarDate today_utc() {
    const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const std::chrono::year_month_day ymd{days};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

long days_between(const CalendarDate& from, const CalendarDate& to) {
    return to.days_since_epoch() - from.days_since_epoch();
}

}  // namespace scan_gate
