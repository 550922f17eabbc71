// Which rule a SARIF result names: resolve_rule alone, then scan-gate (the findings reader),
// sarif-merge and `sarif-merge validate` on one log whose results name their rules in every way
// SARIF allows (and the ways real tools get wrong), agreeing on each.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/findings/report_reader.hpp"
#include "gantry/sarif/rule_reference.hpp"
#include "gantry/sarif/sarif_merger.hpp"
#include "gantry/sarif/sarif_validator.hpp"

using namespace gantry;
using nlohmann::json;

namespace {

// Driver rules A, B, CA2101; extension "pack" (guid G1) with rules X (guid GX) and Y.
RunRuleTables tables() {
    RunRuleTables run;
    run.name_component(RunRuleTables::kDriver, "lint", "G0");
    run.add_rule(RunRuleTables::kDriver, "A", "");
    run.add_rule(RunRuleTables::kDriver, "B", "");
    run.add_rule(RunRuleTables::kDriver, "CA2101", "");
    const std::size_t pack = run.add_component("pack", "G1");
    run.add_rule(pack, "X", "GX");
    run.add_rule(pack, "Y", "");
    return run;
}

RuleReference by_id(std::string id) { return RuleReference{.rule_id = std::move(id)}; }

// The log the tools are compared on. Every rule's shortDescription names it, so a finding's title
// and the merged result's rule say which rule each tool chose.
const char* kLog = R"({"version": "2.1.0", "runs": [{
  "tool": {
    "driver": {"name": "lint", "rules": [
      {"id": "A", "shortDescription": {"text": "rule A"}},
      {"id": "B", "shortDescription": {"text": "rule B"}},
      {"id": "CA2101", "shortDescription": {"text": "rule CA2101"}}]},
    "extensions": [{"name": "pack", "guid": "11111111-1111-1111-1111-111111111111", "rules": [
      {"id": "X", "guid": "22222222-2222-2222-2222-222222222222", "shortDescription": {"text": "rule pack/X"}},
      {"id": "Y", "shortDescription": {"text": "rule pack/Y"}}]}]},
  "results": [
    {"ruleId": "B", "ruleIndex": 0, "message": {"text": "index contradicts id"}},
    {"ruleIndex": 1, "message": {"text": "index only"}},
    {"ruleId": "CA2101/sub", "message": {"text": "hierarchical id"}},
    {"rule": {"id": "Y", "toolComponent": {"index": 0}}, "message": {"text": "id in an extension"}},
    {"rule": {"index": 1, "toolComponent": {"name": "pack"}}, "message": {"text": "extension by name"}},
    {"ruleIndex": 0, "rule": {"index": 0, "toolComponent": {"guid": "11111111-1111-1111-1111-111111111111"}},
     "message": {"text": "extension by guid"}},
    {"ruleId": "A", "ruleIndex": 7, "message": {"text": "dangling index"}},
    {"rule": {"guid": "22222222-2222-2222-2222-222222222222", "toolComponent": {"index": 0}},
     "message": {"text": "rule by guid"}},
    {"ruleId": "X", "message": {"text": "extension rule without toolComponent"}},
    {"ruleId": "B", "rule": {"id": "B", "index": 0, "toolComponent": {"index": 3}}, "message": {"text": "no such extension"}}
  ]}]})";

// What each result names, in the order above ("" for no rule).
const std::vector<std::string> kExpected = {"rule B",      "rule B",      "rule CA2101", "rule pack/Y", "rule pack/Y",
                                            "rule pack/X", "rule A",      "rule pack/X", "",            ""};

std::string rule_text(const json& rule) { return rule["shortDescription"]["text"].get<std::string>(); }

}  // namespace

TEST_SUITE("rule reference") {

TEST_CASE("an index that names another rule than the id: the id wins, and the index is reported") {
    RuleReference reference = by_id("B");
    reference.rule_index = 0;
    const RuleResolution resolution = resolve_rule(reference, tables());
    CHECK(resolution.rule == 1u);
    CHECK(resolution.index == RuleIndexOutcome::Contradicted);
    CHECK(resolution.index_member == RuleIndexMember::RuleIndex);
    CHECK(resolution.index_value == 0u);
}

TEST_CASE("rule.index is read before ruleIndex, in the component rule.toolComponent names") {
    RuleReference reference;
    reference.rule_index = 0;
    reference.reference_index = 1;
    reference.component = ToolComponentReference{.index = 0};
    const RuleResolution resolution = resolve_rule(reference, tables());
    CHECK(resolution.component == 1u);
    CHECK(resolution.rule == 1u);
    CHECK(resolution.id == "Y");
    CHECK(resolution.index_member == RuleIndexMember::ReferenceIndex);
}

TEST_CASE("ruleIndex alone indexes the named extension's rules too") {
    RuleReference reference;
    reference.rule_index = 0;
    reference.component = ToolComponentReference{.name = "pack"};
    const RuleResolution resolution = resolve_rule(reference, tables());
    CHECK(resolution.component == 1u);
    CHECK(resolution.id == "X");
}

TEST_CASE("a hierarchical id names the rule it extends; the result keeps its own id") {
    const RuleResolution resolution = resolve_rule(by_id("CA2101/sub/deeper"), tables());
    CHECK(resolution.rule == 2u);
    CHECK(resolution.id == "CA2101/sub/deeper");
    CHECK_FALSE(resolve_rule(by_id("CA210"), tables()).rule);
}

TEST_CASE("components by guid win over names; an unknown component names no rule") {
    RuleReference reference = by_id("X");
    reference.component = ToolComponentReference{.guid = "G1", .name = "lint"};
    CHECK(resolve_rule(reference, tables()).component == 1u);
    reference.component = ToolComponentReference{.guid = "G9"};
    CHECK_FALSE(resolve_rule(reference, tables()).component);
    reference.component = ToolComponentReference{.index = 1};
    const RuleResolution past_the_end = resolve_rule(reference, tables());
    CHECK_FALSE(past_the_end.component);
    CHECK(past_the_end.id == "X");
}

TEST_CASE("without a toolComponent, an id is looked up in the driver only") {
    const RuleResolution resolution = resolve_rule(by_id("X"), tables());
    CHECK(resolution.component == RunRuleTables::kDriver);
    CHECK_FALSE(resolution.rule);
}

TEST_CASE("rule.guid finds the rule when neither id nor index does") {
    RuleReference reference;
    reference.guid = "GX";
    reference.component = ToolComponentReference{.index = 0};
    const RuleResolution resolution = resolve_rule(reference, tables());
    CHECK(resolution.rule == 0u);
    CHECK(resolution.id == "X");
}

TEST_CASE("a dangling index falls back to the id; a repeated id keeps its first rule") {
    RuleReference reference = by_id("A");
    reference.rule_index = 7;
    RunRuleTables run = tables();
    run.add_rule(RunRuleTables::kDriver, "A", "");
    const RuleResolution resolution = resolve_rule(reference, run);
    CHECK(resolution.index == RuleIndexOutcome::OutOfRange);
    CHECK(resolution.rule == 0u);
    CHECK(run.duplicate_rule_ids() == 1);
}

TEST_CASE("scan-gate and sarif-merge name the same rule for every result, and validate warns where they overrule an index") {
    const Report report = read_report_text(kLog, "rules.sarif");
    REQUIRE(report.findings.size() == kExpected.size());

    SarifMerger merger({});
    merger.add_text(kLog, "rules.sarif");
    std::ostringstream out;
    merger.write(out);
    const json merged = json::parse(out.str());
    const json& run = merged["runs"][0];
    const json& results = run["results"];
    REQUIRE(results.size() == kExpected.size());

    for (std::size_t i = 0; i < kExpected.size(); ++i) {
        const json& result = results[i];
        INFO("result " << i << ": " << result.dump());
        const Finding& finding = report.findings[i];
        // scan-gate: the title comes from the rule's shortDescription, else the message.
        CHECK(finding.title == (kExpected[i].empty() ? result["message"]["text"].get<std::string>() : kExpected[i]));
        // sarif-merge: the merged result's indices name the rule in the merged run.
        std::string named;
        if (result.contains("rule") && result["rule"].contains("toolComponent")) {
            named = rule_text(run["tool"]["extensions"][result["rule"]["toolComponent"]["index"].get<std::size_t>()]["rules"]
                                 [result["rule"]["index"].get<std::size_t>()]);
        } else if (result.contains("ruleIndex")) {
            named = rule_text(run["tool"]["driver"]["rules"][result["ruleIndex"].get<std::size_t>()]);
        }
        CHECK(named == kExpected[i]);
        CHECK(finding.id == (result.contains("ruleId") ? result["ruleId"].get<std::string>() : std::string()));
    }

    const SarifValidation validation = SarifValidator({.limits = SarifLimits::None}).validate_text(kLog, "rules.sarif");
    std::vector<std::string> overruled;
    for (const SarifProblem& problem : validation.problems) {
        if (problem.message.find("the rule is found by its id") != std::string::npos ||
            problem.message.find("can only be found by its id") != std::string::npos) {
            overruled.push_back(problem.pointer);
        }
    }
    CHECK(overruled == std::vector<std::string>{"/runs/0/results/0/ruleIndex", "/runs/0/results/6/ruleIndex"});
}

}
