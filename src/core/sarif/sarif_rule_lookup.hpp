// Which rule a result names, in which tool component of its input run. Internal to src/core/sarif.
//
// The component is result.rule.toolComponent: by index into tool.extensions, else by guid, else by
// name (the driver's or an extension's); without one it is the driver. In it the rule is found by
// rule.index (or, in the driver, ruleIndex), by ruleId (or rule.id: the exact id first, then, for a
// hierarchical "CA2101/sub", the rule it extends) and by rule.guid. When an index names a rule whose
// id is not the result's ruleId - old Anchore and Trivy SARIF numbered their results' ruleIndex
// wrongly - the ruleId wins: the rule is looked up by id and index_contradicted says so.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "sarif_merge_runs.hpp"

namespace gantry::sarif_merge_detail {

struct RuleMatch {
    std::size_t component = kDriver;  // the source component holding the rule (when rule is set)
    const Json* rule = nullptr;       // in source.components[component]; null when not found
    std::string id;                   // the result's ruleId (or rule.id), else the found rule's id
    bool index_contradicted = false;
};

RuleMatch find_rule(const Json& result, const SourceRun& source);

}  // namespace gantry::sarif_merge_detail
