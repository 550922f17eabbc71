#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"

using namespace gantry;

namespace {

std::filesystem::path gitlab_fixture(const std::string& name) {
    return std::filesystem::path(GANTRY_TEST_DATA_DIR) / "reports" / "gitlab" / name;
}

}  // namespace

TEST_SUITE("gitlab report") {

TEST_CASE("container scanning, schema 15") {
    const auto path = gitlab_fixture("container-scanning.v15.json");
    const Report report = read_report(path);
    CHECK(report.format == ReportFormat::GitlabSecurity);
    CHECK(report.scanner == "trivy 0.50.1");
    REQUIRE(report.findings.size() == 3);

    const Finding& zlib = report.findings[0];
    CHECK(zlib.id == "CVE-2023-45853");
    CHECK(zlib.aliases.empty());
    CHECK(zlib.kind == FindingKind::Vulnerability);
    CHECK(zlib.severity == Severity::Critical);
    CHECK(zlib.package == "zlib1g");
    CHECK(zlib.version == "1:1.2.13.dfsg-1");
    CHECK(zlib.target == "registry.example.com/shop/api:1.4.2");
    CHECK(zlib.fix_state == FixState::Unknown);  // "No solution provided"
    CHECK(zlib.title == "MiniZip in zlib through 1.3 has an integer overflow and resultant heap-based buffer overflow");
    CHECK(zlib.url == "https://nvd.nist.gov/vuln/detail/CVE-2023-45853");
    CHECK(zlib.scanner == "trivy");
    CHECK(zlib.source_file == path.string());
    CHECK_FALSE(zlib.location.has_value());

    const Finding& openssl = report.findings[1];
    CHECK(openssl.id == "CVE-2024-0727");
    CHECK(openssl.aliases == std::vector<std::string>{"DSA-5621-1"});
    CHECK(openssl.fix_state == FixState::Fixed);
    CHECK(openssl.severity == Severity::Medium);
    CHECK(openssl.title == "openssl: denial of service via null dereference");

    const Finding& bare = report.findings[2];
    CHECK(bare.id == "8d2a6f1b2c3d4e5f60718293a4b5c6d7e8f90123");  // no identifiers: the report's own id
    CHECK(bare.severity == Severity::Low);                         // Info
    CHECK(bare.package.empty());
}

TEST_CASE("dependency scanning, schema 14: GHSA when there is no CVE, CWE is not an alias") {
    const Report report = read_report(gitlab_fixture("dependency-scanning.v14.json"));
    CHECK(report.scanner == "gemnasium 2.38.2");
    REQUIRE(report.findings.size() == 2);

    const Finding& minimatch = report.findings[0];
    CHECK(minimatch.id == "GHSA-f8q6-p94x-37v3");
    CHECK(minimatch.aliases == std::vector<std::string>{"4b2a3c1d-0000-4000-8000-000000000001"});
    CHECK(minimatch.severity == Severity::High);
    CHECK(minimatch.fix_state == FixState::Fixed);
    CHECK(minimatch.package == "minimatch");
    CHECK(minimatch.version == "3.0.4");
    CHECK(minimatch.target == "package-lock.json");
    REQUIRE(minimatch.location.has_value());
    CHECK(minimatch.location->path == "package-lock.json");
    CHECK(minimatch.url == "https://github.com/advisories/GHSA-f8q6-p94x-37v3");
    CHECK(minimatch.scanner == "gemnasium");

    const Finding& lodash = report.findings[1];
    CHECK(lodash.id == "CVE-2019-10744");  // the CVE identifier, though listed second
    CHECK(lodash.aliases == std::vector<std::string>{"1234-5678"});
    CHECK(lodash.title == "Prototype Pollution in lodash");  // v14 "message"
    CHECK(lodash.fix_state == FixState::Unknown);
    CHECK(lodash.severity == Severity::Critical);
}

TEST_CASE("the scan type decides the kind: SAST is code, secret detection is a secret") {
    const Report sast = read_report_text(R"({"version": "15.0.0", "vulnerabilities": [
        {"id": "1", "name": "SQL injection", "severity": "High",
         "identifiers": [{"type": "semgrep_id", "value": "python.sql"}, {"type": "cwe", "value": "89"}],
         "location": {"file": "app/db.py", "start_line": 12, "end_line": 14}}],
        "scan": {"type": "sast", "scanner": {"name": "Semgrep"}}})",
                                         "gl-sast-report.json");
    REQUIRE(sast.findings.size() == 1);
    CHECK(sast.findings[0].kind == FindingKind::Code);
    CHECK(sast.findings[0].id == "python.sql");
    CHECK(sast.findings[0].aliases.empty());
    CHECK(sast.findings[0].scanner == "semgrep");
    REQUIRE(sast.findings[0].location.has_value());
    CHECK(sast.findings[0].location->start_line == 12);
    CHECK(sast.findings[0].location->end_line == 14);

    const Report secrets = read_report_text(
        R"({"vulnerabilities": [{"id": "2", "severity": "Critical", "identifiers": [{"type": "gitleaks_rule_id", "value": "AWS"}]}],
            "scan": {"type": "secret_detection"}})",
        "gl-secret-detection-report.json");
    REQUIRE(secrets.findings.size() == 1);
    CHECK(secrets.findings[0].kind == FindingKind::Secret);
    CHECK(secrets.scanner == "gitlab");
}

TEST_CASE("a real 2.x report without `scan`: each vulnerability's category and scanner say it") {
    // Gemnasium-maven's report of GitLab's java-maven test project (tests/data/gitlab/SOURCES.md).
    const auto path = std::filesystem::path(GANTRY_TEST_DATA_DIR) / "gitlab" /
                      "gitlab-tests-java-maven-expect.gl-dependency-scanning.json";
    const Report report = read_report(path);
    CHECK(report.format == ReportFormat::GitlabSecurity);
    CHECK(report.scanner == "gemnasium");
    REQUIRE(report.findings.size() == 25);
    for (const Finding& finding : report.findings) {
        CHECK(finding.kind == FindingKind::Vulnerability);
        CHECK(finding.origin == PackageOrigin::Dependency);  // so it goes to --gitlab-dependency-out
        CHECK(finding.dependency_file == "pom.xml");
        CHECK(finding.scanner == "gemnasium");
    }
    const Finding& first = report.findings[0];
    CHECK(first.id == "CVE-2018-7489");
    CHECK(first.package == "com.fasterxml.jackson.core/jackson-databind");
    CHECK(first.version == "2.9.2");
    CHECK(first.severity == Severity::Critical);
    CHECK(first.title == "Deserialization of Untrusted Data");

    // `scan` wins over what a vulnerability says of itself.
    const Report mixed = read_report_text(R"({"version": "3.0.0", "vulnerabilities": [
        {"category": "sast", "scanner": {"id": "other"}, "severity": "Low", "identifiers": [{"type": "cve", "value": "CVE-1"}],
         "location": {"file": "go.sum", "dependency": {"package": {"name": "x"}, "version": "1"}}}],
        "scan": {"type": "dependency_scanning", "scanner": {"id": "gemnasium", "version": "2.24.1"}}})",
                                          "gl-dependency-scanning-report.json");
    REQUIRE(mixed.findings.size() == 1);
    CHECK(mixed.scanner == "gemnasium 2.24.1");
    CHECK(mixed.findings[0].scanner == "gemnasium");
    CHECK(mixed.findings[0].kind == FindingKind::Vulnerability);
    CHECK(mixed.findings[0].origin == PackageOrigin::Dependency);
    CHECK(mixed.findings[0].dependency_file == "go.sum");
}

TEST_CASE("wrong types name the pointer") {
    try {
        read_report_text(R"({"version": "15.0.0", "vulnerabilities": [{"id": "1", "severity": 4}]})", "gl.json");
        FAIL("expected an InputError");
    } catch (const InputError& error) {
        const std::string message = error.what();
        CHECK(message.find("gl.json:1:") != std::string::npos);
        CHECK(message.find("(at /vulnerabilities/0/severity): expected a string, found a number") != std::string::npos);
    }
    CHECK_THROWS_WITH_AS(
        read_report_text(R"({"version": "15.0.0", "vulnerabilities": [{"identifiers": [{"value": {}}]}]})", "gl.json"),
        doctest::Contains("/vulnerabilities/0/identifiers/0/value"), InputError);
    CHECK_THROWS_WITH_AS(
        read_report_text(R"({"version": "2.3", "vulnerabilities": [{"category": ["dependency_scanning"]}]})", "gl.json"),
        doctest::Contains("(at /vulnerabilities/0/category): expected a string, found an array"), InputError);
}

}  // TEST_SUITE
