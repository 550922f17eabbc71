#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"

using namespace gantry;

namespace {

std::filesystem::path npm_fixture(const std::string& name) {
    return std::filesystem::path(GANTRY_TEST_DATA_DIR) / "npm-audit" / name;
}

}  // namespace

TEST_SUITE("npm audit report") {

TEST_CASE("advisory objects in via are findings, strings are not; the fix is another package's upgrade") {
    const Report report = read_report(npm_fixture("defectdojo-one-vuln.npm-audit.json"));
    CHECK(report.format == ReportFormat::NpmAudit);
    CHECK(report.scanner == "npm audit");
    REQUIRE(report.findings.size() == 2);
    const Finding& redos = report.findings[0];
    CHECK(redos.id == "GHSA-gxpj-cx7g-858c");
    CHECK(redos.aliases == std::vector<std::string>{"npm:1094222"});
    CHECK(redos.package == "debug");
    CHECK(redos.version.empty());  // npm audit does not say which version is installed
    CHECK(redos.severity == Severity::Medium);
    CHECK(redos.cvss_score == 5.3);
    CHECK(redos.title == "Regular Expression Denial of Service in debug");
    CHECK(redos.url == "https://github.com/advisories/GHSA-gxpj-cx7g-858c");
    CHECK(redos.fix_state == FixState::Fixed);
    CHECK(redos.fixed_version == "express@4.18.3");
    CHECK(redos.target == "node_modules/debug");
    CHECK(redos.message == "CWE-400; vulnerable versions <=2.6.8");
    CHECK(redos.scanner == "npm audit");
    CHECK(report.findings[1].id == "GHSA-9vvw-cc9w-f27h");
    CHECK(report.findings[1].severity == Severity::High);
}

TEST_CASE("a semver-major fix is said so") {
    const Report report = read_report(npm_fixture("defectdojo-issue-10801.npm-audit.json"));
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].fixed_version == "nodemon@3.1.4");
    CHECK(report.findings[0].message == "vulnerable versions <11.8.5; the fix is a semver-major upgrade");
}

TEST_CASE("a clean audit has no findings") {
    CHECK(read_report(npm_fixture("defectdojo-no-vuln.npm-audit.json")).findings.empty());
}

// Hand-written edge cases: fixAvailable as a boolean, an advisory without a GitHub URL.
TEST_CASE("fixAvailable true and false; the npm advisory number when there is no GitHub advisory") {
    const Report report = read_report_text(R"({"auditReportVersion": 2, "vulnerabilities": {
        "a": {"name": "a", "severity": "low", "via": [{"source": 7, "name": "a", "severity": "low",
              "cvss": {"score": 0, "vectorString": null}}], "fixAvailable": true},
        "b": {"name": "b", "severity": "critical", "via": ["a", {"source": 8, "name": "b", "severity": "critical",
              "url": "https://github.com/advisories/GHSA-xxxx-yyyy-zzzz"}], "fixAvailable": false}}})",
                                           "edge.npm.json");
    REQUIRE(report.findings.size() == 2);
    CHECK(report.findings[0].id == "npm:7");
    CHECK(report.findings[0].fix_state == FixState::Fixed);
    CHECK_FALSE(report.findings[0].cvss_score.has_value());
    CHECK(report.findings[1].id == "GHSA-xxxx-yyyy-zzzz");
    CHECK(report.findings[1].fix_state == FixState::NotFixed);
    CHECK(report.findings[1].severity == Severity::Critical);
}

}  // TEST_SUITE
