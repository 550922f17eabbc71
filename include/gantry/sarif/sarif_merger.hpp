// Merging SARIF logs into one log (or, for GitHub's limits, a few), streaming the results.
//
// Only SARIF 2.1.0 is read: a log of another version (2.0.0 and the 2.1.0 pre-releases have other
// shapes) is refused with InputError saying how to convert it; a log without a version is read as
// 2.1.0 with a warning. A leading UTF-8 byte order mark is skipped. Runs of the same tool (driver
// name) and the same category (automationDetails.id up to its last "/") become one run; other runs
// stay separate. A result's rule is found in its tool component (by index, guid or name) by index,
// id or guid; when its ruleIndex names another rule than its ruleId, the ruleId wins and a warning
// says so. Every reference by index that the merge moves is rewritten or removed - each of the
// fifteen index properties of the SARIF 2.1.0 schema, wherever the schema puts it (see
// src/core/sarif/sarif_run_mapper.hpp for what happens to each) - and every table entry is kept
// once. Only rules that a kept result uses are written. Tables a run keeps in external property
// files beside the input (run.externalPropertyFileReferences) are read; the files that are not there
// are counted and named in a warning. Each output run gets a unique automationDetails.id. Results
// with one identity (sarif_result_identity.hpp, the rule scan-gate dedupes by too: fingerprints
// first, then partial fingerprints in one artifact, then message as stated and primary location)
// appear once per output run and are counted as duplicates removed. Results the filter rejects are counted by reason. Every result, rule, tool component and
// table entry written is valid against the official schema (sarif_schema.hpp): what is not is
// repaired as src/core/sarif/sarif_result_repair.hpp documents, each repair recorded as a change, and
// a result beyond repair is left out and counted.
//
// With UploadTarget::Github the output is made to fit code scanning (github_limits.hpp): per result,
// locations and thread-flow locations are cut to the limits and rules keep 20 tags; a run keeps its
// 25,000 most severe results; when the file would exceed 10 MB gzipped, snippets, context regions
// and all but the first code flow are dropped; when it is still too large or has more than 20 runs,
// it is split into several files (runs too big for one file into parts with their own category).
// Every such change is recorded in SarifMergeStats::changes.
//
// Memory: a run's tool, artifacts and tables are held as JSON, and results are read one at a time and
// spooled, minified, to a temporary file per output run, so the results of a large input never sit in
// memory together. A file up to SarifMergeOptions::stream_above_bytes is read whole with simdjson
// On-Demand (fastest); a larger one (or a gzip file that likely inflates past it) is streamed in
// chunks through nlohmann's SAX parser (json_text_stream.hpp), twice (tables, then results), so its
// text is never in memory. Both ways give the same output. Bad JSON is an InputError with
// file:line:column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/sarif/sarif_filter.hpp"

namespace gantry {

enum class UploadTarget { Any, Github };
enum class Compression { None, Gzip };
// Pretty: indented two spaces per level with sorted keys, as nlohmann's dump(2) of the parsed log.
enum class SarifLayout { Minified, Pretty };

struct SarifMergeOptions {
    std::string category;  // when set, every output run's category (automationDetails.id prefix)
    // When set: file:// URIs under it become relative with uriBaseId %SRCROOT%, and results without
    // partialFingerprints.primaryLocationLineHash get it computed from the source file, as GitHub's
    // upload action does.
    std::filesystem::path source_root;
    SarifFilter filter;
    UploadTarget target = UploadTarget::Any;
    // Inputs larger than this (uncompressed; for gzip files estimated) are streamed rather than read
    // whole. Reading whole costs about 2.5 times the file in memory, streaming a few MB.
    std::uint64_t stream_above_bytes = std::uint64_t{64} << 20;
};

// One thing the merge changed beyond merging and deduplicating ("filtered", "trimmed", "split").
struct SarifChange {
    std::string kind;    // e.g. "filtered: below --min-level", "locations-trimmed"
    std::string run;     // tool name and category, or "" for the whole output
    std::size_t count = 0;
    std::string detail;
};

struct SarifMergeStats {
    std::size_t files = 0;
    std::size_t runs_read = 0;
    std::size_t runs_written = 0;
    std::size_t results_read = 0;
    std::size_t results_written = 0;
    std::size_t duplicates_removed = 0;
    std::size_t filtered = 0;
    std::size_t fingerprints_added = 0;
    std::size_t synthetic_fingerprints = 0;
    std::size_t uris_rebased = 0;
    std::size_t uris_normalised = 0;  // "/src/a.c" with a uriBaseId -> "src/a.c"
    std::size_t results_repaired = 0;  // not valid SARIF 2.1.0 as read, mended (SarifChange says how)
    std::size_t invalid_dropped = 0;   // not valid SARIF 2.1.0 and beyond mending: left out
    std::size_t external_files_read = 0;     // run.externalPropertyFileReferences found beside the input
    std::size_t external_files_missing = 0;  // ... and not found there (a warning names each)
    std::vector<SarifChange> changes;
    std::vector<std::string> warnings;  // accepted quirks ("missing version", ...)
};

struct SarifOutputFile {
    std::filesystem::path path;
    std::size_t runs = 0;
    std::size_t results = 0;
    std::size_t bytes = 0;          // as written (compressed when Compression::Gzip)
    std::size_t gzipped_bytes = 0;  // measured for UploadTarget::Github, else 0
    std::vector<std::string> categories;
};

class SarifMerger {
public:
    explicit SarifMerger(SarifMergeOptions options);
    ~SarifMerger();
    SarifMerger(const SarifMerger&) = delete;
    SarifMerger& operator=(const SarifMerger&) = delete;

    void add_file(const std::filesystem::path& path);
    void add_text(std::string_view text, const std::string& name);

    // Writes the merged log, minified, as one stream (no splitting). Call once, after every add.
    void write(std::ostream& out);
    // Writes the merged log to `output`, atomically; for UploadTarget::Github possibly as several
    // files beside it (merged.sarif -> merged.1.sarif, merged.2.sarif, ...). Call once, after every add.
    // Either layout is streamed (the pretty one indented on its way to the file); GitHub's limits are
    // measured on the minified log, so both layouts split the same way.
    std::vector<SarifOutputFile> write_files(const std::filesystem::path& output, Compression compression,
                                             SarifLayout layout = SarifLayout::Minified);
    const SarifMergeStats& stats() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// merged.sarif, 2 -> merged.2.sarif; merged.sarif.gz -> merged.2.sarif.gz; merged -> merged.2.
std::filesystem::path numbered_output_path(const std::filesystem::path& output, std::size_t number);

}  // namespace gantry
