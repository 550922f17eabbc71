// The runs of a SARIF merge: what was read of an input run (SourceRun), what goes into a run of the
// merged log (OutputRun), and the small JSON helpers both use. Internal to src/core/sarif.
//
// A SourceRun holds the tables its results refer to by index (rules per tool component, artifacts,
// logical and thread-flow locations, taxonomies, web requests and responses) and, once a result has
// needed an entry, where that entry landed in the output run. An OutputRun holds the merged tables,
// each entry once (the schema wants the items of these arrays unique), and the results spooled to a
// temporary file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/sarif/rule_reference.hpp"
#include "gantry/sarif/sarif_identity_set.hpp"

namespace gantry::sarif_merge_detail {

using Json = nlohmann::json;

// A result's rule lives in the driver (component 0) or in tool.extensions[component - 1].
inline constexpr std::size_t kDriver = 0;

inline const Json* find_path(const Json& j, std::initializer_list<const char*> keys) {
    const Json* at = &j;
    for (const char* key : keys) {
        if (!at->is_object()) return nullptr;
        const auto it = at->find(key);
        if (it == at->end()) return nullptr;
        at = &*it;
    }
    return at;
}

inline std::optional<std::size_t> index_value(const Json* j) {
    if (j && j->is_number_integer() && j->get<long long>() >= 0) return static_cast<std::size_t>(j->get<long long>());
    return std::nullopt;
}

inline std::string string_value(const Json* j) { return j && j->is_string() ? j->get<std::string>() : std::string(); }

// A relative reference that starts with "/" cannot be resolved against its uriBaseId (SARIF §3.4.4;
// some tools write "/src/a.c" with %SRCROOT%): drop the leading slashes so it resolves as meant.
inline bool normalise_uri(Json& artifact_location) {
    auto uri = artifact_location.find("uri");
    if (uri == artifact_location.end() || !uri->is_string() || !artifact_location.contains("uriBaseId")) return false;
    const std::string& text = uri->get_ref<const std::string&>();
    if (text.empty() || text[0] != '/') return false;
    const auto first = text.find_first_not_of('/');
    *uri = first == std::string::npos ? std::string() : text.substr(first);
    return true;
}

// A result as spooled: where its minified JSON sits in the run's spool file, and how severe it is
// (for keeping the most severe ones when a run is over GitHub's result limit).
struct Slot {
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
    float score = 0;
};

// An entry of a source table: not looked at yet, moved to this output index, or unusable.
using EntryMap = std::vector<std::optional<std::optional<std::size_t>>>;

// The tool, artifacts, tables and category of one input run: what its results refer to by index.
struct SourceRun {
    std::string tool_name;
    std::string category;
    Json driver = Json::object();
    std::vector<Json> components;  // rules arrays: [0] driver, [i] extension i-1
    std::vector<std::string> extension_names;
    Json extensions = Json::array();
    Json artifacts = Json::array();
    Json logical_locations = Json::array();
    Json thread_flow_locations = Json::array();
    Json taxonomies = Json::array();
    Json web_requests = Json::array();
    Json web_responses = Json::array();
    Json original_uri_base_ids;
    Json external_references;  // run.externalPropertyFileReferences, read once the run's tables are
    std::filesystem::path directory;  // of the file the run is in: where external property files are looked for
    RunRuleTables rule_tables;  // the ids and guids of `components`, for resolve_rule
    // Where this run's table entries landed in its output run, once a result needed them.
    EntryMap artifact_map;
    EntryMap logical_location_map;
    EntryMap thread_flow_location_map;
    EntryMap taxonomy_map;
    std::vector<Json> external_results;  // results read from external property files, merged after the run's own
    // Real-world quirks, reported once per run as warnings.
    std::size_t results_without_location = 0;
    std::size_t rule_index_contradictions = 0;
    std::size_t results_repaired = 0;
    std::size_t results_dropped = 0;
};

// One run of the merged log.
struct OutputRun {
    std::string tool_name;
    std::string category;
    std::string id;                    // the unique automationDetails.id category, set when writing
    Json driver;                       // without rules
    std::vector<Json> extensions;      // without rules
    std::vector<std::string> extension_names;
    std::vector<std::vector<Json>> rules;  // per component
    std::vector<std::unordered_map<std::string, std::size_t>> rule_index;
    std::vector<Json> artifacts;
    std::unordered_map<std::string, std::size_t> artifact_index;
    std::vector<Json> logical_locations;
    std::unordered_map<std::string, std::size_t> logical_location_index;  // by minified JSON
    std::vector<Json> thread_flow_locations;
    std::unordered_map<std::string, std::size_t> thread_flow_location_index;
    std::vector<Json> taxonomies;
    std::unordered_map<std::string, std::size_t> taxonomy_index;
    Json original_uri_base_ids = Json::object();
    SarifIdentitySet seen;  // the identities of the results kept, by their index in `identities`
    // Each kept result's identity, spooled too: a hash match is confirmed by reading back a few bytes
    // rather than parsing the earlier result again (merging overlapping logs makes many matches).
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> identity_spool{nullptr, &std::fclose};
    std::uint64_t identity_spool_size = 0;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> identities;  // offset, length
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> spool{nullptr, &std::fclose};
    std::uint64_t spool_size = 0;
    std::vector<Slot> slots;

    std::string label() const { return category.empty() ? tool_name : tool_name + " (" + category + ")"; }

    // The output component of the extension called `name`; `add` makes the copy for a new one.
    template <class Add>
    std::size_t component_for_extension(const std::string& name, Add&& add) {
        for (std::size_t i = 0; i < extension_names.size(); ++i) {
            if (extension_names[i] == name) return i + 1;
        }
        extensions.push_back(add());
        extension_names.push_back(name);
        rules.emplace_back();
        rule_index.emplace_back();
        return extension_names.size();
    }

    // Adds the rule unless one with its id is there; `prepare` adapts the copy that is kept and says
    // whether it can be kept at all.
    template <class Prepare>
    std::optional<std::size_t> add_rule(std::size_t component, const Json& rule, Prepare&& prepare) {
        const std::string key = rule.contains("id") && rule["id"].is_string() ? rule["id"].get<std::string>() : rule.dump();
        auto& index = rule_index[component];
        if (const auto it = index.find(key); it != index.end()) return it->second;
        Json copy = rule;
        if (!prepare(copy)) return std::nullopt;
        rules[component].push_back(std::move(copy));
        index.emplace(key, rules[component].size() - 1);
        return rules[component].size() - 1;
    }

    // The artifact table is keyed by location: the first entry for a uri (and uriBaseId) stands for all.
    static std::string artifact_key(const Json& artifact) {
        return string_value(find_path(artifact, {"location", "uri"})) + '\n' +
               string_value(find_path(artifact, {"location", "uriBaseId"}));
    }

    static std::string taxonomy_key(const Json& taxonomy) {
        return string_value(find_path(taxonomy, {"name"})) + '\n' + string_value(find_path(taxonomy, {"version"})) +
               '\n' + string_value(find_path(taxonomy, {"guid"}));
    }

    // Adds an entry to a table of entries kept once each (by their minified JSON); returns its index.
    static std::size_t add_unique(std::vector<Json>& table, std::unordered_map<std::string, std::size_t>& index, Json entry) {
        std::string key = entry.dump();
        if (const auto it = index.find(key); it != index.end()) return it->second;
        table.push_back(std::move(entry));
        index.emplace(std::move(key), table.size() - 1);
        return table.size() - 1;
    }
};

}  // namespace gantry::sarif_merge_detail
