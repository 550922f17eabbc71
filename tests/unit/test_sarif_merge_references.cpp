// Every index-bearing property of the SARIF 2.1.0 schema, rewritten or removed by the merge.
//
// The list below is what SarifSchema::index_properties() finds in the official schema (integer
// properties whose description speaks of an index), by definition and property name; the first test fails when the schema's list and
// this one part, and every entry has a case that merges a log using it after another log that
// shifts the tables, then checks that the output's index names the same entry as the input's did -
// or that the index is gone where its table is not merged - and that the output is schema-valid.
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "gantry/sarif/sarif_merger.hpp"
#include "gantry/sarif/sarif_schema.hpp"
#include "gantry/sarif/sarif_validator.hpp"

using nlohmann::json;

namespace {

using Property = std::pair<std::string, std::string>;

const std::vector<Property> kIndexProperties = {
    {"address", "index"},
    {"address", "parentIndex"},
    {"artifact", "parentIndex"},
    {"artifactLocation", "index"},
    {"graphTraversal", "resultGraphIndex"},
    {"graphTraversal", "runGraphIndex"},
    {"logicalLocation", "index"},
    {"logicalLocation", "parentIndex"},
    {"reportingDescriptorReference", "index"},
    {"result", "ruleIndex"},
    {"resultProvenance", "invocationIndex"},
    {"threadFlowLocation", "index"},
    {"toolComponentReference", "index"},
    {"webRequest", "index"},
    {"webResponse", "index"},
};

// A run of "lint" with rules A and B, the given results and other run members (JSON texts).
json run_of(const std::string& results, const std::string& members = "{}") {
    json run = json::parse(R"({"tool": {"driver": {"name": "lint", "version": "1", "rules": [{"id": "A"}, {"id": "B"}]}}})");
    run["results"] = json::parse(results);
    run.update(json::parse(members));
    return {{"version", "2.1.0"}, {"runs", {run}}};
}

// A first log whose tables come before the second's in the merged run, so every index moves.
const json kShifter = run_of(
    R"([{"ruleId": "B", "message": {"text": "shifter"}, "analysisTarget": {"index": 0},
         "locations": [{"logicalLocations": [{"index": 0}], "physicalLocation": {"artifactLocation": {"index": 1}}}],
         "codeFlows": [{"threadFlows": [{"locations": [{"index": 0}]}]}],
         "taxa": [{"index": 0, "toolComponent": {"index": 0}}]}])",
    R"({"artifacts": [{"location": {"uri": "shift/one.c"}}, {"location": {"uri": "shift/two.c"}}],
        "logicalLocations": [{"name": "shiftns"}],
        "threadFlowLocations": [{"location": {"message": {"text": "shift step"}}}],
        "taxonomies": [{"name": "OWASP", "taxa": [{"id": "A1"}]}]})");

json merge(const json& log) {
    gantry::SarifMerger merger({});
    merger.add_text(kShifter.dump(), "shifter.sarif");
    merger.add_text(log.dump(), "case.sarif");
    std::ostringstream out;
    merger.write(out);
    return json::parse(out.str());
}

// The merged run and the result the case contributed.
struct Merged {
    json log;
    const json& run() const { return log["runs"][0]; }
    const json& result() const { return log["runs"][0]["results"][1]; }
};

Merged merged(const json& log) {
    Merged out{merge(log)};
    REQUIRE(out.log["runs"].size() == 1);
    REQUIRE(out.run()["results"].size() == 2);
    const gantry::SarifSchema schema;
    const auto violations = schema.check(out.log, "");
    for (const auto& violation : violations) INFO(violation.pointer << ": " << violation.message);
    CHECK(violations.empty());
    CHECK(gantry::SarifValidator({.limits = gantry::SarifLimits::None}).validate_text(out.log.dump(), "merged.sarif").valid());
    return out;
}

// One result of rule A with the given members (a JSON object text).
std::string result_with(const std::string& members) {
    json result = {{"ruleId", "A"}, {"message", {{"text", "case"}}}};
    result.update(json::parse(members));
    return json::array({result}).dump();
}

std::size_t index_at(const json& value) { return value.get<std::size_t>(); }

const std::map<Property, std::function<void()>>& cases() {
    static const std::map<Property, std::function<void()>> kCases = {
        {{"address", "index"},
         [] {
             const Merged out = merged(run_of(
                 result_with(R"({"locations": [{"physicalLocation": {"address": {"index": 0, "parentIndex": 1, "absoluteAddress": 4096}}}]})"),
                 R"({"addresses": [{"absoluteAddress": 4096}, {"absoluteAddress": 0}]})"));
             const json& address = out.result()["locations"][0]["physicalLocation"]["address"];
             CHECK_FALSE(address.contains("index"));  // run.addresses is not merged
             CHECK(address["absoluteAddress"] == 4096);
         }},
        {{"address", "parentIndex"},
         [] {
             const Merged out = merged(run_of(
                 result_with(R"({"locations": [{"physicalLocation": {"address": {"parentIndex": 0, "offsetFromParent": 16}}}]})"),
                 R"({"addresses": [{"absoluteAddress": 0}]})"));
             const json& address = out.result()["locations"][0]["physicalLocation"]["address"];
             CHECK_FALSE(address.contains("parentIndex"));
             CHECK(address["offsetFromParent"] == 16);
         }},
        {{"artifact", "parentIndex"},
         [] {
             const Merged out = merged(run_of(result_with(R"({"analysisTarget": {"index": 1}})"),
                                              R"({"artifacts": [{"location": {"uri": "dir/"}}, {"location": {"uri": "dir/a.c"}, "parentIndex": 0}]})"));
             const json& artifact = out.run()["artifacts"][index_at(out.result()["analysisTarget"]["index"])];
             CHECK(artifact["location"]["uri"] == "dir/a.c");
             CHECK_FALSE(artifact.contains("parentIndex"));
         }},
        {{"artifactLocation", "index"},
         [] {
             // result.analysisTarget is an artifactLocation under another name: the index moves with it.
             const Merged out = merged(run_of(
                 result_with(R"({"analysisTarget": {"index": 1},
                                 "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}}}],
                                 "fixes": [{"artifactChanges": [{"artifactLocation": {"index": 1},
                                                                 "replacements": [{"deletedRegion": {"startLine": 1}}]}]}]})"),
                 R"({"artifacts": [{"location": {"uri": "src/a.c"}}, {"location": {"uri": "src/b.c"}}]})"));
             const auto uri_at = [&](const json& artifact_location) {
                 return out.run()["artifacts"][index_at(artifact_location["index"])]["location"]["uri"];
             };
             CHECK(uri_at(out.result()["analysisTarget"]) == "src/b.c");
             CHECK(uri_at(out.result()["locations"][0]["physicalLocation"]["artifactLocation"]) == "src/a.c");
             CHECK(uri_at(out.result()["fixes"][0]["artifactChanges"][0]["artifactLocation"]) == "src/b.c");
         }},
        {{"graphTraversal", "runGraphIndex"},
         [] {
             const Merged out = merged(run_of(result_with(R"({"graphTraversals": [{"runGraphIndex": 0}]})"),
                                              R"({"graphs": [{"nodes": [{"id": "n1"}]}]})"));
             // run.graphs is not merged: the traversal has nothing left to traverse.
             CHECK(out.result().value("graphTraversals", json::array()).empty());
         }},
        {{"graphTraversal", "resultGraphIndex"},
         [] {
             const Merged out = merged(run_of(result_with(
                 R"({"graphs": [{"nodes": [{"id": "n1"}]}, {"nodes": [{"id": "n2"}]}], "graphTraversals": [{"resultGraphIndex": 1}]})")));
             CHECK(out.result()["graphTraversals"][0]["resultGraphIndex"] == 1);  // result.graphs travels with it
         }},
        {{"logicalLocation", "index"},
         [] {
             const Merged out = merged(run_of(result_with(R"({"locations": [{"logicalLocations": [{"index": 1}]}]})"),
                                              R"({"logicalLocations": [{"name": "ns"}, {"name": "f", "parentIndex": 0}]})"));
             const json& table = out.run()["logicalLocations"];
             const json& entry = table[index_at(out.result()["locations"][0]["logicalLocations"][0]["index"])];
             CHECK(entry["name"] == "f");
             CHECK(table[index_at(entry["parentIndex"])]["name"] == "ns");
         }},
        {{"logicalLocation", "parentIndex"},
         [] {
             // An inline logical location names its parent in run.logicalLocations too.
             const Merged out = merged(run_of(result_with(R"({"locations": [{"logicalLocations": [{"name": "inner", "parentIndex": 1}]}]})"),
                                              R"({"logicalLocations": [{"name": "ns"}, {"name": "cls"}]})"));
             const json& inline_location = out.result()["locations"][0]["logicalLocations"][0];
             CHECK(out.run()["logicalLocations"][index_at(inline_location["parentIndex"])]["name"] == "cls");
         }},
        {{"reportingDescriptorReference", "index"},
         [] {
             const Merged out = merged(run_of(result_with(R"({"taxa": [{"index": 1, "id": "89", "toolComponent": {"index": 0}}]})"),
                                              R"({"taxonomies": [{"name": "CWE", "taxa": [{"id": "79"}, {"id": "89"}]}]})"));
             const json& reference = out.result()["taxa"][0];
             const json& taxonomy = out.run()["taxonomies"][index_at(reference["toolComponent"]["index"])];
             CHECK(taxonomy["taxa"][index_at(reference["index"])]["id"] == "89");
         }},
        {{"result", "ruleIndex"},
         [] {
             const Merged out = merged(run_of(R"([{"ruleIndex": 1, "message": {"text": "case"}}])"));
             const json& rules = out.run()["tool"]["driver"]["rules"];
             CHECK(rules[index_at(out.result()["ruleIndex"])]["id"] == "B");
             CHECK(out.result()["ruleId"] == "B");
         }},
        {{"resultProvenance", "invocationIndex"},
         [] {
             const Merged out = merged(run_of(
                 result_with(R"({"provenance": {"invocationIndex": 0, "firstDetectionRunGuid": "11111111-1111-4111-8111-111111111111"}})"),
                 R"({"invocations": [{"executionSuccessful": true}]})"));
             CHECK_FALSE(out.result()["provenance"].contains("invocationIndex"));  // run.invocations is not merged
             CHECK(out.result()["provenance"].contains("firstDetectionRunGuid"));
         }},
        {{"threadFlowLocation", "index"},
         [] {
             const Merged out = merged(run_of(result_with(R"({"codeFlows": [{"threadFlows": [{"locations": [{"index": 1}]}]}]})"),
                                              R"({"threadFlowLocations": [{"location": {"message": {"text": "source"}}},
                                                                          {"location": {"message": {"text": "sink"}}}]})"));
             const json& step = out.result()["codeFlows"][0]["threadFlows"][0]["locations"][0];
             CHECK(out.run()["threadFlowLocations"][index_at(step["index"])]["location"]["message"]["text"] == "sink");
         }},
        {{"toolComponentReference", "index"},
         [] {
             // The shifter's OWASP taxonomy comes first in the merged run: CWE moves from 0 to 1.
             const Merged out = merged(run_of(result_with(R"({"taxa": [{"id": "79", "toolComponent": {"index": 0}}]})"),
                                              R"({"taxonomies": [{"name": "CWE", "taxa": [{"id": "79"}]}]})"));
             const std::size_t index = index_at(out.result()["taxa"][0]["toolComponent"]["index"]);
             CHECK(index == 1);
             CHECK(out.run()["taxonomies"][index]["name"] == "CWE");
         }},
        {{"webRequest", "index"},
         [] {
             const Merged out = merged(run_of(result_with(R"({"webRequest": {"index": 1}})"),
                                              R"({"webRequests": [{"method": "GET", "target": "/a"}, {"method": "POST", "target": "/login"}]})"));
             const json& request = out.result()["webRequest"];
             CHECK_FALSE(request.contains("index"));  // run.webRequests is not merged: the entry is copied in
             CHECK(request["method"] == "POST");
             CHECK(request["target"] == "/login");
         }},
        {{"webResponse", "index"},
         [] {
             const Merged out = merged(run_of(result_with(R"({"webResponse": {"index": 0, "statusCode": 500}})"),
                                              R"({"webResponses": [{"statusCode": 200, "reasonPhrase": "OK"}]})"));
             const json& response = out.result()["webResponse"];
             CHECK_FALSE(response.contains("index"));
             CHECK(response["statusCode"] == 500);  // the result's own members win
             CHECK(response["reasonPhrase"] == "OK");
         }},
    };
    return kCases;
}

}  // namespace

TEST_SUITE("sarif_merge_references") {
TEST_CASE("the schema's index properties are the fifteen this merge handles") {
    std::vector<Property> found;
    for (const auto& property : gantry::SarifSchema().index_properties()) found.emplace_back(property.definition, property.property);
    CHECK(found == kIndexProperties);
    for (const Property& property : found) {
        INFO(property.first << "." << property.second);
        CHECK(cases().count(property) == 1);
    }
}

TEST_CASE("each index property is rewritten or removed, and the output stays schema-valid") {
    for (const Property& property : kIndexProperties) {
        SUBCASE((property.first + "." + property.second).c_str()) { cases().at(property)(); }
    }
}
}
