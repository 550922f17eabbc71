#include "gantry/sarif/sarif_validator.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "gantry/base/error.hpp"
#include "gantry/base/gzip.hpp"
#include "gantry/base/text_position.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/json/json_text_stream.hpp"
#include "gantry/sarif/github_limits.hpp"
#include "gantry/sarif/rule_reference.hpp"
#include "gantry/sarif/sarif_schema.hpp"

namespace gantry {

namespace {

using Value = JsonCursor::Value;
using Type = JsonCursor::Type;
using Object = simdjson::ondemand::object;

constexpr std::size_t kNoOffset = std::numeric_limits<std::size_t>::max();
constexpr std::array<std::string_view, 4> kLevels{"none", "note", "warning", "error"};
constexpr std::array<std::string_view, 6> kKinds{"notApplicable", "pass", "fail", "review", "open", "informational"};
// Indexes are compared with array sizes; beyond this a double no longer holds every integer.
constexpr double kLargestIndex = 9007199254740992.0;

// Whether JSON null in a place means "absent" (most members) or is itself wrong (array elements).
enum class NullMeans { Absent, Wrong };

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// A value as it appears in a message: long tokens cut.
std::string shown(std::string_view token) {
    constexpr std::size_t kLongest = 60;
    token = trimmed(token);
    return token.size() > kLongest ? fmt::format("{}...", token.substr(0, kLongest)) : std::string(token);
}

std::string shown_string(std::string_view text) {
    return shown(nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

template <std::size_t N>
std::string joined(const std::array<std::string_view, N>& words) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) out += fmt::format("{}{}", i == 0 ? "" : i + 1 == N ? " or " : ", ", words[i]);
    return out;
}

// GitHub's category is automationDetails.id up to its last "/" (the rest names one run of it).
std::string category_of(std::string_view automation_id) {
    const auto slash = automation_id.rfind('/');
    return std::string(slash == std::string_view::npos ? automation_id : automation_id.substr(0, slash));
}

// Whether the text fed to it gzips to more than `limit` bytes at zlib's default level, as GitHub's
// upload action compresses it. Compression stops once the limit is passed: a 1 GB log need not be
// compressed whole to know it is too big.
class GzipMeter {
public:
    explicit GzipMeter(std::size_t limit) : limit_(limit), counter_(nullptr) {}

    void feed(std::string_view text) {
        if (counter_.compressed_bytes() > limit_) return;
        counter_.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    // Call once, after the last feed().
    bool exceeded() {
        counter_.finish();
        return counter_.compressed_bytes() > limit_;
    }

private:
    std::size_t limit_;
    GzipOutput counter_;
};

// What the results of one run refer to, gathered as the file is read.
struct RunFacts {
    enum class SecondPass { None, Everything, ArtifactIndexes };

    std::size_t offset = 0;
    LineColumn position;
    bool is_object = false;
    bool has_tool = false;
    bool has_artifacts = false;
    bool has_external_tables = false;  // run.externalPropertyFileReferences: tables may live elsewhere
    std::string tool_name;
    std::string category;
    // The rules of the driver and the extensions ("" as the id of a rule without one).
    RunRuleTables rules;
    std::size_t artifacts = 0;
    // Results read before the tool are checked in a second pass; so are artifact indexes met before
    // run.artifacts (which may come later, or never).
    SecondPass second_pass = SecondPass::None;
    bool artifact_indexes_unchecked = false;

    std::size_t extensions() const { return rules.extensions(); }
};

// Where a scalar member of a result was met: its value and the byte it starts at.
template <class T>
struct Seen {
    std::optional<T> value;
    std::size_t offset = kNoOffset;
};

// The problems of one file: all counted, the first ones kept with their place.
class ProblemLog {
public:
    ProblemLog(SarifValidation& validation, std::size_t kept) : validation_(validation), kept_(kept) {}

    bool full() const { return validation_.problems.size() >= kept_; }
    void count(SarifProblemSeverity severity) {
        ++(severity == SarifProblemSeverity::Error ? validation_.errors : validation_.warnings);
    }
    // `offset` orders the kept problems; kNoOffset for the file as a whole (listed first).
    void add(SarifProblemSeverity severity, std::string pointer, std::size_t offset, LineColumn position,
             std::string message) {
        count(severity);
        if (full()) return;
        validation_.problems.push_back({severity, std::move(pointer), position.line, position.column, std::move(message)});
        offsets_.push_back(offset);
    }
    // A file-wide problem worth seeing even when the list is full.
    void add_first(std::string message) {
        count(SarifProblemSeverity::Error);
        validation_.problems.insert(validation_.problems.begin(),
                                    {SarifProblemSeverity::Error, "", 0, 0, std::move(message)});
        offsets_.insert(offsets_.begin(), kNoOffset);
        if (validation_.problems.size() > kept_) {
            validation_.problems.pop_back();
            offsets_.pop_back();
        }
    }
    // Document order, file-wide problems first.
    void sort() {
        std::vector<std::size_t> order(offsets_.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        const auto key = [&](std::size_t i) { return offsets_[i] == kNoOffset ? 0 : offsets_[i] + 1; };
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
        std::vector<SarifProblem> sorted;
        sorted.reserve(order.size());
        for (const std::size_t i : order) sorted.push_back(std::move(validation_.problems[i]));
        validation_.problems = std::move(sorted);
    }

private:
    SarifValidation& validation_;
    std::size_t kept_;
    std::vector<std::size_t> offsets_;
};

// Checks one value copied out of the file (a run's tool or automationDetails, or a result) with
// simdjson On-Demand, reporting problems at `prefix` + the pointer inside the value, placed in the
// file by the value's first byte (`base_offset`, `base`).
class ValueChecker {
public:
    enum class Reports { All, ArtifactIndexesOnly };

    ValueChecker(JsonDocument& value, std::string prefix, std::size_t base_offset, LineColumn base, ProblemLog& log,
                 const SarifValidationOptions& options, Reports reports = Reports::All)
        : document_(value), cursor_(value), prefix_(std::move(prefix)), base_offset_(base_offset), base_(base),
          log_(log), options_(options), reports_(reports) {}

    void check_tool(RunFacts& facts) {
        auto tool = document_.root_object();
        read_tool(tool, facts);
    }

    void check_automation_details(RunFacts& facts) {
        auto details = document_.root_object();
        cursor_.for_each_field(details, [&](std::string_view key, Value& value) {
            if (key != "id") return;
            if (const auto id = string_at(value, "a string (\"category/run\")")) facts.category = category_of(*id);
        });
    }

    void check_result(RunFacts& run) {
        auto result = document_.root_object();
        check_result(result, run);
    }

private:
    bool github() const { return options_.limits == SarifLimits::Github; }

    // ---- problems ----------------------------------------------------------------------------
    LineColumn position_of(std::size_t offset) const {
        const LineColumn step = line_column_at(document_.text(), offset);
        if (step.line == 1) return {base_.line, base_.column + step.column - 1};
        return {base_.line + step.line - 1, step.column};
    }
    void add(SarifProblemSeverity severity, std::string pointer, std::size_t offset, std::string message,
             Reports kind = Reports::All) {
        if (reports_ == Reports::ArtifactIndexesOnly && kind != Reports::ArtifactIndexesOnly) return;
        if (severity == SarifProblemSeverity::Error) reported_.insert(pointer);
        if (log_.full()) {
            log_.count(severity);
            return;
        }
        log_.add(severity, std::move(pointer), base_offset_ + offset, position_of(offset), std::move(message));
    }
    void error(std::string pointer, std::size_t offset, std::string message) {
        add(SarifProblemSeverity::Error, std::move(pointer), offset, std::move(message));
    }
    // The JSON pointer of the value being read, in the whole file.
    std::string here() const { return prefix_ + cursor_.pointer(); }
    // A problem with the value being read.
    void error_here(std::size_t offset, std::string message) { error(here(), offset, std::move(message)); }
    std::size_t offset_of(Value& value) {
        return static_cast<std::size_t>(value.raw_json_token().data() - document_.text().data());
    }

    // ---- typed reads that report instead of throwing -------------------------------------------
    bool present(Value& value) { return cursor_.type_of(value) != Type::null; }

    // Whether `value` has the wanted type; a value of another type is reported.
    bool is(Value& value, Type wanted, std::string_view expected, NullMeans null = NullMeans::Absent) {
        const Type type = cursor_.type_of(value);
        if (type == wanted) return true;
        if (type != Type::null || null == NullMeans::Wrong) {
            error_here(offset_of(value), fmt::format("expected {}, found {}", expected, describe_json_type(type)));
        }
        return false;
    }

    std::optional<std::string_view> string_at(Value& value, std::string_view expected) {
        if (!is(value, Type::string, expected)) return std::nullopt;
        return cursor_.read_string(value);
    }

    // A number nlohmann accepted but a double cannot hold (1e999) is reported, not thrown.
    std::optional<double> number_at(Value& value, std::string_view expected, std::size_t offset) {
        const std::string_view token = value.raw_json_token();
        double number = 0;
        if (value.get_double().get(number) || !std::isfinite(number)) {
            error_here(offset, fmt::format("expected {}, found {}", expected, shown(token)));
            return std::nullopt;
        }
        return number;
    }

    // An index or a 1-based position: an integer (3.0 passes, as it does for GitHub's JavaScript)
    // of at least `minimum`.
    Seen<long long> integer_at(Value& value, long long minimum, std::string_view expected) {
        Seen<long long> seen{std::nullopt, offset_of(value)};
        if (!is(value, Type::number, expected)) return seen;
        const std::string_view token = value.raw_json_token();
        const auto number = number_at(value, expected, seen.offset);
        if (!number) return seen;
        if (std::floor(*number) != *number || *number < static_cast<double>(minimum) || *number > kLargestIndex) {
            error_here(seen.offset, fmt::format("expected {}, found {}", expected, shown(token)));
            return seen;
        }
        seen.value = static_cast<long long>(*number);
        return seen;
    }

    // A string from a closed list; `list` names its values for the message.
    void one_of(Value& value, std::span<const std::string_view> allowed, const std::string& list) {
        const std::size_t offset = offset_of(value);
        const auto text = string_at(value, list);
        if (text && std::find(allowed.begin(), allowed.end(), *text) == allowed.end()) {
            error_here(offset, fmt::format("expected {}, found {}", list, shown_string(*text)));
        }
    }

    // ---- a run's tool ----------------------------------------------------------------------------
    void read_tool(Object& tool, RunFacts& facts) {
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
    void read_component(Value& component_value, RunRuleTables& rules, std::size_t component, std::string* name_out) {
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

    void read_rule(Value& rule, std::string& id, std::string& guid) {
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
    void check_security_severity(Value& value) {
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


    // ---- a result --------------------------------------------------------------------------------
    void check_result(Object& result, RunFacts& run) {
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

    void check_message(Value& message) {
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

    static std::optional<std::size_t> index_of(const Seen<long long>& seen) {
        if (!seen.value || *seen.value < 0) return std::nullopt;
        return static_cast<std::size_t>(*seen.value);
    }

    // The syntax of the reference is checked here; which rule it names is resolve_rule's answer, the
    // same scan-gate and sarif-merge act on.
    void check_rule_reference(const std::string& pointer, RunFacts& run, const Seen<std::string_view>& rule_id,
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

    std::size_t check_code_flows(Value& code_flows, RunFacts& run) {
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

    void check_location(Value& location, RunFacts& run, NullMeans null = NullMeans::Wrong) {
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

    void check_artifact_location(Value& artifact, RunFacts& run) {
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

    void check_region(Value& region) {
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


    JsonDocument& document_;
    JsonCursor cursor_;
    std::string prefix_;
    std::size_t base_offset_;
    LineColumn base_;
    ProblemLog& log_;
    const SarifValidationOptions& options_;
    Reports reports_;
    std::unordered_set<std::string> reported_;  // pointers of the errors found, for check_schema()

public:
    // What the official schema says beyond the checks above: each violation at a pointer no error
    // was reported at (those are the same problem, already said better), placed at the value's start.
    void check_schema(const SarifSchema& schema, std::string_view definition) {
        if (reports_ != Reports::All) return;
        const nlohmann::json value = nlohmann::json::parse(document_.text(), nullptr, false);
        if (value.is_discarded()) return;
        for (const SchemaViolation& violation : schema.check(value, definition)) {
            std::string pointer = prefix_ + violation.pointer;
            if (reported_.count(pointer)) continue;
            error(std::move(pointer), 0, fmt::format("{} (SARIF 2.1.0 schema, {})", violation.message, definition));
        }
    }
};

enum class Pass { First, Second };

// Walks the whole file with nlohmann's SAX parser, which holds nothing but the token being read. It
// follows only the skeleton of the log (the root, runs, each run's members); the values it needs to
// look into - a run's tool and automationDetails, each result - are copied out one at a time and
// handed to a ValueChecker. Everything else is read past.
class Skeleton final : public nlohmann::json_sax<nlohmann::json> {
public:
    Skeleton(Pass pass, const std::string& name, TextStream& stream, std::vector<RunFacts>& runs, ProblemLog& log,
             SarifValidation& validation, const SarifValidationOptions& options, const SarifSchema& schema)
        : pass_(pass), name_(name), stream_(stream), runs_(runs), log_(log), validation_(validation), options_(options),
          schema_(schema) {}

    // After the first pass: what only the whole file tells.
    void check_whole_log() {
        if (!root_is_object_) return;
        if (!has_version_) {
            log_.add(SarifProblemSeverity::Warning, "/version", root_offset_, root_position_,
                     "missing; read as SARIF 2.1.0 (add \"version\": \"2.1.0\")");
        }
        if (!has_runs_) log_.add(SarifProblemSeverity::Error, "/runs", root_offset_, root_position_, "missing; expected an array of runs");
        if (github() && runs_.size() > github_limits::kRunsPerFile) {
            log_.add(SarifProblemSeverity::Error, "/runs", runs_offset_, runs_position_,
                     fmt::format("expected at most {} runs in one file (GitHub's limit), found {}",
                                 github_limits::kRunsPerFile, runs_.size()));
        }
    }

    // The InputError for what nlohmann's parser rejected, at the byte where it stopped.
    [[noreturn]] void fail() const {
        throw_json_text_error(stream_, name_, parse_error_, nothing_read_ ? ValuesSeen::None : ValuesSeen::Some,
                              "a SARIF log (JSON)");
    }

    bool null() override { return scalar(Type::null, 4); }
    bool boolean(bool value) override { return scalar(Type::boolean, value ? 4 : 5); }
    // A number is known to have ended only once the byte after it is read.
    bool number_integer(number_integer_t) override { return scalar(Type::number, 2); }
    bool number_unsigned(number_unsigned_t) override { return scalar(Type::number, 2); }
    bool number_float(number_float_t, const string_t&) override { return scalar(Type::number, 2); }
    bool string(string_t& text) override { return scalar(Type::string, text.size() + 2, text); }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return open(Type::object); }
    bool start_array(std::size_t) override { return open(Type::array); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool key(string_t& key) override {
        if (opaque_ == 0) stack_.back().key = key;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) override {
        parse_error_ = error.what();
        return false;
    }

private:
    enum class Role { Root, Runs, Run, Artifacts, Results };
    enum class Capture { None, Tool, AutomationDetails, Result };
    struct Frame {
        Role role;
        std::size_t run = 0;
        std::string key;           // objects: the member being read
        std::size_t elements = 0;  // arrays: elements so far
    };
    // What to do with a value that starts: step into it, copy it out for a closer look, or read past it.
    struct Step {
        enum { Enter, Copy, Skip } action = Skip;
        Role role = Role::Root;
        Capture capture = Capture::None;
    };

    bool github() const { return options_.limits == SarifLimits::Github; }
    bool first() const { return pass_ == Pass::First; }

    void problem(std::string pointer, std::size_t offset, LineColumn position, std::string message) {
        log_.add(SarifProblemSeverity::Error, std::move(pointer), offset, position, std::move(message));
    }

    bool open(Type type) {
        nothing_read_ = false;
        if (opaque_ > 0) {
            ++opaque_;
            return true;
        }
        const std::size_t offset = stream_.consumed() - 1;  // the { or [ just read
        const LineColumn position = stream_.position_of(offset);
        const Step step = begin_value(type, offset, position, {});
        if (step.action == Step::Enter) {
            stack_.push_back({step.role, stack_.empty() ? 0 : stack_.back().run});
            if (step.role == Role::Run) stack_.back().run = runs_index_;
            return true;
        }
        opaque_ = 1;
        capture_ = step.action == Step::Copy ? step.capture : Capture::None;
        if (capture_ != Capture::None) {
            stream_.start_capture(type == Type::object ? '{' : '[');
            capture_offset_ = offset;
            capture_position_ = position;
        }
        return true;
    }

    bool close() {
        if (opaque_ > 0) {
            if (--opaque_ == 0 && capture_ != Capture::None) check_copied_value();
            return true;
        }
        const Frame frame = std::move(stack_.back());
        stack_.pop_back();
        if (first() && frame.role == Role::Run) {
            RunFacts& run = runs_[frame.run];
            if (!run.has_tool) {
                problem(fmt::format("/runs/{}/tool", frame.run), run.offset, run.position,
                        "missing; expected a tool with a driver that names it");
            }
            if (run.artifact_indexes_unchecked && run.second_pass == RunFacts::SecondPass::None) {
                run.second_pass = RunFacts::SecondPass::ArtifactIndexes;
            }
        } else if (first() && frame.role == Role::Results && github() &&
                   frame.elements > github_limits::kResultsPerRun) {
            problem(fmt::format("/runs/{}/results", frame.run), results_offset_, results_position_,
                    fmt::format("expected at most {} results in a run (GitHub's limit), found {}",
                                github_limits::kResultsPerRun, frame.elements));
        }
        return true;
    }

    bool scalar(Type type, std::size_t length, std::string_view text = {}) {
        nothing_read_ = false;
        if (opaque_ > 0) return true;
        const std::size_t consumed = stream_.consumed();
        const std::size_t offset = consumed >= length ? consumed - length : 0;
        begin_value(type, offset, stream_.position_of(offset), text);
        return true;
    }

    // The rules of the skeleton: where a value of this type may appear, and what it is for.
    Step begin_value(Type type, std::size_t offset, LineColumn position, std::string_view text) {
        const auto wrong = [&](std::string pointer, std::string_view expected, NullMeans null = NullMeans::Absent) {
            if (first() && (type != Type::null || null == NullMeans::Wrong)) {
                problem(std::move(pointer), offset, position,
                        fmt::format("expected {}, found {}", expected, describe_json_type(type)));
            }
            return Step{};
        };
        if (stack_.empty()) {
            root_offset_ = offset;
            root_position_ = position;
            if (type == Type::object) {
                root_is_object_ = true;
                return {Step::Enter, Role::Root};
            }
            return wrong("", "a SARIF log (a JSON object with \"version\" and \"runs\")", NullMeans::Wrong);
        }
        Frame& parent = stack_.back();
        switch (parent.role) {
            case Role::Root:
                if (parent.key == "version") {
                    if (!first()) return {};
                    has_version_ = type != Type::null;
                    if (type != Type::string) return wrong("/version", "the string \"2.1.0\"");
                    if (text != "2.1.0") {
                        problem("/version", offset, position,
                                fmt::format("expected \"2.1.0\", found {}: GitHub code scanning reads SARIF 2.1.0 only",
                                            shown_string(text)));
                    }
                    return {};
                }
                if (parent.key == "runs") {
                    has_runs_ = has_runs_ || type != Type::null;
                    runs_offset_ = offset;
                    runs_position_ = position;
                    if (type == Type::array) return {Step::Enter, Role::Runs};
                    return wrong("/runs", "an array of runs");
                }
                return {};
            case Role::Runs: {
                runs_index_ = parent.elements++;
                if (first()) {
                    runs_.emplace_back();
                    runs_.back().offset = offset;
                    runs_.back().position = position;
                    runs_.back().is_object = type == Type::object;
                }
                if (type == Type::object) return {Step::Enter, Role::Run};
                return wrong(fmt::format("/runs/{}", runs_index_), "a run object", NullMeans::Wrong);
            }
            case Role::Run: {
                RunFacts& run = runs_[parent.run];
                const std::string& key = parent.key;
                if (key == "tool") {
                    if (!first()) return {};
                    run.has_tool = run.has_tool || type != Type::null;
                    if (type == Type::object) return {Step::Copy, Role::Root, Capture::Tool};
                    return wrong(fmt::format("/runs/{}/tool", parent.run), "an object with a driver");
                }
                if (key == "automationDetails") {
                    if (!first()) return {};
                    if (type == Type::object) return {Step::Copy, Role::Root, Capture::AutomationDetails};
                    return wrong(fmt::format("/runs/{}/automationDetails", parent.run), "an object with an id");
                }
                if (key == "externalPropertyFileReferences") {
                    if (first()) run.has_external_tables = run.has_external_tables || type == Type::object;
                    return {};
                }
                if (key == "artifacts") {
                    if (!first()) return {};
                    run.has_artifacts = run.has_artifacts || type == Type::array;
                    if (type == Type::array) return {Step::Enter, Role::Artifacts};
                    return wrong(fmt::format("/runs/{}/artifacts", parent.run), "an array of artifacts");
                }
                if (key == "results") {
                    if (first()) {
                        results_offset_ = offset;
                        results_position_ = position;
                        if (!run.has_tool) run.second_pass = RunFacts::SecondPass::Everything;
                    }
                    if (type == Type::array) return {Step::Enter, Role::Results};
                    return wrong(fmt::format("/runs/{}/results", parent.run), "an array of result objects");
                }
                return {};
            }
            case Role::Artifacts:
                ++runs_[parent.run].artifacts;
                return {};
            case Role::Results: {
                const RunFacts& run = runs_[parent.run];
                result_index_ = parent.elements++;
                if (first()) ++validation_.results;
                const bool checked_now =
                    first() ? run.second_pass != RunFacts::SecondPass::Everything
                            : run.second_pass != RunFacts::SecondPass::None;
                if (!checked_now) return {};
                if (type == Type::object) return {Step::Copy, Role::Root, Capture::Result};
                if (first() || run.second_pass == RunFacts::SecondPass::Everything) {
                    log_.add(SarifProblemSeverity::Error, fmt::format("/runs/{}/results/{}", parent.run, result_index_),
                             offset, position, fmt::format("expected a result object, found {}", describe_json_type(type)));
                }
                return {};
            }
        }
        return {};
    }

    void check_copied_value() {
        const std::size_t run_index = stack_.back().run;
        RunFacts& run = runs_[run_index];
        const std::string& text = stream_.stop_capture();
        JsonDocument value(name_, simdjson::padded_string(text));
        const auto reports = !first() && run.second_pass == RunFacts::SecondPass::ArtifactIndexes
                                 ? ValueChecker::Reports::ArtifactIndexesOnly
                                 : ValueChecker::Reports::All;
        switch (capture_) {
            case Capture::Tool: {
                ValueChecker checker(value, fmt::format("/runs/{}/tool", run_index), capture_offset_, capture_position_,
                                     log_, options_);
                checker.check_tool(run);
                checker.check_schema(schema_, "tool");
                break;
            }
            case Capture::AutomationDetails: {
                ValueChecker checker(value, fmt::format("/runs/{}/automationDetails", run_index), capture_offset_,
                                     capture_position_, log_, options_);
                checker.check_automation_details(run);
                checker.check_schema(schema_, "runAutomationDetails");
                break;
            }
            case Capture::Result: {
                ValueChecker checker(value, fmt::format("/runs/{}/results/{}", run_index, result_index_),
                                     capture_offset_, capture_position_, log_, options_, reports);
                checker.check_result(run);
                if (first() || run.second_pass == RunFacts::SecondPass::Everything) checker.check_schema(schema_, "result");
                break;
            }
            case Capture::None: break;
        }
        capture_ = Capture::None;
    }

    Pass pass_;
    const std::string& name_;
    TextStream& stream_;
    std::vector<RunFacts>& runs_;
    ProblemLog& log_;
    SarifValidation& validation_;
    const SarifValidationOptions& options_;
    const SarifSchema& schema_;

    std::vector<Frame> stack_;
    std::size_t opaque_ = 0;  // depth inside a value being read past or copied
    Capture capture_ = Capture::None;
    std::size_t capture_offset_ = 0;
    LineColumn capture_position_;
    std::size_t runs_index_ = 0;
    std::size_t result_index_ = 0;
    bool nothing_read_ = true;
    std::string parse_error_;

    bool root_is_object_ = false;
    bool has_version_ = false;
    bool has_runs_ = false;
    std::size_t root_offset_ = 0;
    LineColumn root_position_;
    std::size_t runs_offset_ = 0;
    LineColumn runs_position_;
    std::size_t results_offset_ = 0;
    LineColumn results_position_;
};

// Since July 2025 GitHub rejects an upload in which two runs share a tool and a category.
void check_run_identities(const std::vector<RunFacts>& runs, ProblemLog& log) {
    std::map<std::pair<std::string_view, std::string_view>, std::size_t> first_of;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const RunFacts& run = runs[i];
        if (!run.is_object || run.tool_name.empty()) continue;
        const auto [it, inserted] =
            first_of.emplace(std::pair<std::string_view, std::string_view>{run.tool_name, run.category}, i);
        if (inserted) continue;
        log.add(SarifProblemSeverity::Error, fmt::format("/runs/{}", i), run.offset, run.position,
                fmt::format("expected one run per tool and category, found a second run of {} with {} (the first "
                            "is /runs/{}); GitHub rejects such uploads: give each run its own category in "
                            "automationDetails.id (\"category/\"), or merge them with sarif-merge",
                            shown_string(run.tool_name),
                            run.category.empty() ? std::string("no category") : "category " + shown_string(run.category),
                            it->second));
    }
}

void parse(TextStream& stream, Skeleton& skeleton) {
    if (!parse_json_text(stream, skeleton)) skeleton.fail();
}

using OpenSource = std::function<std::unique_ptr<ByteSource>()>;

SarifValidation validate_source(const std::string& name, const OpenSource& open, const SarifValidationOptions& options) {
    const SarifSchema schema;
    SarifValidation validation;
    validation.file = name;
    ProblemLog log(validation, options.problems_kept);
    std::vector<RunFacts> runs;
    const bool github = options.limits == SarifLimits::Github;
    GzipMeter meter(github_limits::kGzippedBytes);
    {
        TextStream stream(open(), github ? TextStream::ChunkObserver([&](std::string_view chunk) { meter.feed(chunk); })
                                         : TextStream::ChunkObserver());
        Skeleton skeleton(Pass::First, name, stream, runs, log, validation, options, schema);
        parse(stream, skeleton);
        skeleton.check_whole_log();
    }
    if (github) {
        check_run_identities(runs, log);
        if (meter.exceeded()) {
            log.add_first(fmt::format("expected at most {:g} MiB once gzipped (GitHub's upload limit), found more; split "
                                      "the runs over several uploads",
                                      static_cast<double>(github_limits::kGzippedBytes) / (1024.0 * 1024.0)));
        }
    }
    const bool second_pass = std::any_of(runs.begin(), runs.end(), [](const RunFacts& run) {
        return run.second_pass != RunFacts::SecondPass::None;
    });
    if (second_pass) {
        TextStream stream(open());
        Skeleton skeleton(Pass::Second, name, stream, runs, log, validation, options, schema);
        parse(stream, skeleton);
    }
    validation.runs = runs.size();
    log.sort();
    return validation;
}

}  // namespace

SarifValidator::SarifValidator(SarifValidationOptions options) : options_(options) {}

SarifValidation SarifValidator::validate_file(const std::filesystem::path& path) const {
    const std::string name = path.string();
    return validate_source(name, [&] { return std::make_unique<FileSource>(path, name); }, options_);
}

SarifValidation SarifValidator::validate_text(std::string_view text, const std::string& name) const {
    return validate_source(name, [&] { return std::make_unique<TextSource>(text); }, options_);
}

}  // namespace gantry
