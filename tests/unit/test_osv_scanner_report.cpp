#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "gantry/base/error.hpp"
#include "gantry/findings/dedupe.hpp"
#include "gantry/findings/report_reader.hpp"

using namespace gantry;

namespace {

std::filesystem::path osv_fixture(const std::string& name) {
    return std::filesystem::path(GANTRY_TEST_DATA_DIR) / "osv-scanner" / name;
}

bool has_alias(const Finding& finding, const std::string& alias) {
    return std::find(finding.aliases.begin(), finding.aliases.end(), alias) != finding.aliases.end();
}

}  // namespace

TEST_SUITE("osv-scanner report") {

TEST_CASE("a group is one finding; without max_severity the CVSS vector is scored") {
    const auto path = osv_fixture("osv-scanner-test-vuln-results-a.osv.json");
    const Report report = read_report(path);
    CHECK(report.format == ReportFormat::OsvScanner);
    CHECK(report.scanner == "osv-scanner");
    REQUIRE(report.findings.size() == 2);

    const Finding& gogo = report.findings[0];
    CHECK(gogo.id == "GO-2021-0053");
    CHECK(gogo.aliases == std::vector<std::string>{"CVE-2021-3121", "GHSA-c3h9-896r-86jm"});
    CHECK(gogo.package == "github.com/gogo/protobuf");
    CHECK(gogo.version == "1.3.1");
    CHECK(gogo.target == "/path/to/go.mod");
    CHECK(gogo.fixed_version == "1.3.2");
    CHECK(gogo.fix_state == FixState::Fixed);
    CHECK(gogo.severity == Severity::Unknown);  // no CVSS, no database severity
    CHECK(gogo.url == "https://github.com/gogo/protobuf/commit/b03c65ea87cdc3521ede29f62fe3ce239267c1bc");
    CHECK(gogo.source_file == path.string());

    const Finding& regex = report.findings[1];
    CHECK(regex.id == "GHSA-m5pq-gvj9-9vr8");
    CHECK(has_alias(regex, "RUSTSEC-2022-0013"));
    CHECK(has_alias(regex, "CVE-2022-24713"));
    CHECK(regex.severity == Severity::High);
    CHECK(regex.cvss_score == 7.5);
    CHECK(regex.message ==
          "CWE-400; severity from the CVSS base score 7.5 of CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
    CHECK(regex.fixed_version == "1.5.5");
    CHECK(regex.url == "https://nvd.nist.gov/vuln/detail/CVE-2022-24713");
    CHECK(regex.title == "Rust's regex crate vulnerable to regular expression denial of service");
    CHECK(regex.target == "/path/to/sub-rust-project/Cargo.lock");
}

TEST_CASE("a malicious package: no severity, no fix") {
    const Report report = read_report(osv_fixture("defectdojo-some-findings.osv.json"));
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].id == "MAL-2023-1035");
    CHECK(report.findings[0].aliases == std::vector<std::string>{"GHSA-8348-2q94-ffjx"});
    CHECK(report.findings[0].fix_state == FixState::Unknown);
    CHECK(report.findings[0].title == "Malicious code in flot-axis (npm)");
}

// Hand-written edge cases: max_severity (OSV-Scanner 1.7 and later), a database severity only, and
// records without groups (older versions).
TEST_CASE("max_severity decides; else the database's word; records without groups are one finding each") {
    const Report report = read_report_text(R"({"results": [{"source": {"path": "go.mod", "type": "lockfile"}, "packages": [
        {"package": {"name": "golang.org/x/net", "version": "0.1.0", "ecosystem": "Go"},
         "vulnerabilities": [{"id": "GO-1", "severity": [{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}]}],
         "groups": [{"ids": ["GO-1"], "aliases": ["GO-1", "CVE-2023-1"], "max_severity": "9.3"}]},
        {"package": {"name": "lodash", "version": "4.17.0", "ecosystem": "npm"},
         "vulnerabilities": [{"id": "GHSA-a", "database_specific": {"severity": "MODERATE"}},
                             {"id": "GHSA-b", "database_specific": "free-form"}]}]}]})",
                                           "edge.osv.json");
    REQUIRE(report.findings.size() == 3);
    CHECK(report.findings[0].severity == Severity::Critical);
    CHECK(report.findings[0].cvss_score == 9.3);
    CHECK(report.findings[0].aliases == std::vector<std::string>{"CVE-2023-1"});
    CHECK(report.findings[0].message == "severity from OSV-Scanner's max_severity 9.3");
    CHECK(report.findings[1].id == "GHSA-a");
    CHECK(report.findings[1].severity == Severity::Medium);
    CHECK(report.findings[1].message == "severity from the advisory database (no CVSS score)");
    CHECK(report.findings[2].severity == Severity::Unknown);
}

TEST_CASE("the same CVE of one package and version from Trivy, OSV-Scanner and CycloneDX counts once") {
    FindingList all = read_report(osv_fixture("osv-scanner-test-vuln-results-a.osv.json")).findings;
    // Hand-written: a Trivy and a CycloneDX report of the same Cargo.lock.
    for (Finding& finding : read_report_text(R"({"SchemaVersion": 2, "Results": [{"Target": "Cargo.lock",
            "Vulnerabilities": [{"VulnerabilityID": "CVE-2022-24713", "PkgName": "regex", "InstalledVersion": "1.5.1",
                                 "Severity": "HIGH"}]}]})",
                                                 "trivy.json")
                                    .findings) {
        all.push_back(std::move(finding));
    }
    for (Finding& finding : read_report_text(R"({"bomFormat": "CycloneDX", "components": [
            {"bom-ref": "r", "name": "regex", "version": "1.5.1", "purl": "pkg:cargo/regex@1.5.1"}],
            "vulnerabilities": [{"id": "CVE-2022-24713", "affects": [{"ref": "r"}]}]})",
                                                 "bom.cdx.json")
                                    .findings) {
        all.push_back(std::move(finding));
    }
    REQUIRE(all.size() == 4);
    const FindingList merged = deduplicate(std::move(all));
    REQUIRE(merged.size() == 2);
    CHECK(merged[1].id == "GHSA-m5pq-gvj9-9vr8");
    CHECK(merged[1].scanner == "osv-scanner, trivy, cyclonedx");
    CHECK(merged[1].purl == "pkg:cargo/regex@1.5.1");
}

TEST_CASE("another scanner's results are not read as OSV-Scanner's") {
    try {
        read_report_text(R"({"results": [{"check_id": "python.lang.eval", "path": "app.py"}], "errors": []})",
                         "semgrep.json");
        FAIL("expected an InputError");
    } catch (const InputError& error) {
        CHECK(std::string(error.what()).find("(at /results/0): expected an OSV-Scanner result") != std::string::npos);
    }
}

}  // TEST_SUITE
