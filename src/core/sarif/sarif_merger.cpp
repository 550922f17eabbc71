#include "sarif_merge_state.hpp"

namespace gantry {

SarifMerger::SarifMerger(SarifMergeOptions options) : state_(std::make_unique<State>()) {
    state_->options = std::move(options);
    if (!state_->options.source_root.empty()) {
        std::error_code error;
        const auto root = std::filesystem::weakly_canonical(std::filesystem::absolute(state_->options.source_root), error);
        state_->source_root = (error ? state_->options.source_root : root).string();
        if (state_->source_root.empty() || state_->source_root.back() != '/') state_->source_root += '/';
    }
}

SarifMerger::~SarifMerger() = default;

const SarifMergeStats& SarifMerger::stats() const { return state_->stats; }

namespace {

// SARIF usually gzips to a tenth of its size or less: a gzip file this much smaller than the
// threshold is streamed, as it likely inflates past it.
constexpr std::uint64_t kGzipRatio = 10;

bool should_stream(const std::filesystem::path& path, std::uint64_t threshold) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) return false;  // JsonDocument says why
    const std::uint64_t size = std::filesystem::file_size(path, error);
    if (error || size <= threshold / kGzipRatio) return false;
    if (size > threshold) return true;
    std::ifstream in(path, std::ios::binary);
    std::string magic(2, '\0');
    in.read(magic.data(), 2);
    return in && is_gzip(magic) && size * kGzipRatio > threshold;
}

}  // namespace

void SarifMerger::add_file(const std::filesystem::path& path) {
    const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    if (should_stream(path, state_->options.stream_above_bytes)) {
        const std::string name = path.string();
        state_->add_stream(name, [&] { return std::make_unique<FileSource>(path, name); }, directory);
        return;
    }
    JsonDocument document(path);
    state_->add_document(document, directory);
}

void SarifMerger::add_text(std::string_view text, const std::string& name) {
    if (text.size() > state_->options.stream_above_bytes) {
        state_->add_stream(name, [&] { return std::make_unique<TextSource>(text); }, {});
        return;
    }
    JsonDocument document(name, simdjson::padded_string(text));
    state_->add_document(document, {});
}

OutputRun& SarifMerger::State::begin_run(SourceRun& source) {
    OutputRun& out = output_for(source);
    ++stats.runs_read;
    if (source.original_uri_base_ids.is_object()) {
        RunMapper run_mapper = mapper(source, out);
        for (auto& [name, location] : source.original_uri_base_ids.items()) {
            Json copy = location;
            run_mapper.map(copy, "artifactLocation");
            if (run_mapper.repair(copy, "artifactLocation")) out.original_uri_base_ids[name] = std::move(copy);
        }
    }
    return out;
}

// Results an external property file holds come after the run's own.
void SarifMerger::State::end_run(SourceRun& source, OutputRun& out) {
    for (Json& result : source.external_results) {
        if (result.is_object()) merge_result(std::move(result), source, out);
    }
    source.external_results.clear();
}

void SarifMerger::State::add_document(JsonDocument& document, const std::filesystem::path& directory) {
    if (written) throw std::logic_error("SarifMerger: add after write");
    ++stats.files;
    JsonCursor cursor(document);
    std::vector<SourceRun> sources;
    std::optional<std::string> version;
    // Pass 1: every run's tool, artifacts and category (results may come before them in the file).
    {
        auto root = document.root_object();
        cursor.for_each_field(root, [&](std::string_view key, JsonCursor::Value& value) {
            if (key == "version") {
                version = cursor.type_of(value) == JsonCursor::Type::string ? std::string(*cursor.read_string(value)) : "";
            } else if (key == "runs") {
                cursor.for_each_element(value, [&](JsonCursor::Value& run) {
                    sources.emplace_back();
                    sources.back().directory = directory;
                    read_run_metadata(cursor, run, sources.back());
                });
            }
        });
    }
    if (version) check_version(*version, document.name());
    throw_table_error();
    if (!version) stats.warnings.push_back(document.name() + ": no \"version\"; read as SARIF 2.1.0");
    // Pass 2: stream the results into their output runs.
    document.rewind();
    std::size_t run_number = 0;
    auto root = document.root_object();
    cursor.for_each_field(root, [&](std::string_view key, JsonCursor::Value& value) {
        if (key != "runs") return;
        cursor.for_each_element(value, [&](JsonCursor::Value& run) {
            SourceRun& source = sources.at(run_number++);
            OutputRun& out = begin_run(source);
            cursor.for_each_field(run, [&](std::string_view run_key, JsonCursor::Value& run_value) {
                if (run_key != "results") return;
                cursor.for_each_element(run_value, [&](JsonCursor::Value& result) {
                    Json value = cursor.read_json(result);
                    if (!value.is_object()) cursor.fail("expected a result object");
                    merge_result(std::move(value), source, out);
                });
            });
            end_run(source, out);
        });
    });
    document.expect_end();
    warn_about_quirks(sources, document.name());
}

// Accepted, but worth knowing: the merge works around each of these.
void SarifMerger::State::warn_about_quirks(const std::vector<SourceRun>& sources, const std::string& file) {
    std::vector<std::string> unversioned;
    for (const SourceRun& source : sources) {
        if (!source.driver.contains("version") && !source.driver.contains("semanticVersion")) {
            unversioned.push_back(source.tool_name);
        }
    }
    if (!unversioned.empty()) {
        const std::size_t shown = std::min<std::size_t>(unversioned.size(), 3);
        stats.warnings.push_back(fmt::format("{}: {} run(s) without tool.driver.version ({}{})", file, unversioned.size(),
                                             fmt::join(unversioned.begin(), unversioned.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
                                             unversioned.size() > shown ? ", ..." : ""));
    }
    for (const SourceRun& source : sources) {
        const std::string& tool = source.tool_name;
        if (source.rule_tables.duplicate_rule_ids()) {
            stats.warnings.push_back(fmt::format("{}: {} lists {} rule id(s) more than once; the first of each is used",
                                                 file, tool, source.rule_tables.duplicate_rule_ids()));
        }
        if (source.results_without_location) {
            stats.warnings.push_back(fmt::format("{}: {} result(s) of {} have no location", file,
                                                 source.results_without_location, tool));
        }
        if (source.rule_index_contradictions) {
            stats.warnings.push_back(fmt::format("{}: {} result(s) of {} have a ruleIndex that names another rule than "
                                                 "their ruleId; the ruleId was used",
                                                 file, source.rule_index_contradictions, tool));
        }
        if (source.results_repaired) {
            stats.warnings.push_back(fmt::format("{}: {} result(s) of {} were not valid SARIF 2.1.0 and were repaired "
                                                 "(see the changes)",
                                                 file, source.results_repaired, tool));
        }
        if (source.results_dropped) {
            stats.warnings.push_back(fmt::format("{}: {} result(s) of {} could not be made valid SARIF 2.1.0 and were "
                                                 "left out",
                                                 file, source.results_dropped, tool));
        }
    }
}

void SarifMerger::State::add_stream(const std::string& name, const OpenSource& open, const std::filesystem::path& directory) {
    if (written) throw std::logic_error("SarifMerger: add after write");
    ++stats.files;
    std::vector<SourceRun> sources;
    std::optional<std::string> version;
    const auto fail_at = [&](const ValuePlace& place, const std::string& reason) {
        throw InputError(SourcePosition{name, place.position.line, place.position.column, place.pointer}, reason);
    };
    // Pass 1: every run's tool, artifacts and category (results may come before them in the file).
    {
        TextStream stream(open());
        StreamedSarifReader::Handlers handlers;
        handlers.on_version = [&](std::string_view text) { version = std::string(text); };
        handlers.on_run_start = [&](std::size_t) {
            sources.emplace_back();
            sources.back().directory = directory;
        };
        handlers.on_run_end = [&](std::size_t) { finish_run_metadata(sources.back(), name); };
        handlers.on_run_table = [&](std::string_view key, Json value, const ValuePlace& place) {
            read_run_member(key, std::move(value), sources.back(),
                            [&](const std::string& reason) { defer([&] { fail_at(place, reason); }); });
        };
        StreamedSarifReader(StreamPass::Tables, name, stream, std::move(handlers)).read();
    }
    if (version) check_version(*version, name);
    throw_table_error();
    if (!version) stats.warnings.push_back(name + ": no \"version\"; read as SARIF 2.1.0");
    // Pass 2: the results, one at a time, into their output runs.
    TextStream stream(open());
    SourceRun* source = nullptr;
    OutputRun* out = nullptr;
    StreamedSarifReader::Handlers handlers;
    handlers.on_run_start = [&](std::size_t run) {
        if (run >= sources.size()) throw InputError(SourcePosition{name}, "the file changed while it was being read");
        source = &sources[run];
        out = &begin_run(*source);
    };
    handlers.on_result = [&](Json value, const ValuePlace& place) {
        if (!value.is_object()) fail_at(place, "expected a result object");
        merge_result(std::move(value), *source, *out);
    };
    handlers.on_run_end = [&](std::size_t) { end_run(*source, *out); };
    StreamedSarifReader(StreamPass::Results, name, stream, std::move(handlers)).read();
    warn_about_quirks(sources, name);
}

}  // namespace gantry
