// SARIF 2.1.0: runs[] of tool components with rules, and results that refer to those rules.
//
// A result names its rule by ruleId, by ruleIndex, or by rule.{id, index, guid, toolComponent} (CodeQL
// keeps its rules in tool.extensions, not in the driver), and rules and artifacts may come after the
// results in the file. So each run's results are collected first and resolved when the run ends, by
// resolve_rule: the answer sarif-merge and its validator give too.
//
// SARIF 2.0.0 (and its 2018 pre-releases) is read too, for the parts a finding needs: the tool is
// tool.{name} instead of tool.driver, rules are run.resources.rules (an object keyed by rule id, or a
// list) with configuration.defaultLevel, locations are physicalLocation.fileLocation, and a level of
// pass, notApplicable or open says what 2.1.0 says with kind. SARIF 1.x has no physical locations of
// this shape and is refused. Each result also gets the identity sarif-merge dedupes by
// (sarif_result_identity.hpp), from the members that identity reads.
#include <algorithm>
#include <deque>
#include <cctype>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/findings/report_formats.hpp"
#include "gantry/findings/sarif_result_identity.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/json/streamed_object.hpp"
#include "gantry/sarif/rule_reference.hpp"
#include "sarif_tool.hpp"

namespace gantry {
namespace {

using Value = JsonCursor::Value;
using Json = nlohmann::json;

// A result read but not yet resolved against its run's rules: only what the finding is made from
// (a whole Finding here took a third of the memory of a large run's pending results).
struct PendingResult {
    std::optional<Location> location;
    RuleReference rule_reference;
    std::string level;
    std::string message;
    std::optional<double> security_severity;
    std::optional<std::size_t> artifact_index;  // artifactLocation.index, when there is no uri
    // What the identity reads of the result itself, as a digest: held until the run ends, where the
    // members' text took as much memory as the messages.
    SarifIdentitySeed identity;
    std::string uri_base_id;
};

// Finds a path already held as shared text by the path itself (heterogeneous lookup).
struct SarifPathHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};
struct SarifPathEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

class SarifReader {
public:
    SarifReader(JsonDocument& document, const ReportReading& reading)
        : cursor_(document), reading_(reading), report_path_(document.name()) {
        report_.path = document.name();
        report_.format = ReportFormat::Sarif;
    }

    Report read() {
        auto root = cursor_.document().root_object();
        cursor_.for_each_field(root, [&](std::string_view key, Value& value) { read_root_field(key, value); });
        cursor_.document().expect_end();
        return finish_report();
    }

    // The same with runs[] and each run's results[] streamed one result at a time; the rest of a run
    // (its tool, rules and artifacts, before or after the results) is read whole, and the run's results
    // are resolved against its rules when the run ends, as above.
    Report read(JsonStream& stream) {
        const auto run = std::make_shared<StreamedObject>();
        run->begin = [&] { run_ = RunState{}; };
        run->end = [&] { end_run(); };
        run->field = [&](std::string_view key, Value& value) { read_run_field(key, value); };
        run->arrays = {{"results", [&](Value& result) { add_result(result); }, nullptr}};
        StreamedObject root;
        root.field = [&](std::string_view key, Value& value) { read_root_field(key, value); };
        root.arrays = {{"runs", [&](Value& item) { read_run(item); }, run}};
        read_streamed_object(stream, cursor_.document(), cursor_, root);
        stream.expect_end();
        return finish_report();
    }

private:
    void read_root_field(std::string_view key, Value& value) {
        if (key == "runs") {
            cursor_.for_each_element(value, [&](Value& run) { read_run(run); });
        } else if (key == "version") {
            std::string version;
            if (cursor_.type_of(value) == JsonCursor::Type::string) {
                cursor_.read_string_into(value, version);
            }
            if (version.starts_with("1.") || version.starts_with("0.")) {
                cursor_.fail(fmt::format("SARIF {} is not read (SARIF 2.1.0 and 2.0.0 are); convert the log first, "
                                         "e.g. `Sarif.Multitool transform --sarif-output-version Current`",
                                         version));
            }
        }
    }

    Report finish_report() {
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

    void read_run(Value& run) {
        run_ = RunState{};
        cursor_.for_each_field(run, [&](std::string_view key, Value& value) { read_run_field(key, value); });
        end_run();
    }

    void add_result(Value& result) {
        if (auto pending = read_result(result)) {
            run_.results.push_back(std::move(*pending));
        }
    }

    void read_run_field(std::string_view key, Value& value) {
        ToolComponent& driver = run_.driver;
        std::vector<ToolComponent>& extensions = run_.extensions;
        std::vector<std::string>& artifact_uris = run_.artifact_uris;
        if (key == "tool") {
            cursor_.for_each_field(value, [&](std::string_view tool_key, Value& tool_value) {
                if (tool_key == "driver") {
                    ToolComponent component = tools_.read_component(tool_value);
                    driver.name = std::move(component.name);
                    driver.guid = std::move(component.guid);
                    driver.rules.insert(driver.rules.end(), std::make_move_iterator(component.rules.begin()),
                                        std::make_move_iterator(component.rules.end()));
                } else if (tool_key == "extensions") {
                    cursor_.for_each_element(tool_value,
                                             [&](Value& extension) { extensions.push_back(tools_.read_component(extension)); });
                } else if (tool_key == "name") {  // SARIF 2.0.0: the tool is the driver
                    cursor_.read_string_into(tool_value, driver.name);
                }
            });
        } else if (key == "resources") {  // SARIF 2.0.0
            cursor_.for_each_field(value, [&](std::string_view resources_key, Value& resources_value) {
                if (resources_key == "rules") {
                    tools_.read_rules(resources_value, driver.rules);
                }
            });
        } else if (key == "results") {
            cursor_.for_each_element(value, [&](Value& result) { add_result(result); });
        } else if (key == "externalPropertyFileReferences") {
            // Results and rules kept in other files (SARIF 2.1.0 §3.15) are missing here, which a
            // verdict must not hide; sarif-merge reads them into one log.
            std::size_t files = 0;
            cursor_.for_each_field(value, [&](std::string_view, Value& references) {
                if (cursor_.type_of(references) == JsonCursor::Type::array) {
                    cursor_.for_each_element(references, [&](Value&) { ++files; });
                } else if (cursor_.type_of(references) == JsonCursor::Type::object) {
                    ++files;
                }
            });
            if (files > 0) {
                report_.warnings.push_back(fmt::format(
                    "{}: a run keeps part of its log in {} external property file(s), which are not read, so "
                    "findings may be missing; merge them into the log first (sarif-merge reads them)",
                    report_.path, files));
            }
        } else if (key == "artifacts" || (key == "files" && cursor_.type_of(value) == JsonCursor::Type::array)) {
            // SARIF 2.0.0 pre-releases had files{} keyed by uri (results name the uri), later files[].
            cursor_.for_each_element(value, [&](Value& artifact) { artifact_uris.push_back(read_artifact_uri(artifact)); });
        }
    }

    void end_run() {
        const ToolComponent& driver = run_.driver;
        const SharedText scanner(driver.name.empty() ? std::string("sarif") : driver.name);
        if (!driver.name.empty() &&
            std::find(driver_names_.begin(), driver_names_.end(), driver.name) == driver_names_.end()) {
            driver_names_.push_back(driver.name);
        }
        resolve(run_.results, driver, run_.extensions, run_.artifact_uris, scanner);
    }

    void resolve(std::deque<PendingResult>& results, const ToolComponent& driver,
                 const std::vector<ToolComponent>& extensions, const std::vector<std::string>& artifact_uris,
                 const SharedText& scanner) {
        RunRuleTables tables;
        // One title per rule, shared by its results' findings.
        std::unordered_map<const SarifRule*, SharedText> rule_titles;
        const auto add_rules = [&](std::size_t component, const ToolComponent& tool_component) {
            tables.name_component(component, tool_component.name, tool_component.guid);
            for (const SarifRule& rule : tool_component.rules) tables.add_rule(component, rule.id, rule.guid);
        };
        add_rules(RunRuleTables::kDriver, driver);
        for (const ToolComponent& extension : extensions) add_rules(tables.add_component({}, {}), extension);
        // Each pending result is freed as its finding is made: the two are never all held at once.
        for (; !results.empty(); results.pop_front()) {
            PendingResult& pending = results.front();
            RuleResolution resolution = resolve_rule(pending.rule_reference, tables);
            const SarifRule* rule = nullptr;
            if (resolution.component && resolution.rule) {
                const ToolComponent& component =
                    *resolution.component == RunRuleTables::kDriver ? driver : extensions[*resolution.component - 1];
                rule = &component.rules[*resolution.rule];
            }
            std::optional<SharedText> title;
            if (rule && (!rule->short_description.empty() || !rule->name.empty())) {
                const auto known = rule_titles.find(rule);
                title = known != rule_titles.end() ? known->second : rule_titles.emplace(rule, title_of(*rule)).first->second;
            }
            report_.findings.push_back(finish(pending, rule, std::move(resolution.id), std::move(title), artifact_uris, scanner));
        }
    }

    // Of a rule with a short description or a name.
    static SharedText title_of(const SarifRule& rule) {
        if (!rule.short_description.empty()) return first_line(rule.short_description);
        return rule.name;
    }

    // The location's path as text shared by every finding in that file.
    SharedText shared_path(const std::string& path) {
        if (path.empty()) return {};
        if (const auto known = paths_.find(std::string_view(path)); known != paths_.end()) return *known;
        return *paths_.emplace(path).first;
    }

    Finding finish(PendingResult& pending, const SarifRule* rule, std::string rule_id, std::optional<SharedText> rule_title,
                   const std::vector<std::string>& artifact_uris, const SharedText& scanner) {
        Finding finding;
        finding.location = std::move(pending.location);
        finding.kind = FindingKind::Code;
        finding.scanner = scanner;
        finding.source_file = report_path_;
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
            finding.severity = severity_from_sarif_level(level.empty() ? "warning" : level);
        }

        // The rule's title when it has one, else the message's first line.
        finding.title = rule_title ? std::move(*rule_title) : SharedText(first_line(pending.message));
        if (rule) {
            finding.url = rule->help_uri;
        }
        if (reading_.sarif_messages == SarifMessages::Kept) finding.message = std::move(pending.message);
        if (finding.location && finding.location->path.empty() && pending.artifact_index &&
            *pending.artifact_index < artifact_uris.size()) {
            finding.location->path = artifact_uris[*pending.artifact_index];
        }
        if (finding.location) {
            finding.target = shared_path(finding.location->path);
        }
        finding.sarif_identity = identity_of(pending, finding);
        return finding;
    }

    // The identity of the result, with the artifact an index names resolved to its uri (an index
    // means nothing outside its run).
    TextDigest identity_of(const PendingResult& pending, const Finding& finding) {
        SarifArtifactParts artifact;
        if (finding.location) {
            artifact.uri = finding.location->path;
            if (artifact.uri.empty()) artifact.index = pending.artifact_index;
            artifact.uri_base_id = pending.uri_base_id;
        }
        return sarif_result_digest(pending.identity, finding.id, artifact, identity_scratch_);
    }

    // A result's message: its text for the finding, and whether it had one and its other members that
    // identify it as stated - markdown, or a message string id with arguments - into `stated`.
    std::string read_result_message(Value& message, SarifStatedIdentity& stated) {
        std::string text;
        stated.message_has_text = false;
        stated.message_extras = nullptr;
        cursor_.for_each_field(message, [&](std::string_view key, Value& value) {
            if (key == "text") {
                if (const auto stated_text = cursor_.read_string(value)) {
                    text = *stated_text;
                    stated.message_has_text = true;
                }
            } else if (key == "markdown" || key == "id" || key == "arguments") {
                Json part = cursor_.read_json(value);
                if (!part.is_null()) {
                    stated.message_extras[std::string(key)] = std::move(part);
                }
            }
        });
        return text;
    }

    std::string read_artifact_uri(Value& artifact) {
        std::string uri;
        cursor_.for_each_field(artifact, [&](std::string_view key, Value& value) {
            if (key == "location" || key == "fileLocation") {  // fileLocation: SARIF 2.0.0
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
        // The members the identity reads, as stated; only their digest is kept.
        SarifStatedIdentity stated;
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
                pending.message = read_result_message(value, stated);
            } else if (key == "fingerprints") {
                stated.fingerprints = cursor_.read_json(value);
            } else if (key == "partialFingerprints") {
                stated.partial_fingerprints = cursor_.read_json(value);
            } else if (key == "locations") {
                cursor_.for_each_element(value, [&](Value& location) {
                    if (first_location) {
                        first_location = false;
                        read_location(location, pending, stated);
                    }
                });
            } else if (key == "properties") {
                pending.security_severity = tools_.read_security_severity(value);
            } else if (key == "suppressions") {
                suppressed = read_suppressed(value);
            }
        });
        // SARIF 2.0.0 said with the level what 2.1.0 says with the kind.
        if (kind.empty() && (pending.level == "pass" || pending.level == "notApplicable" || pending.level == "open")) {
            kind = pending.level;
        }
        if (!is_sarif_level(pending.level)) {
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
        pending.identity = sarif_identity_seed(stated, pending.message, identity_scratch_);
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

    void read_location(Value& location, PendingResult& pending, SarifStatedIdentity& stated) {
        cursor_.for_each_field(location, [&](std::string_view key, Value& value) {
            if (key != "physicalLocation") {
                return;
            }
            Location& where = pending.location.emplace();
            cursor_.for_each_field(value, [&](std::string_view physical_key, Value& physical_value) {
                // fileLocation: SARIF 2.0.0, with fileIndex in its last pre-releases.
                if (physical_key == "artifactLocation" || physical_key == "fileLocation") {
                    cursor_.for_each_field(physical_value, [&](std::string_view artifact_key, Value& artifact_value) {
                        if (artifact_key == "uri") {
                            cursor_.read_string_into(artifact_value, where.path);
                        } else if (artifact_key == "index" || artifact_key == "fileIndex") {
                            pending.artifact_index = read_index(artifact_value);
                        } else if (artifact_key == "uriBaseId") {
                            cursor_.read_string_into(artifact_value, pending.uri_base_id);
                        }
                    });
                } else if (physical_key == "region") {
                    read_region(physical_value, where, stated);
                }
            });
        });
    }

    // The line and column numbers for the finding; every member, as stated, for the identity.
    void read_region(Value& region, Location& where, SarifStatedIdentity& stated) {
        cursor_.for_each_field(region, [&](std::string_view key, Value& value) {
            const int slot = key == "startLine"     ? 0
                             : key == "endLine"     ? 1
                             : key == "startColumn" ? 2
                             : key == "endColumn"   ? 3
                                                    : -1;
            if (slot >= 0) {
                int* number[] = {&where.start_line, &where.end_line, &where.start_column, &where.end_column};
                const auto position = cursor_.read_position_number(value);
                *number[slot] = position.value_or(0);
                if (position) {
                    stated.positions[static_cast<std::size_t>(slot)] = *position;
                }
            } else if (Json part = cursor_.read_json(value); !part.is_null()) {
                stated.region_extras[std::string(key)] = std::move(part);
            }
        });
    }

    JsonCursor cursor_;
    ReportReading reading_;
    SarifToolReader tools_{cursor_};
    Report report_;
    SharedText report_path_;  // every finding's source_file
    std::unordered_set<SharedText, SarifPathHash, SarifPathEqual> paths_;  // the findings' targets
    std::string identity_scratch_;  // working space of the identity digests, reused across results
    std::vector<std::string> driver_names_;
    // The run being read: its results are resolved against its rules when it ends.
    struct RunState {
        ToolComponent driver;
        std::vector<ToolComponent> extensions;
        std::vector<std::string> artifact_uris;
        std::deque<PendingResult> results;  // a deque: no copy of them all each time it grows
    };
    RunState run_;
};

}  // namespace

Report read_sarif_report(JsonDocument& document, const ReportReading& reading) {
    return SarifReader(document, reading).read();
}

Report read_sarif_report(JsonStream& stream, const ReportReading& reading) {
    JsonDocument document(stream.name(), JsonDocument::Fragments{});
    return SarifReader(document, reading).read(stream);
}

}  // namespace gantry
