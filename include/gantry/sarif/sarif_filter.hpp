// Which SARIF results a user wants to keep: by level, security severity, path and rule.
//
// A result's level is its own `level`, else its rule's `defaultConfiguration.level`, else "warning"
// (SARIF 2.1.0 §3.27.10). Its security severity is `properties.security-severity` of the result, else
// of its rule (GitHub reads it from the rule; a number or a numeric string). With a minimum security
// severity, results without one are left out too: the user asked for security alerts of a given
// weight. Paths are the primary location's URI as written in the merged file (repository-relative
// after --source-root), matched with path_matches_glob(); results without a location pass the path
// filters. Rule patterns are fnmatch(3) globs on the rule id (`js/*`, `CVE-2024-*`). The first
// reason that applies is returned, so the summary can count each removal once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace gantry {

enum class SarifLevel { None, Note, Warning, Error };

std::optional<SarifLevel> parse_sarif_level(std::string_view text);
std::string_view to_string(SarifLevel level);

SarifLevel effective_level(const nlohmann::json& result, const nlohmann::json* rule);
std::optional<double> security_severity(const nlohmann::json& result, const nlohmann::json* rule);

enum class FilterReason { Kept, Level, SecuritySeverity, IncludedPaths, ExcludedPaths, AllowedRules, DeniedRules };

std::string_view describe(FilterReason reason);

struct SarifFilter {
    std::optional<SarifLevel> min_level;
    std::optional<double> min_security_severity;
    std::vector<std::string> include_paths;  // when non-empty, a located result must match one
    std::vector<std::string> exclude_paths;
    std::vector<std::string> rules;          // when non-empty, the rule id must match one
    std::vector<std::string> exclude_rules;

    bool empty() const;
    FilterReason judge(const nlohmann::json& result, const nlohmann::json* rule, std::string_view rule_id,
                       std::string_view primary_uri) const;
};

}  // namespace gantry
