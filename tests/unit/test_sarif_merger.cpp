#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/base/gzip.hpp"
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


// One result of varied_log(): rule by index, by extension, by id; artifact, logical location and
// taxonomy references; every seventh-ish a duplicate.
std::string varied_result(int i) {
    const std::string n = std::to_string(i);
    std::string r = i == 0 ? "" : ",";
    if (i % 3 == 0) {
        r += R"({"ruleId": "A", "ruleIndex": 0, "message": {"text": "a )" + n + R"("},
          "locations": [{"physicalLocation": {"artifactLocation": {"index": 1}, "region": {"startLine": )" + n +
             R"(}}, "logicalLocations": [{"index": 1}]}],
          "taxa": [{"index": 0, "toolComponent": {"index": 0}}]})";
    } else if (i % 3 == 1) {
        r += R"({"rule": {"index": 0, "toolComponent": {"index": 0}}, "message": {"text": "p"}, "level": "warning",
          "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/a.c"}, "region": {"startLine": 3}}}]})";
    } else {
        r += R"({"ruleId": "B", "message": {"text": "b )" + std::to_string(i % 7) + R"("},
          "partialFingerprints": {"k": ")" + std::to_string(i % 11) + R"("}})";
    }
    return r;
}

// A log that exercises every table a result refers to, with results before the tool in one run, a
// null run, duplicates, escapes, big and fractional numbers: what both ways of reading must agree on.
std::string varied_log(int results) {
    std::string log = "{\n  \"version\": \"2.1.0\",\n  \"runs\": [\n";
    log += R"(    {"results": [)";
    for (int i = 0; i < results; ++i) log += varied_result(i);
    log += R"(], "tool": {"driver": {"name": "lint", "rules": [{"id": "A"}, {"id": "B", "properties": {"tags": ["x"]}}]},
      "extensions": [{"name": "pack", "rules": [{"id": "P1"}]}]},
      "artifacts": [{"location": {"uri": "src/a.c"}}, {"location": {"uri": "/src/b\u00e9.c", "uriBaseId": "%SRCROOT%"}}],
      "logicalLocations": [{"name": "ns"}, {"name": "f", "parentIndex": 0}],
      "taxonomies": [{"name": "CWE", "taxa": [{"id": "79"}]}],
      "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///w/"}},
      "automationDetails": {"id": "front/1"}},
    null,
    {"tool": {"driver": {"name": "scan"}}, "results": [{"ruleId": "S", "level": "error", "message": {"text": "s \"q\" \t"},
      "properties": {"big": 18446744073709551615, "neg": -5, "f": 1.5e-3, "t": true, "n": null, "e": [], "o": {}}},
      {"ruleId": "S", "level": "error", "message": {"text": "s \"q\" \t"},
      "properties": {"big": 18446744073709551615, "neg": -5, "f": 1.5e-3, "t": true, "n": null, "e": [], "o": {}}}]}
  ]
}
)";
    return log;
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
    // No "version", no driver name, no driver version, a result without a location.
    REQUIRE(merger.stats().warnings.size() == 4);
    CHECK(merger.stats().warnings[3] == "old.sarif: 1 result(s) of unknown tool have no location");
    SarifMerger broken({});
    try {
        broken.add_text("{\"version\":\"2.1.0\",\n\"runs\":[{\"results\":[{\"a\":1,]}]}", "broken.sarif");
        FAIL("expected an error");
    } catch (const gantry::InputError& e) {
        CHECK(std::string(e.what()).find("broken.sarif:2:") == 0);
    }
}

TEST_CASE("filters drop results before rules are kept, and count each reason") {
    gantry::SarifMergeOptions options;
    options.filter.min_level = gantry::SarifLevel::Warning;
    options.filter.exclude_paths = {"vendor/**"};
    SarifMerger merger(options);
    merger.add_text(run_with("lint", R"([{"id":"A","defaultConfiguration":{"level":"note"}},{"id":"B"}])",
                             R"([{"ruleIndex":0,"message":{"text":"quiet"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"}}}]},
                                 {"ruleIndex":1,"message":{"text":"vendored"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"vendor/x/b.c"}}}]},
                                 {"ruleIndex":1,"message":{"text":"kept"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/b.c"}}}]}])"),
                    "a.sarif");
    const json log = merged(merger);
    const json& run = log["runs"][0];
    REQUIRE(run["results"].size() == 1);
    CHECK(run["results"][0]["message"]["text"] == "kept");
    REQUIRE(run["tool"]["driver"]["rules"].size() == 1);  // A is used only by a filtered result
    CHECK(run["results"][0]["ruleIndex"] == 0);
    CHECK(merger.stats().filtered == 2);
    REQUIRE(merger.stats().changes.size() == 2);
    CHECK(merger.stats().changes[0].kind == "filtered");
}

TEST_CASE("results without source get a stable fingerprint from rule, artifact and package") {
    const std::string results =
        R"([{"ruleId":"CVE-1","message":{"text":"Package: libssl3\nInstalled Version: 3.0"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"pkg:apk/alpine/libssl3"},"region":{"startLine":1}}}]},
            {"ruleId":"CVE-1","message":{"text":"Package: libcrypto3\nInstalled Version: 3.0"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"pkg:apk/alpine/libssl3"},"region":{"startLine":1}}}]},
            {"ruleId":"CVE-2","message":{"text":"no location at all"}},
            {"ruleId":"CVE-3","message":{"text":"source"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a.c"},"region":{"startLine":3}}}]}])";
    SarifMerger first({});
    first.add_text(run_with("trivy", "[]", results), "a.sarif");
    const json log = merged(first);
    const json& out = log["runs"][0]["results"];
    REQUIRE(out.size() == 4);
    const std::string a = out[0]["partialFingerprints"]["primaryLocationLineHash"];
    const std::string b = out[1]["partialFingerprints"]["primaryLocationLineHash"];
    CHECK(a != b);  // same CVE and artifact, different package
    CHECK(a.size() == 18);
    CHECK(a.substr(16) == ":1");
    CHECK(out[2]["partialFingerprints"].contains("primaryLocationLineHash"));
    CHECK_FALSE(out[3].contains("partialFingerprints"));  // GitHub's upload action hashes the source line
    CHECK(first.stats().synthetic_fingerprints == 3);
    SarifMerger second({});
    second.add_text(run_with("trivy", "[]", results), "again.sarif");
    CHECK(merged(second)["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"] == a);
}

TEST_CASE("logical locations and taxonomies are re-indexed into the merged run") {
    SarifMerger merger({});
    const std::string taxonomy = R"("taxonomies":[{"name":"CWE","taxa":[{"id":"79"},{"id":"89"}]}],)";
    merger.add_text(run_with("lint", R"([{"id":"A","relationships":[{"target":{"id":"79","index":0,"toolComponent":{"name":"CWE","index":0}}}]}])",
                             R"([{"ruleIndex":0,"message":{"text":"a"},"locations":[{"logicalLocations":[{"index":1}]}],"taxa":[{"index":1,"toolComponent":{"index":0}}]}])",
                             R"("logicalLocations":[{"name":"ns"},{"name":"f","parentIndex":0}],)" + taxonomy),
                    "a.sarif");
    merger.add_text(run_with("lint", R"([{"id":"B"}])",
                             R"([{"ruleIndex":0,"message":{"text":"b"},"locations":[{"logicalLocations":[{"index":0}]}],"taxa":[{"index":0,"toolComponent":{"index":1}}]}])",
                             R"("logicalLocations":[{"name":"g"}],"taxonomies":[{"name":"OWASP"},{"name":"CWE","taxa":[{"id":"79"},{"id":"89"}]}],)"),
                    "b.sarif");
    const json log = merged(merger);
    const json& run = log["runs"][0];
    REQUIRE(run["logicalLocations"].size() == 3);
    CHECK(run["logicalLocations"][1]["parentIndex"] == 0);
    const json& results = run["results"];
    CHECK(run["logicalLocations"][results[0]["locations"][0]["logicalLocations"][0]["index"].get<std::size_t>()]["name"] == "f");
    CHECK(run["logicalLocations"][results[1]["locations"][0]["logicalLocations"][0]["index"].get<std::size_t>()]["name"] == "g");
    REQUIRE(run["taxonomies"].size() == 1);  // CWE once; OWASP is never referred to
    CHECK(results[0]["taxa"][0]["toolComponent"]["index"] == 0);
    CHECK(results[1]["taxa"][0]["toolComponent"]["index"] == 0);
    CHECK(run["tool"]["driver"]["rules"][0]["relationships"][0]["target"]["toolComponent"]["index"] == 0);
}

TEST_CASE("gzip-compressed input is read like plain JSON") {
    const auto dir = std::filesystem::temp_directory_path() / "gantry-merger-gzip";
    std::filesystem::create_directories(dir);
    std::ostringstream compressed;
    gantry::GzipOutput gzip(&compressed);
    gzip << run_with("lint", R"([{"id":"A"}])", R"([{"ruleIndex":0,"message":{"text":"a"}}])");
    gzip.finish();
    gantry::write_file_atomically(dir / "a.sarif.gz", compressed.str());
    SarifMerger merger({});
    merger.add_file(dir / "a.sarif.gz");
    CHECK(merged(merger)["runs"][0]["results"].size() == 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a file above the streaming threshold merges exactly as when read whole") {
    const auto dir = std::filesystem::temp_directory_path() / "gantry-merger-streamed";
    std::filesystem::create_directories(dir);
    const std::string text = varied_log(3000);
    REQUIRE(text.size() > 256 * 1024);
    gantry::write_file_atomically(dir / "big.sarif", text);
    std::ostringstream compressed;
    gantry::GzipOutput gzip(&compressed);
    gzip << text;
    gzip.finish();
    gantry::write_file_atomically(dir / "big.sarif.gz", compressed.str());
    const auto output_of = [&](std::uint64_t threshold, const std::filesystem::path& file) {
        gantry::SarifMergeOptions options;
        options.target = gantry::UploadTarget::Github;
        options.stream_above_bytes = threshold;
        SarifMerger merger(options);
        merger.add_file(file);
        std::ostringstream out;
        merger.write(out);
        const auto& stats = merger.stats();
        return out.str() + "\n" + std::to_string(stats.runs_read) + " " + std::to_string(stats.results_read) + " " +
               std::to_string(stats.results_written) + " " + std::to_string(stats.duplicates_removed) + " " +
               std::to_string(stats.warnings.size()) + " " + std::to_string(stats.synthetic_fingerprints);
    };
    const std::string whole = output_of(std::uint64_t{1} << 30, dir / "big.sarif");
    CHECK(whole.find(R"("name":"lint")") != std::string::npos);
    CHECK(whole.find(R"("big":18446744073709551615)") != std::string::npos);
    CHECK(output_of(64 * 1024, dir / "big.sarif") == whole);
    CHECK(output_of(1024, dir / "big.sarif.gz") == whole);  // compressed, but likely to inflate past it
    // Only the streamed path places a wrong-typed table at its first byte: proof that files do stream.
    const std::string wrong = "{\"runs\":[{\n\"artifacts\":{}}]}" + std::string(100, ' ');
    gantry::write_file_atomically(dir / "wrong.sarif", wrong);
    gantry::SarifMergeOptions streaming;
    streaming.stream_above_bytes = 64;
    SarifMerger merger(streaming);
    CHECK_THROWS_WITH_AS(merger.add_file(dir / "wrong.sarif"),
                         doctest::Contains("wrong.sarif:2:13 (at /runs/0/artifacts): expected an array"), gantry::InputError);
    std::filesystem::remove_all(dir);
}

TEST_CASE("streamed input: bad JSON and wrong types are errors with file:line:column") {
    const auto error_of = [](const std::string& text) -> std::string {
        gantry::SarifMergeOptions options;
        options.stream_above_bytes = 0;
        SarifMerger merger(options);
        try {
            merger.add_text(text, "s.sarif");
        } catch (const gantry::InputError& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK(error_of("{\"version\":\"2.1.0\",\n\"runs\":[{\"results\":[{\"a\":1,]}]}").find("s.sarif:2:") == 0);
    CHECK(error_of("{\"runs\":[{\"results\":[{}]").find("truncated") != std::string::npos);
    CHECK(error_of(" ").find("empty") != std::string::npos);
    const std::string not_result = error_of("{\"runs\":[{\"results\":[{},\n  3]}]}");
    CHECK(not_result.find("s.sarif:2:3") == 0);
    CHECK(not_result.find("/runs/0/results/1") != std::string::npos);
    CHECK(not_result.find("expected a result object") != std::string::npos);
    const std::string artifacts = error_of("{\"runs\":[{\n\"artifacts\":{}}]}");
    CHECK(artifacts.find("s.sarif:2:13") == 0);
    CHECK(artifacts.find("/runs/0/artifacts") != std::string::npos);
    CHECK(error_of("{\"runs\":{}}").find("expected an array, found an object") != std::string::npos);
    CHECK(error_of("[]").find("expected an object") != std::string::npos);
    CHECK(error_of("{\"runs\":[]} x").find("invalid JSON") != std::string::npos);
    CHECK(error_of(R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]}]})") == "no error");
}
}
