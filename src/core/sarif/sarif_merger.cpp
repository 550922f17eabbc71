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

namespace {

std::string category_of(const std::string& automation_id) {
    const auto slash = automation_id.rfind('/');
    return slash == std::string::npos ? automation_id : automation_id.substr(0, slash);
}

std::string slug(std::string_view text) {
    std::string out;
    for (char c : text) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep) {
            out += c;
        } else if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "sarif" : out;
}

// A run, or part of one, as it goes into an output file.
struct Piece {
    OutputRun* run = nullptr;
    std::string id;                    // automationDetails.id category
    std::vector<std::uint32_t> slots;  // indices into run->slots, in spool order
    std::uint64_t raw_bytes = 0;
    double gzipped_estimate = 0;
};

enum class Trim { None, Bulk };

}  // namespace

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
    void write_piece(std::ostream& out, Piece& piece, Trim trim, bool count_changes);
    void write_log(std::ostream& out, std::vector<Piece*>& pieces, Trim trim, bool count_changes);
    void finish_changes();
};

SarifMerger::SarifMerger(SarifMergeOptions options) : state_(std::make_unique<State>()) {
    state_->options = std::move(options);
    if (!state_->options.source_root.empty()) {
        std::error_code error;
        const auto root = std::filesystem::weakly_canonical(std::filesystem::absolute(state_->options.source_root), error);
        state_->source_root = (error ? state_->options.source_root : root).string();
        if (state_->source_root.empty() || state_->source_root.back() != '/') state_->source_root += '/';
    }
}

// file:///repo/src/a.c under --source-root /repo -> "src/a.c" relative to %SRCROOT%.
void SarifMerger::State::rebase(Json& node) {
    if (node.is_object()) {
        if (auto it = node.find("artifactLocation"); it != node.end() && it->is_object()) {
            const std::string uri = string_value(find_path(*it, {"uri"}));
            if (uri.rfind("file://", 0) == 0) {
                const std::string path = uri.substr(7);
                if (path.rfind(source_root, 0) == 0 && path.size() > source_root.size()) {
                    (*it)["uri"] = path.substr(source_root.size());
                    (*it)["uriBaseId"] = "%SRCROOT%";
                    ++stats.uris_rebased;
                }
            }
        }
        for (auto& [key, child] : node.items()) {
            if (key != "artifactLocation") rebase(child);
        }
    } else if (node.is_array()) {
        for (auto& child : node) rebase(child);
    }
}

namespace {

const Json* primary_physical_location(const Json& result) {
    const Json* locations = find_path(result, {"locations"});
    if (!locations || !locations->is_array() || locations->empty()) return nullptr;
    const Json* physical = find_path((*locations)[0], {"physicalLocation"});
    return physical && physical->is_object() ? physical : nullptr;
}

std::string primary_uri(const Json& result) {
    const Json* physical = primary_physical_location(result);
    return physical ? string_value(find_path(*physical, {"artifactLocation", "uri"})) : std::string();
}

bool has_scheme(std::string_view uri) {
    const auto colon = uri.find(':');
    if (colon == std::string_view::npos || colon < 2) return false;  // "C:" is a drive, not a scheme
    for (char c : uri.substr(0, colon)) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    }
    return true;
}

// An image name, a package URL, a web page: nothing GitHub's upload action could hash lines of.
bool has_foreign_scheme(std::string_view uri) { return has_scheme(uri) && !uri.starts_with("file:"); }

// What a result says, as it says it: its text, or - when it has arguments or is given by id - the
// text, id, arguments and markdown together. Two results that differ only there are two findings
// (one rule, one place, two vulnerable packages named in the arguments).
std::string message_identity(const Json& result) {
    const Json* message = find_path(result, {"message"});
    if (!message || !message->is_object()) return {};
    if (!message->contains("id") && !message->contains("arguments")) return string_value(find_path(*message, {"text"}));
    Json stated = Json::object();
    for (const char* member : {"text", "id", "arguments", "markdown"}) {
        if (const Json* value = find_path(*message, {member})) stated[member] = *value;
    }
    return stated.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool has_line_hash(const Json& result) { return find_path(result, {"partialFingerprints", "primaryLocationLineHash"}); }

}  // namespace

SarifMerger::State::SourceLookup SarifMerger::State::add_fingerprint(Json& result) {
    if (has_line_hash(result)) return SourceLookup::NotTried;
    const Json* physical = primary_physical_location(result);
    if (!physical) return SourceLookup::Missing;
    const std::string uri = string_value(find_path(*physical, {"artifactLocation", "uri"}));
    if (uri.empty() || has_scheme(uri)) return SourceLookup::Missing;
    const Json* line = find_path(*physical, {"region", "startLine"});
    auto cached = line_hashes_by_file.find(uri);
    if (cached == line_hashes_by_file.end()) {
        std::vector<std::string> hashes;
        try {
            hashes = line_hashes(read_file(std::filesystem::path(source_root) / uri));
        } catch (const Error&) {
            // No such source file here (an image path, generated code): a synthetic fingerprint then.
        }
        cached = line_hashes_by_file.emplace(uri, std::move(hashes)).first;
    }
    if (cached->second.empty()) return SourceLookup::Missing;
    if (!line || !line->is_number_integer()) return SourceLookup::Found;
    const long long number = line->get<long long>();
    if (number < 1 || static_cast<std::size_t>(number) > cached->second.size()) return SourceLookup::Found;
    result["partialFingerprints"]["primaryLocationLineHash"] = cached->second[static_cast<std::size_t>(number) - 1];
    ++stats.fingerprints_added;
    return SourceLookup::Found;
}

// Findings without source - container image packages, all "at line 1" of an image path - would all
// look alike to GitHub's line hash; rule, artifact and package tell them apart and stay stable
// between scans.
void SarifMerger::State::add_synthetic_fingerprint(Json& result, const std::string& rule_id) {
    std::string package;
    if (const Json* properties = find_path(result, {"properties"}); properties && properties->is_object()) {
        for (const char* key : {"purl", "PkgName", "packageName", "package"}) {
            package = string_value(find_path(*properties, {key}));
            if (!package.empty()) break;
        }
    }
    const std::string message = message_identity(result);
    if (package.empty()) {
        // Trivy and Grype write "Package: name" (and the installed version) into the message.
        if (const auto at = message.find("Package: "); at != std::string::npos) {
            package = message.substr(at + 9, message.find('\n', at) - (at + 9));
        } else {
            package = message;
        }
    }
    const std::string identity = rule_id + '\x1f' + primary_uri(result) + '\x1f' + package;
    result["partialFingerprints"]["primaryLocationLineHash"] = fmt::format("{:016x}:1", fnv1a_64(identity));
    ++stats.synthetic_fingerprints;
}

void SarifMerger::State::trim_for_github(Json& result, const OutputRun& out) {
    namespace limits = github_limits;
    if (auto it = result.find("locations"); it != result.end() && it->is_array() && it->size() > limits::kLocationsPerResult) {
        const std::size_t removed = it->size() - limits::kLocationsPerResult;
        it->erase(it->begin() + static_cast<std::ptrdiff_t>(limits::kLocationsPerResult), it->end());
        record("locations-trimmed", out.label(), fmt::format("kept the first {} locations of a result", limits::kLocationsPerResult));
        (void)removed;
    }
    auto flows = result.find("codeFlows");
    if (flows == result.end() || !flows->is_array()) return;
    auto count_locations = [&] {
        std::size_t total = 0;
        for (const Json& flow : *flows) {
            const Json* threads = find_path(flow, {"threadFlows"});
            if (!threads || !threads->is_array()) continue;
            for (const Json& thread : *threads) {
                if (const Json* locations = find_path(thread, {"locations"}); locations && locations->is_array()) {
                    total += locations->size();
                }
            }
        }
        return total;
    };
    if (count_locations() <= limits::kThreadFlowLocationsPerResult) return;
    if (flows->size() > 1) flows->erase(flows->begin() + 1, flows->end());
    std::size_t budget = limits::kThreadFlowLocationsPerResult;
    for (Json& flow : *flows) {
        auto threads = flow.find("threadFlows");
        if (threads == flow.end() || !threads->is_array()) continue;
        for (Json& thread : *threads) {
            auto locations = thread.find("locations");
            if (locations == thread.end() || !locations->is_array()) continue;
            if (locations->size() > budget) {
                locations->erase(locations->begin() + static_cast<std::ptrdiff_t>(budget), locations->end());
            }
            budget -= locations->size();
        }
    }
    record("thread-flow-locations-trimmed", out.label(),
           fmt::format("kept the first code flow, cut to {} thread-flow locations", limits::kThreadFlowLocationsPerResult));
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

namespace {

// The members of run.externalPropertyFileReferences that the merge uses, with the table each fills.
constexpr std::string_view kExternalTables[] = {"artifacts",   "logicalLocations", "threadFlowLocations", "taxonomies",
                                                "webRequests", "webResponses",     "extensions",          "results"};

// Where an external property file is looked for: beside the input (a relative reference without
// "..", or just the file name of any other reference).
std::optional<std::filesystem::path> beside_input(const std::filesystem::path& directory, const Json& reference) {
    if (directory.empty()) return std::nullopt;
    std::string uri = string_value(find_path(reference, {"location", "uri"}));
    if (uri.empty()) return std::nullopt;
    if (uri.starts_with("file://")) uri = uri.substr(7);
    const std::filesystem::path relative(uri);
    const bool climbs = std::any_of(relative.begin(), relative.end(), [](const auto& part) { return part == ".."; });
    if (relative.is_relative() && !climbs && uri.find(':') == std::string::npos) return directory / relative;
    return directory / relative.filename();
}

}  // namespace

// SARIF §3.15: a run may keep tables in external property files. Those beside the input are read, and
// their tables appended to the run's (results after the run's own); the others are counted and named.
void SarifMerger::State::read_external_property_files(SourceRun& source, const std::string& file) {
    if (!source.external_references.is_object()) return;
    for (const std::string_view member : kExternalTables) {
        const auto references = source.external_references.find(std::string(member));
        if (references == source.external_references.end()) continue;
        const Json list = references->is_array() ? *references : Json::array({*references});
        for (const Json& reference : list) {
            const auto path = beside_input(source.directory, reference);
            std::error_code error;
            if (!path || !std::filesystem::is_regular_file(*path, error)) {
                ++stats.external_files_missing;
                stats.warnings.push_back(fmt::format("{}: the external property file with the run's {} ({}) is not beside "
                                                     "it; merged without them",
                                                     file, member,
                                                     reference.is_object() ? reference.value("location", Json::object()).value("uri", "no uri")
                                                                           : "no location"));
                continue;
            }
            JsonDocument document(*path);
            JsonCursor cursor(document);
            auto root = document.root_object();
            Json table;
            cursor.for_each_field(root, [&](std::string_view key, JsonCursor::Value& value) {
                if (key == member) table = cursor.read_json(value);
            });
            ++stats.external_files_read;
            if (!table.is_array()) continue;
            Json* into = member == "artifacts"             ? &source.artifacts
                         : member == "logicalLocations"    ? &source.logical_locations
                         : member == "threadFlowLocations" ? &source.thread_flow_locations
                         : member == "taxonomies"          ? &source.taxonomies
                         : member == "webRequests"         ? &source.web_requests
                         : member == "webResponses"        ? &source.web_responses
                                                           : nullptr;
            for (Json& entry : table) {
                if (into) {
                    into->push_back(std::move(entry));
                } else if (member == "results") {
                    source.external_results.push_back(std::move(entry));
                } else {  // extensions
                    source.extension_names.push_back(string_value(find_path(entry, {"name"})));
                    const Json* rules = find_path(entry, {"rules"});
                    source.components.push_back(rules && rules->is_array() ? *rules : Json::array());
                    source.extensions.push_back(std::move(entry));
                }
            }
        }
    }
}


void SarifMerger::State::read_run_metadata(JsonCursor& cursor, JsonCursor::Value& run, SourceRun& source) {
    const Fail fail = [&](const std::string& reason) { defer([&] { cursor.fail(reason); }); };
    cursor.for_each_field(run, [&](std::string_view key, JsonCursor::Value& value) {
        if (is_run_table(key)) read_run_member(key, cursor.read_json(value), source, fail);
    });
    finish_run_metadata(source, cursor.document().name());
}

void SarifMerger::State::read_run_member(std::string_view key, Json value, SourceRun& source, const Fail& fail) {
    const auto array = [&](Json& into, const char* expected) {
        if (value.is_array()) {
            into = std::move(value);
        } else {
            fail(expected);
        }
    };
    if (key == "tool") {
        const Json& tool = value;
        if (const Json* driver = find_path(tool, {"driver"}); driver && driver->is_object()) source.driver = *driver;
        source.tool_name = string_value(find_path(tool, {"driver", "name"}));
        const Json* rules = find_path(tool, {"driver", "rules"});
        source.components.push_back(rules && rules->is_array() ? *rules : Json::array());
        if (const Json* extensions = find_path(tool, {"extensions"}); extensions && extensions->is_array()) {
            source.extensions = *extensions;
            for (const Json& extension : *extensions) {
                source.extension_names.push_back(string_value(find_path(extension, {"name"})));
                const Json* ext_rules = find_path(extension, {"rules"});
                source.components.push_back(ext_rules && ext_rules->is_array() ? *ext_rules : Json::array());
            }
        }
    } else if (key == "artifacts") {
        array(source.artifacts, "expected an array of artifacts");
    } else if (key == "logicalLocations") {
        array(source.logical_locations, "expected an array of logical locations");
    } else if (key == "threadFlowLocations") {
        array(source.thread_flow_locations, "expected an array of thread flow locations");
    } else if (key == "taxonomies") {
        array(source.taxonomies, "expected an array of taxonomies");
    } else if (key == "webRequests") {
        array(source.web_requests, "expected an array of web requests");
    } else if (key == "webResponses") {
        array(source.web_responses, "expected an array of web responses");
    } else if (key == "automationDetails") {
        source.category = category_of(string_value(find_path(value, {"id"})));
    } else if (key == "originalUriBaseIds") {
        source.original_uri_base_ids = std::move(value);
    } else if (key == "externalPropertyFileReferences") {
        source.external_references = std::move(value);
    }
}

void SarifMerger::State::finish_run_metadata(SourceRun& source, const std::string& file) {
    if (source.components.empty()) source.components.push_back(Json::array());
    read_external_property_files(source, file);
    if (source.tool_name.empty()) {
        stats.warnings.push_back(file + ": a run has no tool.driver.name; merged as \"unknown tool\"");
        source.tool_name = "unknown tool";
        source.driver["name"] = source.tool_name;
    }
    source.rule_tables.name_component(kDriver, source.tool_name, string_value(find_path(source.driver, {"guid"})));
    for (std::size_t c = 0; c < source.components.size(); ++c) {
        if (c != kDriver) {
            const Json& extension = source.extensions[c - 1];
            source.rule_tables.add_component(string_value(find_path(extension, {"name"})),
                                             string_value(find_path(extension, {"guid"})));
        }
        for (const Json& rule : source.components[c]) {
            source.rule_tables.add_rule(c, string_value(find_path(rule, {"id"})), string_value(find_path(rule, {"guid"})));
        }
    }
}

// SARIF 2.0.0 and the 2.1.0 pre-releases differ in shape (fileLocation, run.files, tool.name, rule
// dictionaries): read as 2.1.0 they would lose their locations and make the output invalid. They are
// refused with the command that converts them.
void SarifMerger::State::check_version(std::string_view version, const std::string& file) {
    if (version == "2.1.0") return;
    throw InputError(SourcePosition{file, 0, 0, "/version"},
                     fmt::format("SARIF {} is not read: only version 2.1.0 is. Convert the file first, with the SARIF "
                                 "Multitool: `Sarif.Multitool rewrite {} --sarif-output-version Current --output "
                                 "converted.sarif` (npm @microsoft/sarif-multitool, or dotnet tool Sarif.Multitool)",
                                 version.empty() ? std::string("of another version") : "\"" + std::string(version) + "\"",
                                 file));
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

// The copy of a rule that goes into the output run: its references rewritten, repaired against the
// schema (a rule without an id gets the result's), and for GitHub at most 20 tags.
bool SarifMerger::State::prepare_rule(Json& rule, const std::string& id, RunMapper& run_mapper, OutputRun& out) {
    if (!rule.is_object()) return false;
    if (!find_path(rule, {"id"}) && !id.empty()) rule["id"] = id;
    run_mapper.map(rule, "reportingDescriptor");
    if (!run_mapper.repair(rule, "reportingDescriptor")) return false;
    if (options.target != UploadTarget::Github) return true;
    auto properties = rule.find("properties");
    if (properties == rule.end() || !properties->is_object()) return true;
    auto tags = properties->find("tags");
    if (tags == properties->end() || !tags->is_array() || tags->size() <= github_limits::kTagsPerRule) return true;
    tags->erase(tags->begin() + static_cast<std::ptrdiff_t>(github_limits::kTagsPerRule), tags->end());
    record("tags-trimmed", out.label(), fmt::format("rules keep their first {} tags", github_limits::kTagsPerRule));
    return true;
}

namespace {

std::string dedupe_key(const Json& result) {
    if (const Json* fingerprints = find_path(result, {"partialFingerprints"});
        fingerprints && fingerprints->is_object() && !fingerprints->empty()) {
        // Fingerprints identify a place; two rules can fire at one place, so the rule is part of the key.
        return "f" + string_value(find_path(result, {"ruleId"})) + '\n' + fingerprints->dump();
    }
    const Json* physical = primary_physical_location(result);
    std::string key = "l" + string_value(find_path(result, {"ruleId"})) + '\n' + message_identity(result);
    if (physical) {
        key += '\n' + string_value(find_path(*physical, {"artifactLocation", "uri"}));
        if (const Json* region = find_path(*physical, {"region"})) key += '\n' + region->dump();
    }
    return key;
}

// How GitHub ranks alerts: security-severity where a rule has one, else the level on the same scale
// (error as high, warning as medium, note as low).
float severity_score(const Json& result, const Json* rule) {
    if (const auto severity = security_severity(result, rule)) return static_cast<float>(*severity);
    switch (effective_level(result, rule)) {
        case SarifLevel::Error: return 7.0F;
        case SarifLevel::Warning: return 4.0F;
        case SarifLevel::Note: return 0.1F;
        case SarifLevel::None: return 0.0F;
    }
    return 0.0F;
}

}  // namespace

void SarifMerger::State::merge_result(Json result, SourceRun& source, OutputRun& out) {
    ++stats.results_read;
    if (!primary_physical_location(result)) ++source.results_without_location;

    const sarif_merge_detail::RuleMatch match = sarif_merge_detail::find_rule(result, source);
    if (match.index_contradicted) ++source.rule_index_contradictions;
    const Json* rule = match.rule;
    const std::string& id = match.id;

    if (!source_root.empty()) rebase(result);
    if (!options.filter.empty()) {
        const FilterReason reason = options.filter.judge(result, rule, id, primary_uri(result));
        if (reason != FilterReason::Kept) {
            record("filtered", out.label(), std::string(describe(reason)));
            ++stats.filtered;
            return;
        }
    }
    const float score = severity_score(result, rule);
    RunMapper run_mapper = mapper(source, out);

    std::optional<std::size_t> out_index;
    std::size_t out_component = kDriver;
    if (rule) {
        out_component = match.component == kDriver
                            ? kDriver
                            : out.component_for_extension(source.extension_names[match.component - 1], [&] {
                                  return run_mapper.component_copy(source.extensions[match.component - 1]);
                              });
        out_index = out.add_rule(out_component, *rule, [&](Json& copy) { return prepare_rule(copy, id, run_mapper, out); });
    }
    if (out_index) {
        if (!id.empty()) result["ruleId"] = id;
        if (out_component == kDriver) {
            result["ruleIndex"] = *out_index;
            if (result.contains("rule")) {
                result["rule"]["index"] = *out_index;
                result["rule"].erase("toolComponent");
            }
        } else {
            result.erase("ruleIndex");
            result["rule"]["index"] = *out_index;
            result["rule"]["toolComponent"] = Json{{"index", out_component - 1}};
        }
    } else {
        // The reference cannot be resolved in the merged run: keep the id, drop the dangling index.
        result.erase("ruleIndex");
        if (auto reference = result.find("rule"); reference != result.end() && reference->is_object()) {
            reference->erase("index");
            reference->erase("toolComponent");
            if (!reference->contains("id") && !reference->contains("guid")) {
                if (id.empty()) {
                    result.erase("rule");
                } else {
                    (*reference)["id"] = id;
                }
            }
        }
    }
    run_mapper.map(result, "result");
    bool repaired = false;
    const RunMapper::Record note_repair = [&](const std::string& kind, const std::string& detail) {
        repaired = true;
        record(kind, out.label(), detail);
    };
    RunMapper repairing(schema, source, out, note_repair, stats.uris_normalised);
    if (!sarif_merge_detail::repair_result(result, rule, schema, repairing, note_repair)) {
        ++source.results_dropped;
        ++stats.invalid_dropped;
        record("invalid-result-dropped", out.label(), "a result that could not be made valid SARIF 2.1.0");
        return;
    }
    if (repaired) {
        ++source.results_repaired;
        ++stats.results_repaired;
    }
    const SourceLookup lookup = source_root.empty() ? SourceLookup::NotTried : add_fingerprint(result);
    if (!has_line_hash(result) &&
        (lookup == SourceLookup::Missing || !primary_physical_location(result) || has_foreign_scheme(primary_uri(result)))) {
        add_synthetic_fingerprint(result, id);
    }
    if (options.target == UploadTarget::Github) trim_for_github(result, out);

    if (!out.seen.insert(std::hash<std::string>{}(dedupe_key(result))).second) {
        ++stats.duplicates_removed;
        return;
    }
    const std::string text = result.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (std::fwrite(text.data(), 1, text.size(), out.spool.get()) != text.size()) {
        throw EnvironmentError("cannot write to a temporary file while merging SARIF results");
    }
    out.slots.push_back({out.spool_size, static_cast<std::uint32_t>(text.size()), score});
    out.spool_size += text.size();
    ++stats.results_written;
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

// ---- writing ---------------------------------------------------------------------------------------

namespace {

// Optional bulk GitHub does not need to show an alert: snippets and context regions everywhere in
// the result, and every code flow after the first.
bool strip_bulk(Json& node) {
    bool changed = false;
    if (node.is_object()) {
        changed |= node.erase("snippet") > 0;
        changed |= node.erase("contextRegion") > 0;
        if (auto flows = node.find("codeFlows"); flows != node.end() && flows->is_array() && flows->size() > 1) {
            flows->erase(flows->begin() + 1, flows->end());
            changed = true;
        }
        for (auto& [key, child] : node.items()) changed |= strip_bulk(child);
    } else if (node.is_array()) {
        for (auto& child : node) changed |= strip_bulk(child);
    }
    return changed;
}

}  // namespace

std::vector<Piece> SarifMerger::State::make_pieces() {
    std::vector<Piece> pieces;
    std::unordered_set<std::string> ids;
    for (auto& run : runs) {
        // A unique category per run: GitHub rejects two runs of one tool and category in an upload.
        const std::string category = run->category.empty() ? slug(run->tool_name) : run->category;
        std::string id = category;
        for (int n = 2; !ids.insert(id).second; ++n) id = category + "-" + std::to_string(n);
        run->id = id;
        Piece piece;
        piece.run = run.get();
        piece.id = id;
        piece.slots.resize(run->slots.size());
        for (std::uint32_t i = 0; i < piece.slots.size(); ++i) piece.slots[i] = i;
        if (options.target == UploadTarget::Github && piece.slots.size() > github_limits::kResultsPerRun) {
            // GitHub keeps only the most severe results of a run; choose them here and say so.
            std::stable_sort(piece.slots.begin(), piece.slots.end(), [&](std::uint32_t a, std::uint32_t b) {
                return run->slots[a].score > run->slots[b].score;
            });
            const std::size_t dropped = piece.slots.size() - github_limits::kResultsPerRun;
            piece.slots.resize(github_limits::kResultsPerRun);
            std::sort(piece.slots.begin(), piece.slots.end());
            record("results-over-limit", run->label(),
                   fmt::format("kept the {} most severe results of the run", github_limits::kResultsPerRun), dropped);
            stats.results_written -= dropped;
        }
        for (std::uint32_t slot : piece.slots) piece.raw_bytes += run->slots[slot].length + 1;
        pieces.push_back(std::move(piece));
    }
    return pieces;
}

void SarifMerger::State::write_piece(std::ostream& out, Piece& piece, Trim trim, bool count_changes) {
    OutputRun& run = *piece.run;
    Json driver = run.driver;
    driver["rules"] = run.rules[kDriver];
    Json tool = {{"driver", std::move(driver)}};
    if (!run.extensions.empty()) {
        Json extensions = Json::array();
        for (std::size_t i = 0; i < run.extensions.size(); ++i) {
            Json extension = run.extensions[i];
            extension["rules"] = run.rules[i + 1];
            extensions.push_back(std::move(extension));
        }
        tool["extensions"] = std::move(extensions);
    }
    Json head = {{"tool", std::move(tool)}, {"automationDetails", {{"id", piece.id + "/"}}}};
    if (!run.artifacts.empty()) {
        head["artifacts"] = run.artifacts;
        if (!source_root.empty()) {
            for (auto& artifact : head["artifacts"]) {
                if (auto location = artifact.find("location"); location != artifact.end()) {
                    Json wrapper = {{"artifactLocation", *location}};
                    rebase(wrapper);
                    *location = wrapper["artifactLocation"];
                }
            }
        }
    }
    if (!run.logical_locations.empty()) head["logicalLocations"] = run.logical_locations;
    if (!run.thread_flow_locations.empty()) head["threadFlowLocations"] = run.thread_flow_locations;
    if (!run.taxonomies.empty()) head["taxonomies"] = run.taxonomies;
    if (!run.original_uri_base_ids.empty()) head["originalUriBaseIds"] = run.original_uri_base_ids;
    std::string text = head.dump(-1, ' ', false, Json::error_handler_t::replace);
    text.pop_back();  // reopen the object to append the results
    out << text << R"(,"results":[)";

    std::FILE* spool = run.spool.get();
    std::uint64_t position = UINT64_MAX;
    std::string buffer;
    bool first = true;
    for (std::uint32_t index : piece.slots) {
        const Slot& slot = run.slots[index];
        if (position != slot.offset && fseeko(spool, static_cast<off_t>(slot.offset), SEEK_SET) != 0) {
            throw EnvironmentError("cannot read back a temporary file of merged SARIF results");
        }
        buffer.resize(slot.length);
        if (std::fread(buffer.data(), 1, slot.length, spool) != slot.length) {
            throw EnvironmentError("cannot read back a temporary file of merged SARIF results");
        }
        position = slot.offset + slot.length;
        if (trim == Trim::Bulk) {
            Json result = Json::parse(buffer);
            if (strip_bulk(result)) {
                buffer = result.dump(-1, ' ', false, Json::error_handler_t::replace);
                if (count_changes) {
                    record("bulk-trimmed", run.label(), "snippets, context regions and extra code flows removed to fit 10 MB gzipped");
                }
            }
        }
        out << (first ? "" : ",") << buffer;
        first = false;
    }
    out << "]}";
}

void SarifMerger::State::write_log(std::ostream& out, std::vector<Piece*>& pieces, Trim trim, bool count_changes) {
    out << R"({"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[)";
    bool first = true;
    for (Piece* piece : pieces) {
        out << (first ? "" : ",");
        first = false;
        write_piece(out, *piece, trim, count_changes);
    }
    out << "]}";
    if (!out) throw EnvironmentError("cannot write the merged SARIF log");
}

void SarifMerger::State::finish_changes() {
    stats.changes.clear();
    for (const auto& [key, count] : change_counts) {
        stats.changes.push_back({std::get<0>(key), std::get<1>(key), count, std::get<2>(key)});
    }
}

void SarifMerger::write(std::ostream& out) {
    State& s = *state_;
    s.written = true;
    std::vector<Piece> pieces = s.make_pieces();
    std::vector<Piece*> all;
    for (auto& piece : pieces) all.push_back(&piece);
    s.write_log(out, all, Trim::None, true);
    s.stats.runs_written = pieces.size();
    s.finish_changes();
}

std::filesystem::path numbered_output_path(const std::filesystem::path& output, std::size_t number) {
    const std::string name = output.filename().string();
    const auto dot = name.find('.', 1);
    const std::string numbered = dot == std::string::npos
                                     ? name + "." + std::to_string(number)
                                     : name.substr(0, dot) + "." + std::to_string(number) + name.substr(dot);
    return output.parent_path() / numbered;
}

namespace {

std::size_t gzipped_file_size(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    GzipOutput counter(nullptr);
    counter << in.rdbuf();
    counter.finish();
    return counter.compressed_bytes();
}

}  // namespace

std::vector<SarifOutputFile> SarifMerger::write_files(const std::filesystem::path& output, Compression compression) {
    State& s = *state_;
    s.written = true;
    std::vector<Piece> pieces = s.make_pieces();
    const bool github = s.options.target == UploadTarget::Github;
    constexpr double kLimit = static_cast<double>(github_limits::kGzippedBytes);

    Trim trim = Trim::None;
    std::vector<std::vector<Piece*>> files(1);
    for (auto& piece : pieces) files[0].push_back(&piece);
    if (github) {
        // Measure only when it can matter: a file under the limit uncompressed is under it gzipped.
        std::uint64_t raw_total = 0;
        for (const auto& piece : pieces) raw_total += piece.raw_bytes + 4096;
        auto measure = [&] {
            double total = 0;
            for (auto& piece : pieces) {
                GzipOutput counter(nullptr);
                s.write_piece(counter, piece, trim, false);
                counter.finish();
                piece.gzipped_estimate = static_cast<double>(counter.compressed_bytes());
                total += piece.gzipped_estimate;
            }
            return total;
        };
        const double budget = kLimit * 0.95;
        double gzipped_total = static_cast<double>(raw_total) <= budget ? 0 : measure();
        if (gzipped_total > budget) {
            trim = Trim::Bulk;
            gzipped_total = measure();
        }
        if (gzipped_total > budget || pieces.size() > github_limits::kRunsPerFile) {
            // Split runs too big for one file into parts (each its own category), then pack in order.
            std::vector<Piece> parts;
            for (auto& piece : pieces) {
                const std::size_t count =
                    piece.gzipped_estimate > budget ? static_cast<std::size_t>(std::ceil(piece.gzipped_estimate / budget)) : 1;
                if (count == 1 || piece.slots.size() < 2) {
                    parts.push_back(std::move(piece));
                    continue;
                }
                const std::size_t per_part = (piece.slots.size() + count - 1) / count;
                for (std::size_t begin = 0, n = 1; begin < piece.slots.size(); begin += per_part, ++n) {
                    Piece part;
                    part.run = piece.run;
                    part.id = piece.id + "-part-" + std::to_string(n);
                    const std::size_t end = std::min(piece.slots.size(), begin + per_part);
                    part.slots.assign(piece.slots.begin() + static_cast<std::ptrdiff_t>(begin),
                                      piece.slots.begin() + static_cast<std::ptrdiff_t>(end));
                    part.gzipped_estimate = piece.gzipped_estimate * static_cast<double>(end - begin) /
                                            static_cast<double>(piece.slots.size());
                    parts.push_back(std::move(part));
                }
                s.record("run-split", piece.run->label(), fmt::format("results split into {} runs, one per upload file", count));
            }
            pieces = std::move(parts);
            files.clear();
            double in_file = 0;
            for (auto& piece : pieces) {
                if (files.empty() || files.back().size() >= github_limits::kRunsPerFile ||
                    (!files.back().empty() && in_file + piece.gzipped_estimate > budget)) {
                    files.emplace_back();
                    in_file = 0;
                }
                files.back().push_back(&piece);
                in_file += piece.gzipped_estimate;
            }
            if (files.size() > 1) {
                s.record("split", "", fmt::format("{} upload files of at most {} runs and 10 MB gzipped",
                                                  files.size(), github_limits::kRunsPerFile),
                         files.size());
            }
        }
    }

    std::vector<SarifOutputFile> written;
    for (std::size_t f = 0; f < files.size(); ++f) {
        SarifOutputFile file;
        file.path = files.size() == 1 ? output : numbered_output_path(output, f + 1);
        write_file_atomically(file.path, [&](std::ostream& out) {
            if (compression == Compression::Gzip) {
                GzipOutput gzip(&out);
                s.write_log(gzip, files[f], trim, true);
                gzip.finish();
            } else {
                s.write_log(out, files[f], trim, true);
            }
        });
        std::error_code error;
        file.bytes = static_cast<std::size_t>(std::filesystem::file_size(file.path, error));
        if (github) file.gzipped_bytes = compression == Compression::Gzip ? file.bytes : gzipped_file_size(file.path);
        for (Piece* piece : files[f]) {
            file.runs += 1;
            file.results += piece->slots.size();
            file.categories.push_back(piece->id);
        }
        if (github && file.gzipped_bytes > github_limits::kGzippedBytes) {
            s.stats.warnings.push_back(fmt::format("{} is {} bytes gzipped, over GitHub's 10 MB: a single run's results "
                                                   "are too large even after trimming",
                                                   file.path.string(), file.gzipped_bytes));
        }
        written.push_back(std::move(file));
    }
    s.stats.runs_written = pieces.size();
    for (auto& run : s.runs) run->spool.reset();
    s.finish_changes();
    return written;
}

}  // namespace gantry
