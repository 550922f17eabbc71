// GitHub's upload limits as sarif-merge enforces them with UploadTarget::Github.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/gzip.hpp"
#include "gantry/sarif/github_limits.hpp"
#include "gantry/sarif/sarif_merger.hpp"

using gantry::SarifMerger;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name) : path(fs::temp_directory_path() / ("gantry-limits-" + name)) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
};

gantry::SarifMergeOptions for_github() {
    gantry::SarifMergeOptions options;
    options.target = gantry::UploadTarget::Github;
    return options;
}

json read_json(const fs::path& path) { return json::parse(gantry::read_file(path)); }

std::string log_of(const json& runs) { return json{{"version", "2.1.0"}, {"runs", runs}}.dump(); }

}  // namespace

TEST_SUITE("sarif_merge_limits") {
TEST_CASE("per result: locations and thread-flow locations are cut, rules keep 20 tags") {
    json locations = json::array();
    for (int i = 0; i < 1005; ++i) locations.push_back({{"physicalLocation", {{"artifactLocation", {{"uri", "a.c"}}}, {"region", {{"startLine", i + 1}}}}}});
    json thread = json::array();
    for (int i = 0; i < 6000; ++i) thread.push_back({{"location", {{"message", {{"text", "step"}}}}}});
    const json flow = {{"threadFlows", {{{"locations", thread}}}}};
    json tags = json::array();
    for (int i = 0; i < 25; ++i) tags.push_back("tag" + std::to_string(i));
    const json run = {{"tool", {{"driver", {{"name", "codeql"}, {"rules", {{{"id", "R"}, {"properties", {{"tags", tags}}}}}}}}}},
                      {"results", {{{"ruleId", "R"}, {"ruleIndex", 0}, {"message", {{"text", "m"}}}, {"locations", locations},
                                    {"codeFlows", {flow, flow}}}}}};
    TempDir dir("per-result");
    SarifMerger merger(for_github());
    merger.add_text(log_of(json::array({run})), "big.sarif");
    const auto files = merger.write_files(dir.path / "merged.sarif", gantry::Compression::None);
    REQUIRE(files.size() == 1);
    const json log = read_json(files[0].path);
    const json& result = log["runs"][0]["results"][0];
    CHECK(result["locations"].size() == gantry::github_limits::kLocationsPerResult);
    REQUIRE(result["codeFlows"].size() == 1);
    CHECK(result["codeFlows"][0]["threadFlows"][0]["locations"].size() == 6000);
    CHECK(log["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"].size() == gantry::github_limits::kTagsPerRule);
    std::set<std::string> kinds;
    for (const auto& change : merger.stats().changes) kinds.insert(change.kind);
    CHECK(kinds == std::set<std::string>{"locations-trimmed", "tags-trimmed", "thread-flow-locations-trimmed"});
}

TEST_CASE("a run over 25,000 results keeps the most severe, in their original order") {
    json results = json::array();
    for (int i = 0; i < 25010; ++i) {
        const bool severe = i % 1000 == 7;
        results.push_back({{"ruleId", "R"}, {"level", severe ? "error" : "note"}, {"message", {{"text", "m" + std::to_string(i)}}}});
    }
    const json run = {{"tool", {{"driver", {{"name", "lint"}}}}}, {"results", results}};
    TempDir dir("results");
    SarifMerger merger(for_github());
    merger.add_text(log_of(json::array({run})), "many.sarif");
    const auto files = merger.write_files(dir.path / "merged.sarif", gantry::Compression::None);
    const json log = read_json(files.at(0).path);
    const json& kept = log["runs"][0]["results"];
    REQUIRE(kept.size() == gantry::github_limits::kResultsPerRun);
    int errors = 0;
    for (const json& result : kept) errors += result["level"] == "error";
    CHECK(errors == 26);  // every severe result survived
    CHECK(kept[0]["message"]["text"] == "m0");
    CHECK(merger.stats().results_written == gantry::github_limits::kResultsPerRun);
    REQUIRE(merger.stats().changes.size() == 1);
    CHECK(merger.stats().changes[0].kind == "results-over-limit");
    CHECK(merger.stats().changes[0].count == 10);
}

TEST_CASE("more than 20 runs are split into numbered files with unique categories") {
    json runs = json::array();
    for (int i = 0; i < 23; ++i) {
        runs.push_back({{"tool", {{"driver", {{"name", "tool-" + std::to_string(i)}}}}}, {"results", {{{"ruleId", "R"}, {"message", {{"text", "m"}}}}}}});
    }
    TempDir dir("runs");
    SarifMerger merger(for_github());
    merger.add_text(log_of(runs), "runs.sarif");
    const auto files = merger.write_files(dir.path / "merged.sarif", gantry::Compression::None);
    REQUIRE(files.size() == 2);
    CHECK(files[0].path == dir.path / "merged.1.sarif");
    CHECK(files[1].path == dir.path / "merged.2.sarif");
    CHECK(read_json(files[0].path)["runs"].size() == 20);
    CHECK(read_json(files[1].path)["runs"].size() == 3);
    CHECK_FALSE(fs::exists(dir.path / "merged.sarif"));
    CHECK(files[0].categories.size() == 20);
    CHECK(merger.stats().runs_written == 23);
}

TEST_CASE("over 10 MB gzipped: bulk is trimmed first, then the run is split into parts") {
    std::mt19937_64 random(42);
    auto noise = [&](std::size_t bytes) {
        // 64 symbols: about 6 bits of entropy per byte, so gzip cannot shrink it below ~75%.
        static const char symbols[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-";
        std::string text(bytes, ' ');
        for (char& c : text) c = symbols[random() % 64];
        return text;
    };
    json results = json::array();
    for (int i = 0; i < 3000; ++i) {
        // ~4.5 KB of incompressible message and a 1 KB snippet per result: ~12 MB gzipped in all.
        json region = {{"startLine", 1}, {"snippet", {{"text", noise(1000)}}}};
        results.push_back({{"ruleId", "R"},
                           {"message", {{"text", noise(4500)}}},
                           {"locations", {{{"physicalLocation", {{"artifactLocation", {{"uri", "a.c"}}}, {"region", region}}}}}}});
    }
    const json run = {{"tool", {{"driver", {{"name", "lint"}}}}}, {"results", results}};
    TempDir dir("size");
    SarifMerger merger(for_github());
    merger.add_text(log_of(json::array({run})), "huge.sarif");
    const auto files = merger.write_files(dir.path / "merged.sarif.gz", gantry::Compression::Gzip);
    REQUIRE(files.size() >= 2);
    std::size_t total = 0;
    std::set<std::string> categories;
    for (const auto& file : files) {
        CHECK(file.gzipped_bytes <= gantry::github_limits::kGzippedBytes);
        const json log = json::parse(gantry::gunzip(gantry::read_file(file.path), file.path.string()));
        for (const json& out : log["runs"]) {
            total += out["results"].size();
            categories.insert(out["automationDetails"]["id"].get<std::string>());
            CHECK_FALSE(out["results"][0]["locations"][0]["physicalLocation"]["region"].contains("snippet"));
        }
    }
    CHECK(total == 3000);
    CHECK(categories.size() == files.size());
    CHECK(files[0].path.filename() == "merged.1.sarif.gz");
    std::set<std::string> kinds;
    for (const auto& change : merger.stats().changes) kinds.insert(change.kind);
    CHECK(kinds.count("bulk-trimmed") == 1);
    CHECK(kinds.count("run-split") == 1);
    CHECK(kinds.count("split") == 1);
}

TEST_CASE("numbered output paths keep every extension") {
    CHECK(gantry::numbered_output_path("out/merged.sarif", 2) == fs::path("out/merged.2.sarif"));
    CHECK(gantry::numbered_output_path("merged.sarif.gz", 1) == fs::path("merged.1.sarif.gz"));
    CHECK(gantry::numbered_output_path("merged", 3) == fs::path("merged.3"));
    CHECK(gantry::numbered_output_path(".hidden", 3) == fs::path(".hidden.3"));
}
}
