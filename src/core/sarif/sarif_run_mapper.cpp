#include "sarif_run_mapper.hpp"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

namespace gantry::sarif_merge_detail {

namespace {

// "/locations/3/physicalLocation/region/startLine" -> "/locations/*/physicalLocation/region/startLine",
// and a reason without the value found: one change line per kind of repair, not per result.
// Segment by segment, not with std::regex: its matcher recurses per character, and a pointer holds
// keys from the input (a property named by a million digits must not overflow the stack).
std::string with_indexes_starred(std::string_view pointer) {
    std::string starred;
    starred.reserve(pointer.size());
    std::size_t begin = 0;
    while (begin < pointer.size()) {
        std::size_t end = pointer.find('/', begin + 1);
        if (end == std::string_view::npos) end = pointer.size();
        const std::string_view segment = pointer.substr(begin, end - begin);
        const bool index = segment.size() > 1 && segment.front() == '/' &&
                           segment.find_first_not_of("0123456789", 1) == std::string_view::npos;
        starred += index ? std::string_view("/*") : segment;
        begin = end;
    }
    return starred;
}

std::string repair_detail(const SchemaRemoval& removal) {
    std::string where = with_indexes_starred(removal.pointer);
    std::string why = removal.reason;
    if (const auto found = why.find(", found "); found != std::string::npos) why.erase(found);
    return fmt::format("{} removed: {}", where.empty() ? "(the value)" : where, why);
}

void ensure_map(EntryMap& map, std::size_t size) {
    if (map.size() < size) map.resize(size);
}

}  // namespace

void RunMapper::map(Json& value, std::string_view definition) {
    schema_.visit(value, definition, [this](std::string_view type, Json& object, std::string_view member) {
        visit(type, object, member);
    });
}

bool RunMapper::repair(Json& value, std::string_view definition) {
    std::vector<SchemaRemoval> removals;
    const bool ok = schema_.repair(value, definition, removals);
    for (const SchemaRemoval& removal : removals) {
        record_("schema-repair", fmt::format("{} {}", definition, repair_detail(removal)));
    }
    return ok;
}

void RunMapper::removed(const char* property, const char* why) { record_("index-removed", fmt::format("{} ({})", property, why)); }

Json RunMapper::component_copy(const Json& component) {
    Json copy = component.is_object() ? component : Json::object();
    copy.erase("rules");
    map(copy, "toolComponent");
    if (!repair(copy, "toolComponent")) {
        // Only a missing or unusable name makes a component unrepairable: the merge names it.
        copy["name"] = string_value(find_path(component, {"name"})).empty() ? "unknown tool component"
                                                                          : string_value(find_path(component, {"name"}));
        repair(copy, "toolComponent");
    }
    return copy;
}

void RunMapper::visit(std::string_view definition, Json& object, std::string_view member) {
    if (definition == "artifactLocation") {
        if (normalise_uri(object)) ++uris_normalised_;
        const auto index = index_value(find_path(object, {"index"}));
        if (!index) return;
        if (const auto moved = artifact(*index)) {
            object["index"] = *moved;
            if (!object.contains("uri")) {
                if (const Json* uri = find_path(source_.artifacts[*index], {"location", "uri"})) object["uri"] = *uri;
            }
        } else {
            object.erase("index");
            removed("artifactLocation.index", "no such artifact in run.artifacts");
        }
    } else if (definition == "logicalLocation") {
        for (const char* property : {"index", "parentIndex"}) {
            const auto index = index_value(find_path(object, {property}));
            if (!index) continue;
            if (const auto moved = logical_location(*index)) {
                object[property] = *moved;
            } else {
                object.erase(property);
                removed(property == std::string_view("index") ? "logicalLocation.index" : "logicalLocation.parentIndex",
                        "no such entry in run.logicalLocations");
            }
        }
    } else if (definition == "threadFlowLocation") {
        const auto index = index_value(find_path(object, {"index"}));
        if (!index) return;
        if (const auto moved = thread_flow_location(*index)) {
            object["index"] = *moved;
        } else {
            object.erase("index");
            removed("threadFlowLocation.index", "no such entry in run.threadFlowLocations");
        }
    } else if (definition == "reportingDescriptorReference") {
        if (member == "rule") return;  // the merger carries the rule over and rewrites this reference
        if (member == "taxa" || object.contains("toolComponent")) {
            remap_component_reference(object);
        } else if (object.contains("index")) {
            // A descriptor of the driver's own tables, which are pruned: only its id or guid can find it.
            object.erase("index");
            removed("reportingDescriptorReference.index", "the tool component's descriptors are renumbered");
        }
    } else if (definition == "toolComponentReference") {
        if (member == "supportedTaxonomies") {
            const auto index = index_value(find_path(object, {"index"}));
            const auto moved = index ? taxonomy(*index) : taxonomy_named(object);
            if (index && moved) {
                object["index"] = *moved;
            } else if (index) {
                object.erase("index");
                removed("toolComponentReference.index", "no such taxonomy in run.taxonomies");
            }
        } else if (member == "associatedComponent" && object.contains("index")) {
            object.erase("index");
            removed("toolComponentReference.index", "tool.extensions is renumbered");
        }
    } else if (definition == "resultProvenance") {
        if (object.erase("invocationIndex")) removed("resultProvenance.invocationIndex", "run.invocations is not merged");
    } else if (definition == "address") {
        if (object.erase("index")) removed("address.index", "run.addresses is not merged");
        if (object.erase("parentIndex")) removed("address.parentIndex", "run.addresses is not merged");
    } else if (definition == "artifact") {
        if (object.erase("parentIndex")) removed("artifact.parentIndex", "run.artifacts is renumbered");
    } else if (definition == "graphTraversal") {
        if (object.erase("runGraphIndex")) removed("graphTraversal.runGraphIndex", "run.graphs is not merged");
    } else if (definition == "webRequest") {
        inline_cached(object, source_.web_requests, "webRequest.index");
    } else if (definition == "webResponse") {
        inline_cached(object, source_.web_responses, "webResponse.index");
    }
}

// A reference to a taxonomy's descriptor (result.taxa, a rule's relationship target): the taxonomy
// is carried over and the component index rewritten; the descriptor index within it stays.
void RunMapper::remap_component_reference(Json& reference) {
    auto component = reference.find("toolComponent");
    if (component == reference.end() || !component->is_object()) return;
    const auto index = index_value(find_path(*component, {"index"}));
    if (!index) {
        taxonomy_named(*component);  // carried over so that its guid or name finds it
        return;
    }
    if (const auto moved = taxonomy(*index)) {
        (*component)["index"] = *moved;
    } else {
        component->erase("index");
        removed("toolComponentReference.index", "no such taxonomy in run.taxonomies");
    }
}

void RunMapper::inline_cached(Json& object, const Json& table, const char* what) {
    const auto index = index_value(find_path(object, {"index"}));
    if (!object.contains("index")) return;
    object.erase("index");
    if (!index || *index >= table.size() || !table[*index].is_object()) {
        removed(what, "no such entry in its run table");
        return;
    }
    // The result's own members win over the cached object's (SARIF §3.46.2, §3.47.2).
    Json merged = table[*index];
    merged.erase("index");
    for (auto& [key, value] : object.items()) merged[key] = std::move(value);
    object = std::move(merged);
    record_("index-inlined", fmt::format("{} (the run's cached object copied into the result)", what));
}

std::optional<std::size_t> RunMapper::artifact(std::size_t index) {
    if (index >= source_.artifacts.size()) return std::nullopt;
    ensure_map(source_.artifact_map, source_.artifacts.size());
    auto& slot = source_.artifact_map[index];
    if (slot) return *slot;
    slot.emplace(std::nullopt);
    const Json& entry = source_.artifacts[index];
    if (!entry.is_object()) return std::nullopt;
    Json copy = entry;
    if (copy.erase("parentIndex")) removed("artifact.parentIndex", "run.artifacts is renumbered");
    auto location = copy.find("location");
    if (location != copy.end() && location->is_object()) normalise_uri(*location);
    const std::string key = OutputRun::artifact_key(copy);
    if (const auto it = out_.artifact_index.find(key); it != out_.artifact_index.end()) return *(slot = it->second);
    // An artifact's location may name its own entry; that entry has moved.
    if (location != copy.end() && location->is_object() && location->contains("index")) {
        (*location)["index"] = out_.artifacts.size();
    }
    if (!repair(copy, "artifact")) return std::nullopt;
    out_.artifacts.push_back(std::move(copy));
    out_.artifact_index.emplace(key, out_.artifacts.size() - 1);
    return *(slot = out_.artifacts.size() - 1);
}

std::optional<std::size_t> RunMapper::logical_location(std::size_t index) {
    if (index >= source_.logical_locations.size()) return std::nullopt;
    map_logical_locations();
    return *source_.logical_location_map[index];
}

std::optional<std::size_t> RunMapper::thread_flow_location(std::size_t index) {
    if (index >= source_.thread_flow_locations.size()) return std::nullopt;
    map_thread_flow_locations();
    return *source_.thread_flow_location_map[index];
}

// The whole table is carried over the first time a result needs an entry. When its entries are valid
// and new to the output table it is appended as it is, parent links shifted; otherwise entry by entry,
// parents first, each kept once.
void RunMapper::map_logical_locations() {
    const Json& table = source_.logical_locations;
    EntryMap& entries = source_.logical_location_map;
    if (!entries.empty()) return;
    entries.resize(table.size());
    const std::size_t offset = out_.logical_locations.size();
    std::vector<Json> copies;
    std::unordered_set<std::string> keys;
    bool as_is = true;
    for (std::size_t i = 0; i < table.size() && as_is; ++i) {
        Json copy = table[i];
        if (!copy.is_object()) {
            as_is = false;
            break;
        }
        if (const auto parent = index_value(find_path(copy, {"parentIndex"}))) {
            if (*parent < table.size()) {
                copy["parentIndex"] = *parent + offset;
            } else {
                copy.erase("parentIndex");
            }
        }
        if (const auto self = index_value(find_path(copy, {"index"})); self && *self == i) copy["index"] = i + offset;
        std::string key = copy.dump();
        as_is = schema_.valid(copy, "logicalLocation") && !out_.logical_location_index.count(key) && keys.insert(key).second;
        copies.push_back(std::move(copy));
    }
    if (as_is) {
        for (std::size_t i = 0; i < copies.size(); ++i) {
            entries[i].emplace(OutputRun::add_unique(out_.logical_locations, out_.logical_location_index, std::move(copies[i])));
        }
        return;
    }
    std::vector<bool> placing(table.size(), false);
    // Parents first, to a bounded depth: a chain deeper than any real namespace nesting loses its link
    // rather than the stack.
    constexpr std::size_t kDeepestParent = 256;
    std::function<std::optional<std::size_t>(std::size_t, std::size_t)> place = [&](std::size_t i,
                                                                                    std::size_t depth) -> std::optional<std::size_t> {
        if (entries[i]) return *entries[i];
        Json copy = table[i];
        if (!copy.is_object()) return *(entries[i] = std::optional<std::size_t>());
        placing[i] = true;
        if (const auto parent = index_value(find_path(copy, {"parentIndex"}))) {
            const auto moved = *parent < table.size() && !placing[*parent] && depth < kDeepestParent
                                   ? place(*parent, depth + 1)
                                   : std::nullopt;
            if (moved) {
                copy["parentIndex"] = *moved;
            } else {
                copy.erase("parentIndex");
                removed("logicalLocation.parentIndex", "no such entry in run.logicalLocations");
            }
        }
        placing[i] = false;
        copy.erase("index");
        if (!repair(copy, "logicalLocation")) return *(entries[i] = std::optional<std::size_t>());
        return *(entries[i] = OutputRun::add_unique(out_.logical_locations, out_.logical_location_index, std::move(copy)));
    };
    for (std::size_t i = 0; i < table.size(); ++i) place(i, 0);
}

void RunMapper::map_thread_flow_locations() {
    const Json& table = source_.thread_flow_locations;
    EntryMap& entries = source_.thread_flow_location_map;
    if (!entries.empty()) return;
    entries.resize(table.size());
    // The shared table's entries refer to the source run's tables too.
    std::vector<Json> copies;
    std::vector<bool> self_indexed;
    std::unordered_set<std::string> keys;
    bool as_is = true;
    for (std::size_t i = 0; i < table.size(); ++i) {
        Json copy = table[i];
        const auto self = index_value(find_path(copy, {"index"}));
        self_indexed.push_back(self && *self == i);
        if (copy.is_object()) copy.erase("index");
        if (copy.is_object()) map(copy, "threadFlowLocation");
        as_is = as_is && copy.is_object() && schema_.valid(copy, "threadFlowLocation") &&
                !out_.thread_flow_location_index.count(copy.dump()) && keys.insert(copy.dump()).second;
        copies.push_back(std::move(copy));
    }
    for (std::size_t i = 0; i < copies.size(); ++i) {
        Json& copy = copies[i];
        if (!as_is && (!copy.is_object() || !repair(copy, "threadFlowLocation"))) {
            entries[i].emplace(std::nullopt);
            continue;
        }
        const std::size_t before = out_.thread_flow_locations.size();
        const std::size_t moved = OutputRun::add_unique(out_.thread_flow_locations, out_.thread_flow_location_index, std::move(copy));
        if (self_indexed[i] && moved == before) out_.thread_flow_locations[moved]["index"] = moved;
        entries[i].emplace(moved);
    }
}

std::optional<std::size_t> RunMapper::taxonomy(std::size_t index) {
    if (index >= source_.taxonomies.size()) return std::nullopt;
    ensure_map(source_.taxonomy_map, source_.taxonomies.size());
    auto& slot = source_.taxonomy_map[index];
    if (slot) return *slot;
    slot.emplace(std::nullopt);
    const Json& entry = source_.taxonomies[index];
    if (!entry.is_object()) return std::nullopt;
    const std::string key = OutputRun::taxonomy_key(entry);
    if (const auto it = out_.taxonomy_index.find(key); it != out_.taxonomy_index.end()) return *(slot = it->second);
    // The place is taken before the copy is mapped: its own references may lead back to it.
    const std::size_t moved = out_.taxonomies.size();
    out_.taxonomies.emplace_back();
    out_.taxonomy_index.emplace(key, moved);
    slot.emplace(moved);
    out_.taxonomies[moved] = component_copy(entry);
    return moved;
}

std::optional<std::size_t> RunMapper::taxonomy_named(const Json& reference) {
    const std::string guid = string_value(find_path(reference, {"guid"}));
    const std::string name = string_value(find_path(reference, {"name"}));
    if (guid.empty() && name.empty()) return std::nullopt;
    for (std::size_t i = 0; i < source_.taxonomies.size(); ++i) {
        const Json& taxonomy = source_.taxonomies[i];
        const bool same_guid = !guid.empty() && string_value(find_path(taxonomy, {"guid"})) == guid;
        const bool same_name = guid.empty() && string_value(find_path(taxonomy, {"name"})) == name;
        if (same_guid || same_name) return this->taxonomy(i);
    }
    return std::nullopt;
}

}  // namespace gantry::sarif_merge_detail
