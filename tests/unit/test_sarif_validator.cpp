#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <unistd.h>
#include <zlib.h>

#include "gantry/base/error.hpp"
#include "gantry/sarif/github_limits.hpp"
#include "gantry/sarif/sarif_validator.hpp"

using gantry::SarifLimits;
using gantry::SarifProblem;
using gantry::SarifProblemSeverity;
using gantry::SarifValidation;
using gantry::SarifValidator;
using nlohmann::json;

namespace {

SarifValidation validated(const std::string& text, SarifLimits limits = SarifLimits::Github) {
    return SarifValidator({.limits = limits}).validate_text(text, "t.sarif");
}

SarifValidation validated(const json& log, SarifLimits limits = SarifLimits::Github) {
    return validated(log.dump(), limits);
}

// A valid log with one run of "lint" holding rules A and B, one artifact, and the given results.
json log_with(json results, json run_extra = json::object()) {
    json run = {{"tool", {{"driver", {{"name", "lint"}, {"rules", {{{"id", "A"}}, {{"id", "B"}}}}}}}},
                {"artifacts", {{{"location", {{"uri", "src/a.c"}}}}}},
                {"results", std::move(results)}};
    run.update(run_extra);
    return {{"version", "2.1.0"}, {"runs", {run}}};
}

json result_with(json extra = json::object()) {
    json result = {{"ruleId", "A"}, {"message", {{"text", "m"}}}};
    result.update(extra);
    return result;
}

// The one problem a validation found, checked to be the only one.
SarifProblem only_problem(const SarifValidation& validation) {
    REQUIRE(validation.problems.size() == 1);
    return validation.problems[0];
}

}  // namespace

TEST_SUITE("sarif_validator") {
TEST_CASE("a valid log has no problems and is counted") {
    json log = log_with({result_with({{"ruleIndex", 0},
                                      {"level", "warning"},
                                      {"kind", "fail"},
                                      {"partialFingerprints", {{"primaryLocationLineHash", "abc:1"}}},
                                      {"locations",
                                       {{{"physicalLocation",
                                          {{"artifactLocation", {{"uri", "src/a.c"}, {"index", 0}}},
                                           {"region", {{"startLine", 3}, {"startColumn", 1}, {"endLine", 4}}}}}}}}}),
                         result_with({{"ruleId", "B"}})});
    const SarifValidation validation = validated(log);
    CHECK(validation.file == "t.sarif");
    CHECK(validation.problems.empty());
    CHECK(validation.valid());
    CHECK(validation.errors == 0);
    CHECK(validation.warnings == 0);
    CHECK(validation.runs == 1);
    CHECK(validation.results == 2);
}

TEST_CASE("version: missing is a warning, another value an error") {
    json log = log_with(json::array());
    log.erase("version");
    SarifValidation validation = validated(log);
    SarifProblem problem = only_problem(validation);
    CHECK(problem.severity == SarifProblemSeverity::Warning);
    CHECK(problem.pointer == "/version");
    CHECK(validation.valid());
    CHECK(validation.warnings == 1);

    log["version"] = "2.0.0";
    validation = validated(log);
    problem = only_problem(validation);
    CHECK(problem.severity == SarifProblemSeverity::Error);
    CHECK(problem.pointer == "/version");
    CHECK(problem.message.find("\"2.1.0\"") != std::string::npos);
    CHECK_FALSE(validation.valid());
}

TEST_CASE("problems carry the line and column of the value") {
    const std::string text = "{\"version\": \"2.1.0\",\n"
                             " \"runs\": [{\"tool\": {\"driver\": {\"name\": \"lint\"}},\n"
                             "   \"results\": [{\"message\": {\"text\": \"m\"}, \"level\": \"fatal\"}]}]}";
    const SarifProblem problem = only_problem(validated(text));
    CHECK(problem.pointer == "/runs/0/results/0/level");
    CHECK(problem.line == 3);
    CHECK(problem.column == 52);
    CHECK(problem.message == "expected one of none, note, warning or error, found \"fatal\"");
}

TEST_CASE("the top level: an object with runs") {
    SarifProblem problem = only_problem(validated(std::string("[1, 2]")));
    CHECK(problem.pointer == "");
    CHECK(problem.message.find("found an array") != std::string::npos);
    CHECK(problem.line == 1);

    problem = only_problem(validated(json{{"version", "2.1.0"}}));
    CHECK(problem.pointer == "/runs");
    CHECK(problem.message.find("missing") != std::string::npos);

    problem = only_problem(validated(json{{"version", "2.1.0"}, {"runs", {{"a", 1}}}}));
    CHECK(problem.pointer == "/runs");
    CHECK(problem.message == "expected an array of runs, found an object");

    problem = only_problem(validated(json{{"version", "2.1.0"}, {"runs", {1}}}));
    CHECK(problem.pointer == "/runs/0");
    CHECK(problem.message == "expected a run object, found a number");

    CHECK(validated(json{{"version", "2.1.0"}, {"runs", json::array()}}).problems.empty());
}

TEST_CASE("text that is not JSON throws InputError with line and column") {
    try {
        validated(std::string("{\"version\": \"2.1.0\",\n \"runs\": [}"));
        FAIL("expected an InputError");
    } catch (const gantry::InputError& error) {
        CHECK(error.position().file == "t.sarif");
        CHECK(error.position().line == 2);
    }
    CHECK_THROWS_AS(validated(std::string("[1, 2")), gantry::InputError);
    CHECK_THROWS_AS(validated(std::string("")), gantry::InputError);
    CHECK_THROWS_AS(SarifValidator().validate_file(GANTRY_TEST_DATA_DIR "/sarif-validate/no-such-file.sarif"),
                    gantry::InputError);
}

TEST_CASE("tool.driver.name must be a non-empty string") {
    json log = log_with(json::array());
    log["runs"][0]["tool"]["driver"]["name"] = "";
    SarifProblem problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/tool/driver/name");
    CHECK(problem.message.find("non-empty") != std::string::npos);

    log["runs"][0]["tool"]["driver"].erase("name");
    problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/tool/driver/name");
    CHECK(problem.message.starts_with("missing"));

    log["runs"][0].erase("tool");
    problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/tool");

    log["runs"][0]["tool"] = {{"driver", 7}};
    problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/tool/driver");
    CHECK(problem.message == "expected a tool component object, found a number");
}

TEST_CASE("results: an array of objects, or absent") {
    json log = log_with(json::array());
    log["runs"][0].erase("results");
    CHECK(validated(log).problems.empty());

    log["runs"][0]["results"] = "none";
    SarifProblem problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/results");

    log["runs"][0]["results"] = {result_with(), 3};
    problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/results/1");
    CHECK(problem.message == "expected a result object, found a number");
}

TEST_CASE("message needs text or id") {
    json result = result_with();
    result.erase("message");
    SarifProblem problem = only_problem(validated(log_with({result})));
    CHECK(problem.pointer == "/runs/0/results/0/message");
    CHECK(problem.message.starts_with("missing"));

    CHECK(validated(log_with({result_with({{"message", {{"id", "default"}}}})})).problems.empty());

    problem = only_problem(validated(log_with({result_with({{"message", {{"markdown", "m"}}}})})));
    CHECK(problem.pointer == "/runs/0/results/0/message");

    problem = only_problem(validated(log_with({result_with({{"message", {{"text", 5}}}})})));
    CHECK(problem.pointer == "/runs/0/results/0/message/text");
}

TEST_CASE("level and kind come from their enumerations") {
    for (const char* level : {"none", "note", "warning", "error"}) {
        CHECK(validated(log_with({result_with({{"level", level}})})).problems.empty());
    }
    SarifProblem problem = only_problem(validated(log_with({result_with({{"level", "high"}})})));
    CHECK(problem.pointer == "/runs/0/results/0/level");

    for (const char* kind : {"notApplicable", "pass", "fail", "review", "open", "informational"}) {
        CHECK(validated(log_with({result_with({{"kind", kind}})})).problems.empty());
    }
    problem = only_problem(validated(log_with({result_with({{"kind", "bug"}})})));
    CHECK(problem.pointer == "/runs/0/results/0/kind");
    problem = only_problem(validated(log_with({result_with({{"kind", 1}})})));
    CHECK(problem.message.find("found a number") != std::string::npos);
}

TEST_CASE("ruleIndex within the driver's rules and agreeing with ruleId") {
    CHECK(validated(log_with({result_with({{"ruleIndex", 1}, {"ruleId", "B"}})})).problems.empty());
    CHECK(validated(log_with({result_with({{"ruleIndex", -1}})})).problems.empty());
    // A hierarchical ruleId extends its rule's id.
    CHECK(validated(log_with({result_with({{"ruleIndex", 1}, {"ruleId", "B/sub"}})})).problems.empty());

    // The ruleId wins over a ruleIndex that names another rule (old Trivy, Anchore, gosec): a warning.
    const SarifValidation contradicting = validated(log_with({result_with({{"ruleIndex", 1}})}));
    SarifProblem problem = only_problem(contradicting);
    CHECK(problem.severity == SarifProblemSeverity::Warning);
    CHECK(problem.pointer == "/runs/0/results/0/ruleIndex");
    CHECK(problem.message == "names rule \"B\" (tool.driver.rules[1]), not \"A\", the result's rule id; the rule is found by its id");
    CHECK(contradicting.valid());

    problem = only_problem(validated(log_with({result_with({{"ruleIndex", 1.5}})})));
    CHECK(problem.pointer == "/runs/0/results/0/ruleIndex");
    CHECK(problem.message.find("found 1.5") != std::string::npos);

    problem = only_problem(validated(log_with({result_with({{"ruleIndex", "0"}})})));
    CHECK(problem.message.find("found a string") != std::string::npos);

    problem = only_problem(validated(log_with({result_with({{"ruleIndex", -2}})})));
    CHECK(problem.pointer == "/runs/0/results/0/ruleIndex");
}

TEST_CASE("a dangling ruleIndex is an error without an id, a warning with one") {
    json result = result_with({{"ruleIndex", 2}});
    SarifValidation validation = validated(log_with({result}));
    SarifProblem problem = only_problem(validation);
    CHECK(problem.severity == SarifProblemSeverity::Warning);
    CHECK(problem.pointer == "/runs/0/results/0/ruleIndex");
    CHECK(problem.message.starts_with("expected an index into tool.driver.rules (2 rules), found 2"));
    CHECK(validation.valid());

    result.erase("ruleId");
    validation = validated(log_with({result}));
    problem = only_problem(validation);
    CHECK(problem.severity == SarifProblemSeverity::Error);
    CHECK_FALSE(validation.valid());
}

TEST_CASE("rule.index and rule.toolComponent.index resolve into the extension's rules") {
    json log = log_with({result_with({{"ruleId", "X"}, {"ruleIndex", 0},
                                      {"rule", {{"id", "X"}, {"index", 0}, {"toolComponent", {{"index", 0}}}}}})});
    log["runs"][0]["tool"]["extensions"] = {{{"name", "pack"}, {"rules", {{{"id", "X"}}}}}};
    CHECK(validated(log).problems.empty());

    log["runs"][0]["results"][0]["rule"]["toolComponent"]["index"] = 1;
    SarifProblem problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/results/0/rule/toolComponent/index");
    CHECK(problem.message == "expected an index into tool.extensions (1 extension), found 1");

    log["runs"][0]["results"][0]["rule"]["toolComponent"] = {{"index", 0}};
    log["runs"][0]["results"][0]["rule"]["index"] = 1;
    log["runs"][0]["results"][0].erase("ruleIndex");
    log["runs"][0]["results"][0].erase("ruleId");
    problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/results/0/rule/index");
    CHECK(problem.severity == SarifProblemSeverity::Warning);  // rule.id still names it
    CHECK(problem.message.find("tool.extensions[0].rules (1 rule)") != std::string::npos);

    // A reference by name is not resolved: no false alarm.
    log["runs"][0]["results"][0]["rule"] = {{"index", 0}, {"toolComponent", {{"name", "pack"}}}};
    CHECK(validated(log).problems.empty());
}

TEST_CASE("ruleIndex and rule.index, ruleId and rule.id must agree") {
    SarifProblem problem =
        only_problem(validated(log_with({result_with({{"ruleIndex", 0}, {"rule", {{"index", 1}}}})})));
    CHECK(problem.pointer == "/runs/0/results/0/ruleIndex");
    CHECK(problem.message == "expected the same index as rule.index (1), found 0");

    problem = only_problem(validated(log_with({result_with({{"rule", {{"id", "B"}}}})})));
    CHECK(problem.pointer == "/runs/0/results/0/rule/id");
}

TEST_CASE("locations: regions start at 1, endLine not before startLine") {
    const auto with_region = [](json region) {
        json physical = {{"artifactLocation", {{"uri", "a.c"}}}, {"region", std::move(region)}};
        return log_with({result_with({{"locations", json::array({{{"physicalLocation", std::move(physical)}}})}})});
    };
    CHECK(validated(with_region({{"startLine", 1}, {"startColumn", 1}, {"endLine", 1}, {"endColumn", 2}})).problems.empty());

    SarifProblem problem = only_problem(validated(with_region({{"startLine", 0}})));
    CHECK(problem.pointer == "/runs/0/results/0/locations/0/physicalLocation/region/startLine");
    CHECK(problem.message == "expected a line number (an integer, 1 or more), found 0");

    problem = only_problem(validated(with_region({{"startLine", 2}, {"startColumn", 0}})));
    CHECK(problem.pointer == "/runs/0/results/0/locations/0/physicalLocation/region/startColumn");

    problem = only_problem(validated(with_region({{"startLine", 5}, {"endLine", 4}})));
    CHECK(problem.pointer == "/runs/0/results/0/locations/0/physicalLocation/region/endLine");
    CHECK(problem.message == "expected an end line at or after startLine (5), found 4");

    problem = only_problem(validated(log_with({result_with({{"locations", {{"physicalLocation", 1}}}})})));
    CHECK(problem.pointer == "/runs/0/results/0/locations");  // an object, not an array

    problem = only_problem(validated(log_with({result_with(
        {{"relatedLocations", json::parse(R"([{"physicalLocation": {"artifactLocation": {"uri": "a.c"}, "region": {"startLine": -3}}}])")}})})));
    CHECK(problem.pointer == "/runs/0/results/0/relatedLocations/0/physicalLocation/region/startLine");
}

TEST_CASE("artifactLocation: uri a string, index within run.artifacts") {
    const auto with_artifact = [](json artifact) {
        return log_with({result_with({{"locations", {{{"physicalLocation", {{"artifactLocation", artifact}}}}}}})});
    };
    CHECK(validated(with_artifact({{"uri", "src/a.c"}, {"index", 0}})).problems.empty());

    SarifProblem problem = only_problem(validated(with_artifact({{"uri", 12}})));
    CHECK(problem.pointer == "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri");
    CHECK(problem.message == "expected a string (the file's URI), found a number");

    SarifValidation validation = validated(with_artifact({{"index", 1}}));
    problem = only_problem(validation);
    CHECK(problem.pointer == "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/index");
    CHECK(problem.message == "expected an index into run.artifacts (1 artifact), found 1");
    CHECK(problem.severity == SarifProblemSeverity::Error);

    problem = only_problem(validated(with_artifact({{"index", 1}, {"uri", "src/b.c"}})));
    CHECK(problem.severity == SarifProblemSeverity::Warning);
}

TEST_CASE("fingerprints, rule ids and automationDetails.id are strings") {
    SarifProblem problem =
        only_problem(validated(log_with({result_with({{"partialFingerprints", {{"primaryLocationLineHash", 5}}}})})));
    CHECK(problem.pointer == "/runs/0/results/0/partialFingerprints/primaryLocationLineHash");

    json log = log_with(json::array());
    log["runs"][0]["tool"]["driver"]["rules"][1]["id"] = 2;
    problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/tool/driver/rules/1/id");

    log["runs"][0]["tool"]["driver"]["rules"][1].erase("id");
    problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/tool/driver/rules/1/id");
    CHECK(problem.message.starts_with("missing"));

    problem = only_problem(validated(log_with(json::array(), {{"automationDetails", {{"id", 3}}}})));
    CHECK(problem.pointer == "/runs/0/automationDetails/id");
}

TEST_CASE("security-severity: a number from 0 to 10, as a number or a string") {
    const auto with_severity = [](json severity) {
        json log = log_with(json::array());
        log["runs"][0]["tool"]["driver"]["rules"][0]["properties"] = {{"security-severity", severity}};
        return validated(log);
    };
    CHECK(with_severity("8.8").problems.empty());
    CHECK(with_severity(0).problems.empty());
    CHECK(with_severity(10.0).problems.empty());
    SarifProblem problem = only_problem(with_severity("11"));
    CHECK(problem.pointer == "/runs/0/tool/driver/rules/0/properties/security-severity");
    problem = only_problem(with_severity("high"));
    CHECK(problem.message.find("found \"high\"") != std::string::npos);
    problem = only_problem(with_severity(-1));
    CHECK(problem.message.find("found -1") != std::string::npos);
    problem = only_problem(with_severity(true));
    CHECK(problem.message.find("found a boolean") != std::string::npos);
}

TEST_CASE("GitHub's limits: runs per file, and none of them with --for none") {
    json log = {{"version", "2.1.0"}, {"runs", json::array()}};
    for (std::size_t i = 0; i <= gantry::github_limits::kRunsPerFile; ++i) {
        log["runs"].push_back({{"tool", {{"driver", {{"name", "tool" + std::to_string(i)}}}}}});
    }
    const SarifProblem problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs");
    CHECK(problem.message.find("at most " + std::to_string(gantry::github_limits::kRunsPerFile) + " runs") !=
          std::string::npos);
    CHECK(validated(log, SarifLimits::None).problems.empty());
}

TEST_CASE("GitHub's limits: results and rules per run") {
    json results = json::array();
    for (std::size_t i = 0; i <= gantry::github_limits::kResultsPerRun; ++i) results.push_back(result_with());
    SarifValidation validation = validated(log_with(results));
    SarifProblem problem = only_problem(validation);
    CHECK(problem.pointer == "/runs/0/results");
    CHECK(validation.results == gantry::github_limits::kResultsPerRun + 1);
    CHECK(validated(log_with(results), SarifLimits::None).problems.empty());

    json log = log_with(json::array());
    json& rules = log["runs"][0]["tool"]["driver"]["rules"];
    while (rules.size() <= gantry::github_limits::kRulesPerRun) rules.push_back({{"id", "R" + std::to_string(rules.size())}});
    problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/tool");
    CHECK(problem.message.find("rules") != std::string::npos);
}

TEST_CASE("GitHub's limits: extensions, tags, locations and thread-flow locations") {
    json log = log_with(json::array());
    log["runs"][0]["tool"]["extensions"] = json::array();
    for (std::size_t i = 0; i <= gantry::github_limits::kExtensionsPerRun; ++i) {
        log["runs"][0]["tool"]["extensions"].push_back({{"name", "e" + std::to_string(i)}});
    }
    SarifProblem problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/tool/extensions");

    log = log_with(json::array());
    json tags = json::array();  // distinct: the schema wants the tags of a rule unique
    for (std::size_t i = 0; i <= gantry::github_limits::kTagsPerRule; ++i) tags.push_back("tag" + std::to_string(i));
    log["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"] = tags;
    problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/0/tool/driver/rules/0/properties/tags");

    const json location = {{"physicalLocation", {{"artifactLocation", {{"uri", "a.c"}}}}}};
    problem = only_problem(validated(log_with(
        {result_with({{"locations", json(std::vector<json>(gantry::github_limits::kLocationsPerResult + 1, location))}})})));
    CHECK(problem.pointer == "/runs/0/results/0/locations");

    // Thread-flow locations count over every code flow and thread flow of the result.
    const json steps = json(std::vector<json>(gantry::github_limits::kThreadFlowLocationsPerResult / 2, {{"location", location}}));
    const json flow = {{"threadFlows", {{{"locations", steps}}}}};
    CHECK(validated(log_with({result_with({{"codeFlows", {flow, flow}}})})).problems.empty());
    problem = only_problem(validated(log_with({result_with({{"codeFlows", {flow, flow, {{"threadFlows", {{{"locations", {{{"location", location}}}}}}}}}}})})));
    CHECK(problem.pointer == "/runs/0/results/0/codeFlows");
    CHECK(problem.message.find("thread-flow locations") != std::string::npos);
}

TEST_CASE("GitHub: two runs of one tool and category") {
    json log = log_with(json::array(), {{"automationDetails", {{"id", "web/run-1"}}}});
    log["runs"].push_back(log["runs"][0]);
    log["runs"][1]["automationDetails"]["id"] = "web/run-2";  // same category "web"
    SarifProblem problem = only_problem(validated(log));
    CHECK(problem.pointer == "/runs/1");
    CHECK(problem.message.find("the first is /runs/0") != std::string::npos);
    CHECK(problem.message.find("category \"web\"") != std::string::npos);
    CHECK(validated(log, SarifLimits::None).problems.empty());

    log["runs"][1]["automationDetails"]["id"] = "api/run-2";
    CHECK(validated(log).problems.empty());
    log["runs"][1]["automationDetails"]["id"] = "web/run-2";
    log["runs"][1]["tool"]["driver"]["name"] = "other";
    CHECK(validated(log).problems.empty());
}

TEST_CASE("GitHub: the gzipped size") {
    // Random text over 64 symbols keeps 6 bits of 8 gzipped: 14 MiB of it is over 10 MiB.
    const std::size_t size = gantry::github_limits::kGzippedBytes / 6 * 8 + 1024 * 1024;
    const std::string symbols = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-";
    std::string noise;
    noise.reserve(size);
    unsigned long long state = 12345;
    while (noise.size() < size) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        noise += symbols[(state >> 33) % 64];
    }
    json log = log_with(json::array(), {{"properties", {{"padding", noise}}}});
    SarifValidation validation = validated(log);
    SarifProblem problem = only_problem(validation);
    CHECK(problem.pointer == "");
    CHECK(problem.line == 0);
    CHECK(problem.message.find("gzipped") != std::string::npos);
    CHECK(validated(log, SarifLimits::None).problems.empty());

    // The same size of repeated text compresses far below the limit.
    log["runs"][0]["properties"]["padding"] = std::string(noise.size(), 'a');
    CHECK(validated(log).problems.empty());
}

TEST_CASE("problems are all counted but only the first are kept, file-wide ones first") {
    json results = json::array();
    for (int i = 0; i < 70; ++i) results.push_back(result_with({{"level", "bad"}}));
    SarifValidation validation = validated(log_with(results));
    CHECK(validation.errors == 70);
    CHECK(validation.problems.size() == 50);
    CHECK(validation.problems_left_out() == 20);
    CHECK(validation.problems[49].pointer == "/runs/0/results/49/level");

    validation = SarifValidator({.problems_kept = 3}).validate_text(log_with(results).dump(), "t.sarif");
    CHECK(validation.problems.size() == 3);
    CHECK(validation.errors == 70);
}

TEST_CASE("null members: absent to the structure checks, errors to the schema") {
    json log = log_with({result_with({{"ruleIndex", nullptr}, {"level", nullptr}, {"locations", nullptr}})});
    log["runs"][0]["automationDetails"] = nullptr;
    const SarifValidation validation = validated(log);
    REQUIRE(validation.errors == 3);  // the official schema has no null member in a result
    CHECK(validation.problems[0].pointer == "/runs/0/results/0/level");
    CHECK(validation.problems[0].message.find("SARIF 2.1.0 schema") != std::string::npos);
}

TEST_CASE("results that come before the tool are checked against it") {
    const std::string text = R"({"version":"2.1.0","runs":[{"results":[{"ruleIndex":1,"ruleId":"A","message":{"text":"m"}}],)"
                             R"("tool":{"driver":{"name":"lint","rules":[{"id":"A"},{"id":"B"}]}}}]})";
    const SarifProblem problem = only_problem(validated(text));
    CHECK(problem.pointer == "/runs/0/results/0/ruleIndex");
    CHECK(problem.severity == SarifProblemSeverity::Warning);
    CHECK(problem.line == 1);
}

TEST_CASE("fixture files: a valid one and one with several problems") {
    const SarifValidator validator;
    CHECK(validator.validate_file(GANTRY_TEST_DATA_DIR "/sarif-validate/valid.sarif").problems.empty());
    const SarifValidation validation = validator.validate_file(GANTRY_TEST_DATA_DIR "/sarif-validate/problems.sarif");
    CHECK_FALSE(validation.valid());
    CHECK(validation.errors >= 5);
    for (const SarifProblem& problem : validation.problems) {
        CHECK(problem.line > 0);
        CHECK(problem.pointer.starts_with("/"));
    }
}

TEST_CASE("artifact indexes met before run.artifacts are checked once the artifacts are known") {
    const auto text = [](const std::string& artifacts) {
        return R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"results":[{"message":{"text":"m"},)"
               R"("locations":[{"physicalLocation":{"artifactLocation":{"index":1}}}]}])" +
               artifacts + "}]}";
    };
    CHECK(validated(text(R"(,"artifacts":[{},{}])")).problems.empty());
    SarifProblem problem = only_problem(validated(text(R"(,"artifacts":[{}])")));
    CHECK(problem.pointer == "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/index");
    CHECK(problem.message == "expected an index into run.artifacts (1 artifact), found 1");
    problem = only_problem(validated(text("")));
    CHECK(problem.message == "expected no index, as the run has no artifacts, found 1");
}

TEST_CASE("positions stay right past the reading buffer") {
    const std::string padding(3 * 1024 * 1024 + 17, 'x');
    const std::string text = "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"lint\"}},\n"
                             "\"properties\": {\"padding\": \"" + padding + "\"},\n"
                             "  \"results\": [{\"message\": {\"text\": \"m\"},\n   \"level\": \"loud\"}]}]}";
    const SarifProblem problem = only_problem(validated(text, SarifLimits::None));
    CHECK(problem.pointer == "/runs/0/results/0/level");
    CHECK(problem.line == 4);
    CHECK(problem.column == 13);
}

TEST_CASE("a truncated file names where it ends") {
    try {
        validated(std::string("{\"version\": \"2.1.0\",\n \"runs\": [{\"tool\": {"));
        FAIL("expected an InputError");
    } catch (const gantry::InputError& error) {
        CHECK(error.position().line == 2);
        CHECK(error.reason().find("truncated") != std::string::npos);
    }
    try {
        validated(std::string("{\"version\": \"2.1.0\", \"runs\": [}"));
        FAIL("expected an InputError");
    } catch (const gantry::InputError& error) {
        CHECK(error.position().column == 31);  // the }
        CHECK(error.reason().starts_with("invalid JSON"));
    }
    try {
        validated("{\"version\": \"" + std::string(5000, 'a') + "\u0001\"}");
        FAIL("expected an InputError");
    } catch (const gantry::InputError& error) {
        CHECK(error.reason().size() < 300);  // not the whole 5000-byte string it was reading
        CHECK(error.position().column == 5014);
    }
    try {
        validated(std::string(" \n "));
        FAIL("expected an InputError");
    } catch (const gantry::InputError& error) {
        CHECK(error.reason().find("empty") != std::string::npos);
    }
}

TEST_CASE("a gzip-compressed file is read as it is") {
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("gantry-validate-" + std::to_string(::getpid()) + ".sarif.gz");
    const std::string text = log_with({result_with({{"level", "loud"}})}).dump(2);
    gzFile file = gzopen(path.c_str(), "wb");
    REQUIRE(file != nullptr);
    REQUIRE(gzwrite(file, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
    gzclose(file);
    const SarifValidation validation = SarifValidator().validate_file(path);
    std::filesystem::remove(path);
    const SarifProblem problem = only_problem(validation);
    CHECK(problem.pointer == "/runs/0/results/0/level");
    CHECK(problem.line > 1);
}
}
