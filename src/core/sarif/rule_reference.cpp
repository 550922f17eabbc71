#include "gantry/sarif/rule_reference.hpp"

#include <numeric>

#include "gantry/sarif/sarif_rule_id.hpp"

namespace gantry {

void RunRuleTables::name_component(std::size_t component, std::string name, std::string guid) {
    components_[component].name = std::move(name);
    components_[component].guid = std::move(guid);
}

std::size_t RunRuleTables::add_component(std::string name, std::string guid) {
    components_.push_back(Component{std::move(name), std::move(guid), {}, {}, {}});
    return components_.size() - 1;
}

void RunRuleTables::add_rule(std::size_t component, std::string_view id, std::string_view guid) {
    Component& table = components_[component];
    const std::size_t index = table.ids.size();
    table.ids.emplace_back(id);
    if (!id.empty() && !table.by_id.emplace(std::string(id), index).second) ++duplicate_rule_ids_;
    if (!guid.empty()) table.by_guid.emplace(std::string(guid), index);
}

std::size_t RunRuleTables::total_rules() const {
    return std::accumulate(components_.begin(), components_.end(), std::size_t{0},
                           [](std::size_t sum, const Component& component) { return sum + component.ids.size(); });
}

std::optional<std::size_t> RunRuleTables::component_named(const ToolComponentReference& reference) const {
    if (reference.index) {
        if (*reference.index < extensions()) return *reference.index + 1;
        return std::nullopt;
    }
    if (reference.guid.empty() && reference.name.empty()) return kDriver;
    for (std::size_t i = 0; i < components_.size(); ++i) {
        const Component& component = components_[i];
        if (!reference.guid.empty() ? component.guid == reference.guid : component.name == reference.name) return i;
    }
    return std::nullopt;
}

std::optional<std::size_t> RunRuleTables::rule_with_id(std::size_t component, std::string_view id) const {
    const auto& by_id = components_[component].by_id;
    std::string key(id);
    while (true) {
        if (const auto it = by_id.find(key); it != by_id.end()) return it->second;
        const auto slash = key.rfind('/');
        if (slash == std::string::npos) return std::nullopt;
        key.erase(slash);  // "CA2101/sub" extends "CA2101"
    }
}

std::optional<std::size_t> RunRuleTables::rule_with_guid(std::size_t component, const std::string& guid) const {
    const auto& by_guid = components_[component].by_guid;
    if (const auto it = by_guid.find(guid); !guid.empty() && it != by_guid.end()) return it->second;
    return std::nullopt;
}

RuleResolution resolve_rule(const RuleReference& reference, const RunRuleTables& tables) {
    RuleResolution resolution;
    resolution.id = reference.id();
    resolution.component = reference.component ? tables.component_named(*reference.component)
                                               : std::optional<std::size_t>(RunRuleTables::kDriver);
    if (!resolution.component) return resolution;
    const std::size_t component = *resolution.component;

    const std::optional<std::size_t> index = reference.reference_index ? reference.reference_index : reference.rule_index;
    if (index) {
        resolution.index_value = *index;
        resolution.index_member = reference.reference_index ? RuleIndexMember::ReferenceIndex : RuleIndexMember::RuleIndex;
        if (*index >= tables.rules(component)) {
            resolution.index = RuleIndexOutcome::OutOfRange;
        } else if (resolution.id.empty() || rule_id_names(resolution.id, tables.rule_id(component, *index))) {
            resolution.index = RuleIndexOutcome::Names;
            resolution.rule = *index;
        } else {
            resolution.index = RuleIndexOutcome::Contradicted;
        }
    }
    if (!resolution.rule && !resolution.id.empty()) resolution.rule = tables.rule_with_id(component, resolution.id);
    if (!resolution.rule) resolution.rule = tables.rule_with_guid(component, reference.guid);
    if (resolution.rule && resolution.id.empty()) resolution.id = tables.rule_id(component, *resolution.rule);
    return resolution;
}

}  // namespace gantry
