// One result into its output run: rebased, fingerprinted, filtered, its rule and table references
// moved to the output run's tables, trimmed for GitHub, deduplicated and spooled.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "gantry/findings/sarif_result_identity.hpp"
#include "sarif_merge_state.hpp"

namespace gantry {

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

// The identity of a result kept earlier, read back from the run's identity spool (a hash of the
// identity being deduplicated matched it: SarifIdentitySet confirms before a result is dropped).
std::string spooled_identity(OutputRun& out, std::size_t index) {
    const auto [offset, length] = out.identities[index];
    std::FILE* spool = out.identity_spool.get();
    std::string text(length, '\0');
    if (std::fflush(spool) != 0 ||
        pread(fileno(spool), text.data(), length, static_cast<off_t>(offset)) != static_cast<ssize_t>(length)) {
        throw EnvironmentError("cannot read back a temporary file while merging SARIF results");
    }
    return text;
}

void spool_identity(OutputRun& out, const std::string& identity) {
    if (std::fwrite(identity.data(), 1, identity.size(), out.identity_spool.get()) != identity.size()) {
        throw EnvironmentError("cannot write to a temporary file while merging SARIF results");
    }
    out.identities.emplace_back(out.identity_spool_size, static_cast<std::uint32_t>(identity.size()));
    out.identity_spool_size += identity.size();
}

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

    const std::string identity = sarif_result_identity(result);
    if (!out.seen.insert(identity, out.identities.size(), [&](std::size_t index) { return spooled_identity(out, index); })) {
        ++stats.duplicates_removed;
        return;
    }
    spool_identity(out, identity);
    const std::string text = result.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (std::fwrite(text.data(), 1, text.size(), out.spool.get()) != text.size()) {
        throw EnvironmentError("cannot write to a temporary file while merging SARIF results");
    }
    out.slots.push_back({out.spool_size, static_cast<std::uint32_t>(text.size()), score});
    out.spool_size += text.size();
    ++stats.results_written;
}

}  // namespace gantry
