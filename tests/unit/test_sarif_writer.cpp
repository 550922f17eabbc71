#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "gantry/report/finding_fingerprint.hpp"
#include "gantry/report/report_uri.hpp"
#include "gantry/report/sarif_writer.hpp"

using namespace gantry;
using nlohmann::json;

namespace {

Finding vulnerable_package(std::string id, std::string package, Severity severity) {
    Finding finding;
    finding.id = std::move(id);
    finding.package = std::move(package);
    finding.version = "1.0.0";
    finding.severity = severity;
    finding.target = "alpine:3.19 (alpine 3.19.1)";
    finding.scanner = "trivy";
    finding.title = "a title";
    finding.url = "https://avd.aquasec.com/nvd/" + finding.id;
    return finding;
}

json render(const std::vector<Finding>& findings, const SarifWriteOptions& options = {}) {
    return json::parse(render_sarif(findings, options));
}

std::string read_test_data(const std::string& name) {
    std::ifstream in(std::string(GANTRY_TEST_DATA_DIR) + "/report/" + name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing test data " << name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_SUITE("sarif_writer") {

TEST_CASE("SARIF has the schema, version and one run per scanner in order of appearance") {
    auto grype = vulnerable_package("CVE-2024-2", "zlib", Severity::Low);
    grype.scanner = "grype";
    auto unnamed = vulnerable_package("CVE-2024-3", "curl", Severity::Low);
    unnamed.scanner.clear();
    const json sarif = render({vulnerable_package("CVE-2024-1", "openssl", Severity::High), grype, unnamed,
                               vulnerable_package("CVE-2024-4", "musl", Severity::Low)},
                              {.tool_name = "gantry", .tool_version = "1.2.3"});
    CHECK(sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
    CHECK(sarif["version"] == "2.1.0");
    REQUIRE(sarif["runs"].size() == 3);
    CHECK(sarif["runs"][0]["tool"]["driver"]["name"] == "trivy");
    CHECK(sarif["runs"][0]["tool"]["driver"]["informationUri"] == "https://github.com/aquasecurity/trivy");
    CHECK_FALSE(sarif["runs"][0]["tool"]["driver"].contains("version"));
    CHECK(sarif["runs"][0]["results"].size() == 2);
    CHECK(sarif["runs"][1]["tool"]["driver"]["name"] == "grype");
    CHECK(sarif["runs"][2]["tool"]["driver"]["name"] == "gantry");
    CHECK(sarif["runs"][2]["tool"]["driver"]["version"] == "1.2.3");
}

TEST_CASE("SARIF rules are de-duplicated by id and results point at their index") {
    auto same_cve_other_package = vulnerable_package("CVE-2024-1", "libssl3", Severity::Critical);
    same_cve_other_package.cvss_score = 9.1;
    const json sarif = render({vulnerable_package("CVE-2024-1", "libcrypto3", Severity::High),
                               vulnerable_package("CVE-2024-2", "zlib", Severity::Medium), same_cve_other_package});
    const json& run = sarif["runs"][0];
    const json& rules = run["tool"]["driver"]["rules"];
    REQUIRE(rules.size() == 2);
    CHECK(rules[0]["id"] == "CVE-2024-1");
    CHECK(rules[1]["id"] == "CVE-2024-2");
    REQUIRE(run["results"].size() == 3);
    for (const auto& result : run["results"]) {
        const auto index = result["ruleIndex"].get<std::size_t>();
        REQUIRE(index < rules.size());
        CHECK(rules[index]["id"] == result["ruleId"]);
    }
    // A shared rule takes the most severe of its findings.
    CHECK(rules[0]["defaultConfiguration"]["level"] == "error");
    CHECK(rules[0]["properties"]["security-severity"] == "9.1");
    CHECK(rules[0]["properties"]["tags"] == json::array({"security", "vulnerability"}));
    CHECK(rules[0]["shortDescription"]["text"] == "a title");
    CHECK(rules[0]["helpUri"] == "https://avd.aquasec.com/nvd/CVE-2024-1");
}

TEST_CASE("SARIF levels follow severity") {
    const json sarif =
        render({vulnerable_package("A", "p", Severity::Critical), vulnerable_package("B", "p", Severity::High),
                vulnerable_package("C", "p", Severity::Medium), vulnerable_package("D", "p", Severity::Low),
                vulnerable_package("E", "p", Severity::Unknown)});
    const json& results = sarif["runs"][0]["results"];
    CHECK(results[0]["level"] == "error");
    CHECK(results[1]["level"] == "error");
    CHECK(results[2]["level"] == "warning");
    CHECK(results[3]["level"] == "note");
    CHECK(results[4]["level"] == "note");
}

TEST_CASE("security-severity is the CVSS score with one decimal, else the band's score") {
    CHECK(security_severity(Severity::High, 9.8) == "9.8");
    CHECK(security_severity(Severity::High, 7.0) == "7.0");
    CHECK(security_severity(Severity::Medium, 9.75) == "9.8");
    CHECK(security_severity(Severity::Low, 12.0) == "10.0");
    CHECK(security_severity(Severity::Critical, std::nullopt) == "9.5");
    CHECK(security_severity(Severity::High, std::nullopt) == "8.0");
    CHECK(security_severity(Severity::Medium, std::nullopt) == "5.5");
    CHECK(security_severity(Severity::Low, std::nullopt) == "2.0");
    CHECK(security_severity(Severity::Unknown, std::nullopt) == "0.0");
    // Scanners write 0 for "no score"; that must not hide a known severity.
    CHECK(security_severity(Severity::High, 0.0) == "8.0");
    CHECK(security_severity(Severity::High, std::numeric_limits<double>::quiet_NaN()) == "8.0");
}

TEST_CASE("SARIF messages describe the finding on one line") {
    auto fixed = vulnerable_package("CVE-2024-1", "openssl", Severity::High);
    fixed.fixed_version = "3.1.5-r0";
    Finding misconfiguration;
    misconfiguration.id = "AVD-DS-0002";
    misconfiguration.kind = FindingKind::Misconfiguration;
    misconfiguration.title = "Image user should not be 'root'\nsecond line";
    const json results =
        render({fixed, vulnerable_package("CVE-2024-2", "zlib", Severity::Low), misconfiguration})["runs"];
    CHECK(results[0]["results"][0]["message"]["text"] == "CVE-2024-1 in openssl 1.0.0 (fixed in 3.1.5-r0)");
    CHECK(results[0]["results"][1]["message"]["text"] == "CVE-2024-2 in zlib 1.0.0");
    CHECK(results[1]["results"][0]["message"]["text"] == "Image user should not be 'root' second line");
    CHECK(results[1]["tool"]["driver"]["rules"][0]["properties"]["tags"][1] == "misconfiguration");
}

TEST_CASE("SARIF locations use the file position, else the target at line 1") {
    Finding secret;
    secret.id = "aws-access-key-id";
    secret.kind = FindingKind::Secret;
    secret.severity = Severity::Critical;
    secret.location = Location{".\\config\\app settings.env", 12, 12, 5, 30};
    Finding no_line = secret;
    no_line.location = Location{"Dockerfile", 0, 0, 0, 0};
    const json results = render({secret, no_line, vulnerable_package("CVE-2024-1", "musl", Severity::Low)})["runs"];
    const json& physical = results[0]["results"][0]["locations"][0]["physicalLocation"];
    CHECK(physical["artifactLocation"]["uri"] == "config/app%20settings.env");
    CHECK(physical["region"] == json{{"startLine", 12}, {"startColumn", 5}, {"endLine", 12}, {"endColumn", 30}});
    CHECK(results[0]["results"][1]["locations"][0]["physicalLocation"]["region"] == json{{"startLine", 1}});
    const json& image = results[1]["results"][0]["locations"][0]["physicalLocation"];
    // The image part of the target; the colon would otherwise make "alpine" a URI scheme.
    CHECK(image["artifactLocation"]["uri"] == "alpine%3A3.19");
    CHECK(image["region"] == json{{"startLine", 1}});
}

TEST_CASE("SARIF results without any location still get one") {
    Finding bare;
    bare.id = "X-1";
    const json sarif = render({bare});
    const json& location = sarif["runs"][0]["results"][0]["locations"][0];
    CHECK(location["physicalLocation"]["artifactLocation"]["uri"] == "unknown");
}

TEST_CASE("SARIF fingerprints are stable, differ between findings and stay unique in a run") {
    const auto a = vulnerable_package("CVE-2024-1", "openssl", Severity::High);
    const auto b = vulnerable_package("CVE-2024-1", "libcrypto3", Severity::High);
    const json results = render({a, b, a})["runs"][0]["results"];
    const std::string fa = results[0]["partialFingerprints"]["gantryFindingHash/v1"];
    const std::string fb = results[1]["partialFingerprints"]["gantryFindingHash/v1"];
    CHECK(fa == finding_fingerprint(a));
    CHECK(std::regex_match(fa, std::regex("[0-9a-f]{16}")));
    CHECK(fa != fb);
    CHECK(results[2]["partialFingerprints"]["gantryFindingHash/v1"] == fa + ":2");
    // Severity, title and line are not part of the identity.
    auto moved = a;
    moved.severity = Severity::Low;
    moved.title = "reworded";
    CHECK(finding_fingerprint(moved) == fa);
    // The field separator keeps "ab"+"c" and "a"+"bc" apart.
    auto shifted = a;
    shifted.package = "opens";
    shifted.version = "sl1.0.0";
    CHECK(finding_fingerprint(shifted) != fa);
}

TEST_CASE("FNV-1a 64 matches the published test vectors") {
    CHECK(fnv1a_64("") == 0xcbf29ce484222325ULL);
    CHECK(fnv1a_64("a") == 0xaf63dc4c8601ec8cULL);
    CHECK(fnv1a_64("foobar") == 0x85944171f73967e8ULL);
}

TEST_CASE("SARIF category becomes automationDetails.id") {
    const auto finding = vulnerable_package("CVE-2024-1", "openssl", Severity::High);
    CHECK(render({finding}, {.category = "container"})["runs"][0]["automationDetails"]["id"] == "container/");
    CHECK(render({finding}, {.category = "container/"})["runs"][0]["automationDetails"]["id"] == "container/");
    CHECK_FALSE(render({finding})["runs"][0].contains("automationDetails"));
}

TEST_CASE("SARIF without findings is one empty run, so an upload closes fixed alerts") {
    const json sarif = render({}, {.tool_name = "scan-gate", .information_uri = "https://example.com/gantry"});
    REQUIRE(sarif["runs"].size() == 1);
    CHECK(sarif["runs"][0]["tool"]["driver"]["name"] == "scan-gate");
    CHECK(sarif["runs"][0]["tool"]["driver"]["informationUri"] == "https://example.com/gantry");
    CHECK(sarif["runs"][0]["tool"]["driver"]["rules"].empty());
    CHECK(sarif["runs"][0]["results"].is_array());
    CHECK(sarif["runs"][0]["results"].empty());
}

TEST_CASE("SARIF keeps the most severe results when a run is over the limit") {
    std::vector<Finding> findings = {vulnerable_package("LOW-1", "p", Severity::Low),
                                     vulnerable_package("CRIT-1", "p", Severity::Critical),
                                     vulnerable_package("MED-1", "p", Severity::Medium),
                                     vulnerable_package("HIGH-1", "p", Severity::High),
                                     vulnerable_package("HIGH-2", "p", Severity::High)};
    const json run = render(findings, {.max_results_per_run = 3})["runs"][0];
    REQUIRE(run["results"].size() == 3);
    // The kept ones stay in input order.
    CHECK(run["results"][0]["ruleId"] == "CRIT-1");
    CHECK(run["results"][1]["ruleId"] == "HIGH-1");
    CHECK(run["results"][2]["ruleId"] == "HIGH-2");
    CHECK(run["tool"]["driver"]["rules"].size() == 3);
}

TEST_CASE("SARIF keeps the most severe by severity first, then score") {
    std::vector<Finding> findings = {vulnerable_package("LOW-1", "p", Severity::Low),
                                     vulnerable_package("CRIT-1", "p", Severity::Critical),
                                     vulnerable_package("HIGH-1", "p", Severity::High),
                                     vulnerable_package("HIGH-2", "p", Severity::High)};
    findings[0].cvss_score = 9.9;  // a misfiled score must not outrank a worse severity
    findings[3].cvss_score = 8.9;
    const json run = render(findings, {.max_results_per_run = 2})["runs"][0];
    REQUIRE(run["results"].size() == 2);
    CHECK(run["results"][0]["ruleId"] == "CRIT-1");
    CHECK(run["results"][1]["ruleId"] == "HIGH-2");
    CHECK(run["tool"]["driver"]["rules"].size() == 2);
}

TEST_CASE("SARIF output is the same bytes for the same input") {
    const std::vector<Finding> findings = {vulnerable_package("CVE-2024-1", "openssl", Severity::High),
                                           vulnerable_package("CVE-2024-2", "zlib", Severity::Low)};
    CHECK(render_sarif(findings, {}) == render_sarif(findings, {}));
}

TEST_CASE("SARIF output matches the checked-in example byte for byte") {
    // Guards the fingerprints and field layout that GitHub keys alerts on across releases.
    auto fixed = vulnerable_package("CVE-2023-5363", "libcrypto3", Severity::High);
    fixed.fixed_version = "3.1.4-r0";
    fixed.cvss_score = 7.5;
    fixed.fix_state = FixState::Fixed;
    fixed.purl = "pkg:apk/alpine/libcrypto3@1.0.0";
    Finding misconfiguration;
    misconfiguration.id = "AVD-DS-0002";
    misconfiguration.kind = FindingKind::Misconfiguration;
    misconfiguration.severity = Severity::High;
    misconfiguration.scanner = "trivy";
    misconfiguration.title = "Image user should not be 'root'";
    misconfiguration.target = "Dockerfile";
    misconfiguration.location = Location{"Dockerfile", 3, 3, 0, 0};
    CHECK(render_sarif({fixed, misconfiguration}, {.tool_version = "0.1.0", .category = "image"}) ==
          read_test_data("example.sarif"));
}

TEST_CASE("SARIF survives text that is not UTF-8") {
    auto broken = vulnerable_package("CVE-2024-1", "p\xff", Severity::High);
    broken.title = "bad \xc3 title";
    const std::string sarif = render_sarif({broken}, {});
    CHECK_NOTHROW(json::parse(sarif));
}

}  // TEST_SUITE

TEST_SUITE("report_uri") {

TEST_CASE("web_url keeps valid URLs and percent-encodes what RFC 3986 forbids") {
    CHECK(web_url("https://avd.aquasec.com/nvd/cve-2019-1549") == "https://avd.aquasec.com/nvd/cve-2019-1549");
    CHECK(web_url("https://lists.apache.org/thread.html/8338@%3Cdevnull.infra.apache.org%3E") ==
          "https://lists.apache.org/thread.html/8338@%3Cdevnull.infra.apache.org%3E");
    CHECK(web_url("http://x.org/a b\"c|d\\e{f}") == "http://x.org/a%20b%22c%7Cd%5Ce%7Bf%7D");
    CHECK(web_url("https://x.org/100%") == "https://x.org/100%25");
    CHECK(web_url("https://x.org/caf\xc3\xa9#a#b") == "https://x.org/caf%C3%A9#a%23b");
    CHECK_FALSE(web_url("CVE-2024-1"));
    CHECK_FALSE(web_url("https://"));
    CHECK_FALSE(web_url("ftp://x.org/a"));
    CHECK_FALSE(web_url("javascript:alert(1)"));
}

TEST_CASE("artifact_uri turns paths and image names into URI references") {
    CHECK(artifact_uri("src/main.cpp") == "src/main.cpp");
    CHECK(artifact_uri("./src/../a b.txt") == "src/../a%20b.txt");
    CHECK(artifact_uri(".\\win\\path.cs") == "win/path.cs");
    CHECK(artifact_uri("alpine:3.19") == "alpine%3A3.19");
    CHECK(artifact_uri("chart.tgz:templates/pod.yaml") == "chart.tgz%3Atemplates/pod.yaml");
    CHECK(artifact_uri("dir/file#1?.txt") == "dir/file%231%3F.txt");
    CHECK(artifact_uri("file:///abs/a b") == "file:///abs/a%20b");
    // Absolute paths: file URIs, never a relative reference with a leading slash (SARIF1004).
    CHECK(artifact_uri("/usr/lib/x") == "file:///usr/lib/x");
    CHECK(artifact_uri("/var/lib/dpkg/status") == "file:///var/lib/dpkg/status");
    CHECK(artifact_uri("/opt/a b#c:d") == "file:///opt/a%20b%23c:d");
    CHECK(artifact_uri("C:\\src\\a.c") == "file:///C:/src/a.c");
    CHECK(artifact_uri("") == "unknown");
    CHECK(artifact_uri("./") == "unknown");
}

}  // TEST_SUITE
