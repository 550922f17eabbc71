// What sarif-merge does with the real-world shapes that are not plain valid SARIF 2.1.0: a byte order
// mark, messages by id and arguments, rules referenced by component guid, a ruleIndex that
// contradicts the ruleId, SARIF 2.0.0, schema-invalid results, external property files. Every
// output is held against the official schema and `sarif-merge validate`.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/sarif/sarif_merger.hpp"
#include "gantry/sarif/sarif_schema.hpp"
#include "gantry/sarif/sarif_validator.hpp"
#include "scratch_dir.hpp"

using gantry::SarifMerger;
using nlohmann::json;

namespace {

json run_with(json results, json driver_rules = json::array(), json members = json::object()) {
    json run = {{"tool", {{"driver", {{"name", "lint"}, {"version", "1"}, {"rules", std::move(driver_rules)}}}}},
                {"results", std::move(results)}};
    run.update(members);
    return {{"version", "2.1.0"}, {"runs", {run}}};
}

// The merged log, checked against the official schema and sarif-merge validate.
json merged(SarifMerger& merger) {
    std::ostringstream out;
    merger.write(out);
    const json log = json::parse(out.str());
    const auto violations = gantry::SarifSchema().check(log, "");
    for (const auto& violation : violations) INFO(violation.pointer << ": " << violation.message);
    CHECK(violations.empty());
    const auto validation = gantry::SarifValidator({.limits = gantry::SarifLimits::None}).validate_text(out.str(), "merged.sarif");
    for (const auto& problem : validation.problems) INFO(problem.pointer << ": " << problem.message);
    CHECK(validation.valid());
    return log;
}

json merged_one(const json& log) {
    SarifMerger merger({});
    merger.add_text(log.dump(), "in.sarif");
    return merged(merger);
}

bool has_warning(const SarifMerger& merger, std::string_view part) {
    for (const auto& warning : merger.stats().warnings) {
        if (warning.find(part) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_SUITE("sarif_merge_repairs") {
TEST_CASE("a UTF-8 byte order mark is skipped, whole or streamed, and positions count after it") {
    const std::string bom = "\xEF\xBB\xBF";
    const std::string text = bom + run_with({{{"ruleId", "A"}, {"message", {{"text", "m"}}}}}).dump();
    for (const std::uint64_t stream_above : {std::uint64_t{1} << 30, std::uint64_t{0}}) {
        gantry::SarifMergeOptions options;
        options.stream_above_bytes = stream_above;
        SarifMerger merger(options);
        merger.add_text(text, "bom.sarif");
        CHECK(merged(merger)["runs"][0]["results"].size() == 1);
    }
    SarifMerger wrong({});
    CHECK_THROWS_WITH_AS(wrong.add_text(bom + R"({"version":"2.1.0","runs":{}})", "wrong.sarif"),
                         doctest::Contains("wrong.sarif:1:27 (at /runs)"), gantry::InputError);
    CHECK(gantry::SarifValidator().validate_text(text, "bom.sarif").valid());
}

TEST_CASE("results stated by message id and arguments are told apart by their arguments") {
    const json location = {{"physicalLocation", {{"artifactLocation", {{"uri", "app.dll"}}}}}};
    const auto result = [&](const char* argument) {
        return json{{"ruleId", "BA2008"}, {"message", {{"id", "Error"}, {"arguments", {"app.dll", argument}}}}, {"locations", {location}}};
    };
    SarifMerger merger({});
    merger.add_text(run_with({result("a"), result("b"), result("a")}, {{{"id", "BA2008"}}}).dump(), "binskim.sarif");
    const json log = merged(merger);
    CHECK(log["runs"][0]["results"].size() == 2);
    CHECK(merger.stats().duplicates_removed == 1);
}

TEST_CASE("rules referenced by tool component guid are found in their extension") {
    const json extension = {{"name", "pack"}, {"guid", "22222222-2222-4222-8222-222222222222"}, {"rules", {{{"id", "P1"}}, {{"id", "P2"}}}}};
    json log = run_with({{{"rule", {{"id", "P2"}, {"toolComponent", {{"guid", "22222222-2222-4222-8222-222222222222"}}}}},
                          {"message", {{"text", "m"}}}},
                         {{"rule", {{"index", 0}, {"toolComponent", {{"guid", "22222222-2222-4222-8222-222222222222"}}}}},
                          {"message", {{"text", "n"}}}}});
    log["runs"][0]["tool"]["extensions"] = {extension};
    const json out = merged_one(log);
    const json& run = out["runs"][0];
    for (const json& result : run["results"]) {
        const json& rules = run["tool"]["extensions"][result["rule"]["toolComponent"]["index"].get<std::size_t>()]["rules"];
        CHECK(rules[result["rule"]["index"].get<std::size_t>()]["id"] == result["ruleId"]);
    }
    CHECK(run["results"][0]["ruleId"] == "P2");
    CHECK(run["results"][1]["ruleId"] == "P1");
}

TEST_CASE("a ruleIndex that contradicts the ruleId loses, with a warning") {
    // Old Anchore and Trivy SARIF: every result's ruleIndex counted from the wrong place.
    const json rules = {{{"id", "CVE-1"}, {"shortDescription", {{"text", "one"}}}}, {{"id", "CVE-2"}, {"shortDescription", {{"text", "two"}}}}};
    SarifMerger merger({});
    merger.add_text(run_with({{{"ruleId", "CVE-2"}, {"ruleIndex", 0}, {"message", {{"text", "a"}}}},
                              {{"ruleId", "CVE-1"}, {"ruleIndex", 0}, {"message", {{"text", "b"}}}}},
                             rules)
                        .dump(),
                    "old-trivy.sarif");
    const json log = merged(merger);
    const json& run = log["runs"][0];
    REQUIRE(run["tool"]["driver"]["rules"].size() == 2);
    for (const json& result : run["results"]) {
        CHECK(run["tool"]["driver"]["rules"][result["ruleIndex"].get<std::size_t>()]["id"] == result["ruleId"]);
    }
    CHECK(has_warning(merger, "1 result(s) of lint have a ruleIndex that names another rule than their ruleId"));
}

TEST_CASE("SARIF 2.0.0 is refused with how to convert it") {
    json log = {{"version", "2.0.0"}, {"runs", {{{"tool", {{"name", "old"}}}, {"results", json::array()}}}}};
    SarifMerger merger({});
    CHECK_THROWS_WITH_AS(merger.add_text(log.dump(), "old.sarif"),
                         doctest::Contains("SARIF \"2.0.0\" is not read: only version 2.1.0 is"), gantry::InputError);
    SarifMerger streamed({.stream_above_bytes = 0});
    CHECK_THROWS_WITH_AS(streamed.add_text(log.dump(), "old.sarif"), doctest::Contains("Sarif.Multitool rewrite"),
                         gantry::InputError);
}

TEST_CASE("schema-invalid results are repaired in the documented ways, and counted") {
    const json rules = {{{"id", "A"}, {"shortDescription", {{"text", "Rule A says"}}}}};
    const json region0 = {{"physicalLocation", {{"artifactLocation", {{"uri", "a.c"}}}, {"region", {{"startLine", 0}}}}}};
    const json empty_region = {{"physicalLocation", {{"artifactLocation", {{"uri", "b.c"}}}, {"region", json::object()}}}};
    const json backwards = {{"physicalLocation", {{"artifactLocation", {{"uri", "c.c"}}}, {"region", {{"startLine", 9}, {"endLine", 3}}}}}};
    SarifMerger merger({});
    merger.add_text(run_with({{{"ruleId", "A"}, {"locations", {region0}}},
                              {{"ruleId", "A"}, {"message", "plain string"}, {"locations", {empty_region}}},
                              {{"ruleId", "A"}, {"message", {{"text", "nested"}}}, {"partialFingerprints", {{"hash", {{"value", "abc"}}}}}},
                              {{"ruleId", "A"}, {"message", {{"text", "stack"}}}, {"stacks", {{{"message", {{"text", "no frames"}}}}}}},
                              {{"ruleId", "A"}, {"message", {{"text", "backwards"}}}, {"locations", {backwards}}},
                              {{"ruleId", "A"}, {"message", {{"text", "unknown member"}}}, {"severity", "high"}}},
                             rules)
                        .dump(),
                    "bad.sarif");
    const json log = merged(merger);
    const json& results = log["runs"][0]["results"];
    REQUIRE(results.size() == 6);
    CHECK(results[0]["message"]["text"] == "Rule A says");
    CHECK_FALSE(results[0]["locations"][0]["physicalLocation"].contains("region"));
    CHECK(results[1]["message"]["text"] == "plain string");
    CHECK_FALSE(results[1]["locations"][0]["physicalLocation"].contains("region"));
    CHECK(results[2]["partialFingerprints"]["hash"] == R"({"value":"abc"})");
    CHECK(results[3]["stacks"].empty());
    CHECK_FALSE(results[4]["locations"][0]["physicalLocation"]["region"].contains("endLine"));
    CHECK_FALSE(results[5].contains("severity"));
    CHECK(merger.stats().results_repaired == 6);
    CHECK(has_warning(merger, "6 result(s) of lint were not valid SARIF 2.1.0 and were repaired"));
}

TEST_CASE("a result that is valid stays byte for byte as the merge always wrote it") {
    const json result = {{"ruleId", "A"},
                         {"ruleIndex", 0},
                         {"level", "error"},
                         {"message", {{"text", "m"}}},
                         {"locations", {{{"physicalLocation", {{"artifactLocation", {{"uri", "src/a.c"}}}, {"region", {{"startLine", 3}}}}}}}},
                         {"partialFingerprints", {{"primaryLocationLineHash", "abc:1"}}}};
    SarifMerger merger({});
    merger.add_text(run_with({result}, {{{"id", "A"}}}).dump(), "ok.sarif");
    std::ostringstream out;
    merger.write(out);
    CHECK(out.str().find(result.dump()) != std::string::npos);
    CHECK(merger.stats().changes.empty());
}

TEST_CASE("external property files beside the input are read; missing ones are counted") {
    gantry::testing::ScratchDir dir("gantry-external");
    json log = run_with({{{"ruleId", "A"}, {"message", {{"text", "inline"}}}, {"analysisTarget", {{"index", 0}}}}}, {{{"id", "A"}}});
    log["runs"][0]["externalPropertyFileReferences"] = {
        {"artifacts", {{{"location", {{"uri", "scan.artifacts.sarif-external-properties"}}}}}},
        {"results", {{{"location", {{"uri", "scan.results.sarif-external-properties"}}}},
                     {{"location", {{"uri", "not-there.sarif-external-properties"}}}}}}};
    gantry::write_file_atomically(dir.path() / "scan.sarif", log.dump());
    gantry::write_file_atomically(dir.path() / "scan.artifacts.sarif-external-properties",
                                  json{{"version", "2.1.0"}, {"artifacts", {{{"location", {{"uri", "src/external.c"}}}}}}}.dump());
    gantry::write_file_atomically(dir.path() / "scan.results.sarif-external-properties",
                                  json{{"version", "2.1.0"},
                                       {"results", {{{"ruleId", "A"}, {"message", {{"text", "external"}}}, {"analysisTarget", {{"index", 0}}}}}}}
                                      .dump());
    SarifMerger merger({});
    merger.add_file(dir.path() / "scan.sarif");
    const json out = merged(merger);
    const json& run = out["runs"][0];
    REQUIRE(run["results"].size() == 2);
    CHECK(run["results"][1]["message"]["text"] == "external");
    CHECK(run["artifacts"][run["results"][1]["analysisTarget"]["index"].get<std::size_t>()]["location"]["uri"] == "src/external.c");
    CHECK(merger.stats().external_files_read == 2);
    CHECK(merger.stats().external_files_missing == 1);
    CHECK(has_warning(merger, "not-there.sarif-external-properties"));
}
}

TEST_SUITE("sarif_validator") {
TEST_CASE("the schema's rules beyond the validator's own: empty regions, stacks without frames, empty rule references") {
    const auto problems_of = [](json result) {
        json log = run_with({std::move(result)}, {{{"id", "A"}}});
        return gantry::SarifValidator({.limits = gantry::SarifLimits::None}).validate_text(log.dump(), "t.sarif");
    };
    const json base = {{"ruleId", "A"}, {"message", {{"text", "m"}}}};
    json empty_region = base;
    empty_region["locations"] = json::parse(R"([{"physicalLocation": {"artifactLocation": {"uri": "a.c"}, "region": {}}}])");
    const auto region = problems_of(empty_region);
    REQUIRE(region.errors == 1);
    CHECK(region.problems[0].pointer == "/runs/0/results/0/locations/0/physicalLocation/region");
    json stack = base;
    stack["stacks"] = json::parse(R"([{"message": {"text": "s"}}])");
    const auto stacks = problems_of(stack);
    REQUIRE(stacks.errors == 1);
    CHECK(stacks.problems[0].pointer == "/runs/0/results/0/stacks/0/frames");
    json empty_rule = base;
    empty_rule["rule"] = json::object();
    CHECK(problems_of(empty_rule).errors == 1);
    CHECK(problems_of(base).valid());
}
}

TEST_CASE("a repair is recorded once per kind, array indexes starred, whatever the input's keys") {
    const json fine = {{"physicalLocation", {{"artifactLocation", {{"uri", "d.c"}}}, {"region", {{"startLine", 1}}}}}};
    json unknown_member = fine;
    unknown_member["bogus"] = 1;
    // A member the schema does not allow, named by 200,000 digits: its pointer is a segment of digits
    // too long for a matcher that recurses per character.
    json odd = {{"ruleId", "A"}, {"message", {{"text", "odd member"}}}};
    odd[std::string(200000, '7')] = true;
    SarifMerger merger({});
    merger.add_text(run_with({{{"ruleId", "A"}, {"message", {{"text", "x"}}}, {"locations", {fine, fine, unknown_member}}}, odd},
                             {{{"id", "A"}}})
                        .dump(),
                    "repairs.sarif");
    merged(merger);
    std::string details;
    for (const auto& change : merger.stats().changes) details += change.kind + ": " + change.detail + "\n";
    INFO(details.substr(0, 2000));
    CHECK(details.find("result /locations/*/bogus removed") != std::string::npos);
    CHECK(details.find("/* removed") != std::string::npos);  // the 200,000 digits, starred like an index
}
