#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitlab_report_checks.hpp"

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"
#include "gantry/report/gitlab_sast_report.hpp"

using namespace gantry;
using nlohmann::json;

namespace {

const GitlabReportOptions kFixedTimes{.analyzer_name = "gantry sarif-merge",
                                      .analyzer_version = "0.2.0",
                                      .start_time = "2024-05-01T10:00:00",
                                      .end_time = "2024-05-01T10:00:07"};

Finding code_result(std::string rule, std::string path, int start_line, int end_line = 0) {
    Finding finding;
    finding.kind = FindingKind::Code;
    finding.id = std::move(rule);
    finding.scanner = "CodeQL";
    finding.severity = Severity::High;
    finding.title = "Reflected cross-site scripting";
    finding.message = "Cross-site scripting vulnerability due to a user-provided value.";
    finding.url = "https://codeql.github.com/codeql-query-help/javascript/js-reflected-xss/";
    finding.location = Location{path, start_line, end_line, 0, 0};
    finding.target = path;
    finding.source_file = "codeql.sarif";
    return finding;
}

// Every shape a finding can have: lines or not, location or not, scanner or not, id or not.
std::vector<Finding> every_shape() {
    Finding without_lines = code_result("js/path-injection", "lib/files.js", 0);
    Finding start_only = code_result("js/sql-injection", "routes/login.js", 12);
    Finding without_location = code_result("terraform-aws-0086", "", 0);
    without_location.location.reset();
    without_location.target = "main.tf";
    Finding bare;  // as bare as a SARIF result can be: no id, scanner, title, location or target
    bare.kind = FindingKind::Code;
    Finding without_scanner = code_result("rule-1", "a.c", 3, 5);
    without_scanner.scanner.clear();
    return {code_result("js/reflected-xss", "routes/search.js", 20, 24), without_lines, start_only, without_location,
            bare, without_scanner};
}

json render(const std::vector<Finding>& findings, const GitlabReportOptions& options = kFixedTimes) {
    return json::parse(render_gitlab_sast(findings, options));
}

using gantry::testing::non_empty_string;

std::vector<std::string> identifier_names(const json& vulnerability) {
    std::vector<std::string> names;
    for (const auto& identifier : vulnerability["identifiers"]) names.push_back(identifier["name"]);
    return names;
}

}  // namespace

TEST_SUITE("gitlab_sast_report") {

TEST_CASE("GitLab SAST report has the schema version and a complete sast scan block") {
    const json report = render(every_shape());
    gantry::testing::check_report_envelope(report, "sast");
    CHECK(report["schema"].get<std::string>().ends_with("/sast-report-format.json"));
    const json& scan = report["scan"];
    CHECK(scan["analyzer"]["id"] == "gantry-sarif-merge");
    CHECK(scan["analyzer"]["version"] == "0.2.0");
    // Several scanners (CodeQL and none): the analyzer stands in.
    CHECK(scan["scanner"]["id"] == "gantry-sarif-merge");
    CHECK(report["vulnerabilities"].size() == 6);
}

TEST_CASE("GitLab SAST scanner block names the one scanner of all findings") {
    const json scan = render({code_result("js/xss", "a.js", 1), code_result("js/sqli", "b.js", 2)})["scan"];
    CHECK(scan["scanner"]["id"] == "codeql");
    CHECK(scan["scanner"]["name"] == "CodeQL");
    CHECK(scan["scanner"]["version"] == "unknown");
    CHECK(scan["analyzer"]["id"] == "gantry-sarif-merge");
}

TEST_CASE("GitLab SAST required vulnerability fields are present for every finding shape") {
    const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    const std::set<std::string> severities{"Info", "Unknown", "Low", "Medium", "High", "Critical"};
    const json report = render(every_shape());
    std::set<std::string> ids;
    for (const auto& vulnerability : report["vulnerabilities"]) {
        CAPTURE(vulnerability.dump());
        CHECK(std::regex_match(vulnerability["id"].get<std::string>(), uuid));
        ids.insert(vulnerability["id"]);
        CHECK(non_empty_string(vulnerability["name"]));
        CHECK(non_empty_string(vulnerability["description"]));
        CHECK(severities.count(vulnerability["severity"].get<std::string>()) == 1);
        REQUIRE(vulnerability["identifiers"].is_array());
        REQUIRE_FALSE(vulnerability["identifiers"].empty());
        for (const auto& identifier : vulnerability["identifiers"]) {
            for (const char* key : {"type", "name", "value"}) CHECK(non_empty_string(identifier[key]));
        }
        CHECK(vulnerability["links"].is_array());
        CHECK(non_empty_string(vulnerability["location"]["file"]));
    }
    CHECK(ids.size() == report["vulnerabilities"].size());
}

TEST_CASE("GitLab SAST location has the file and the lines that are known") {
    const json vulnerabilities = render(every_shape())["vulnerabilities"];
    const json& full = vulnerabilities[0]["location"];
    CHECK(full == json{{"file", "routes/search.js"}, {"start_line", 20}, {"end_line", 24}});
    CHECK(vulnerabilities[1]["location"] == json{{"file", "lib/files.js"}});
    // SARIF: a region without endLine ends on its start line.
    CHECK(vulnerabilities[2]["location"] == json{{"file", "routes/login.js"}, {"start_line", 12}, {"end_line", 12}});
    CHECK(vulnerabilities[3]["location"] == json{{"file", "main.tf"}});
    CHECK(vulnerabilities[4]["location"] == json{{"file", "unknown"}});
    // An end before the start (a broken region) is not written as such.
    const json backwards = render({code_result("r", "x.c", 9, 4)})["vulnerabilities"][0]["location"];
    CHECK(backwards["end_line"] == 9);
}

TEST_CASE("GitLab SAST names, descriptions and the rule id identifier") {
    const json vulnerabilities = render(every_shape())["vulnerabilities"];
    const json& xss = vulnerabilities[0];
    CHECK(xss["name"] == "Reflected cross-site scripting");
    CHECK(xss["description"] == "Cross-site scripting vulnerability due to a user-provided value.");
    CHECK(xss["identifiers"][0] ==
          json{{"type", "codeql_rule_id"},
               {"name", "js/reflected-xss"},
               {"value", "js/reflected-xss"},
               {"url", "https://codeql.github.com/codeql-query-help/javascript/js-reflected-xss/"}});
    CHECK(xss["links"] ==
          json::array({{{"url", "https://codeql.github.com/codeql-query-help/javascript/js-reflected-xss/"}}}));

    const json& bare = vulnerabilities[4];
    CHECK(bare["identifiers"].size() == 1);
    CHECK(bare["identifiers"][0]["type"] == "gantry_rule_id");
    CHECK(bare["identifiers"][0]["value"].get<std::string>().starts_with("code-"));
    CHECK(bare["name"] == bare["description"]);
    CHECK(bare["links"] == json::array());
    CHECK(vulnerabilities[5]["identifiers"][0]["type"] == "gantry_rule_id");

    Finding spaced = code_result("R1", "a.py", 1);
    spaced.scanner = "Semgrep OSS";
    CHECK(render({spaced})["vulnerabilities"][0]["identifiers"][0]["type"] == "semgrep_oss_rule_id");
}

TEST_CASE("GitLab SAST severities are GitLab's words") {
    const std::pair<Severity, const char*> cases[] = {{Severity::Critical, "Critical"},
                                                      {Severity::High, "High"},
                                                      {Severity::Medium, "Medium"},
                                                      {Severity::Low, "Low"},
                                                      {Severity::Unknown, "Unknown"}};
    for (const auto& [severity, expected] : cases) {
        CAPTURE(expected);
        Finding finding = code_result("r", "a.js", 1);
        finding.severity = severity;
        CHECK(render({finding})["vulnerabilities"][0]["severity"] == expected);
    }
}

TEST_CASE("GitLab SAST identifiers add aliases and the CWEs the finding mentions") {
    Finding finding = code_result("py/sql-injection", "app.py", 7);
    finding.title = "SQL injection (CWE-89)";
    finding.message = "See cwe-089 and CWE-20; not XCWE-1, CWE-12a or CWE-";
    finding.aliases = {"CWE-564", "GHSA-aaaa-bbbb-cccc", "CWE-89"};
    const json vulnerability = render({finding})["vulnerabilities"][0];
    CHECK(identifier_names(vulnerability) ==
          std::vector<std::string>{"py/sql-injection", "GHSA-aaaa-bbbb-cccc", "CWE-564", "CWE-89", "CWE-20"});
    const json& cwe = vulnerability["identifiers"][3];
    CHECK(cwe == json{{"type", "cwe"},
                      {"name", "CWE-89"},
                      {"value", "89"},
                      {"url", "https://cwe.mitre.org/data/definitions/89.html"}});
    CHECK(vulnerability["identifiers"][1]["type"] == "ghsa");

    Finding rule_is_cwe = code_result("CWE-79", "b.js", 1);
    CHECK(identifier_names(render({rule_is_cwe})["vulnerabilities"][0]) ==
          std::vector<std::string>{"CWE-79", "CWE-79"});  // the rule id, then the CWE it names
}

TEST_CASE("GitLab SAST ids are stable per finding and unique within a report") {
    const Finding first = code_result("js/xss", "a.js", 10);
    Finding moved = first;
    moved.location->start_line = 30;  // code above it changed: still the same vulnerability
    const Finding other_file = code_result("js/xss", "b.js", 10);
    const json once = render({first})["vulnerabilities"];
    const json twice = render({first, first, other_file})["vulnerabilities"];
    CHECK(render({moved})["vulnerabilities"][0]["id"] == once[0]["id"]);
    CHECK(twice[0]["id"] == once[0]["id"]);
    CHECK(twice[1]["id"] != twice[0]["id"]);
    CHECK(twice[2]["id"] != twice[0]["id"]);
    CHECK(twice[2]["id"] != twice[1]["id"]);
}

TEST_CASE("GitLab SAST output is the same bytes for the same input and times") {
    CHECK(render_gitlab_sast(every_shape(), kFixedTimes) == render_gitlab_sast(every_shape(), kFixedTimes));
    GitlabReportOptions later = kFixedTimes;
    later.end_time = "2024-05-01T11:00:00";
    const std::string a = render_gitlab_sast(every_shape(), kFixedTimes);
    const std::string b = render_gitlab_sast(every_shape(), later);
    CHECK(a != b);
    CHECK(json::parse(a)["vulnerabilities"] == json::parse(b)["vulnerabilities"]);
}

TEST_CASE("GitLab SAST scan times are checked and normalised") {
    GitlabReportOptions options = kFixedTimes;
    options.start_time = "2024-05-01T10:00:00.123Z";
    CHECK(render({}, options)["scan"]["start_time"] == "2024-05-01T10:00:00");
    options.start_time = "";
    const std::regex shape(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})");
    CHECK(std::regex_match(render({}, options)["scan"]["start_time"].get<std::string>(), shape));
    options.end_time = "yesterday";
    CHECK_THROWS_AS(render_gitlab_sast({}, options), UsageError);
}

TEST_CASE("GitLab SAST report without findings is still complete") {
    const json report = render({});
    CHECK(report["vulnerabilities"] == json::array());
    CHECK(report["scan"]["scanner"]["id"] == "gantry-sarif-merge");
}

TEST_CASE("GitLab SAST text is escaped, repaired and kept within the schema's limits") {
    Finding finding = code_result("rule\"1\\", "dir/\"quoted\" \\ file.js", 1);
    finding.title = std::string("multi\nline \"title\"\t\x01 \xff end");
    finding.message = "<script>alert('x')</script>\r\nsecond line \xc3";
    const std::string text = render_gitlab_sast({finding}, kFixedTimes);
    const json vulnerability = json::parse(text)["vulnerabilities"][0];  // parses: escaping is right
    CHECK(vulnerability["name"] == "multi line \"title\"\t\x01 \xef\xbf\xbd end");
    CHECK(vulnerability["description"] == "<script>alert('x')</script>\r\nsecond line \xef\xbf\xbd");
    CHECK(vulnerability["location"]["file"] == "dir/\"quoted\" \\ file.js");
    CHECK(vulnerability["identifiers"][0]["value"] == "rule\"1\\");

    Finding wordy = code_result("r", "a.js", 1);
    wordy.title = std::string(300, 'x');
    CHECK(render({wordy})["vulnerabilities"][0]["name"].get<std::string>().size() == 255);
}

TEST_CASE("GitLab SAST report from a SARIF run keeps rule, location and severity") {
    const std::string sarif = R"sarif({"version": "2.1.0", "runs": [{
      "tool": {"driver": {"name": "ESLint", "rules": [{"id": "no-eval",
        "shortDescription": {"text": "Disallow eval() (CWE-95)"},
        "helpUri": "https://eslint.org/docs/rules/no-eval"}]}},
      "results": [{"ruleId": "no-eval", "level": "error", "message": {"text": "eval can be harmful."},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/app.js"},
                                            "region": {"startLine": 4, "endLine": 6}}}]}]}]})sarif";
    const Report report = read_report_text(sarif, "eslint.sarif");
    const json gitlab = render({report.findings.begin(), report.findings.end()});
    REQUIRE(gitlab["vulnerabilities"].size() == 1);
    const json& vulnerability = gitlab["vulnerabilities"][0];
    CHECK(gitlab["scan"]["scanner"]["name"] == "ESLint");
    CHECK(vulnerability["severity"] == "High");
    CHECK(vulnerability["description"] == "eval can be harmful.");
    CHECK(vulnerability["location"] == json{{"file", "src/app.js"}, {"start_line", 4}, {"end_line", 6}});
    CHECK(identifier_names(vulnerability) == std::vector<std::string>{"no-eval", "CWE-95"});
    CHECK(vulnerability["identifiers"][0]["type"] == "eslint_rule_id");
}

}  // TEST_SUITE

TEST_CASE("GitLab SAST report written one vulnerability at a time is dump(2) of the whole report") {
    using ordered = nlohmann::ordered_json;
    Finding hostile = code_result("rule\"1\\", "dir/\"quoted\" \\ file.js", 1);
    hostile.title = std::string("multi\nline \"title\"\t\x01 \xff end");
    hostile.message = "<script>{\"a\": [1, 2]}</script>\r\nsecond line \xc3";
    hostile.aliases = {"CVE-2024-1234", "GHSA-aaaa-bbbb-cccc", "CWE-79"};
    std::vector<Finding> many = every_shape();
    many.push_back(hostile);
    for (const auto& findings : {std::vector<Finding>{}, std::vector<Finding>{hostile}, many}) {
        CAPTURE(findings.size());
        std::ostringstream streamed;
        write_gitlab_sast(streamed, findings, kFixedTimes);
        const std::string text = streamed.str();
        CHECK(text == render_gitlab_sast(findings, kFixedTimes));
        // The layout of one dump(2) of the report, key order kept, and a final newline.
        CHECK(text == ordered::parse(text).dump(2) + "\n");
    }
}
