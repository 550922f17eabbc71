#include "sarif_rule_lookup.hpp"

namespace gantry::sarif_merge_detail {

RuleReference rule_reference_of(const Json& result) {
    RuleReference reference;
    reference.rule_id = string_value(find_path(result, {"ruleId"}));
    reference.rule_index = index_value(find_path(result, {"ruleIndex"}));
    const Json* rule = find_path(result, {"rule"});
    if (!rule || !rule->is_object()) return reference;
    reference.reference_id = string_value(find_path(*rule, {"id"}));
    reference.reference_index = index_value(find_path(*rule, {"index"}));
    reference.guid = string_value(find_path(*rule, {"guid"}));
    if (const Json* component = find_path(*rule, {"toolComponent"}); component && component->is_object()) {
        reference.component = ToolComponentReference{index_value(find_path(*component, {"index"})),
                                                      string_value(find_path(*component, {"guid"})),
                                                      string_value(find_path(*component, {"name"}))};
    }
    return reference;
}

RuleMatch find_rule(const Json& result, const SourceRun& source) {
    const RuleResolution resolution = resolve_rule(rule_reference_of(result), source.rule_tables);
    RuleMatch match;
    match.id = resolution.id;
    match.index_contradicted = resolution.index == RuleIndexOutcome::Contradicted;
    if (resolution.component && resolution.rule) {
        match.component = *resolution.component;
        match.rule = &source.components[match.component][*resolution.rule];
    }
    return match;
}

}  // namespace gantry::sarif_merge_detail
