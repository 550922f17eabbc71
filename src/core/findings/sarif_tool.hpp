// The tool of a SARIF run and its rules, as the SARIF reader needs them (sarif_report.cpp).
//
// SARIF 2.1.0 has tool.driver and tool.extensions[], each a tool component with rules[]; SARIF 2.0.0
// has tool.name and run.resources.rules, an object of rules keyed by rule id (a list in its last
// pre-releases), with configuration.defaultLevel where 2.1.0 has defaultConfiguration.level. A rule
// keeps what a finding takes from it: id, names, default level, help link and security-severity.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/findings/finding.hpp"
#include "gantry/json/json_cursor.hpp"

namespace gantry {

struct SarifRule {
    std::string id;
    std::string guid;
    std::string name;
    std::string short_description;
    std::string default_level;  // a SARIF level, or empty
    std::string help_uri;
    std::optional<double> security_severity;
};

struct ToolComponent {
    std::string name;
    std::string guid;
    std::vector<SarifRule> rules;
};

// error, warning, note or none, in any case.
bool is_sarif_level(std::string_view text);
// error high, warning medium, note low, anything else unknown.
Severity severity_from_sarif_level(std::string_view level);

class SarifToolReader {
public:
    using Value = JsonCursor::Value;

    explicit SarifToolReader(JsonCursor& cursor) : cursor_(cursor) {}

    ToolComponent read_component(Value& component);
    // A list of rules, or (SARIF 2.0.0) an object of rules keyed by their id; appended to `out`.
    void read_rules(Value& rules, std::vector<SarifRule>& out);
    // properties["security-severity"], a number or a numeric string.
    std::optional<double> read_security_severity(Value& properties);
    // The text of a message or multiformatMessageString: {"text": "..."}.
    std::string read_message_text(Value& message);

private:
    SarifRule read_rule(Value& rule);

    JsonCursor& cursor_;
};

}  // namespace gantry
