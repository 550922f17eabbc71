// ValueChecker: the checks of one result - message, level, kind, rule reference, locations, code flows
// and GitHub's limits on them.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "gantry/sarif/github_limits.hpp"
#include "gantry/sarif/rule_reference.hpp"
#include "sarif_value_checker.hpp"

namespace gantry::sarif_validation {

namespace {

constexpr std::array<std::string_view, 4> kLevels{"none", "note", "warning", "error"};
constexpr std::array<std::string_view, 6> kKinds{"notApplicable", "pass", "fail", "review", "open", "informational"};

template <std::size_t N>
std::string joined(const std::array<std::string_view, N>& words) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) out += fmt::format("{}{}", i == 0 ? "" : i + 1 == N ? " or " : ", ", words[i]);
    return out;
}

}  // namespace

void ValueChecker::check_result(Object& result, RunFacts& run) {
    const std::size_t offset = 0;  // the copied value starts with the result
    constexpr std::string_view kIndex = "-1 or an index into the tool component's rules (an integer)";
    Seen<std::string_view> rule_id;
    Seen<std::string_view> reference_id;  // rule.id
    Seen<long long> rule_index;
    Seen<long long> reference_index;      // rule.index
    Seen<long long> component;            // rule.toolComponent.index
    std::optional<ToolComponentReference> component_reference;  // its guid and name
    std::string rule_guid;                // rule.guid
    bool has_message = false;
    std::size_t locations = 0;
    std::size_t locations_offset = offset;
    std::size_t flow_locations = 0;
    std::size_t flows_offset = offset;

    cursor_.for_each_field(result, [&](std::string_view key, Value& value) {
        if (key == "ruleId") {
            rule_id.offset = offset_of(value);
            rule_id.value = string_at(value, "a string (the rule's id)");
        } else if (key == "ruleIndex") {
            rule_index = integer_at(value, -1, kIndex);
        } else if (key == "rule") {
            if (!is(value, Type::object, "a rule reference (an object with id or index)")) return;
            cursor_.for_each_field(value, [&](std::string_view rule_key, Value& rule_value) {
                if (rule_key == "id") {
                    reference_id.offset = offset_of(rule_value);
                    reference_id.value = string_at(rule_value, "a string (the rule's id)");
                } else if (rule_key == "index") {
                    reference_index = integer_at(rule_value, -1, kIndex);
                } else if (rule_key == "guid") {
                    if (cursor_.type_of(rule_value) == Type::string) rule_guid.assign(*cursor_.read_string(rule_value));
                } else if (rule_key == "toolComponent") {
                    if (!is(rule_value, Type::object, "a tool component reference (an object with index)")) return;
                    ToolComponentReference& named = component_reference.emplace();
                    cursor_.for_each_field(rule_value, [&](std::string_view component_key, Value& component_value) {
                        if (component_key == "index") {
                            component = integer_at(component_value, -1, "-1 or an index into tool.extensions (an integer)");
                        } else if ((component_key == "guid" || component_key == "name") &&
                                   cursor_.type_of(component_value) == Type::string) {
                            (component_key == "guid" ? named.guid : named.name).assign(*cursor_.read_string(component_value));
                        }
                    });
                }
            });
        } else if (key == "message") {
            has_message = present(value);
            check_message(value);
        } else if (key == "level") {
            static const std::string kLevelList = "one of " + joined(kLevels);
            one_of(value, kLevels, kLevelList);
        } else if (key == "kind") {
            static const std::string kKindList = "one of " + joined(kKinds);
            one_of(value, kKinds, kKindList);
        } else if (key == "locations") {
            locations_offset = offset_of(value);
            if (!is(value, Type::array, "an array of locations")) return;
            cursor_.for_each_element(value, [&](Value& location) {
                ++locations;
                check_location(location, run);
            });
        } else if (key == "relatedLocations") {
            if (!is(value, Type::array, "an array of locations")) return;
            cursor_.for_each_element(value, [&](Value& location) { check_location(location, run); });
        } else if (key == "codeFlows") {
            flows_offset = offset_of(value);
            flow_locations += check_code_flows(value, run);
        } else if (key == "partialFingerprints" || key == "fingerprints") {
            if (!is(value, Type::object, "an object whose values are strings")) return;
            cursor_.for_each_field(value, [&](std::string_view, Value& fingerprint) {
                string_at(fingerprint, "a string (fingerprint values are strings)");
            });
        }
    });

    const std::string pointer = here();
    if (!has_message) error(pointer + "/message", offset, "missing; expected a message with text (what the alert says)");
    if (component_reference) component_reference->index = index_of(component);
    check_rule_reference(pointer, run, rule_id, reference_id, rule_index, reference_index, component,
                         RuleReference{std::string(rule_id.value.value_or("")), std::string(reference_id.value.value_or("")),
                                       index_of(rule_index), index_of(reference_index), std::move(rule_guid),
                                       std::move(component_reference)});
    if (!github()) return;
    if (locations > github_limits::kLocationsPerResult) {
        error(pointer + "/locations", locations_offset,
              fmt::format("expected at most {} locations in a result (GitHub's limit), found {}",
                          github_limits::kLocationsPerResult, locations));
    }
    if (flow_locations > github_limits::kThreadFlowLocationsPerResult) {
        error(pointer + "/codeFlows", flows_offset,
              fmt::format("expected at most {} thread-flow locations in a result, all code flows together "
                          "(GitHub's limit), found {}",
                          github_limits::kThreadFlowLocationsPerResult, flow_locations));
    }
}

void ValueChecker::check_message(Value& message) {
    const std::size_t offset = offset_of(message);
    if (!is(message, Type::object, "an object with text")) return;
    bool has_text = false;  // a text or id of the wrong type is reported as such, not as missing
    cursor_.for_each_field(message, [&](std::string_view key, Value& value) {
        if (key == "text" || key == "id") {
            has_text = has_text || present(value);
            string_at(value, "a string");
        }
    });
    if (!has_text) error_here(offset, "expected message.text (or message.id), what the alert says");
}

std::optional<std::size_t> ValueChecker::index_of(const Seen<long long>& seen) {
    if (!seen.value || *seen.value < 0) return std::nullopt;
    return static_cast<std::size_t>(*seen.value);
}

// The syntax of the reference is checked here; which rule it names is resolve_rule's answer, the
// same scan-gate and sarif-merge act on.
void ValueChecker::check_rule_reference(const std::string& pointer, RunFacts& run, const Seen<std::string_view>& rule_id,
                          const Seen<std::string_view>& reference_id, const Seen<long long>& rule_index,
                          const Seen<long long>& reference_index, const Seen<long long>& component,
                          const RuleReference& reference) {
    if (rule_id.value && reference_id.value && *rule_id.value != *reference_id.value) {
        error(pointer + "/rule/id", reference_id.offset,
              fmt::format("expected the same id as ruleId ({}), found {}", shown_string(*rule_id.value),
                          shown_string(*reference_id.value)));
    }
    if (rule_index.value && reference_index.value && *rule_index.value != *reference_index.value) {
        error(pointer + "/ruleIndex", rule_index.offset,
              fmt::format("expected the same index as rule.index ({}), found {}", *reference_index.value,
                          *rule_index.value));
    }
    const RuleResolution resolution = resolve_rule(reference, run.rules);
    if (!resolution.component) {
        // A component named by guid or name that the run does not list is not judged here.
        if (reference.component && reference.component->index) {
            error(pointer + "/rule/toolComponent/index", component.offset,
                  fmt::format("expected an index into tool.extensions ({} extension{}), found {}", run.extensions(),
                              run.extensions() == 1 ? "" : "s", *component.value));
        }
        return;
    }
    const std::size_t table = *resolution.component;
    const std::size_t rules = run.rules.rules(table);
    const std::string table_name =
        table == RunRuleTables::kDriver ? "tool.driver.rules" : fmt::format("tool.extensions[{}].rules", table - 1);
    // A dangling index with an id beside it is only a warning: GitHub (and sarif-merge) find the rule by
    // id, and real tools write such files (codeql-action's own test data has ruleIndex 0 and no rules).
    const bool has_id = rule_id.value || reference_id.value;
    const auto check_range = [&](const Seen<long long>& index, std::string_view member) {
        if (!index.value || *index.value < 0 || static_cast<std::size_t>(*index.value) < rules) return;
        add(has_id ? SarifProblemSeverity::Warning : SarifProblemSeverity::Error, pointer + std::string(member),
            index.offset,
            fmt::format("expected an index into {} ({} rule{}), found {}{}", table_name, rules, rules == 1 ? "" : "s",
                        *index.value, has_id ? "; the rule can only be found by its id" : ""));
    };
    check_range(rule_index, "/ruleIndex");
    const bool indices_differ = rule_index.value && reference_index.value && *rule_index.value != *reference_index.value;
    if (!(rule_index.value && reference_index.value) || indices_differ) check_range(reference_index, "/rule/index");
    // Indices that disagree were reported above; which of them names the id's rule is no second problem.
    if (indices_differ || resolution.index != RuleIndexOutcome::Contradicted) return;
    const std::string& indexed = run.rules.rule_id(table, resolution.index_value);
    if (indexed.empty()) return;  // a rule without id is reported where it is defined
    // The id wins (GitHub and sarif-merge look the rule up by it): old Trivy, Anchore and gosec output
    // numbered ruleIndex wrongly, and the schema has no word on it.
    const bool on_rule_index = index_of(rule_index) == resolution.index_value;
    add(SarifProblemSeverity::Warning, pointer + (on_rule_index ? "/ruleIndex" : "/rule/index"),
        on_rule_index ? rule_index.offset : reference_index.offset,
        fmt::format("names rule {} ({}[{}]), not {}, the result's rule id; the rule is found by its id",
                    shown_string(indexed), table_name, resolution.index_value, shown_string(reference.id())));
}

std::size_t ValueChecker::check_code_flows(Value& code_flows, RunFacts& run) {
    std::size_t count = 0;
    if (!is(code_flows, Type::array, "an array of code flows")) return count;
    cursor_.for_each_element(code_flows, [&](Value& code_flow) {
        if (!is(code_flow, Type::object, "a code flow object", NullMeans::Wrong)) return;
        cursor_.for_each_field(code_flow, [&](std::string_view key, Value& thread_flows) {
            if (key != "threadFlows" || !is(thread_flows, Type::array, "an array of thread flows")) return;
            cursor_.for_each_element(thread_flows, [&](Value& thread_flow) {
                if (!is(thread_flow, Type::object, "a thread flow object", NullMeans::Wrong)) return;
                cursor_.for_each_field(thread_flow, [&](std::string_view flow_key, Value& steps) {
                    if (flow_key != "locations" || !is(steps, Type::array, "an array of thread-flow locations")) return;
                    cursor_.for_each_element(steps, [&](Value& step) {
                        ++count;
                        if (!is(step, Type::object, "a thread-flow location object", NullMeans::Wrong)) return;
                        cursor_.for_each_field(step, [&](std::string_view step_key, Value& location) {
                            if (step_key == "location") check_location(location, run, NullMeans::Absent);
                        });
                    });
                });
            });
        });
    });
    return count;
}

void ValueChecker::check_location(Value& location, RunFacts& run, NullMeans null) {
    if (!is(location, Type::object, "a location object", null)) return;
    cursor_.for_each_field(location, [&](std::string_view key, Value& physical) {
        if (key != "physicalLocation" || !is(physical, Type::object, "a physical location object")) return;
        cursor_.for_each_field(physical, [&](std::string_view physical_key, Value& value) {
            if (physical_key == "artifactLocation") {
                check_artifact_location(value, run);
            } else if (physical_key == "region" || physical_key == "contextRegion") {
                check_region(value);
            }
        });
    });
}

void ValueChecker::check_artifact_location(Value& artifact, RunFacts& run) {
    if (!is(artifact, Type::object, "an artifact location object (with uri)")) return;
    if (run.has_external_tables) return;  // its artifacts may be in an external property file
    bool has_uri = false;
    Seen<long long> index;
    cursor_.for_each_field(artifact, [&](std::string_view key, Value& value) {
        if (key == "uri") {
            has_uri = string_at(value, "a string (the file's URI)").has_value();
        } else if (key == "index") {
            index = integer_at(value, -1, "-1 or an index into run.artifacts (an integer)");
        }
    });
    if (!index.value || *index.value < 0) return;
    if (!run.has_artifacts && reports_ == Reports::All) {
        run.artifact_indexes_unchecked = true;  // run.artifacts may still come: see the second pass
        return;
    }
    if (static_cast<std::size_t>(*index.value) < run.artifacts) return;
    // With a uri beside it the file is still known (GitHub reads the uri; codeql-action's own test data
    // has such indexes), so a dangling index is then only a warning.
    const std::string expected =
        run.artifacts == 0 ? fmt::format("expected no index, as the run has no artifacts, found {}", *index.value)
                           : fmt::format("expected an index into run.artifacts ({} artifact{}), found {}",
                                         run.artifacts, run.artifacts == 1 ? "" : "s", *index.value);
    add(has_uri ? SarifProblemSeverity::Warning : SarifProblemSeverity::Error, here() + "/index", index.offset,
        has_uri ? expected + "; the file is known by its uri only" : expected, Reports::ArtifactIndexesOnly);
}

void ValueChecker::check_region(Value& region) {
    if (!is(region, Type::object, "a region object")) return;
    constexpr std::string_view kLine = "a line number (an integer, 1 or more)";
    constexpr std::string_view kColumn = "a column number (an integer, 1 or more)";
    Seen<long long> start_line;
    Seen<long long> end_line;
    cursor_.for_each_field(region, [&](std::string_view key, Value& value) {
        if (key == "startLine") {
            start_line = integer_at(value, 1, kLine);
        } else if (key == "endLine") {
            end_line = integer_at(value, 1, kLine);
        } else if (key == "startColumn" || key == "endColumn") {
            integer_at(value, 1, kColumn);
        }
    });
    if (start_line.value && end_line.value && *end_line.value < *start_line.value) {
        error(here() + "/endLine", end_line.offset,
              fmt::format("expected an end line at or after startLine ({}), found {}", *start_line.value,
                          *end_line.value));
    }
}

}  // namespace gantry::sarif_validation
