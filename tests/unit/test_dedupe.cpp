#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "gantry/findings/dedupe.hpp"

using namespace gantry;

namespace {

Finding vulnerability(std::string id, std::string package, std::string version, std::string scanner) {
    Finding finding;
    finding.id = std::move(id);
    finding.package = std::move(package);
    finding.version = std::move(version);
    finding.scanner = std::move(scanner);
    return finding;
}

Finding code_result(std::string rule, std::string path, int line, std::string message = "m") {
    Finding finding;
    finding.kind = FindingKind::Code;
    finding.id = std::move(rule);
    finding.scanner = "CodeQL";
    finding.target = path;
    finding.location = Location{std::move(path), line};
    finding.message = std::move(message);
    return finding;
}

}  // namespace

TEST_SUITE("dedupe") {

TEST_CASE("Trivy's CVE and Grype's GHSA for the same package are one finding") {
    Finding trivy = vulnerability("CVE-2024-29041", "express", "4.18.2", "trivy");
    trivy.purl = "pkg:npm/express@4.18.2";
    trivy.severity = Severity::Medium;
    trivy.cvss_score = 6.1;
    trivy.target = "app/package-lock.json";
    const Finding other = vulnerability("CVE-2024-0001", "lodash", "4.17.20", "trivy");
    Finding grype = vulnerability("GHSA-rv95-896h-c2vc", "express", "4.18.2", "grype");
    grype.aliases = {"CVE-2024-29041"};
    grype.purl = "pkg:npm/express@4.18.2?type=npm";  // qualifiers do not matter
    grype.severity = Severity::High;
    grype.cvss_score = 5.0;
    grype.fixed_version = "4.19.2";

    const FindingList result = deduplicate({trivy, other, grype});
    REQUIRE(result.size() == 2);
    const Finding& merged = result[0];  // the order of first appearance
    CHECK(merged.id == "CVE-2024-29041");
    CHECK(merged.aliases == std::vector<std::string>{"GHSA-rv95-896h-c2vc"});
    CHECK(merged.severity == Severity::High);
    CHECK(merged.cvss_score == 6.1);
    CHECK(merged.scanner == "trivy, grype");
    CHECK(merged.fixed_version == "4.19.2");  // filled in from the other scanner
    CHECK(merged.target == "app/package-lock.json");
    CHECK(result[1].id == "CVE-2024-0001");
}

TEST_CASE("different version, kind or package means a different finding") {
    const Finding a = vulnerability("CVE-1", "openssl", "3.0.11", "trivy");
    Finding other_version = a;
    other_version.version = "3.0.13";
    Finding other_kind = a;
    other_kind.kind = FindingKind::Misconfiguration;
    Finding other_package = a;
    other_package.package = "libssl3";
    CHECK(deduplicate({a, other_version, other_kind, other_package}).size() == 4);
}

TEST_CASE("two purls that differ are different packages even under one name") {
    Finding npm = vulnerability("CVE-1", "ws", "7.4.6", "trivy");
    npm.purl = "pkg:npm/ws@7.4.6";
    Finding gem = vulnerability("CVE-1", "ws", "7.4.6", "grype");
    gem.purl = "pkg:gem/ws@7.4.6";
    CHECK(deduplicate({npm, gem}).size() == 2);
}

TEST_CASE("a finding without purl matches by package name") {
    Finding trivy = vulnerability("CVE-2023-45853", "zlib1g", "1:1.2.13.dfsg-1", "trivy");
    trivy.purl = "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64";
    trivy.severity = Severity::Critical;
    Finding gitlab = vulnerability("CVE-2023-45853", "zlib1g", "1:1.2.13.dfsg-1", "trivy");
    gitlab.severity = Severity::Low;
    const auto result = deduplicate({gitlab, trivy});
    REQUIRE(result.size() == 1);
    CHECK(result[0].severity == Severity::Critical);
    CHECK(result[0].scanner == "trivy");  // not "trivy, trivy"
    CHECK(result[0].purl == trivy.purl);
}

TEST_CASE("aliases link transitively") {
    Finding first = vulnerability("CVE-1", "p", "1", "trivy");
    Finding second = vulnerability("GHSA-1", "p", "1", "grype");
    second.aliases = {"CVE-1", "PYSEC-1"};
    Finding third = vulnerability("PYSEC-1", "p", "1", "osv");  // linked only through the second
    const auto result = deduplicate({first, second, third});
    REQUIRE(result.size() == 1);
    CHECK(result[0].aliases == std::vector<std::string>{"GHSA-1", "PYSEC-1"});
    CHECK(result[0].scanner == "trivy, grype, osv");
}

TEST_CASE("a vendor advisory shared by two CVEs does not merge them") {
    Finding first = vulnerability("CVE-2019-1559", "openssl-libs", "1:1.0.2k-16.el7", "trivy");
    first.aliases = {"RHSA-2019:2304"};
    Finding second = vulnerability("CVE-2018-0734", "openssl-libs", "1:1.0.2k-16.el7", "trivy");
    second.aliases = {"RHSA-2019:2304"};
    CHECK(deduplicate({first, second}).size() == 2);
}

TEST_CASE("findings without a package are the same only at the same place") {
    const auto result = deduplicate({code_result("js/xss", "a.js", 3), code_result("js/xss", "a.js", 9),
                                     code_result("js/xss", "b.js", 3), code_result("js/xss", "a.js", 3),
                                     code_result("js/xss", "a.js", 3, "another value flows here")});
    REQUIRE(result.size() == 4);
    CHECK(result[0].location->start_line == 3);
    CHECK(result[1].location->start_line == 9);
    CHECK(result[2].location->path == "b.js");
    CHECK(result[3].message == "another value flows here");
}

TEST_CASE("SARIF results are the same exactly when sarif-merge would take them for the same") {
    auto with_identity = [](Finding finding, std::string identity, std::string scanner = "CodeQL") {
        finding.sarif_identity = digest_of(identity);
        finding.scanner = std::move(scanner);
        return finding;
    };
    // One partial fingerprint, reported at two lines (the code above it moved between two runs).
    const auto result = deduplicate({with_identity(code_result("js/xss", "a.js", 3), "fp-1"),
                                     with_identity(code_result("js/xss", "a.js", 9), "fp-1"),
                                     with_identity(code_result("js/xss", "a.js", 3), "fp-2"),
                                     with_identity(code_result("js/xss", "a.js", 3), "fp-1", "Semgrep")});
    REQUIRE(result.size() == 3);
    CHECK(result[0].location->start_line == 3);
    CHECK(result[1].sarif_identity == digest_of("fp-2"));
    CHECK(result[2].scanner == "Semgrep");  // another tool's result is its own
}

TEST_CASE("licences: one package's licence once, licence files by place") {
    auto license = [](std::string name, std::string package, std::string file = {}) {
        Finding finding;
        finding.kind = FindingKind::License;
        finding.id = std::move(name);
        finding.package = std::move(package);
        finding.scanner = "trivy";
        if (!file.empty()) finding.location = Location{std::move(file)};
        return finding;
    };
    const auto result = deduplicate({license("GPL-2.0", "busybox"), license("GPL-2.0", "busybox"),
                                     license("MIT", "busybox"), license("GPL-2.0", "musl"),
                                     license("OpenSSL", "", "/etc/ssl/misc/CA.pl"),
                                     license("OpenSSL", "", "/etc/ssl/misc/tsget.pl")});
    CHECK(result.size() == 5);
}

TEST_CASE("empty and single inputs") {
    CHECK(deduplicate({}).empty());
    const auto one = deduplicate({vulnerability("CVE-1", "p", "1", "trivy")});
    REQUIRE(one.size() == 1);
    CHECK(one[0].scanner == "trivy");
}

}  // TEST_SUITE
