// The state of a SARIF merge, shared by the files that each hold one part of it: reading inputs and
// driving the passes (sarif_merger.cpp), a run's tables (sarif_run_tables.cpp), rewriting each
// result into its output run (sarif_result_rewriting.cpp) and writing and packing the output
// (sarif_merge_writer.cpp). Internal to src/core/sarif.
#pragma once

#include "gantry/sarif/sarif_merger.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <optional>
#include <tuple>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/base/gzip.hpp"
#include "gantry/base/text_position.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/json/json_text_stream.hpp"
#include "gantry/report/finding_fingerprint.hpp"
#include "gantry/sarif/github_limits.hpp"
#include "gantry/sarif/line_hash.hpp"
#include "gantry/sarif/sarif_schema.hpp"
#include "sarif_merge_runs.hpp"
#include "sarif_result_repair.hpp"
#include "sarif_rule_lookup.hpp"
#include "sarif_run_mapper.hpp"
#include "sarif_stream_reader.hpp"

namespace gantry {

using sarif_merge_detail::find_path;
using sarif_merge_detail::index_value;
using sarif_merge_detail::Json;
using sarif_merge_detail::kDriver;
using sarif_merge_detail::OutputRun;
using sarif_merge_detail::RunMapper;
using sarif_merge_detail::Slot;
using sarif_merge_detail::SourceRun;
using sarif_merge_detail::string_value;

namespace sarif_merge_detail {

// A run, or part of one, as it goes into an output file.
struct Piece {
    OutputRun* run = nullptr;
    std::string id;                    // automationDetails.id category
    std::vector<std::uint32_t> slots;  // indices into run->slots, in spool order
    std::uint64_t raw_bytes = 0;
    double gzipped_estimate = 0;
};

enum class Trim { None, Bulk };
// The order of the log's and each run's members: as the minified log has always written them
// ("version" before "runs", a run's "results" last), or sorted, as nlohmann's tree keeps them and
// --pretty has always written them (the pretty log was once the minified one parsed and dumped).
enum class KeyOrder { AsWritten, Sorted };

}  // namespace sarif_merge_detail

using sarif_merge_detail::KeyOrder;
using sarif_merge_detail::Piece;
using sarif_merge_detail::Trim;

struct SarifMerger::State {
    SarifMergeOptions options;
    SarifMergeStats stats;
    SarifSchema schema;
    std::vector<std::unique_ptr<OutputRun>> runs;
    std::map<std::string, std::size_t> run_by_identity;
    std::string source_root;  // with a trailing "/", empty when not set
    std::unordered_map<std::string, std::vector<std::string>> line_hashes_by_file;  // repository-relative
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> change_counts;
    // The first table of the file being read that is not what SARIF 2.1.0 says: thrown once the
    // version is known, so that a SARIF 2.0.0 log gets the message that says how to convert it.
    std::exception_ptr table_error;
    bool written = false;

    // Keeps the first error `raise` throws.
    void defer(const std::function<void()>& raise) {
        try {
            raise();
        } catch (const InputError&) {
            if (!table_error) table_error = std::current_exception();
        }
    }
    void throw_table_error() {
        if (table_error) std::rethrow_exception(std::exchange(table_error, nullptr));
    }

    void record(const std::string& kind, const std::string& run, const std::string& detail, std::size_t count = 1) {
        change_counts[{kind, run, detail}] += count;
    }

    RunMapper mapper(SourceRun& source, OutputRun& out) {
        return RunMapper(
            schema, source, out, [this, &out](const std::string& kind, const std::string& detail) { record(kind, out.label(), detail); },
            stats.uris_normalised);
    }

    void rebase(Json& node);
    enum class SourceLookup { NotTried, Found, Missing };
    SourceLookup add_fingerprint(Json& result);
    void add_synthetic_fingerprint(Json& result, const std::string& rule_id);
    void trim_for_github(Json& result, const OutputRun& out);
    bool prepare_rule(Json& rule, const std::string& id, RunMapper& mapper, OutputRun& out);

    OutputRun& output_for(SourceRun& source) {
        const std::string category = options.category.empty() ? source.category : options.category;
        const std::string identity = source.tool_name + '\n' + category;
        if (const auto it = run_by_identity.find(identity); it != run_by_identity.end()) return *runs[it->second];
        auto run = std::make_unique<OutputRun>();
        run->tool_name = source.tool_name;
        run->category = category;
        run->rules.emplace_back();
        run->rule_index.emplace_back();
        std::FILE* spool = std::tmpfile();
        if (!spool) throw EnvironmentError("cannot create a temporary file for merging SARIF results");
        run->spool.reset(spool);
        std::FILE* identity_spool = std::tmpfile();
        if (!identity_spool) throw EnvironmentError("cannot create a temporary file for merging SARIF results");
        run->identity_spool.reset(identity_spool);
        runs.push_back(std::move(run));
        run_by_identity.emplace(identity, runs.size() - 1);
        OutputRun& out = *runs.back();
        out.driver = mapper(source, out).component_copy(source.driver);
        return out;
    }

    using OpenSource = std::function<std::unique_ptr<ByteSource>()>;
    using Fail = std::function<void(const std::string& reason)>;  // a table that is not what SARIF says: defer()ed

    // The two ways to read an input: whole, with simdjson, or streamed twice from `open`.
    void add_document(JsonDocument& document, const std::filesystem::path& directory);
    void add_stream(const std::string& name, const OpenSource& open, const std::filesystem::path& directory);
    void read_external_property_files(SourceRun& source, const std::string& file);
    void check_version(std::string_view version, const std::string& file);
    void read_run_metadata(JsonCursor& cursor, JsonCursor::Value& run, SourceRun& source);
    void read_run_member(std::string_view key, Json value, SourceRun& source, const Fail& fail);
    void finish_run_metadata(SourceRun& source, const std::string& file);
    void warn_about_quirks(const std::vector<SourceRun>& sources, const std::string& file);
    OutputRun& begin_run(SourceRun& source);
    void end_run(SourceRun& source, OutputRun& out);
    void merge_result(Json result, SourceRun& source, OutputRun& out);

    // Writing.
    std::vector<Piece> make_pieces();
    void write_piece(std::ostream& out, Piece& piece, Trim trim, bool count_changes, KeyOrder order);
    void write_log(std::ostream& out, std::vector<Piece*>& pieces, Trim trim, bool count_changes, KeyOrder order);
    void finish_changes();
};

}  // namespace gantry
