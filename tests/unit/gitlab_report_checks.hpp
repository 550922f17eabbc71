// Assertions shared by the tests of the GitLab report writers (container scanning and SAST), which
// build their `scan` block and envelope with the same helpers.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gantry::testing {

inline bool non_empty_string(const nlohmann::json& value) {
    return value.is_string() && !value.get<std::string>().empty();
}

// version, type, status, the fixed test times, and complete analyzer/scanner blocks.
inline void check_report_envelope(const nlohmann::json& report, std::string_view scan_type) {
    CHECK(report["version"] == "15.2.1");
    CHECK(report["remediations"] == nlohmann::json::array());
    const nlohmann::json& scan = report["scan"];
    CHECK(scan["type"] == scan_type);
    CHECK(scan["status"] == "success");
    CHECK(scan["start_time"] == "2024-05-01T10:00:00");
    CHECK(scan["end_time"] == "2024-05-01T10:00:07");
    for (const char* block : {"analyzer", "scanner"}) {
        CAPTURE(block);
        for (const char* key : {"id", "name", "version"}) CHECK(non_empty_string(scan[block][key]));
        CHECK(non_empty_string(scan[block]["vendor"]["name"]));
    }
}

}  // namespace gantry::testing
