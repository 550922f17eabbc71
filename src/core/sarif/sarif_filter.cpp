#include "gantry/sarif/sarif_filter.hpp"

#include <fnmatch.h>

#include <charconv>

#include <nlohmann/json.hpp>

#include "gantry/base/path_glob.hpp"

namespace gantry {

namespace {

using Json = nlohmann::json;

const Json* member(const Json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::optional<double> number_in(const Json* value) {
    if (!value) return std::nullopt;
    if (value->is_number()) return value->get<double>();
    if (!value->is_string()) return std::nullopt;
    const std::string& text = value->get_ref<const std::string&>();
    double number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return number;
}

bool any_glob_matches(const std::vector<std::string>& patterns, std::string_view text) {
    const std::string subject(text);
    for (const auto& pattern : patterns) {
        if (fnmatch(pattern.c_str(), subject.c_str(), 0) == 0) return true;
    }
    return false;
}

bool any_path_matches(const std::vector<std::string>& patterns, std::string_view path) {
    for (const auto& pattern : patterns) {
        if (path_matches_glob(pattern, path)) return true;
    }
    return false;
}

}  // namespace

std::optional<SarifLevel> parse_sarif_level(std::string_view text) {
    if (text == "none") return SarifLevel::None;
    if (text == "note") return SarifLevel::Note;
    if (text == "warning") return SarifLevel::Warning;
    if (text == "error") return SarifLevel::Error;
    return std::nullopt;
}

std::string_view to_string(SarifLevel level) {
    switch (level) {
        case SarifLevel::None: return "none";
        case SarifLevel::Note: return "note";
        case SarifLevel::Warning: return "warning";
        case SarifLevel::Error: return "error";
    }
    return "warning";
}

SarifLevel effective_level(const Json& result, const Json* rule) {
    if (const Json* level = member(result, "level"); level && level->is_string()) {
        if (const auto parsed = parse_sarif_level(level->get_ref<const std::string&>())) return *parsed;
    }
    if (rule) {
        if (const Json* config = member(*rule, "defaultConfiguration")) {
            if (const Json* level = member(*config, "level"); level && level->is_string()) {
                if (const auto parsed = parse_sarif_level(level->get_ref<const std::string&>())) return *parsed;
            }
        }
    }
    return SarifLevel::Warning;
}

std::optional<double> security_severity(const Json& result, const Json* rule) {
    if (const Json* properties = member(result, "properties")) {
        if (auto value = number_in(member(*properties, "security-severity"))) return value;
    }
    if (rule) {
        if (const Json* properties = member(*rule, "properties")) return number_in(member(*properties, "security-severity"));
    }
    return std::nullopt;
}

std::string_view describe(FilterReason reason) {
    switch (reason) {
        case FilterReason::Kept: return "kept";
        case FilterReason::Level: return "below --min-level";
        case FilterReason::SecuritySeverity: return "below --min-security-severity (or none)";
        case FilterReason::IncludedPaths: return "outside --include";
        case FilterReason::ExcludedPaths: return "matched --exclude";
        case FilterReason::AllowedRules: return "rule not in --rules";
        case FilterReason::DeniedRules: return "rule in --exclude-rules";
    }
    return "kept";
}

bool SarifFilter::empty() const {
    return !min_level && !min_security_severity && include_paths.empty() && exclude_paths.empty() && rules.empty() &&
           exclude_rules.empty();
}

FilterReason SarifFilter::judge(const Json& result, const Json* rule, std::string_view rule_id,
                                std::string_view primary_uri) const {
    if (min_level && effective_level(result, rule) < *min_level) return FilterReason::Level;
    if (min_security_severity) {
        const auto severity = security_severity(result, rule);
        if (!severity || *severity < *min_security_severity) return FilterReason::SecuritySeverity;
    }
    if (!primary_uri.empty()) {
        if (!include_paths.empty() && !any_path_matches(include_paths, primary_uri)) return FilterReason::IncludedPaths;
        if (any_path_matches(exclude_paths, primary_uri)) return FilterReason::ExcludedPaths;
    }
    if (!rules.empty() && !any_glob_matches(rules, rule_id)) return FilterReason::AllowedRules;
    if (any_glob_matches(exclude_rules, rule_id)) return FilterReason::DeniedRules;
    return FilterReason::Kept;
}

}  // namespace gantry
