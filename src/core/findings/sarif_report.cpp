// SARIF 2.1.0: runs[] of tool components with rules, and results that refer to those rules.
//
// A result names its rule by ruleId, by ruleIndex, or by rule.{id, index, guid, toolComponent} (CodeQL
// keeps its rules in tool.extensions, not in the driver), and rules and artifacts may come after the
// results in the file. So each run's results are collected first and resolved when the run ends, by
// resolve_rule: the answer sarif-merge and its validator give too.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/findings/report_formats.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/sarif/rule_reference.hpp"

namespace gantry {
namespace {

using Value = JsonCursor::Value;

struct SarifRule {
    std::string id;
    std::string guid;
    std::string name;
    std::string short_description;
    std::string default_level;
    std::string help_uri;
    std::optional<double> security_severity;
};

struct ToolComponent {
    std::string name;
    std::string guid;
    std::vector<SarifRule> rules;
};

struct PendingResult {
    Finding finding;
    RuleReference rule_reference;
    std::string level;
    std::string message;
    std::optional<double> security_severity;
    std::optional<std::size_t> artifact_index;  // artifactLocation.index, when there is no uri
};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

Severity severity_from_level(std::string_view level) {
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

bool is_level(std::string_view text) {
    return equals_ignoring_case(text, "error") || equals_ignoring_case(text, "warning") ||
           equals_ignoring_case(text, "note") || equals_ignoring_case(text, "none");
}

class SarifReader {
public:
    explicit SarifReader(JsonDocument& document) : cursor_(document) {}

    Report read() {
        report_.path = cursor_.document().name();
        report_.format = ReportFormat::Sarif;
        auto root = cursor_.document().root_object();
        cursor_.for_each_field(root, [&](std::string_view key, Value& value) {
            if (key == "runs") {
                cursor_.for_each_element(value, [&](Value& run) { read_run(run); });
            }
        });
        cursor_.document().expect_end();
        for (const std::string& name : driver_names_) {
            if (!report_.scanner.empty()) {
                report_.scanner += ", ";
            }
            report_.scanner += name;
        }
        if (report_.scanner.empty()) {
            report_.scanner = "sarif";
        }
        return std::move(report_);
    }

private:
    void read_run(Value& run) {
        ToolComponent driver;
        std::vector<ToolComponent> extensions;
        std::vector<std::string> artifact_uris;
        std::vector<PendingResult> results;
        cursor_.for_each_field(run, [&](std::string_view key, Value& value) {
            if (key == "tool") {
                cursor_.for_each_field(value, [&](std::string_view tool_key, Value& tool_value) {
                    if (tool_key == "driver") {
                        driver = read_component(tool_value);
                    } else if (tool_key == "extensions") {
                        cursor_.for_each_element(tool_value,
                                                 [&](Value& extension) { extensions.push_back(read_component(extension)); });
                    }
                });
            } else if (key == "results") {
                cursor_.for_each_element(value, [&](Value& result) {
                    if (auto pending = read_result(result)) {
                        results.push_back(std::move(*pending));
                    }
                });
            } else if (key == "artifacts") {
                cursor_.for_each_element(value, [&](Value& artifact) { artifact_uris.push_back(read_artifact_uri(artifact)); });
            }
        });
        const std::string scanner = driver.name.empty() ? "sarif" : driver.name;
        if (!driver.name.empty() &&
            std::find(driver_names_.begin(), driver_names_.end(), driver.name) == driver_names_.end()) {
            driver_names_.push_back(driver.name);
        }
        resolve(results, driver, extensions, artifact_uris, scanner);
    }

    void resolve(std::vector<PendingResult>& results, const ToolComponent& driver,
                 const std::vector<ToolComponent>& extensions, const std::vector<std::string>& artifact_uris,
                 const std::string& scanner) {
        RunRuleTables tables;
        const auto add_rules = [&](std::size_t component, const ToolComponent& tool_component) {
            tables.name_component(component, tool_component.name, tool_component.guid);
            for (const SarifRule& rule : tool_component.rules) tables.add_rule(component, rule.id, rule.guid);
        };
        add_rules(RunRuleTables::kDriver, driver);
        for (const ToolComponent& extension : extensions) add_rules(tables.add_component({}, {}), extension);
        for (PendingResult& pending : results) {
            RuleResolution resolution = resolve_rule(pending.rule_reference, tables);
            const SarifRule* rule = nullptr;
            if (resolution.component && resolution.rule) {
                const ToolComponent& component =
                    *resolution.component == RunRuleTables::kDriver ? driver : extensions[*resolution.component - 1];
                rule = &component.rules[*resolution.rule];
            }
            report_.findings.push_back(finish(pending, rule, std::move(resolution.id), artifact_uris, scanner));
        }
    }

    Finding finish(PendingResult& pending, const SarifRule* rule, std::string rule_id,
                   const std::vector<std::string>& artifact_uris, const std::string& scanner) {
        Finding finding = std::move(pending.finding);
        finding.kind = FindingKind::Code;
        finding.scanner = scanner;
        finding.source_file = report_.path;
        finding.id = std::move(rule_id);

        std::optional<double> score = pending.security_severity;
        if (!score && rule) {
            score = rule->security_severity;
        }
        if (score) {
            finding.severity = severity_from_score(*score);
        } else {
            std::string_view level = pending.level;
            if (level.empty() && rule) {
                level = rule->default_level;
            }
            finding.severity = severity_from_level(level.empty() ? "warning" : level);
        }

        if (rule && !rule->short_description.empty()) {
            finding.title = first_line(rule->short_description);
        } else if (rule && !rule->name.empty()) {
            finding.title = rule->name;
        } else {
            finding.title = first_line(pending.message);
        }
        if (rule) {
            finding.url = rule->help_uri;
        }
        finding.message = std::move(pending.message);
        if (finding.location && finding.location->path.empty() && pending.artifact_index &&
            *pending.artifact_index < artifact_uris.size()) {
            finding.location->path = artifact_uris[*pending.artifact_index];
        }
        if (finding.location) {
            finding.target = finding.location->path;
        }
        return finding;
    }

    ToolComponent read_component(Value& component_value) {
        ToolComponent component;
        cursor_.for_each_field(component_value, [&](std::string_view key, Value& value) {
            if (key == "name") {
                cursor_.read_string_into(value, component.name);
            } else if (key == "guid") {
                cursor_.read_string_into(value, component.guid);
            } else if (key == "rules") {
                cursor_.for_each_element(value, [&](Value& rule) { component.rules.push_back(read_rule(rule)); });
            }
        });
        return component;
    }

    SarifRule read_rule(Value& rule_value) {
        SarifRule rule;
        cursor_.for_each_field(rule_value, [&](std::string_view key, Value& value) {
            if (key == "id") {
                cursor_.read_string_into(value, rule.id);
            } else if (key == "guid") {
                cursor_.read_string_into(value, rule.guid);
            } else if (key == "name") {
                cursor_.read_string_into(value, rule.name);
            } else if (key == "shortDescription") {
                rule.short_description = read_message_text(value);
            } else if (key == "helpUri") {
                cursor_.read_string_into(value, rule.help_uri);
            } else if (key == "defaultConfiguration") {
                cursor_.for_each_field(value, [&](std::string_view configuration_key, Value& configuration_value) {
                    if (configuration_key == "level") {
                        cursor_.read_string_into(configuration_value, rule.default_level);
                    }
                });
            } else if (key == "properties") {
                rule.security_severity = read_security_severity(value);
            }
        });
        if (!is_level(rule.default_level)) {
            rule.default_level.clear();
        }
        return rule;
    }

    std::optional<double> read_security_severity(Value& properties) {
        std::optional<double> score;
        cursor_.for_each_field(properties, [&](std::string_view key, Value& value) {
            if (key == "security-severity") {
                score = cursor_.read_score(value);
            }
        });
        return score;
    }

    // A multiformatMessageString or message: {"text": "..."}.
    std::string read_message_text(Value& message) {
        std::string text;
        cursor_.for_each_field(message, [&](std::string_view key, Value& value) {
            if (key == "text") {
                cursor_.read_string_into(value, text);
            }
        });
        return text;
    }

    std::string read_artifact_uri(Value& artifact) {
        std::string uri;
        cursor_.for_each_field(artifact, [&](std::string_view key, Value& value) {
            if (key == "location") {
                cursor_.for_each_field(value, [&](std::string_view location_key, Value& location_value) {
                    if (location_key == "uri") {
                        cursor_.read_string_into(location_value, uri);
                    }
                });
            }
        });
        return uri;
    }

    // SARIF indices default to -1 ("not given"); anything that is not a usable index counts as not given.
    std::optional<std::size_t> read_index(Value& value) {
        const auto number = cursor_.read_number(value);
        if (!number || *number < 0 || *number > 2147483647.0 || std::floor(*number) != *number) {
            return std::nullopt;
        }
        return static_cast<std::size_t>(*number);
    }

    std::optional<PendingResult> read_result(Value& result) {
        PendingResult pending;
        std::string kind;
        bool suppressed = false;
        bool first_location = true;
        cursor_.for_each_field(result, [&](std::string_view key, Value& value) {
            if (key == "ruleId") {
                cursor_.read_string_into(value, pending.rule_reference.rule_id);
            } else if (key == "ruleIndex") {
                pending.rule_reference.rule_index = read_index(value);
            } else if (key == "rule") {
                read_rule_reference(value, pending);
            } else if (key == "level") {
                cursor_.read_string_into(value, pending.level);
            } else if (key == "kind") {
                cursor_.read_string_into(value, kind);
            } else if (key == "message") {
                pending.message = read_message_text(value);
            } else if (key == "locations") {
                cursor_.for_each_element(value, [&](Value& location) {
                    if (first_location) {
                        first_location = false;
                        read_location(location, pending);
                    }
                });
            } else if (key == "properties") {
                pending.security_severity = read_security_severity(value);
            } else if (key == "suppressions") {
                suppressed = read_suppressed(value);
            }
        });
        if (!is_level(pending.level)) {
            pending.level.clear();
        }
        // Results that record a passing or inapplicable check are not problems.
        if (suppressed) {
            ++report_.suppressed;
            return std::nullopt;
        }
        if (kind == "pass" || kind == "notApplicable") {
            return std::nullopt;
        }
        // A result of another kind than "fail" (review, open, informational) has level "none" by default.
        if (!kind.empty() && kind != "fail" && pending.level.empty()) {
            pending.level = "none";
        }
        return pending;
    }

    // Suppressed: at least one suppression, and none still under review or rejected (as the SARIF SDK
    // and GitLab's analyzers read SARIF 2.1.0 section 3.27.23).
    bool read_suppressed(Value& suppressions) {
        bool any = false;
        bool disputed = false;
        cursor_.for_each_element(suppressions, [&](Value& suppression) {
            any = true;
            std::string status;
            cursor_.for_each_field(suppression, [&](std::string_view key, Value& value) {
                if (key == "status") {
                    cursor_.read_string_into(value, status);
                }
            });
            if (status == "underReview" || status == "rejected") {
                disputed = true;
            }
        });
        return any && !disputed;
    }

    void read_rule_reference(Value& reference, PendingResult& pending) {
        RuleReference& into = pending.rule_reference;
        cursor_.for_each_field(reference, [&](std::string_view key, Value& value) {
            if (key == "id") {
                cursor_.read_string_into(value, into.reference_id);
            } else if (key == "index") {
                into.reference_index = read_index(value);
            } else if (key == "guid") {
                cursor_.read_string_into(value, into.guid);
            } else if (key == "toolComponent") {
                ToolComponentReference& component = into.component.emplace();
                cursor_.for_each_field(value, [&](std::string_view component_key, Value& component_value) {
                    if (component_key == "index") {
                        component.index = read_index(component_value);
                    } else if (component_key == "guid") {
                        cursor_.read_string_into(component_value, component.guid);
                    } else if (component_key == "name") {
                        cursor_.read_string_into(component_value, component.name);
                    }
                });
            }
        });
    }

    void read_location(Value& location, PendingResult& pending) {
        cursor_.for_each_field(location, [&](std::string_view key, Value& value) {
            if (key != "physicalLocation") {
                return;
            }
            Location& where = pending.finding.location.emplace();
            cursor_.for_each_field(value, [&](std::string_view physical_key, Value& physical_value) {
                if (physical_key == "artifactLocation") {
                    cursor_.for_each_field(physical_value, [&](std::string_view artifact_key, Value& artifact_value) {
                        if (artifact_key == "uri") {
                            cursor_.read_string_into(artifact_value, where.path);
                        } else if (artifact_key == "index") {
                            pending.artifact_index = read_index(artifact_value);
                        }
                    });
                } else if (physical_key == "region") {
                    read_region(physical_value, where);
                }
            });
        });
    }

    void read_region(Value& region, Location& where) {
        cursor_.for_each_field(region, [&](std::string_view key, Value& value) {
            if (key == "startLine") {
                where.start_line = cursor_.read_position_number(value).value_or(0);
            } else if (key == "endLine") {
                where.end_line = cursor_.read_position_number(value).value_or(0);
            } else if (key == "startColumn") {
                where.start_column = cursor_.read_position_number(value).value_or(0);
            } else if (key == "endColumn") {
                where.end_column = cursor_.read_position_number(value).value_or(0);
            }
        });
    }

    JsonCursor cursor_;
    Report report_;
    std::vector<std::string> driver_names_;
};

}  // namespace

Report read_sarif_report(JsonDocument& document) { return SarifReader(document).read(); }

}  // namespace gantry
