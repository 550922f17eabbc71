// Which rule a result of an input run names, for sarif-merge: the result's rule reference read from
// its tree, answered by resolve_rule (gantry/sarif/rule_reference.hpp, shared with scan-gate and the
// validator). Internal to src/core/sarif.
#pragma once

#include <cstddef>
#include <string>

#include "sarif_merge_runs.hpp"

namespace gantry::sarif_merge_detail {

struct RuleMatch {
    std::size_t component = kDriver;  // the source component holding the rule (when rule is set)
    const Json* rule = nullptr;       // in source.components[component]; null when not found
    std::string id;                   // the result's ruleId (or rule.id), else the found rule's id
    bool index_contradicted = false;
};

RuleReference rule_reference_of(const Json& result);

RuleMatch find_rule(const Json& result, const SourceRun& source);

}  // namespace gantry::sarif_merge_detail
