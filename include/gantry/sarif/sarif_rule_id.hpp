// Whether a result's ruleId names a rule: the rule's own id, or a hierarchical extension of it
// ("CA2101/sub" names rule "CA2101", SARIF 2.1.0 §3.27.5). sarif-merge and `sarif-merge validate`
// both decide with this whether a ruleIndex agrees with the ruleId beside it.
#pragma once

#include <string_view>

namespace gantry {

constexpr bool rule_id_names(std::string_view result_rule_id, std::string_view rule_id) {
    return result_rule_id == rule_id || (!rule_id.empty() && result_rule_id.size() > rule_id.size() &&
                                         result_rule_id.starts_with(rule_id) && result_rule_id[rule_id.size()] == '/');
}

}  // namespace gantry
