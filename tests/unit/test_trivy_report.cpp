#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"

using namespace gantry;

namespace {

std::filesystem::path trivy_fixture(const std::string& name) {
    return std::filesystem::path(GANTRY_TEST_DATA_DIR) / "reports" / "trivy" / name;
}

const Finding& find_id(const Report& report, const std::string& id) {
    const auto it = std::find_if(report.findings.begin(), report.findings.end(),
                                 [&](const Finding& finding) { return finding.id == id; });
    REQUIRE(it != report.findings.end());
    return *it;
}

// The message of the InputError thrown while reading `text`, or "" when none is thrown.
std::string error_reading(const std::string& text, const std::string& name = "bad.trivy.json") {
    try {
        read_report_text(text, name);
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

}  // namespace

TEST_SUITE("trivy report") {

TEST_CASE("an image report gives vulnerabilities, secrets and failed misconfigurations") {
    const auto path = trivy_fixture("image.trivy.json");
    const Report report = read_report(path);
    CHECK(report.format == ReportFormat::Trivy);
    CHECK(report.scanner == "trivy 0.50.1");
    CHECK(report.path == path.string());
    REQUIRE(report.findings.size() == 9);  // 6 os + 1 npm + 1 secret + 1 FAIL (the PASS is not a finding)
    for (const Finding& finding : report.findings) {
        CHECK(finding.scanner == "trivy");
        CHECK(finding.source_file == path.string());
    }

    const Finding& openssl = report.findings[0];
    CHECK(openssl.id == "CVE-2024-0727");
    CHECK(openssl.kind == FindingKind::Vulnerability);
    CHECK(openssl.aliases == std::vector<std::string>{"DSA-5621-1"});
    CHECK(openssl.package == "openssl");
    CHECK(openssl.version == "3.0.11-1~deb12u2");
    CHECK(openssl.purl == "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5");
    CHECK(openssl.fixed_version == "3.0.13-1~deb12u1");
    CHECK(openssl.fix_state == FixState::Fixed);
    CHECK(openssl.severity == Severity::Medium);
    REQUIRE(openssl.cvss_score.has_value());
    CHECK(*openssl.cvss_score == doctest::Approx(6.5));  // the highest V3 score of all sources
    CHECK(openssl.title == "openssl: denial of service via null dereference");
    CHECK(openssl.url == "https://avd.aquasec.com/nvd/cve-2024-0727");
    CHECK(openssl.target == "registry.example.com/shop/api:1.4.2 (debian 12.5)");
    CHECK_FALSE(openssl.location.has_value());
}

TEST_CASE("Trivy statuses map to fix states") {
    const Report report = read_report(trivy_fixture("image.trivy.json"));
    CHECK(find_id(report, "CVE-2023-45853").fix_state == FixState::WontFix);
    CHECK(find_id(report, "CVE-2011-3374").fix_state == FixState::NotFixed);
    CHECK(find_id(report, "CVE-2022-0563").fix_state == FixState::Deferred);
    CHECK(find_id(report, "CVE-2005-2541").fix_state == FixState::EndOfLife);
    CHECK(find_id(report, "CVE-2024-28085").fix_state == FixState::Unknown);  // under_investigation
}

TEST_CASE("CVSS: V3 wins over a higher V2; V2 is used when there is no V3") {
    const Report report = read_report(trivy_fixture("image.trivy.json"));
    CHECK(find_id(report, "CVE-2023-45853").cvss_score == 9.8);
    CHECK(find_id(report, "CVE-2011-3374").cvss_score == 4.3);
    CHECK_FALSE(find_id(report, "CVE-2005-2541").cvss_score.has_value());
}

TEST_CASE("nulls count as missing and unknown severities as Unknown") {
    const Report report = read_report(trivy_fixture("image.trivy.json"));
    const Finding& util_linux = find_id(report, "CVE-2022-0563");
    CHECK(util_linux.severity == Severity::Unknown);  // "SEVERE"
    CHECK(util_linux.title.empty());
    CHECK(util_linux.fixed_version.empty());
    CHECK(util_linux.aliases.empty());
    CHECK_FALSE(util_linux.cvss_score.has_value());
    CHECK(find_id(report, "CVE-2024-28085").severity == Severity::Unknown);
}

TEST_CASE("without a Title the first line of the description is the title") {
    const Report report = read_report(trivy_fixture("image.trivy.json"));
    CHECK(find_id(report, "CVE-2011-3374").title.starts_with("It was found that apt-key in apt"));
}

TEST_CASE("a Target written after the vulnerabilities still applies to them") {
    const Report report = read_report(trivy_fixture("image.trivy.json"));
    const Finding& express = find_id(report, "CVE-2024-29041");
    CHECK(express.target == "app/package-lock.json");
    CHECK(express.aliases == std::vector<std::string>{"GHSA-rv95-896h-c2vc"});
    CHECK(express.fixed_version == "4.19.2, 5.0.0-beta.3");
    CHECK(express.purl == "pkg:npm/express@4.18.2");
}

TEST_CASE("secrets are located in their target") {
    const Report report = read_report(trivy_fixture("image.trivy.json"));
    const Finding& secret = find_id(report, "github-pat");
    CHECK(secret.kind == FindingKind::Secret);
    CHECK(secret.severity == Severity::Critical);
    CHECK(secret.title == "GitHub Personal Access Token");
    CHECK(secret.target == "app/config/.env");
    REQUIRE(secret.location.has_value());
    CHECK(secret.location->path == "app/config/.env");
    CHECK(secret.location->start_line == 4);
    CHECK(secret.location->end_line == 4);
    CHECK(secret.package.empty());
}

TEST_CASE("misconfigurations use the AVD id and the cause's lines") {
    const Report report = read_report(trivy_fixture("image.trivy.json"));
    const Finding& misconfiguration = find_id(report, "AVD-KSV-0001");
    CHECK(misconfiguration.kind == FindingKind::Misconfiguration);
    CHECK(misconfiguration.aliases == std::vector<std::string>{"KSV001"});
    CHECK(misconfiguration.severity == Severity::Medium);
    CHECK(misconfiguration.title == "Process can elevate its own privileges");
    CHECK(misconfiguration.message.starts_with("Container 'api' of Deployment 'api'"));
    CHECK(misconfiguration.url == "https://avd.aquasec.com/misconfig/ksv001");
    REQUIRE(misconfiguration.location.has_value());
    CHECK(misconfiguration.location->path == "deploy/k8s/api.yaml");
    CHECK(misconfiguration.location->start_line == 18);
    CHECK(misconfiguration.location->end_line == 31);
    CHECK(std::none_of(report.findings.begin(), report.findings.end(),
                       [](const Finding& finding) { return finding.id == "AVD-KSV-0012"; }));
}

TEST_CASE("old reports without Status: a fixed version means fixed") {
    const Report report = read_report(trivy_fixture("old-no-status.trivy.json"));
    CHECK(report.scanner == "trivy");
    REQUIRE(report.findings.size() == 2);
    CHECK(report.findings[0].fix_state == FixState::Fixed);
    CHECK(report.findings[0].fixed_version == "2.31.0");
    CHECK(report.findings[1].fix_state == FixState::Unknown);
    CHECK_FALSE(is_fixable(report.findings[1]));
    CHECK(report.findings[1].target == "requirements.txt");
}

TEST_CASE("a report without results has no findings") {
    const Report report = read_report_text(R"({"SchemaVersion": 2, "ArtifactName": "alpine:3.19"})", "clean.json");
    CHECK(report.format == ReportFormat::Trivy);
    CHECK(report.findings.empty());
    CHECK(read_report_text(R"({"SchemaVersion": 2, "Results": null})", "n.json").findings.empty());
    CHECK(read_report_text(R"({"SchemaVersion": 2, "Results": [{"Target": "x", "Vulnerabilities": null}]})", "n.json")
              .findings.empty());
}

TEST_CASE("a field of the wrong type names the JSON pointer and what was expected") {
    const std::string text = R"({"SchemaVersion": 2, "Results": [{"Target": "t", "Vulnerabilities": [
        {"VulnerabilityID": "CVE-1", "Severity": "LOW"},
        {"VulnerabilityID": "CVE-2", "Severity": 3}]}]})";
    const std::string message = error_reading(text);
    CHECK(message.find("bad.trivy.json") != std::string::npos);
    CHECK(message.find("/Results/0/Vulnerabilities/1/Severity") != std::string::npos);
    CHECK(message.find("expected a string, found a number") != std::string::npos);
    CHECK(message.find("bad.trivy.json:3:") != std::string::npos);  // and the line of the value

    CHECK(error_reading(R"({"Results": {"Target": "x"}})").find("(at /Results): expected an array, found an object") !=
          std::string::npos);
    CHECK(error_reading(R"({"Results": [{"Vulnerabilities": [{"VendorIDs": "GHSA-1"}]}]})")
              .find("/Results/0/Vulnerabilities/0/VendorIDs): expected an array, found a string") != std::string::npos);
    CHECK(error_reading(R"({"Results": [{"Vulnerabilities": [{"CVSS": {"nvd": {"V3Score": "9.8"}}}]}]})")
              .find("/Results/0/Vulnerabilities/0/CVSS/nvd/V3Score): expected a number, found a string") !=
          std::string::npos);
    CHECK(error_reading(R"({"Results": [{"Target": true}]})").find("expected a string, found a boolean") !=
          std::string::npos);
}

TEST_CASE("numbers that do not fit are errors, not crashes") {
    CHECK(error_reading(R"({"Results": [{"Vulnerabilities": [{"CVSS": {"nvd": {"V3Score": 1e999}}}]}]})")
              .find("/Results/0/Vulnerabilities/0/CVSS/nvd/V3Score") != std::string::npos);
    CHECK(error_reading(R"({"Results": [{"Secrets": [{"StartLine": -4}]}]})").find("/Results/0/Secrets/0/StartLine") !=
          std::string::npos);
    CHECK(error_reading(R"({"Results": [{"Secrets": [{"StartLine": 99999999999999999999}]}]})")
              .find("/Results/0/Secrets/0/StartLine") != std::string::npos);
    CHECK(error_reading(R"({"Results": [{"Secrets": [{"StartLine": 2.5}]}]})").find("expected a line or column number") !=
          std::string::npos);
    // A huge number in a field the reader skips is no concern of ours.
    CHECK(error_reading(R"({"Results": [{"MisconfSummary": {"Successes": 1e999}}]})").empty());
}

TEST_CASE("keys with JSON escapes are matched after unescaping") {
    const Report report = read_report_text(R"({"Results": [{"Target": "t", "Vulnerabilities": [
        {"Vulnerability\u0049D": "CVE-9", "Severity": "HIGH"}]}]})",
                                           "escaped.json");
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].id == "CVE-9");
}

TEST_CASE("trivy k8s: every resource's findings take namespace/Kind/name as their target") {
    // `trivy k8s --report all --format json`: the same Results as an image report, per resource.
    const Report report = read_report_text(R"json({"ClusterName": "kind-kind", "Resources": [
        {"Namespace": "default", "Kind": "Deployment", "Name": "web", "Results": [
            {"Target": "nginx:1.25 (debian 12.1)", "Class": "os-pkgs", "Vulnerabilities": [
                {"VulnerabilityID": "CVE-2023-1", "PkgName": "libc6", "InstalledVersion": "2.36", "Severity": "HIGH"}]},
            {"Target": "Deployment/web", "Class": "config", "Misconfigurations": [
                {"ID": "KSV001", "AVDID": "AVD-KSV-0001", "Status": "FAIL", "Severity": "MEDIUM",
                 "CauseMetadata": {"StartLine": 12, "EndLine": 20}}]}]},
        {"Kind": "ClusterRole", "Name": "admin", "Results": [
            {"Target": "ClusterRole/admin", "Class": "config", "Misconfigurations": [
                {"ID": "KSV046", "AVDID": "AVD-KSV-0046", "Status": "FAIL", "Severity": "CRITICAL"}]}]},
        {"Namespace": "kube-system", "Kind": "Pod", "Name": "etcd", "Error": "unable to pull image etcd:3.5"}]})json",
                                           "cluster.json");
    CHECK(report.format == ReportFormat::Trivy);
    CHECK(report.scanner == "trivy k8s (cluster kind-kind)");
    REQUIRE(report.findings.size() == 3);
    CHECK(report.findings[0].id == "CVE-2023-1");
    CHECK(report.findings[0].target == "default/Deployment/web");
    CHECK(report.findings[1].target == "default/Deployment/web");
    REQUIRE(report.findings[1].location.has_value());
    CHECK(report.findings[1].location->path == "Deployment/web");
    CHECK(report.findings[1].location->start_line == 12);
    CHECK(report.findings[2].target == "ClusterRole/admin");  // cluster-scoped: no namespace
    REQUIRE(report.warnings.size() == 1);
    CHECK(report.warnings[0] ==
          "cluster.json: Trivy could not scan kube-system/Pod/etcd, so its findings are missing: unable to pull image "
          "etcd:3.5");
}

TEST_CASE("trivy k8s: the summary report and the older per-scanner lists are read the same way") {
    const Report summary = read_report_text(R"json({"ClusterName": "minikube", "Findings": [
        {"Namespace": "default", "Kind": "Deployment", "Name": "app", "Results": [{"Target": "Deployment/app",
         "Misconfigurations": [{"ID": "KSV003", "Status": "FAIL", "Severity": "LOW"}]}]}]})json",
                                            "summary.json");
    REQUIRE(summary.findings.size() == 1);
    CHECK(summary.findings[0].target == "default/Deployment/app");

    // Older Trivy: resources listed once per scanner, misconfiguration lines under IacMetadata.
    const Report older = read_report_text(R"json({"ClusterName": "minikube",
        "Vulnerabilities": [{"Namespace": "default", "Kind": "Deployment", "Name": "app", "Results": [
            {"Target": "ubuntu:latest (ubuntu 22.04)", "Vulnerabilities": [
                {"VulnerabilityID": "CVE-2016-2781", "PkgName": "coreutils", "InstalledVersion": "8.32", "Severity": "LOW"}]}]}],
        "Misconfigurations": [{"Namespace": "default", "Kind": "Deployment", "Name": "app", "Results": [
            {"Target": "Deployment/app", "Misconfigurations": [{"ID": "KSV001", "Status": "FAIL", "Severity": "MEDIUM",
             "IacMetadata": {"StartLine": 121, "EndLine": 133}}]}]},
            {"Namespace": "default", "Kind": "ConfigMap", "Name": "kube-root-ca.crt"}]})json",
                                          "older.json");
    REQUIRE(older.findings.size() == 2);
    CHECK(older.findings[0].target == "default/Deployment/app");
    CHECK(older.findings[1].target == "default/Deployment/app");
    REQUIRE(older.findings[1].location.has_value());
    CHECK(older.findings[1].location->start_line == 121);
    CHECK(older.findings[1].location->end_line == 133);
    CHECK(older.warnings.empty());
}

TEST_CASE("licences are findings of kind license: per package, or in a file") {
    const Report report = read_report_text(R"json({"SchemaVersion": 2, "Results": [
        {"Target": "OS Packages", "Class": "license", "Licenses": [
            {"Severity": "HIGH", "Category": "restricted", "PkgName": "busybox", "FilePath": "", "Name": "GPL-2.0",
             "Confidence": 1, "Link": ""}]},
        {"Target": "Loose File License(s)", "Class": "license-file", "Licenses": [
            {"Severity": "LOW", "Category": "notice", "PkgName": "", "FilePath": "/etc/ssl/misc/CA.pl",
             "Name": "OpenSSL", "Confidence": 1, "Link": "https://spdx.org/licenses/OpenSSL.html"}]}]})json",
                                           "licenses.json");
    REQUIRE(report.findings.size() == 2);
    const Finding& gpl = report.findings[0];
    CHECK(gpl.kind == FindingKind::License);
    CHECK(gpl.id == "GPL-2.0");
    CHECK(gpl.package == "busybox");
    CHECK(gpl.severity == Severity::High);
    CHECK(gpl.title == "Restricted license GPL-2.0");
    CHECK(gpl.target == "OS Packages");
    CHECK_FALSE(gpl.location.has_value());
    CHECK(gpl.url.empty());
    const Finding& file = report.findings[1];
    CHECK(file.kind == FindingKind::License);
    CHECK(file.package.empty());
    REQUIRE(file.location.has_value());
    CHECK(file.location->path == "/etc/ssl/misc/CA.pl");  // the file, not the target
    CHECK(file.title == "Notice license OpenSSL");
    CHECK(file.url == "https://spdx.org/licenses/OpenSSL.html");
    CHECK(to_string(FindingKind::License) == "license");
    CHECK(parse_finding_kind("License") == FindingKind::License);
}

TEST_CASE("the file a dependency is declared in: the SBOM of an SBOM scan, else PkgPath, else the lock file") {
    // The shape of Trivy's golden fluentd-multiple-lockfiles report (an SBOM scan), cut down by hand;
    // the real file is checked by tests/conformance/run.sh.
    const std::string sbom_scan = R"json({"SchemaVersion": 2, "ArtifactName": "sbom/fluentd.cdx.json", "ArtifactType": "cyclonedx",
        "Results": [
          {"Target": "sbom/fluentd.cdx.json (debian 10.2)", "Class": "os-pkgs", "Type": "debian",
           "Vulnerabilities": [{"VulnerabilityID": "CVE-2019-18276", "PkgName": "bash", "InstalledVersion": "5.0-4", "Severity": "LOW"}]},
          {"Target": "Ruby", "Class": "lang-pkgs", "Type": "gemspec",
           "Vulnerabilities": [{"VulnerabilityID": "CVE-2020-8165", "PkgName": "activesupport", "InstalledVersion": "6.0.2.1",
                                "PkgPath": "var/lib/gems/2.5.0/specifications/activesupport-6.0.2.1.gemspec", "Severity": "CRITICAL"}]}]})json";
    const Report sbom = read_report_text(sbom_scan, "sbom-scan.trivy.json");
    const Finding& gem = find_id(sbom, "CVE-2020-8165");
    CHECK(gem.origin == PackageOrigin::Dependency);
    CHECK(gem.target == "Ruby");
    CHECK(gem.dependency_file == "sbom/fluentd.cdx.json");
    REQUIRE(gem.location.has_value());
    CHECK(gem.location->path == "sbom/fluentd.cdx.json");
    const Finding& bash = find_id(sbom, "CVE-2019-18276");
    CHECK(bash.origin == PackageOrigin::Image);
    CHECK(bash.dependency_file.empty());
    CHECK_FALSE(bash.location.has_value());

    const Report directory = read_report_text(R"({"SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "filesystem",
        "Results": [
          {"Target": "Java", "Class": "lang-pkgs", "Type": "jar",
           "Vulnerabilities": [{"VulnerabilityID": "CVE-2021-44228", "PkgName": "org.apache.logging.log4j:log4j-core",
                                "InstalledVersion": "2.14.1", "PkgPath": "lib/log4j-core-2.14.1.jar", "Severity": "CRITICAL"}]},
          {"Target": "package-lock.json", "Class": "lang-pkgs", "Type": "npm",
           "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-29041", "PkgName": "express", "InstalledVersion": "4.18.2", "Severity": "MEDIUM"}]}]})",
                                              "fs.trivy.json");
    const Finding& jar = find_id(directory, "CVE-2021-44228");
    CHECK(jar.dependency_file == "lib/log4j-core-2.14.1.jar");
    REQUIRE(jar.location.has_value());
    CHECK(jar.location->path == "lib/log4j-core-2.14.1.jar");
    const Finding& express = find_id(directory, "CVE-2024-29041");
    CHECK(express.dependency_file == "package-lock.json");
    CHECK_FALSE(express.location.has_value());  // the target is the file already

    // In an image, PkgPath is a path inside the image: the finding stays the image's.
    const Report image = read_report_text(R"({"SchemaVersion": 2, "ArtifactName": "app:1", "ArtifactType": "container_image",
        "Results": [{"Target": "Node.js", "Class": "lang-pkgs", "Type": "node-pkg",
           "Vulnerabilities": [{"VulnerabilityID": "CVE-1", "PkgName": "braces", "InstalledVersion": "2.3.2",
                                "PkgPath": "app/node_modules/braces/package.json", "Severity": "HIGH"}]}]})",
                                          "image.trivy.json");
    CHECK(image.findings.at(0).origin == PackageOrigin::Image);
    CHECK(image.findings.at(0).dependency_file.empty());
    CHECK_FALSE(image.findings.at(0).location.has_value());
}

}  // TEST_SUITE
