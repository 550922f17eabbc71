#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "gitlab_report_checks.hpp"

#include "gantry/base/error.hpp"
#include "gantry/report/gitlab_security_report.hpp"
#include "gantry/report/image_target.hpp"

using namespace gantry;
using nlohmann::json;

namespace {

const GitlabReportOptions kFixedTimes{.analyzer_version = "0.1.0",
                                      .start_time = "2024-05-01T10:00:00",
                                      .end_time = "2024-05-01T10:00:07"};

Finding os_package(std::string id, Severity severity) {
    Finding finding;
    finding.id = std::move(id);
    finding.package = "openssl";
    finding.version = "3.1.0-r0";
    finding.severity = severity;
    finding.target = "registry.example.com/app:1.0 (alpine 3.19.1)";
    finding.scanner = "trivy";
    finding.title = "openssl: a flaw";
    finding.url = "https://avd.aquasec.com/nvd/" + finding.id;
    finding.source_file = "trivy.json";
    return finding;
}

// One finding of every kind, as the readers produce them.
std::vector<Finding> every_kind() {
    Finding language_package;
    language_package.id = "GHSA-abcd-efgh-ijkl";
    language_package.aliases = {"CVE-2024-9999"};
    language_package.package = "lodash";
    language_package.version = "4.17.20";
    language_package.fixed_version = "4.17.21";
    language_package.severity = Severity::High;
    language_package.target = "app/package-lock.json";
    language_package.scanner = "trivy";
    language_package.source_file = "trivy.json";

    Finding misconfiguration;
    misconfiguration.id = "AVD-DS-0002";
    misconfiguration.kind = FindingKind::Misconfiguration;
    misconfiguration.severity = Severity::Medium;
    misconfiguration.target = "Dockerfile";
    misconfiguration.title = "Image user should not be 'root'";
    misconfiguration.scanner = "trivy";
    misconfiguration.location = Location{"Dockerfile", 4, 4, 0, 0};
    misconfiguration.message = "Specify at least 1 USER command in Dockerfile";

    Finding secret;
    secret.id = "aws-access-key-id";
    secret.kind = FindingKind::Secret;
    secret.severity = Severity::Critical;
    secret.target = "config/.env";
    secret.scanner = "trivy";
    secret.location = Location{"config/.env", 2, 0, 0, 0};

    Finding code;  // as bare as a SARIF result can be
    code.kind = FindingKind::Code;

    return {os_package("CVE-2024-0001", Severity::Critical), language_package, misconfiguration, secret, code};
}

json render(const std::vector<Finding>& findings, const GitlabReportOptions& options = kFixedTimes) {
    return json::parse(render_gitlab_container_scanning(findings, options));
}

using gantry::testing::non_empty_string;

}  // namespace

TEST_SUITE("gitlab_security_report") {

TEST_CASE("GitLab report has the schema version and a complete scan block") {
    const json report = render(every_kind());
    gantry::testing::check_report_envelope(report, "container_scanning");
    const json& scan = report["scan"];
    CHECK(scan["analyzer"]["id"] == "gantry-scan-gate");
    CHECK(scan["analyzer"]["version"] == "0.1.0");
    // Code finding has no scanner, so the findings do not share one: the analyzer stands in.
    CHECK(scan["scanner"]["id"] == "gantry-scan-gate");
    CHECK(report["vulnerabilities"].size() == 5);
}

TEST_CASE("GitLab report names the common scanner") {
    const json scan = render({os_package("CVE-2024-0001", Severity::High)})["scan"];
    CHECK(scan["scanner"]["id"] == "trivy");
    CHECK(scan["scanner"]["name"] == "Trivy");
    CHECK(scan["scanner"]["vendor"]["name"] == "Aqua Security");
    CHECK(scan["scanner"]["version"] == "unknown");
}

TEST_CASE("GitLab required vulnerability fields are present for every finding kind") {
    const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    const json report = render(every_kind());
    for (const auto& vulnerability : report["vulnerabilities"]) {
        CAPTURE(vulnerability.dump());
        CHECK(std::regex_match(vulnerability["id"].get<std::string>(), uuid));
        REQUIRE(vulnerability["identifiers"].is_array());
        REQUIRE_FALSE(vulnerability["identifiers"].empty());
        for (const auto& identifier : vulnerability["identifiers"]) {
            CHECK(non_empty_string(identifier["type"]));
            CHECK(non_empty_string(identifier["name"]));
            CHECK(non_empty_string(identifier["value"]));
            if (identifier.contains("url")) CHECK(identifier["url"].get<std::string>().starts_with("http"));
        }
        const json& location = vulnerability["location"];
        CHECK(location["dependency"]["package"]["name"].is_string());
        CHECK(location["dependency"]["version"].is_string());
        CHECK(non_empty_string(location["operating_system"]));
        CHECK(non_empty_string(location["image"]));
        CHECK(non_empty_string(vulnerability["name"]));
        CHECK(vulnerability["name"].get<std::string>().size() <= 255);
        const std::set<std::string> severities{"Critical", "High", "Medium", "Low", "Unknown"};
        CHECK(severities.count(vulnerability["severity"].get<std::string>()) == 1);
        for (const auto& [key, detail] : vulnerability["details"].items()) {
            CAPTURE(key);
            CHECK(non_empty_string(detail["name"]));
            CHECK(non_empty_string(detail["type"]));
        }
    }
}

TEST_CASE("GitLab vulnerabilities carry package, solution, identifiers and links") {
    const json vulnerabilities = render(every_kind())["vulnerabilities"];
    const json& os = vulnerabilities[0];
    CHECK(os["severity"] == "Critical");
    CHECK(os["name"] == "openssl: a flaw");
    CHECK(os["location"]["dependency"]["package"]["name"] == "openssl");
    CHECK(os["location"]["dependency"]["version"] == "3.1.0-r0");
    CHECK(os["location"]["image"] == "registry.example.com/app:1.0");
    CHECK(os["location"]["operating_system"] == "alpine 3.19.1");
    CHECK_FALSE(os.contains("solution"));  // no fix known
    CHECK(os["identifiers"][0] == json{{"type", "cve"},
                                       {"name", "CVE-2024-0001"},
                                       {"value", "CVE-2024-0001"},
                                       {"url", "https://avd.aquasec.com/nvd/CVE-2024-0001"}});
    CHECK(os["links"] == json::array({{{"url", "https://avd.aquasec.com/nvd/CVE-2024-0001"}}}));

    const json& npm = vulnerabilities[1];
    CHECK(npm["solution"] == "Upgrade lodash to 4.17.21");
    REQUIRE(npm["identifiers"].size() == 2);
    CHECK(npm["identifiers"][0]["type"] == "ghsa");
    CHECK(npm["identifiers"][0]["url"] == "https://github.com/advisories/GHSA-abcd-efgh-ijkl");
    CHECK(npm["identifiers"][1]["type"] == "cve");
    CHECK(npm["identifiers"][1]["url"] == "https://nvd.nist.gov/vuln/detail/CVE-2024-9999");
    CHECK(npm["links"] == json::array());
    // Same report as the OS target, so the same image.
    CHECK(npm["location"]["image"] == "registry.example.com/app:1.0");
    CHECK(npm["location"]["operating_system"] == "alpine 3.19.1");
}

TEST_CASE("GitLab findings without a package are located by file and line") {
    const json vulnerabilities = render(every_kind())["vulnerabilities"];
    const json& misconfiguration = vulnerabilities[2];
    CHECK(misconfiguration["location"]["dependency"]["package"]["name"] == "Dockerfile:4");
    CHECK(misconfiguration["location"]["dependency"]["version"] == "");
    CHECK(misconfiguration["location"]["image"] == "Dockerfile");
    CHECK(misconfiguration["location"]["operating_system"] == "unknown");
    CHECK(misconfiguration["identifiers"][0]["type"] == "avd");
    CHECK(misconfiguration["description"] ==
          "Image user should not be 'root'\n\nSpecify at least 1 USER command in Dockerfile\n\nTarget: Dockerfile"
          "\n\nFile: Dockerfile:4");
    CHECK(misconfiguration["details"]["file"] ==
          json{{"name", "File"}, {"type", "file-location"}, {"file_name", "Dockerfile"}, {"line_start", 4},
               {"line_end", 4}});
    const json& secret = vulnerabilities[3];
    CHECK(secret["location"]["dependency"]["package"]["name"] == "config/.env:2");
    CHECK(secret["identifiers"][0]["type"] == "trivy");
    CHECK(secret["severity"] == "Critical");
    const json& code = vulnerabilities[4];
    CHECK(code["location"]["dependency"]["package"]["name"] == "-");
    CHECK(code["location"]["image"] == "unknown");
    CHECK(code["identifiers"][0]["value"].get<std::string>().starts_with("code-"));
    CHECK(code["identifiers"][0]["type"] == "gantry_code");
}

TEST_CASE("Image targets split into image and operating system") {
    const auto parts = split_image_target("registry.example.com/app:1.0 (debian 12.5)");
    REQUIRE(parts);
    CHECK(parts->image == "registry.example.com/app:1.0");
    CHECK(parts->operating_system == "debian 12.5");
    CHECK_FALSE(split_image_target("app/package-lock.json"));
    CHECK_FALSE(split_image_target("Node.js"));
    CHECK_FALSE(split_image_target(" (alpine 3.19)"));
    CHECK_FALSE(split_image_target("image ()"));
    CHECK_FALSE(split_image_target(""));
}

TEST_CASE("GitLab image and operating system options override the targets") {
    GitlabReportOptions options = kFixedTimes;
    options.image = "registry.example.com/app:2.0";
    options.operating_system = "debian 12";
    const json report = render(every_kind(), options);
    for (const auto& vulnerability : report["vulnerabilities"]) {
        CHECK(vulnerability["location"]["image"] == "registry.example.com/app:2.0");
        CHECK(vulnerability["location"]["operating_system"] == "debian 12");
    }
}

TEST_CASE("GitLab ids are stable per finding and unique within a report") {
    const auto finding = os_package("CVE-2024-0001", Severity::High);
    const json first = render({finding, finding, os_package("CVE-2024-0002", Severity::High)});
    const json again = render({finding});
    std::set<std::string> ids;
    for (const auto& vulnerability : first["vulnerabilities"]) ids.insert(vulnerability["id"].get<std::string>());
    CHECK(ids.size() == 3);
    CHECK(first["vulnerabilities"][0]["id"] == again["vulnerabilities"][0]["id"]);
}

TEST_CASE("GitLab output is the same bytes for the same input and times") {
    CHECK(render_gitlab_container_scanning(every_kind(), kFixedTimes) ==
          render_gitlab_container_scanning(every_kind(), kFixedTimes));
}

TEST_CASE("GitLab scan times default to now and are normalised") {
    const std::regex shape(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})");
    const json scan = render({}, {})["scan"];
    CHECK(std::regex_match(scan["start_time"].get<std::string>(), shape));
    CHECK(std::regex_match(scan["end_time"].get<std::string>(), shape));
    GitlabReportOptions options;
    options.start_time = "2024-05-01T10:00:00Z";
    options.end_time = "2024-05-01T10:00:07.123456Z";
    const json normalised = render({}, options)["scan"];
    CHECK(normalised["start_time"] == "2024-05-01T10:00:00");
    CHECK(normalised["end_time"] == "2024-05-01T10:00:07");
}

TEST_CASE("GitLab rejects scan times it cannot write") {
    for (const char* bad : {"2024-05-01 10:00:00", "yesterday", "2024-05-01T10:00:00+02:00", "2024-05-01T10:00",
                            "2024-05-01T10:00:00.Z"}) {
        CAPTURE(bad);
        GitlabReportOptions options;
        options.start_time = bad;
        CHECK_THROWS_AS(render_gitlab_container_scanning({}, options), UsageError);
    }
}

TEST_CASE("GitLab report without findings is still complete") {
    const json report = render({});
    CHECK(report["vulnerabilities"] == json::array());
    CHECK(report["scan"]["scanner"]["id"] == "gantry-scan-gate");
}

TEST_CASE("GitLab long titles are cut to the schema's 255 characters") {
    auto finding = os_package("CVE-2024-0001", Severity::High);
    finding.title.clear();
    for (int i = 0; i < 300; ++i) finding.title += "\xc3\xa9";  // é: 2 bytes, 1 character
    const std::string name = render({finding})["vulnerabilities"][0]["name"];
    CHECK(name.size() == 255 * 2);
}

TEST_CASE("GitLab dependency-scanning report locates each finding in its lock file") {
    auto lodash = every_kind()[1];
    lodash.origin = PackageOrigin::Dependency;
    lodash.dependency_file = "app/package-lock.json";
    Finding unnamed_file = lodash;  // a reader that gives no file: the target, else the report
    unnamed_file.id = "GHSA-zzzz-zzzz-zzzz";
    unnamed_file.dependency_file.clear();
    unnamed_file.target.clear();
    const json report = json::parse(render_gitlab_dependency_scanning({lodash, unnamed_file}, kFixedTimes));
    gantry::testing::check_report_envelope(report, "dependency_scanning");
    CHECK(report["schema"].get<std::string>().ends_with("/dependency-scanning-report-format.json"));
    REQUIRE(report["vulnerabilities"].size() == 2);
    const json& location = report["vulnerabilities"][0]["location"];
    CHECK(location == json{{"file", "app/package-lock.json"},
                           {"dependency", {{"package", {{"name", "lodash"}}}, {"version", "4.17.20"}}}});
    CHECK(report["vulnerabilities"][1]["location"]["file"] == "trivy.json");
    CHECK(report["vulnerabilities"][0]["solution"] == "Upgrade lodash to 4.17.21");
    CHECK(report["vulnerabilities"][0]["identifiers"][0]["value"] == "GHSA-abcd-efgh-ijkl");
}

TEST_CASE("GitLab dependency-scanning report without findings is still complete") {
    const json report = json::parse(render_gitlab_dependency_scanning({}, kFixedTimes));
    gantry::testing::check_report_envelope(report, "dependency_scanning");
    CHECK(report["vulnerabilities"] == json::array());
}

}  // TEST_SUITE
