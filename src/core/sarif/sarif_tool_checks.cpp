// ValueChecker: the checks of a run's tool - driver, extensions, their rules and GitHub's limits on them.
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "gantry/sarif/github_limits.hpp"
#include "sarif_value_checker.hpp"

namespace gantry::sarif_validation {

void ValueChecker::read_tool(Object& tool, RunFacts& facts) {
    const std::size_t offset = 0;  // the copied value starts with the tool
    bool has_driver = false;
    std::size_t extensions_offset = offset;
    cursor_.for_each_field(tool, [&](std::string_view key, Value& value) {
        if (key == "driver") {
            has_driver = present(value);
            if (is(value, Type::object, "a tool component object")) {
                read_component(value, facts.rules, RunRuleTables::kDriver, &facts.tool_name);
            }
        } else if (key == "extensions") {
            extensions_offset = offset_of(value);
            if (!is(value, Type::array, "an array of tool components")) return;
            cursor_.for_each_element(value, [&](Value& extension) {
                const std::size_t component = facts.rules.add_component({}, {});
                if (is(extension, Type::object, "a tool component object", NullMeans::Wrong)) {
                    read_component(extension, facts.rules, component, nullptr);
                }
            });
        }
    });
    const std::string pointer = here();
    if (!has_driver) error(pointer + "/driver", offset, "missing; expected an object whose name says which tool made the run");
    if (!github()) return;
    if (facts.extensions() > github_limits::kExtensionsPerRun) {
        error(pointer + "/extensions", extensions_offset,
              fmt::format("expected at most {} tool extensions in a run (GitHub's limit), found {}",
                          github_limits::kExtensionsPerRun, facts.extensions()));
    }
    const std::size_t rules = facts.rules.total_rules();
    if (rules > github_limits::kRulesPerRun) {
        error(pointer, offset, fmt::format("expected at most {} rules in a run, driver and extensions together "
                                           "(GitHub's limit), found {}",
                                           github_limits::kRulesPerRun, rules));
    }
}

// The driver (with `name_out`) or an extension.
void ValueChecker::read_component(Value& component_value, RunRuleTables& rules, std::size_t component, std::string* name_out) {
    const std::size_t offset = offset_of(component_value);
    bool has_name = false;
    std::string name;
    std::string guid;
    cursor_.for_each_field(component_value, [&](std::string_view key, Value& value) {
        if (key == "name") {
            has_name = present(value);
            const std::size_t name_offset = offset_of(value);
            const auto text = string_at(value, "a non-empty string (the tool's name)");
            if (text && text->empty()) error_here(name_offset, "expected a non-empty string (the tool's name), found \"\"");
            if (text) name.assign(*text);
            if (text && name_out) name_out->assign(*text);
        } else if (key == "guid") {
            if (cursor_.type_of(value) == Type::string) guid.assign(*cursor_.read_string(value));
        } else if (key == "rules") {
            if (!is(value, Type::array, "an array of rules")) return;
            cursor_.for_each_element(value, [&](Value& rule) {
                std::string id;
                std::string guid;
                read_rule(rule, id, guid);
                rules.add_rule(component, id, guid);  // a wrong rule still takes its index
            });
        }
    });
    rules.name_component(component, std::move(name), std::move(guid));
    if (!has_name) {
        error(here() + "/name", offset,
              name_out ? "missing; expected the name of the tool that made the run (GitHub groups alerts by it)"
                       : "missing; expected the name of the tool extension");
    }
}

void ValueChecker::read_rule(Value& rule, std::string& id, std::string& guid) {
    const std::size_t offset = offset_of(rule);
    if (!is(rule, Type::object, "a rule object (reportingDescriptor)", NullMeans::Wrong)) return;
    bool has_id = false;
    cursor_.for_each_field(rule, [&](std::string_view key, Value& value) {
        if (key == "id") {
            has_id = present(value);
            if (const auto text = string_at(value, "a string (the rule's id)")) id.assign(*text);
        } else if (key == "guid") {
            if (cursor_.type_of(value) == Type::string) guid.assign(*cursor_.read_string(value));
        } else if (key == "properties") {
            if (!is(value, Type::object, "a property bag (an object)")) return;
            cursor_.for_each_field(value, [&](std::string_view property, Value& property_value) {
                if (property == "security-severity") {
                    check_security_severity(property_value);
                } else if (property == "tags") {
                    const std::size_t tags_offset = offset_of(property_value);
                    if (!is(property_value, Type::array, "an array of strings")) return;
                    std::size_t tags = 0;
                    cursor_.for_each_element(property_value, [&](Value&) { ++tags; });
                    if (github() && tags > github_limits::kTagsPerRule) {
                        error_here(tags_offset, fmt::format("expected at most {} tags on a rule (GitHub's limit), found {}",
                                                            github_limits::kTagsPerRule, tags));
                    }
                }
            });
        }
    });
    if (!has_id) error(here() + "/id", offset, "missing; expected the rule's id (a string)");
}

// GitHub reads it as the alert's severity: a number from 0 to 10, written as a number or a string.
void ValueChecker::check_security_severity(Value& value) {
    constexpr std::string_view kExpected = "a score from 0.0 to 10.0 (a number or a string holding one)";
    const std::size_t offset = offset_of(value);
    const Type type = cursor_.type_of(value);
    std::optional<double> score;
    if (type == Type::number) {
        score = number_at(value, kExpected, offset);
        if (!score) return;
    } else if (type == Type::string) {
        const std::string_view text = *cursor_.read_string(value);
        const std::string_view digits = trimmed(text);
        double number = 0;
        const auto [end, failure] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
        if (failure != std::errc{} || end != digits.data() + digits.size() || digits.empty()) {
            error_here(offset, fmt::format("expected {}, found {}", kExpected, shown_string(text)));
            return;
        }
        score = number;
    } else if (type != Type::null) {
        error_here(offset, fmt::format("expected {}, found {}", kExpected, describe_json_type(type)));
        return;
    }
    if (score && !(*score >= 0.0 && *score <= 10.0)) {
        error_here(offset, fmt::format("expected {}, found {}", kExpected, *score));
    }
}

}  // namespace gantry::sarif_validation
