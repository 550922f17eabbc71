#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "gantry/sarif/sarif_filter.hpp"

using gantry::FilterReason;
using gantry::SarifFilter;
using gantry::SarifLevel;
using nlohmann::json;

TEST_SUITE("sarif_filter") {
TEST_CASE("level: the result's, else the rule's default, else warning") {
    const json rule = {{"defaultConfiguration", {{"level", "note"}}}};
    CHECK(gantry::effective_level(json{{"level", "error"}}, &rule) == SarifLevel::Error);
    CHECK(gantry::effective_level(json::object(), &rule) == SarifLevel::Note);
    CHECK(gantry::effective_level(json::object(), nullptr) == SarifLevel::Warning);
    SarifFilter filter;
    filter.min_level = SarifLevel::Warning;
    CHECK(filter.judge(json::object(), &rule, "r", "a.c") == FilterReason::Level);
    CHECK(filter.judge(json{{"level", "warning"}}, &rule, "r", "a.c") == FilterReason::Kept);
}

TEST_CASE("security severity: result or rule property, number or numeric string; none fails the filter") {
    const json rule = {{"properties", {{"security-severity", "7.5"}}}};
    CHECK(gantry::security_severity(json::object(), &rule) == doctest::Approx(7.5));
    CHECK(gantry::security_severity(json{{"properties", {{"security-severity", 9.1}}}}, &rule) == doctest::Approx(9.1));
    CHECK_FALSE(gantry::security_severity(json::object(), nullptr));
    const json bad = {{"properties", {{"security-severity", "high"}}}};
    CHECK_FALSE(gantry::security_severity(json::object(), &bad));
    SarifFilter filter;
    filter.min_security_severity = 7.0;
    CHECK(filter.judge(json::object(), &rule, "r", "") == FilterReason::Kept);
    CHECK(filter.judge(json::object(), nullptr, "r", "") == FilterReason::SecuritySeverity);
    filter.min_security_severity = 8.0;
    CHECK(filter.judge(json::object(), &rule, "r", "") == FilterReason::SecuritySeverity);
}

TEST_CASE("paths and rules") {
    SarifFilter filter;
    filter.include_paths = {"src/**"};
    filter.exclude_paths = {"*.min.js"};
    filter.rules = {"js/*"};
    filter.exclude_rules = {"js/unused-*"};
    const json result = json::object();
    CHECK(filter.judge(result, nullptr, "js/xss", "src/app.js") == FilterReason::Kept);
    CHECK(filter.judge(result, nullptr, "js/xss", "test/app.js") == FilterReason::IncludedPaths);
    CHECK(filter.judge(result, nullptr, "js/xss", "src/app.min.js") == FilterReason::ExcludedPaths);
    CHECK(filter.judge(result, nullptr, "py/sql", "src/app.js") == FilterReason::AllowedRules);
    CHECK(filter.judge(result, nullptr, "js/unused-var", "src/app.js") == FilterReason::DeniedRules);
    // No location: path filters do not apply.
    CHECK(filter.judge(result, nullptr, "js/xss", "") == FilterReason::Kept);
    CHECK(SarifFilter{}.empty());
    CHECK_FALSE(filter.empty());
}
}
