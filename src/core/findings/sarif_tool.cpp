#include "sarif_tool.hpp"

#include "gantry/findings/report_formats.hpp"

namespace gantry {

bool is_sarif_level(std::string_view text) {
    return equals_ignoring_case(text, "error") || equals_ignoring_case(text, "warning") ||
           equals_ignoring_case(text, "note") || equals_ignoring_case(text, "none");
}

Severity severity_from_sarif_level(std::string_view level) {
    if (equals_ignoring_case(level, "error")) {
        return Severity::High;
    }
    if (equals_ignoring_case(level, "warning")) {
        return Severity::Medium;
    }
    if (equals_ignoring_case(level, "note")) {
        return Severity::Low;
    }
    return Severity::Unknown;
}

ToolComponent SarifToolReader::read_component(Value& component_value) {
    ToolComponent component;
    cursor_.for_each_field(component_value, [&](std::string_view key, Value& value) {
        if (key == "name") {
            cursor_.read_string_into(value, component.name);
        } else if (key == "guid") {
            cursor_.read_string_into(value, component.guid);
        } else if (key == "rules") {
            read_rules(value, component.rules);
        }
    });
    return component;
}

void SarifToolReader::read_rules(Value& rules, std::vector<SarifRule>& out) {
    if (cursor_.type_of(rules) == JsonCursor::Type::object) {
        cursor_.for_each_field(rules, [&](std::string_view id, Value& rule) {
            out.push_back(read_rule(rule));
            if (out.back().id.empty()) {
                out.back().id = id;
            }
        });
        return;
    }
    cursor_.for_each_element(rules, [&](Value& rule) { out.push_back(read_rule(rule)); });
}

SarifRule SarifToolReader::read_rule(Value& rule_value) {
    SarifRule rule;
    cursor_.for_each_field(rule_value, [&](std::string_view key, Value& value) {
        if (key == "id") {
            cursor_.read_string_into(value, rule.id);
        } else if (key == "guid") {
            cursor_.read_string_into(value, rule.guid);
        } else if (key == "name") {
            // A string in 2.1.0, a message ({"text": ...}) in some 2.0.0 pre-releases.
            if (cursor_.type_of(value) == JsonCursor::Type::object) {
                rule.name = read_message_text(value);
            } else {
                cursor_.read_string_into(value, rule.name);
            }
        } else if (key == "shortDescription") {
            rule.short_description = read_message_text(value);
        } else if (key == "helpUri") {
            cursor_.read_string_into(value, rule.help_uri);
        } else if (key == "defaultConfiguration" || key == "configuration") {  // configuration: SARIF 2.0.0
            cursor_.for_each_field(value, [&](std::string_view configuration_key, Value& configuration_value) {
                if (configuration_key == "level" || configuration_key == "defaultLevel") {
                    cursor_.read_string_into(configuration_value, rule.default_level);
                }
            });
        } else if (key == "properties") {
            rule.security_severity = read_security_severity(value);
        }
    });
    if (!is_sarif_level(rule.default_level)) {
        rule.default_level.clear();
    }
    return rule;
}

std::optional<double> SarifToolReader::read_security_severity(Value& properties) {
    std::optional<double> score;
    cursor_.for_each_field(properties, [&](std::string_view key, Value& value) {
        if (key == "security-severity") {
            score = cursor_.read_score(value);
        }
    });
    return score;
}

std::string SarifToolReader::read_message_text(Value& message) {
    std::string text;
    cursor_.for_each_field(message, [&](std::string_view key, Value& value) {
        if (key == "text") {
            cursor_.read_string_into(value, text);
        }
    });
    return text;
}

}  // namespace gantry
