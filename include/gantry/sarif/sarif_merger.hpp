// Merging SARIF logs into one log, streaming the results (groundwork for sarif-merge).
//
// Runs of the same tool (driver name) and the same category (automationDetails.id up to its last
// "/") become one run; other runs stay separate. Every reference by index that the merge moves is
// rewritten: ruleIndex and rule.index (driver rules and tool.extensions rules, with
// rule.toolComponent.index), and artifactLocation.index anywhere in a result (locations, related
// locations, code flows). Only rules that a kept result uses are written. Each output run gets a
// unique automationDetails.id. Results of one rule with equal partialFingerprints - or, without them,
// equal primary location and message - appear once and are counted as duplicates removed.
//
// Memory: a run's tool and artifacts are held as JSON, but results are read one at a time with
// simdjson On-Demand and spooled, minified, to a temporary file per output run, so the results of a
// large input never sit in memory together. Bad JSON is an InputError with file:line:column.
// Not yet handled: logical locations, taxonomies, GitHub's limits, filters, synthetic fingerprints for
// results without source (see sarif-merge's issue).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gantry {

struct SarifMergeOptions {
    std::string category;  // when set, every output run's category (automationDetails.id prefix)
    // When set: file:// URIs under it become relative with uriBaseId %SRCROOT%, and results without
    // partialFingerprints.primaryLocationLineHash get it computed from the source file, as GitHub's
    // upload action does.
    std::filesystem::path source_root;
};

struct SarifMergeStats {
    std::size_t files = 0;
    std::size_t runs_read = 0;
    std::size_t runs_written = 0;
    std::size_t results_read = 0;
    std::size_t results_written = 0;
    std::size_t duplicates_removed = 0;
    std::size_t fingerprints_added = 0;
    std::size_t uris_rebased = 0;
    std::vector<std::string> warnings;  // accepted quirks ("missing version", ...)
};

class SarifMerger {
public:
    explicit SarifMerger(SarifMergeOptions options);
    ~SarifMerger();
    SarifMerger(const SarifMerger&) = delete;
    SarifMerger& operator=(const SarifMerger&) = delete;

    void add_file(const std::filesystem::path& path);
    void add_text(std::string_view text, const std::string& name);

    // Writes the merged log, minified. Call once, after every add.
    void write(std::ostream& out);
    const SarifMergeStats& stats() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace gantry
