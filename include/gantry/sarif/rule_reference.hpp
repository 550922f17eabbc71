// Which rule a SARIF result names: the one answer scan-gate, sarif-merge and `sarif-merge validate` share.
//
// A result names its rule by ruleId, ruleIndex and result.rule (a reportingDescriptorReference: id,
// index, guid, toolComponent). The tool component is rule.toolComponent - by index into
// tool.extensions, else by guid, else by name (the driver's or an extension's) - or, without one, the
// driver (SARIF 2.1.0 §3.52.7). In that component the rule is the one at rule.index (else ruleIndex),
// unless that index is out of range or names a rule whose id is not the result's id: old Anchore,
// Trivy and gosec output numbered ruleIndex wrongly, and GitHub looks the rule up by id, so the id
// wins. The id is ruleId, else rule.id; it finds its rule exactly, else the rule a hierarchical id
// extends ("CA2101/sub" names "CA2101", §3.27.5). Without id or usable index, rule.guid finds it.
// Callers read the reference and the tables their own way (a cursor, a tree, a validator's walk) and
// ask resolve_rule; none of them decides on its own.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gantry {

// result.rule.toolComponent (a toolComponentReference).
struct ToolComponentReference {
    std::optional<std::size_t> index;  // into tool.extensions; -1 and non-integers read as not given
    std::string guid;
    std::string name;
};

// What a result says about its rule. Indices that are -1, negative or not integers are not given.
struct RuleReference {
    std::string rule_id;                          // result.ruleId
    std::string reference_id;                     // result.rule.id
    std::optional<std::size_t> rule_index;        // result.ruleIndex
    std::optional<std::size_t> reference_index;   // result.rule.index
    std::string guid;                             // result.rule.guid
    std::optional<ToolComponentReference> component;

    // The id the result gives: ruleId, else rule.id.
    const std::string& id() const { return rule_id.empty() ? reference_id : rule_id; }
};

// The rules of one run, per tool component: [0] tool.driver, [i] tool.extensions[i-1].
class RunRuleTables {
public:
    static constexpr std::size_t kDriver = 0;

    RunRuleTables() { add_component({}, {}); }

    // Sets a component's name and guid (the driver's, or an extension's known only after its rules).
    void name_component(std::size_t component, std::string name, std::string guid);
    // Extensions are added in file order after the driver.
    // Returns the new component's number (1 for tool.extensions[0]).
    std::size_t add_component(std::string name, std::string guid);
    // Adds the next rule of `component` (its id and guid may be empty). A repeated id keeps the first rule.
    void add_rule(std::size_t component, std::string_view id, std::string_view guid);

    std::size_t components() const { return components_.size(); }
    std::size_t extensions() const { return components_.size() - 1; }
    std::size_t rules(std::size_t component) const { return components_[component].ids.size(); }
    std::size_t total_rules() const;
    const std::string& rule_id(std::size_t component, std::size_t rule) const { return components_[component].ids[rule]; }
    // Rules whose id an earlier rule of the same component already has.
    std::size_t duplicate_rule_ids() const { return duplicate_rule_ids_; }

    std::optional<std::size_t> component_named(const ToolComponentReference& reference) const;
    std::optional<std::size_t> rule_with_id(std::size_t component, std::string_view id) const;
    std::optional<std::size_t> rule_with_guid(std::size_t component, const std::string& guid) const;

private:
    struct Component {
        std::string name;
        std::string guid;
        std::vector<std::string> ids;
        std::unordered_map<std::string, std::size_t> by_id;
        std::unordered_map<std::string, std::size_t> by_guid;
    };
    std::vector<Component> components_;
    std::size_t duplicate_rule_ids_ = 0;
};

// What became of the index a result gave (rule.index, else ruleIndex).
enum class RuleIndexOutcome {
    Absent,        // no index given, or no component to read it in
    Names,         // it names the rule
    OutOfRange,    // past the end of the component's rules
    Contradicted,  // it names a rule whose id is not the result's id; the rule is found by id
};

enum class RuleIndexMember { RuleIndex, ReferenceIndex };

struct RuleResolution {
    // The component the reference names; absent when it names one the run does not have.
    std::optional<std::size_t> component;
    std::optional<std::size_t> rule;  // the rule's index in that component's rules, when found
    std::string id;                   // the result's id, else the found rule's id
    RuleIndexOutcome index = RuleIndexOutcome::Absent;
    RuleIndexMember index_member = RuleIndexMember::ReferenceIndex;
    std::size_t index_value = 0;  // the index looked at, when index is not Absent
};

RuleResolution resolve_rule(const RuleReference& reference, const RunRuleTables& tables);

}  // namespace gantry
