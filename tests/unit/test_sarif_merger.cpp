#include <doctest/doctest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/sarif/sarif_merger.hpp"

using gantry::SarifMerger;
using nlohmann::json;

namespace {

json merged(SarifMerger& merger) {
    std::ostringstream out;
    merger.write(out);
    return json::parse(out.str());
}

std::string run_with(const std::string& tool, const std::string& rules, const std::string& results,
                     const std::string& extra = "") {
    return R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":")" + tool + R"(","rules":)" + rules +
           "}}," + extra + R"("results":)" + results + "}]}";
}

}  // namespace

TEST_SUITE("sarif_merger") {
TEST_CASE("runs of one tool become one run, rules re-indexed, unused rules dropped") {
    SarifMerger merger({});
    merger.add_text(run_with("lint", R"([{"id":"A"},{"id":"B"},{"id":"unused"}])",
                             R"([{"ruleId":"B","ruleIndex":1,"message":{"text":"b1"}}])"),
                    "one.sarif");
    merger.add_text(run_with("lint", R"([{"id":"C"},{"id":"B"}])",
                             R"([{"ruleIndex":0,"message":{"text":"c1"}},{"ruleId":"B","ruleIndex":1,"message":{"text":"b2"}}])"),
                    "two.sarif");
    const json log = merged(merger);
    REQUIRE(log["runs"].size() == 1);
    const json& run = log["runs"][0];
    const json& rules = run["tool"]["driver"]["rules"];
    REQUIRE(rules.size() == 2);  // B and C; A and "unused" have no result
    for (const json& result : run["results"]) {
        const auto index = result["ruleIndex"].get<std::size_t>();
        CHECK(rules[index]["id"] == result["ruleId"]);
    }
    CHECK(run["results"].size() == 3);
    CHECK(run["results"][1]["ruleId"] == "C");  // filled in from the index
    CHECK(run["automationDetails"]["id"] == "lint/");
    CHECK(merger.stats().runs_read == 2);
    CHECK(merger.stats().runs_written == 1);
}

TEST_CASE("different tools or categories stay separate runs with unique categories") {
    SarifMerger merger({});
    merger.add_text(run_with("lint", "[]", "[]"), "a.sarif");
    merger.add_text(run_with("scan", "[]", "[]"), "b.sarif");
    merger.add_text(run_with("lint", "[]", "[]", R"("automationDetails":{"id":"frontend/run-1"},)"), "c.sarif");
    merger.add_text(run_with("lint", "[]", "[]", R"("automationDetails":{"id":"frontend/run-2"},)"), "d.sarif");
    const json log = merged(merger);
    REQUIRE(log["runs"].size() == 3);
    CHECK(log["runs"][0]["automationDetails"]["id"] == "lint/");
    CHECK(log["runs"][1]["automationDetails"]["id"] == "scan/");
    CHECK(log["runs"][2]["automationDetails"]["id"] == "frontend/");
}

TEST_CASE("a forced category stays unique per tool") {
    SarifMerger merger({.category = "security"});
    merger.add_text(run_with("lint", "[]", "[]"), "a.sarif");
    merger.add_text(run_with("scan", "[]", "[]"), "b.sarif");
    const json log = merged(merger);
    CHECK(log["runs"][0]["automationDetails"]["id"] == "security/");
    CHECK(log["runs"][1]["automationDetails"]["id"] == "security-2/");
}

TEST_CASE("duplicates: same rule and fingerprints, else same place and message") {
    SarifMerger merger({});
    const std::string results = R"([
      {"ruleId":"A","message":{"text":"x"},"partialFingerprints":{"primaryLocationLineHash":"abc:1"}},
      {"ruleId":"A","message":{"text":"other text"},"partialFingerprints":{"primaryLocationLineHash":"abc:1"}},
      {"ruleId":"B","message":{"text":"x"},"partialFingerprints":{"primaryLocationLineHash":"abc:1"}},
      {"ruleId":"A","message":{"text":"y"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"},"region":{"startLine":3}}}]},
      {"ruleId":"A","message":{"text":"y"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"},"region":{"startLine":3}}}]},
      {"ruleId":"A","message":{"text":"y"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"},"region":{"startLine":4}}}]}])";
    merger.add_text(run_with("lint", R"([{"id":"A"},{"id":"B"}])", results), "a.sarif");
    const json log = merged(merger);
    CHECK(log["runs"][0]["results"].size() == 4);
    CHECK(merger.stats().duplicates_removed == 2);
    CHECK(merger.stats().results_read == 6);
    CHECK(merger.stats().results_written == 4);
}

TEST_CASE("artifact indexes are rewritten everywhere in a result") {
    SarifMerger merger({});
    merger.add_text(run_with("lint", "[]",
                             R"([{"ruleId":"A","message":{"text":"m"},
                                 "locations":[{"physicalLocation":{"artifactLocation":{"index":1}}}],
                                 "codeFlows":[{"threadFlows":[{"locations":[{"location":{"physicalLocation":{"artifactLocation":{"index":0}}}}]}]}]}])",
                             R"("artifacts":[{"location":{"uri":"src/a.c"}},{"location":{"uri":"src/b.c"}}],)"),
                    "a.sarif");
    merger.add_text(run_with("lint", "[]",
                             R"([{"ruleId":"A","message":{"text":"n"},
                                 "locations":[{"physicalLocation":{"artifactLocation":{"index":0}}}]}])",
                             R"("artifacts":[{"location":{"uri":"src/b.c"}}],)"),
                    "b.sarif");
    const json log = merged(merger);
    const json& run = log["runs"][0];
    const json& artifacts = run["artifacts"];
    REQUIRE(artifacts.size() == 2);
    auto uri_of = [&](const json& artifact_location) {
        return artifacts[artifact_location["index"].get<std::size_t>()]["location"]["uri"];
    };
    const json& first = run["results"][0];
    CHECK(uri_of(first["locations"][0]["physicalLocation"]["artifactLocation"]) == "src/b.c");
    CHECK(uri_of(first["codeFlows"][0]["threadFlows"][0]["locations"][0]["location"]["physicalLocation"]["artifactLocation"]) ==
          "src/a.c");
    CHECK(uri_of(run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]) == "src/b.c");
}

TEST_CASE("rules in tool extensions (CodeQL) keep pointing at the right rule") {
    const std::string text = R"({"version":"2.1.0","runs":[{
      "results":[{"rule":{"id":"js/xss","index":1,"toolComponent":{"index":0}},"message":{"text":"m"}}],
      "tool":{"driver":{"name":"CodeQL","rules":[]},
              "extensions":[{"name":"codeql/javascript-queries","rules":[{"id":"js/sqli"},{"id":"js/xss"}]}]}}]})";
    SarifMerger merger({});
    merger.add_text(text, "codeql.sarif");  // results come before the tool: read in two passes
    const json log = merged(merger);
    const json& run = log["runs"][0];
    const json& result = run["results"][0];
    const auto extension = result["rule"]["toolComponent"]["index"].get<std::size_t>();
    const auto index = result["rule"]["index"].get<std::size_t>();
    CHECK(run["tool"]["extensions"][extension]["rules"][index]["id"] == "js/xss");
    CHECK(run["tool"]["extensions"][extension]["rules"].size() == 1);
    CHECK(result["ruleId"] == "js/xss");
}

TEST_CASE("quirks are warnings, broken JSON is an error with a position") {
    SarifMerger merger({});
    merger.add_text(R"({"runs":[{"tool":{"driver":{}},"results":[{"message":{"text":"m"}}]}]})", "old.sarif");
    const json log = merged(merger);
    CHECK(log["runs"][0]["tool"]["driver"]["name"] == "unknown tool");
    REQUIRE(merger.stats().warnings.size() == 2);
    SarifMerger broken({});
    try {
        broken.add_text("{\"version\":\"2.1.0\",\n\"runs\":[{\"results\":[{\"a\":1,]}]}", "broken.sarif");
        FAIL("expected an error");
    } catch (const gantry::InputError& e) {
        CHECK(std::string(e.what()).find("broken.sarif:2:") == 0);
    }
}
}
