#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"

using namespace gantry;

namespace {

std::filesystem::path sarif_fixture(const std::string& name) {
    return std::filesystem::path(GANTRY_TEST_DATA_DIR) / "reports" / "sarif" / name;
}

// A one-run SARIF log with the given results and driver rules.
std::string sarif_with(const std::string& results, const std::string& rules = "[]") {
    return R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Scanner", "rules": )" + rules +
           R"(}}, "results": )" + results + "}]}";
}

Severity only_severity(const std::string& text) {
    const Report report = read_report_text(text, "s.sarif");
    REQUIRE(report.findings.size() == 1);
    return report.findings[0].severity;
}

}  // namespace

TEST_SUITE("sarif report") {

TEST_CASE("CodeQL: rules in tool extensions, written after the results") {
    const Report report = read_report(sarif_fixture("codeql-extensions.sarif"));
    CHECK(report.format == ReportFormat::Sarif);
    CHECK(report.scanner == "CodeQL");
    REQUIRE(report.findings.size() == 3);  // one suppressed result and one "pass" are not findings
    CHECK(report.suppressed == 1);

    const Finding& sql = report.findings[0];
    CHECK(sql.id == "js/sql-injection");
    CHECK(sql.kind == FindingKind::Code);
    CHECK(sql.severity == Severity::High);  // rule security-severity 8.8 (a number here)
    CHECK(sql.title == "Database query built from user-controlled sources");
    CHECK(sql.url == "https://codeql.github.com/codeql-query-help/javascript/js-sql-injection/");
    CHECK(sql.message == "This query depends on a [user-provided value](1).");
    CHECK(sql.scanner == "CodeQL");
    CHECK(sql.target == "routes/login.ts");
    REQUIRE(sql.location.has_value());
    CHECK(sql.location->path == "routes/login.ts");
    CHECK(sql.location->start_line == 36);
    CHECK(sql.location->end_line == 0);
    CHECK(sql.location->start_column == 26);
    CHECK(sql.location->end_column == 85);
    CHECK(sql.package.empty());

    const Finding& unused = report.findings[1];
    CHECK(unused.id == "js/unused-local-variable");
    CHECK(unused.severity == Severity::Low);  // extension 1's defaultConfiguration.level "note"
    CHECK(unused.title == "Unused variable, import, function or class");
    REQUIRE(unused.location.has_value());
    CHECK(unused.location->path == "routes/basket.ts");  // the first location only
    CHECK(unused.location->end_line == 12);
    CHECK(unused.location->end_column == 14);

    const Finding& xss = report.findings[2];
    CHECK(xss.id == "js/xss");  // from rule.id: the result has no ruleId
    CHECK(xss.severity == Severity::Critical);  // the result's own security-severity beats the rule's 6.1
    CHECK(xss.title == "Client-side cross-site scripting");
}

TEST_CASE("several runs: levels, rule defaults, artifact indices, unknown rules") {
    const Report report = read_report(sarif_fixture("multi-run.sarif"));
    CHECK(report.scanner == "ESLint, Semgrep OSS");
    REQUIRE(report.findings.size() == 5);

    const Finding& eval = report.findings[0];
    CHECK(eval.id == "no-eval");
    CHECK(eval.scanner == "ESLint");
    CHECK(eval.severity == Severity::High);  // no level: the rule's default "error"
    CHECK(eval.title == "Disallow the use of `eval()`");
    CHECK(eval.url == "https://eslint.org/docs/latest/rules/no-eval");
    REQUIRE(eval.location.has_value());
    CHECK(eval.location->path == "src/index.js");  // from run.artifacts[1]
    CHECK(eval.location->start_column == 5);
    CHECK(eval.location->end_column == 9);

    CHECK(report.findings[1].severity == Severity::Medium);  // level "warning"
    CHECK(report.findings[1].location->path == "src/util/format.js");

    const Finding& none = report.findings[2];
    CHECK(none.id == "prefer-const");
    CHECK(none.severity == Severity::Unknown);  // level "none"; ruleIndex -1 means no rule
    CHECK(none.title == "'x' is never reassigned.");
    CHECK_FALSE(none.location.has_value());
    CHECK(none.target.empty());

    const Finding& note = report.findings[3];
    CHECK(note.scanner == "Semgrep OSS");
    CHECK(note.severity == Severity::Low);
    CHECK(note.title == "Detected the use of eval().");  // no rule: the message

    const Finding& debug = report.findings[4];
    CHECK(debug.severity == Severity::Medium);  // "not rated" is ignored; rule default "warning"
    CHECK(debug.title == "Semgrep Finding: python.flask.security.audit.debug-enabled");
}

TEST_CASE("security-severity bands, on the result or the rule, as a string or a number") {
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "properties": {"security-severity": "9.0"}}])")) ==
          Severity::Critical);
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "properties": {"security-severity": 7}}])")) == Severity::High);
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "level": "error", "properties": {"security-severity": " 4.0 "}}])")) ==
          Severity::Medium);
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r"}])", R"([{"id": "r", "properties": {"security-severity": "0.5"}}])")) ==
          Severity::Low);
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "level": "error"}])",
                                   R"([{"id": "r", "properties": {"security-severity": "0"}}])")) == Severity::Unknown);
}

TEST_CASE("levels: error high, warning medium, note low, none unknown, default warning") {
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "level": "error"}])")) == Severity::High);
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "level": "warning"}])")) == Severity::Medium);
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "level": "note"}])")) == Severity::Low);
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "level": "none"}])")) == Severity::Unknown);
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r"}])")) == Severity::Medium);
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "level": "fatal"}])")) == Severity::Medium);
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "level": null}])",
                                   R"([{"id": "r", "defaultConfiguration": {"level": "note"}}])")) == Severity::Low);
    // A result that is not a failure (here: to review) has level "none" unless it says otherwise.
    CHECK(only_severity(sarif_with(R"([{"ruleId": "r", "kind": "review"}])")) == Severity::Unknown);
}

TEST_CASE("suppressions hide a result unless one is under review or rejected") {
    const Report report = read_report_text(
        sarif_with(R"([{"ruleId": "a", "suppressions": [{"kind": "inSource"}]},
                       {"ruleId": "b", "suppressions": [{"kind": "external", "status": "underReview"}]},
                       {"ruleId": "c", "suppressions": [{"kind": "external", "status": "rejected"},
                                                        {"kind": "inSource", "status": "accepted"}]},
                       {"ruleId": "d", "suppressions": []},
                       {"ruleId": "e", "suppressions": [{"kind": "external", "status": "accepted"}, {"kind": "inSource"}]}])"),
        "s.sarif");
    REQUIRE(report.findings.size() == 3);
    CHECK(report.findings[0].id == "b");
    CHECK(report.findings[1].id == "c");
    CHECK(report.findings[2].id == "d");
    CHECK(report.suppressed == 2);
}

TEST_CASE("rule references that point nowhere are not errors") {
    const Report report = read_report_text(
        sarif_with(R"([{"ruleIndex": 7, "message": {"text": "m1"}},
                       {"rule": {"index": 0, "toolComponent": {"index": 3}}, "message": {"text": "m2"}},
                       {"ruleId": "known", "ruleIndex": 99}])",
                   R"([{"id": "known", "shortDescription": {"text": "Known rule"}}])"),
        "s.sarif");
    REQUIRE(report.findings.size() == 3);
    CHECK(report.findings[0].id.empty());
    CHECK(report.findings[0].title == "m1");
    CHECK(report.findings[1].title == "m2");
    CHECK(report.findings[2].title == "Known rule");  // found by id when the index is out of range
}

TEST_CASE("empty logs") {
    CHECK(read_report_text(R"({"version": "2.1.0", "runs": []})", "e.sarif").findings.empty());
    const Report no_results = read_report_text(R"({"runs": [{"tool": {"driver": {"name": "X"}}}]})", "e.sarif");
    CHECK(no_results.findings.empty());
    CHECK(no_results.scanner == "X");
}

TEST_CASE("wrong types name the pointer") {
    try {
        read_report_text(sarif_with(R"([{"ruleId": "r", "message": {"text": 5}}])"), "bad.sarif");
        FAIL("expected an InputError");
    } catch (const InputError& error) {
        const std::string message = error.what();
        CHECK(message.find("bad.sarif:1:") != std::string::npos);
        CHECK(message.find("(at /runs/0/results/0/message/text): expected a string, found a number") !=
              std::string::npos);
    }
    try {
        read_report_text(sarif_with(R"([{"ruleId": "r", "locations": [{"physicalLocation": {"region": {"startLine": "3"}}}]}])"),
                         "bad.sarif");
        FAIL("expected an InputError");
    } catch (const InputError& error) {
        CHECK(std::string(error.what()).find("/runs/0/results/0/locations/0/physicalLocation/region/startLine") !=
              std::string::npos);
    }
    CHECK_THROWS_AS(read_report_text(sarif_with(R"([{"ruleId": "r", "properties": {"security-severity": [9]}}])"), "b.sarif"),
                    InputError);
}

TEST_CASE("SARIF 2.0.0: tool.name, resources.rules and fileLocation are read") {
    // The 2.0.0 shapes (SARIF specification change log; the SARIF SDK's pre-release test logs):
    // results in two files at the same line with the same message stay two findings.
    const Report report = read_report_text(R"({"version": "2.0.0", "runs": [{
        "tool": {"name": "OldScanner", "version": "1.2"},
        "resources": {"rules": {"R1": {"shortDescription": {"text": "Rule one"},
                                       "configuration": {"defaultLevel": "error"}}}},
        "results": [
            {"ruleId": "R1", "message": {"text": "same"}, "locations": [{"physicalLocation": {
                "fileLocation": {"uri": "src/a.c", "uriBaseId": "SRCROOT"}, "region": {"startLine": 7}}}]},
            {"ruleId": "R1", "message": {"text": "same"}, "locations": [{"physicalLocation": {
                "fileLocation": {"uri": "src/b.c", "uriBaseId": "SRCROOT"}, "region": {"startLine": 7}}}]},
            {"ruleId": "R1", "level": "pass", "message": {"text": "checked"}},
            {"ruleId": "R1", "level": "open", "message": {"text": "needs review"}}]}]})",
                                           "old.sarif");
    CHECK(report.scanner == "OldScanner");
    REQUIRE(report.findings.size() == 3);  // the "pass" is not a finding
    CHECK(report.findings[0].location->path == "src/a.c");
    CHECK(report.findings[1].location->path == "src/b.c");
    CHECK(report.findings[0].location->start_line == 7);
    CHECK(report.findings[0].severity == Severity::High);  // the rule's configuration.defaultLevel
    CHECK(report.findings[0].title == "Rule one");
    CHECK(report.findings[0].sarif_identity != report.findings[1].sarif_identity);
    CHECK(report.findings[2].severity == Severity::Unknown);  // "open": level none, as kind open in 2.1.0

    // Rules as a list and files[] with fileIndex, as in the last 2.0.0 pre-releases.
    const Report indexed = read_report_text(R"({"version": "2.0.0-csd.2.beta.2019-01-24", "runs": [{
        "tool": {"name": "T"}, "files": [{"fileLocation": {"uri": "lib/x.py"}}],
        "resources": {"rules": [{"id": "R2", "configuration": {"defaultLevel": "note"}}]},
        "results": [{"ruleId": "R2", "message": {"text": "m"},
                     "locations": [{"physicalLocation": {"fileLocation": {"fileIndex": 0}}}]}]}]})",
                                            "pre.sarif");
    REQUIRE(indexed.findings.size() == 1);
    CHECK(indexed.findings[0].location->path == "lib/x.py");
    CHECK(indexed.findings[0].severity == Severity::Low);
}

TEST_CASE("SARIF 1.x is refused with how to convert it") {
    try {
        read_report_text(R"({"version": "1.0.0", "runs": [{"tool": {"name": "SarifCli"}, "results": []}]})", "v1.sarif");
        FAIL("expected an InputError");
    } catch (const InputError& error) {
        const std::string message = error.what();
        CHECK(message.find("v1.sarif:1:") == 0);
        CHECK(message.find("SARIF 1.0.0 is not read (SARIF 2.1.0 and 2.0.0 are)") != std::string::npos);
        CHECK(message.find("Sarif.Multitool transform") != std::string::npos);
    }
}

TEST_CASE("each result carries the identity sarif-merge dedupes by") {
    const Report report = read_report_text(
        sarif_with(R"([
            {"ruleId": "r", "message": {"text": "m"}, "partialFingerprints": {"primaryLocationLineHash": "abc:1"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 1}}}]},
            {"ruleId": "r", "message": {"text": "other words"}, "partialFingerprints": {"primaryLocationLineHash": "abc:1"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 9}}}]},
            {"ruleId": "r", "message": {"text": "m"}, "partialFingerprints": {"primaryLocationLineHash": "abc:1"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "b.js"}, "region": {"startLine": 1}}}]},
            {"ruleId": "r", "message": {"id": "default", "arguments": ["x"]},
             "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}, "region": {"startLine": 3}}}]},
            {"ruleId": "r", "message": {"id": "default", "arguments": ["y"]},
             "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}, "region": {"startLine": 3}}}]}])"),
        "ids.sarif");
    REQUIRE(report.findings.size() == 5);
    // Same rule, file and partial fingerprint: the same result, whatever the line or message.
    CHECK(report.findings[0].sarif_identity == report.findings[1].sarif_identity);
    // The same line hash in another file is another result.
    CHECK(report.findings[0].sarif_identity != report.findings[2].sarif_identity);
    // A message given as id + arguments tells results apart by its arguments.
    CHECK(report.findings[3].sarif_identity != report.findings[4].sarif_identity);
}

TEST_CASE("without a partial fingerprint, the message, file and region tell results apart, whatever the members' order") {
    const Report report = read_report_text(
        sarif_with(R"([
            {"ruleId": "r", "message": {"text": "m"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 1, "endLine": 2}}}]},
            {"locations": [{"physicalLocation": {"region": {"endLine": 2, "startLine": 1}, "artifactLocation": {"uri": "a.js"}}}],
             "message": {"text": "m"}, "ruleId": "r"},
            {"ruleId": "r", "message": {"text": "m "},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 1, "endLine": 2}}}]},
            {"ruleId": "r", "message": {"text": "m"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 1}}}]},
            {"ruleId": "r", "message": {"text": "m"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"},
                                                 "region": {"startLine": 1, "endLine": 2, "snippet": {"text": "x"}}}}]},
            {"ruleId": "r", "message": {"text": "m", "markdown": "m"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 1, "endLine": 2}}}]}])"),
        "places.sarif");
    REQUIRE(report.findings.size() == 6);
    const auto& first = report.findings[0].sarif_identity;
    REQUIRE(first.has_value());
    CHECK(report.findings[1].sarif_identity == first);
    for (std::size_t i = 2; i < report.findings.size(); ++i) {
        CAPTURE(i);
        CHECK(report.findings[i].sarif_identity != first);
    }
}

TEST_CASE("a reader that drops the results' messages still titles and identifies results by them") {
    const std::string log = sarif_with(R"([
        {"ruleId": "r", "message": {"text": "first line\nsecond line"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 1}}}]}])");
    const std::filesystem::path path = std::filesystem::temp_directory_path() / "gantry-dropped-messages.sarif";
    {
        std::ofstream(path) << log;
    }
    const Report kept = read_report(path);
    const Report dropped = read_report(path, ReportReading{.sarif_messages = SarifMessages::Dropped});
    std::filesystem::remove(path);
    REQUIRE(kept.findings.size() == 1);
    REQUIRE(dropped.findings.size() == 1);
    CHECK(kept.findings[0].message == "first line\nsecond line");
    CHECK(dropped.findings[0].message.empty());
    CHECK(dropped.findings[0].title == "first line");
    CHECK(dropped.findings[0].title == kept.findings[0].title);
    CHECK(dropped.findings[0].sarif_identity == kept.findings[0].sarif_identity);
}

TEST_CASE("results in external property files are not read, and a warning says findings may be missing") {
    const Report report = read_report_text(
        R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "X"}},
             "externalPropertyFileReferences": {"results": [{"location": {"uri": "r1.sarif-external-properties"}},
                                                            {"location": {"uri": "r2.sarif-external-properties"}}],
                                                "conversion": {"location": {"uri": "c.sarif-external-properties"}}},
             "results": [{"ruleId": "r", "message": {"text": "inline"}}]}]})",
        "x.sarif");
    CHECK(report.findings.size() == 1);
    REQUIRE(report.warnings.size() == 1);
    CHECK(report.warnings[0].find("x.sarif: a run keeps part of its log in 3 external property file(s)") == 0);
    CHECK(read_report_text(R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "X"}},
                               "externalPropertyFileReferences": {}}]})",
                           "y.sarif")
              .warnings.empty());
}

}  // TEST_SUITE
