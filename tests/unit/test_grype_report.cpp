#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"

using namespace gantry;

namespace {

std::filesystem::path grype_fixture(const std::string& name) {
    return std::filesystem::path(GANTRY_TEST_DATA_DIR) / "reports" / "grype" / name;
}

std::string error_reading(const std::string& text) {
    try {
        read_report_text(text, "bad.grype.json");
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

}  // namespace

TEST_SUITE("grype report") {

TEST_CASE("an image report: ids, aliases, fix, CVSS, package and target") {
    const auto path = grype_fixture("image.grype.json");
    const Report report = read_report(path);
    CHECK(report.format == ReportFormat::Grype);
    CHECK(report.scanner == "grype 0.74.0");
    REQUIRE(report.findings.size() == 4);

    const Finding& express = report.findings[0];
    CHECK(express.id == "GHSA-rv95-896h-c2vc");
    CHECK(express.aliases == std::vector<std::string>{"CVE-2024-29041"});
    CHECK(express.kind == FindingKind::Vulnerability);
    CHECK(express.severity == Severity::Medium);
    CHECK(express.cvss_score == 6.1);
    CHECK(express.fix_state == FixState::Fixed);
    CHECK(express.fixed_version == "4.19.2, 5.0.0-beta.3");
    CHECK(express.package == "express");
    CHECK(express.version == "4.18.2");
    CHECK(express.purl == "pkg:npm/express@4.18.2");
    CHECK(express.target == "registry.example.com/shop/api:1.4.2");
    CHECK(express.url == "https://github.com/advisories/GHSA-rv95-896h-c2vc");
    CHECK(express.title == "Express.js Open Redirect in malformed URLs");
    CHECK(express.scanner == "grype");
    CHECK(express.source_file == path.string());
    REQUIRE(express.location.has_value());
    CHECK(express.location->path == "/app/package-lock.json");
}

TEST_CASE("negligible is low; a score comes from the related record when the match has none") {
    const Report report = read_report(grype_fixture("image.grype.json"));
    const Finding& zlib = report.findings[1];
    CHECK(zlib.id == "CVE-2023-45853");
    CHECK(zlib.aliases.empty());  // the related record has the same id
    CHECK(zlib.severity == Severity::Low);
    CHECK(zlib.fix_state == FixState::WontFix);
    CHECK(zlib.cvss_score == 9.8);  // v3 over the v2 7.5
    CHECK(zlib.fixed_version.empty());
}

TEST_CASE("fix states and missing pieces") {
    const Report report = read_report(grype_fixture("image.grype.json"));
    const Finding& apt = report.findings[2];
    CHECK(apt.severity == Severity::Unknown);
    CHECK(apt.fix_state == FixState::NotFixed);
    CHECK(apt.cvss_score == 4.3);  // only a v2 score
    CHECK(apt.purl.empty());
    CHECK_FALSE(apt.location.has_value());
    const Finding& openssl = report.findings[3];
    CHECK(openssl.fix_state == FixState::Unknown);
    CHECK(openssl.severity == Severity::Low);
    CHECK(openssl.purl.empty());  // null
    CHECK_FALSE(openssl.cvss_score.has_value());
}

TEST_CASE("old schema: fixedInVersion, links, cvssV2/cvssV3, string target and locations") {
    const Report report = read_report(grype_fixture("old-schema.grype.json"));
    CHECK(report.scanner == "grype 0.7.0");
    REQUIRE(report.findings.size() == 1);
    const Finding& lodash = report.findings[0];
    CHECK(lodash.id == "CVE-2021-23337");
    CHECK(lodash.severity == Severity::High);
    CHECK(lodash.fixed_version == "4.17.21");
    CHECK(lodash.fix_state == FixState::Unknown);
    CHECK(is_fixable(lodash));
    CHECK(lodash.cvss_score == 7.2);  // cvssV3, though cvssV2 is higher
    CHECK(lodash.url == "https://nvd.nist.gov/vuln/detail/CVE-2021-23337");
    CHECK(lodash.target == "/srv/app");
    REQUIRE(lodash.location.has_value());
    CHECK(lodash.location->path == "/srv/app/package-lock.json");
}

TEST_CASE("an empty match list, and a report without descriptor") {
    const Report report = read_report_text(R"({"matches": [], "source": {"type": "directory", "target": "."}})", "g.json");
    CHECK(report.format == ReportFormat::Grype);
    CHECK(report.scanner == "grype");
    CHECK(report.findings.empty());
}

TEST_CASE("wrong types name the pointer") {
    const std::string message = error_reading(
        R"({"matches": [{"artifact": {"name": "a", "version": "1"}}, {"artifact": {"name": "b", "version": 2}}]})");
    CHECK(message.find("bad.grype.json") != std::string::npos);
    CHECK(message.find("/matches/1/artifact/version): expected a string, found a number") != std::string::npos);
    CHECK(error_reading(R"({"matches": [{"vulnerability": {"fix": {"versions": [1]}}}]})")
              .find("/matches/0/vulnerability/fix/versions/0): expected a string") != std::string::npos);
    CHECK(error_reading(R"({"matches": [{"vulnerability": {"cvss": [{"metrics": {"baseScore": "high"}}]}}]})")
              .find("/matches/0/vulnerability/cvss/0/metrics/baseScore): expected a number, found a string") !=
          std::string::npos);
    CHECK(error_reading(R"({"matches": [], "source": {"target": 42}})").find("/source/target): expected an object") !=
          std::string::npos);
    CHECK(error_reading(R"({"matches": "none"})").find("(at /matches): expected an array, found a string") !=
          std::string::npos);
}

}  // TEST_SUITE
