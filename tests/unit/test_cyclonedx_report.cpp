#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"

using namespace gantry;

namespace {

std::filesystem::path cyclonedx_fixture(const std::string& name) {
    return std::filesystem::path(GANTRY_TEST_DATA_DIR) / "cyclonedx" / name;
}

std::string error_reading(const std::string& text) {
    try {
        read_report_text(text, "bad.cdx.json");
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

}  // namespace

TEST_SUITE("cyclonedx report") {

TEST_CASE("Trivy's CycloneDX: components by bom-ref, the most trusted rating, CWE and fixed versions") {
    const auto path = cyclonedx_fixture("trivy-fluentd-multiple-lockfiles-short.cdx.json");
    const Report report = read_report(path);
    CHECK(report.format == ReportFormat::CycloneDx);
    CHECK(report.scanner == "trivy dev");
    REQUIRE(report.findings.size() == 3);

    const Finding& libidn = report.findings[0];
    CHECK(libidn.id == "CVE-2019-18224");
    CHECK(libidn.package == "libidn2-0");
    CHECK(libidn.version == "2.0.5-1");
    CHECK(libidn.purl == "pkg:deb/debian/libidn2-0@2.0.5-1?distro=debian-10.2");
    // CVSSv31 (nvd, 9.8) outranks CVSSv3 (redhat), CVSSv2 and the vendors' words.
    CHECK(libidn.severity == Severity::Critical);
    CHECK(libidn.cvss_score == 9.8);
    CHECK(libidn.message == "CWE-787; severity from the CVSSv31 rating of nvd (score 9.8)");
    CHECK(libidn.fixed_version == "2.0.5-1+deb10u1");
    CHECK(libidn.fix_state == FixState::Fixed);
    CHECK(libidn.url == "https://avd.aquasec.com/nvd/cve-2019-18224");
    CHECK(libidn.title.starts_with("idn2_to_ascii_4i in lib/lookup.c"));
    CHECK(libidn.target == "integration/testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz");
    CHECK(libidn.scanner == "trivy");
    CHECK(libidn.source_file == path.string());
    CHECK(libidn.vex_analysis.empty());

    // Two CVSSv31 ratings of 7.8: nvd says high, redhat low; the higher severity wins the tie.
    const Finding& bash = report.findings[1];
    CHECK(bash.package == "bash");
    CHECK(bash.severity == Severity::High);
    CHECK(bash.fix_state == FixState::Unknown);

    const Finding& activesupport = report.findings[2];
    CHECK(activesupport.package == "activesupport");
    CHECK(activesupport.version == "6.0.2.1");
    CHECK(activesupport.purl == "pkg:gem/activesupport@6.0.2.1");
    CHECK(activesupport.fixed_version == "6.0.3.1, 5.2.4.3");
}

TEST_CASE("Grype's CycloneDX: a rating's own severity word, EPSS and KEV ratings decide nothing") {
    const Report report = read_report(cyclonedx_fixture("grype-dir.cdx.json"));
    CHECK(report.scanner == "grype [not provided]");
    REQUIRE(report.findings.size() == 2);
    CHECK(report.findings[0].package == "package-1");
    CHECK(report.findings[0].version == "1.1.1");
    CHECK(report.findings[0].purl.empty());
    CHECK(report.findings[0].severity == Severity::Low);
    CHECK(report.findings[0].cvss_score == 8.2);
    CHECK(report.findings[0].message == "severity from the CVSSv31 rating (score 8.2)");
    CHECK(report.findings[1].purl == "pkg:deb/package-2@2.2.2");
    CHECK(report.findings[1].severity == Severity::Critical);
}

TEST_CASE("analysis.state not_affected is the report's own VEX; in_triage waives nothing") {
    const Report affected = read_report(cyclonedx_fixture("bom-examples-vex-not-affected.cdx.json"));
    REQUIRE(affected.findings.size() == 1);
    CHECK(affected.findings[0].package == "ABC");  // metadata.component, by its bom-ref
    CHECK(affected.findings[0].version == "4.2");
    CHECK(affected.findings[0].vex_analysis ==
          "not_affected (code_not_present): This version of Product ABC is not affected by the vulnerability. Class "
          "with vulnerable code was removed before shipping.");
    const Report triage = read_report(cyclonedx_fixture("bom-examples-vex-in-triage.cdx.json"));
    REQUIRE(triage.findings.size() == 1);
    CHECK(triage.findings[0].vex_analysis.empty());
    CHECK(triage.findings[0].severity == Severity::Critical);
}

TEST_CASE("the specification's example: references are aliases, a reference to no component is read as a purl") {
    const Report report = read_report(cyclonedx_fixture("defectdojo-valid-vulnerability-1.4.cdx.json"));
    REQUIRE(report.findings.size() == 1);
    const Finding& finding = report.findings[0];
    CHECK(finding.id == "SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111");
    CHECK(finding.aliases == std::vector<std::string>{"CVE-2018-7489"});
    CHECK(finding.package == "jackson-databind");
    CHECK(finding.version == "2.9.9");
    CHECK(finding.purl == "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.9");
    CHECK(finding.fixed_version == "2.6.7.5, 2.8.11.1, 2.9.5");
    CHECK(finding.message == "CWE-184, CWE-502; severity from the CVSSv3 rating of NVD (score 9.8)");
    CHECK(finding.vex_analysis.starts_with("not_affected (code_not_reachable): An optional explanation"));
    CHECK(report.scanner == "cyclonedx");
}

TEST_CASE("a score without a severity word is banded; an unknown reference is the package name") {
    const Report report = read_report(cyclonedx_fixture("defectdojo-no-severity.cdx.json"));
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].severity == Severity::Critical);
    CHECK(report.findings[0].package == "gerbwetbqt");
}

// Hand-written edge cases: shapes the real files above do not show.
TEST_CASE("components after the vulnerabilities, nested components, several affected references, a BOM-Link") {
    const Report report = read_report_text(R"({"bomFormat": "CycloneDX", "specVersion": "1.5",
        "vulnerabilities": [{"id": "CVE-1", "ratings": [{"method": "CVSSv2", "score": 9.3}],
                             "affects": [{"ref": "a"}, {"ref": "b"},
                                         {"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:npm/left-pad@1.3.0"}]}],
        "components": [{"bom-ref": "a", "name": "core", "group": "@scope", "version": "1.0",
                        "purl": "pkg:npm/%40scope/core@1.0",
                        "components": [{"bom-ref": "b", "name": "inner", "version": "2.0"}]}]})",
                                           "edge.cdx.json");
    REQUIRE(report.findings.size() == 3);
    CHECK(report.findings[0].package == "@scope/core");
    CHECK(report.findings[1].package == "inner");
    CHECK(report.findings[1].version == "2.0");
    // A BOM-Link into another BOM whose bom-ref is a purl.
    CHECK(report.findings[2].package == "left-pad");
    CHECK(report.findings[2].version == "1.3.0");
    CHECK(report.findings[2].purl == "pkg:npm/left-pad@1.3.0");
    CHECK(report.findings[0].severity == Severity::High);  // CVSS v2 has no critical band
}

TEST_CASE("many components: the first under a bom-ref counts, a Maven group joins with a colon, purl as bom-ref") {
    // Enough components, with long texts, that they are kept across several of the registry's blocks.
    std::string components;
    constexpr int kComponents = 12000;
    const std::string padding(100, 'x');
    for (int i = 0; i < kComponents; ++i) {
        const std::string purl = "pkg:deb/debian/pkg" + std::to_string(i) + "-" + padding + "@" + std::to_string(i);
        components += "{\"bom-ref\": \"" + purl + "\", \"name\": \"pkg" + std::to_string(i) + "-" + padding +
                      "\", \"version\": \"" + std::to_string(i) + "\", \"purl\": \"" + purl + "\"},";
    }
    components += R"({"bom-ref": "dup", "name": "first", "version": null},
                     {"bom-ref": "dup", "name": "second", "version": "2"},
                     {"bom-ref": "mvn", "group": "org.acme", "name": "lib", "version": "3", "purl": "pkg:maven/org.acme/lib@3"},
                     {"bom-ref": "", "name": "no reference"})";
    const std::string last = "pkg:deb/debian/pkg" + std::to_string(kComponents - 1) + "-" + padding + "@" +
                             std::to_string(kComponents - 1);
    const std::string text = R"({"bomFormat": "CycloneDX", "metadata": {"component": {"bom-ref": "root", "type": "container",
        "group": "acme", "name": "app", "version": "1.0"}}, "components": [)" + components + R"(],
        "vulnerabilities": [{"id": "CVE-1", "affects": [{"ref": "pkg:deb/debian/pkg0-)" + padding + R"(@0"}, {"ref": ")" +
                             last + R"("}, {"ref": "dup"}, {"ref": "mvn"}, {"ref": "root"}]}]})";
    const Report report = read_report_text(text, "many.cdx.json");
    REQUIRE(report.findings.size() == 5);
    CHECK(report.findings[0].package == "pkg0-" + padding);
    CHECK(report.findings[0].purl == "pkg:deb/debian/pkg0-" + padding + "@0");
    CHECK(report.findings[0].origin == PackageOrigin::Image);
    CHECK(report.findings[1].purl == last);
    CHECK(report.findings[1].version == std::to_string(kComponents - 1));
    CHECK(report.findings[2].package == "first");
    CHECK(report.findings[2].version.empty());
    CHECK(report.findings[3].package == "org.acme:lib");
    CHECK(report.findings[3].purl == "pkg:maven/org.acme/lib@3");
    CHECK(report.findings[3].origin == PackageOrigin::Dependency);
    CHECK(report.findings[4].package == "acme/app");
    CHECK(report.findings[4].version == "1.0");
    CHECK(report.findings[4].target == "acme/app 1.0");
    // Streamed, one component at a time, the same.
    const auto streamed = read_report_streamed_text(text, "many.cdx.json", 4096);
    REQUIRE(streamed.has_value());
    REQUIRE(streamed->findings.size() == report.findings.size());
    for (std::size_t i = 0; i < report.findings.size(); ++i) {
        CHECK(streamed->findings[i].package == report.findings[i].package);
        CHECK(streamed->findings[i].version == report.findings[i].version);
        CHECK(streamed->findings[i].purl == report.findings[i].purl);
    }
}

TEST_CASE("a CycloneDX document without vulnerabilities is an SBOM: an error, not a pass") {
    const std::string message = error_reading(R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []})");
    CHECK(message.starts_with("bad.cdx.json: a CycloneDX 1.5 SBOM without `vulnerabilities`"));
    // An empty list is a scan that found nothing.
    CHECK(read_report_text(R"({"bomFormat": "CycloneDX", "vulnerabilities": []})", "empty.cdx.json").findings.empty());
}

TEST_CASE("wrong types name the JSON pointer") {
    CHECK(error_reading(R"({"bomFormat": "CycloneDX", "vulnerabilities": [{"id": "CVE-1", "cwes": ["79"]}]})")
              .find("(at /vulnerabilities/0/cwes/0): expected a number, found a string") != std::string::npos);
    CHECK(error_reading(R"({"bomFormat": "CycloneDX", "vulnerabilities": [{"ratings": []}]})")
              .find("(at /vulnerabilities/0): a vulnerability without an `id`") != std::string::npos);
}

}  // TEST_SUITE
