#include "sarif_rule_lookup.hpp"

#include "gantry/sarif/sarif_rule_id.hpp"

namespace gantry::sarif_merge_detail {

namespace {

constexpr std::size_t kUnknownComponent = static_cast<std::size_t>(-1);

std::size_t component_of(const Json& result, const SourceRun& source) {
    const Json* reference = find_path(result, {"rule", "toolComponent"});
    if (!reference || !reference->is_object()) return kDriver;
    if (const auto index = index_value(find_path(*reference, {"index"}))) {
        return *index + 1 < source.components.size() ? *index + 1 : kUnknownComponent;
    }
    const std::string guid = string_value(find_path(*reference, {"guid"}));
    const std::string name = string_value(find_path(*reference, {"name"}));
    if (guid.empty() && name.empty()) return kDriver;
    const auto matches = [&](const Json& component) {
        return !guid.empty() ? string_value(find_path(component, {"guid"})) == guid
                             : string_value(find_path(component, {"name"})) == name;
    };
    if (matches(source.driver)) return kDriver;
    for (std::size_t i = 0; i < source.extensions.size(); ++i) {
        if (matches(source.extensions[i])) return i + 1;
    }
    return kUnknownComponent;
}

const Json* rule_with_id(const SourceRun& source, std::size_t component, std::string id) {
    const auto& by_id = source.rule_by_id[component];
    while (true) {
        if (const auto it = by_id.find(id); it != by_id.end()) return &source.components[component][it->second];
        const auto slash = id.rfind('/');
        if (slash == std::string::npos) return nullptr;
        id.erase(slash);  // "CA2101/sub" extends "CA2101"
    }
}

}  // namespace

RuleMatch find_rule(const Json& result, const SourceRun& source) {
    RuleMatch match;
    match.id = string_value(find_path(result, {"ruleId"}));
    if (match.id.empty()) match.id = string_value(find_path(result, {"rule", "id"}));
    const std::size_t component = component_of(result, source);
    if (component == kUnknownComponent || component >= source.components.size()) return match;
    match.component = component;
    const Json& rules = source.components[component];
    std::optional<std::size_t> index = index_value(find_path(result, {"rule", "index"}));
    if (!index && component == kDriver) index = index_value(find_path(result, {"ruleIndex"}));
    if (index && *index < rules.size()) {
        const Json& indexed = rules[*index];
        const std::string indexed_id = string_value(find_path(indexed, {"id"}));
        if (match.id.empty() || rule_id_names(match.id, indexed_id)) {
            match.rule = &indexed;
        } else {
            match.index_contradicted = true;
        }
    }
    if (!match.rule && !match.id.empty()) match.rule = rule_with_id(source, component, match.id);
    if (!match.rule) {
        const std::string guid = string_value(find_path(result, {"rule", "guid"}));
        if (const auto it = source.rule_by_guid[component].find(guid); !guid.empty() && it != source.rule_by_guid[component].end()) {
            match.rule = &rules[it->second];
        }
    }
    if (match.rule && match.id.empty()) match.id = string_value(find_path(*match.rule, {"id"}));
    return match;
}

}  // namespace gantry::sarif_merge_detail
