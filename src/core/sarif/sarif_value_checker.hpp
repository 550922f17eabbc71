// Checking one value copied out of a SARIF log - a run's tool or automationDetails, or a result -
// with simdjson On-Demand. Internal to src/core/sarif (the validator's files).
//
// ValueChecker reports each problem at `prefix` + the pointer inside the value, placed in the file by
// the value's first byte; with Reports::ArtifactIndexesOnly (a second pass over a run whose artifact
// indexes came before run.artifacts) only those are reported. Its typed reads report a value of the
// wrong type instead of throwing. The checks of a tool (sarif_tool_checks.cpp) and of a result
// (sarif_result_checks.cpp) live in their own files; check_schema() adds what the official schema
// rejects beyond them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "gantry/json/json_cursor.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/sarif/sarif_schema.hpp"
#include "gantry/sarif/sarif_validator.hpp"
#include "sarif_validation_facts.hpp"

namespace gantry::sarif_validation {

using Value = JsonCursor::Value;
using Type = JsonCursor::Type;
using Object = simdjson::ondemand::object;

// Indexes are compared with array sizes; beyond this a double no longer holds every integer.
constexpr double kLargestIndex = 9007199254740992.0;

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

    // ---- a run's tool (sarif_tool_checks.cpp) --------------------------------------------------
    void read_tool(Object& tool, RunFacts& facts);
    // The driver (with `name_out`) or an extension.
    void read_component(Value& component_value, RunRuleTables& rules, std::size_t component, std::string* name_out);
    void read_rule(Value& rule, std::string& id, std::string& guid);
    // GitHub reads it as the alert's severity: a number from 0 to 10, written as a number or a string.
    void check_security_severity(Value& value);

    // ---- a result (sarif_result_checks.cpp) -----------------------------------------------------
    void check_result(Object& result, RunFacts& run);
    void check_message(Value& message);
    static std::optional<std::size_t> index_of(const Seen<long long>& seen);
    // The syntax of the reference is checked here; which rule it names is resolve_rule's answer, the
    // same scan-gate and sarif-merge act on.
    void check_rule_reference(const std::string& pointer, RunFacts& run, const Seen<std::string_view>& rule_id,
                              const Seen<std::string_view>& reference_id, const Seen<long long>& rule_index,
                              const Seen<long long>& reference_index, const Seen<long long>& component,
                              const RuleReference& reference);
    std::size_t check_code_flows(Value& code_flows, RunFacts& run);
    void check_location(Value& location, RunFacts& run, NullMeans null = NullMeans::Wrong);
    void check_artifact_location(Value& artifact, RunFacts& run);
    void check_region(Value& region);


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

}  // namespace gantry::sarif_validation
