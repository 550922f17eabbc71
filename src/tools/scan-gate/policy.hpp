// The rules a set of findings is judged by.
//
// A Policy comes from a YAML file (load_policy_file), from flags and action inputs, or both: values
// given on the command line replace the file's (merge order is decided in options.cpp). Scope rules
// (kinds, target/package globs, minimum CVSS) decide which findings are considered at all; fixed_only
// sets unfixable findings aside; the budgets and the fail-on threshold decide the verdict over what
// remains. Globs are fnmatch(3) patterns in which `*` also matches `/`.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gantry/findings/finding.hpp"

namespace scan_gate {

enum class PermanentWaivers { Rejected, Allowed };
enum class FixFilter { AllFindings, FixableOnly };

struct GlobScope {
    std::vector<std::string> include;  // empty = everything
    std::vector<std::string> exclude;
};

struct Policy {
    // Fail when any counted finding is at or above this severity; nullopt = no threshold.
    std::optional<gantry::Severity> fail_on;
    bool fail_on_configured = false;  // set explicitly (`none` included), so no default applies
    // At most N counted findings of a severity; nullopt = no budget. Indexed by Severity.
    std::array<std::optional<long long>, 5> max{};
    FixFilter fix_filter = FixFilter::AllFindings;
    std::optional<double> min_cvss;
    std::vector<gantry::FindingKind> kinds;  // empty = every kind
    GlobScope targets;
    GlobScope packages;
    PermanentWaivers permanent_waivers = PermanentWaivers::Rejected;
    int expiry_warning_days = 14;
    // VEX statements carry no expiry: with this, one last updated more than this many days before
    // today is treated as an expired waiver. nullopt = VEX statements never expire.
    std::optional<int> vex_max_age_days;

    std::optional<long long>& budget(gantry::Severity s) { return max[static_cast<int>(s)]; }
    const std::optional<long long>& budget(gantry::Severity s) const { return max[static_cast<int>(s)]; }
    bool has_budget() const;
};

// Reads a policy YAML file. Unknown keys, wrong types and bad values are InputErrors naming the file,
// line and key.
Policy load_policy_file(const std::filesystem::path& path);
Policy parse_policy_yaml(const std::string& text, const std::string& name);

// "high=5" -> (High, 5). Throws UsageError.
std::pair<gantry::Severity, long long> parse_budget(const std::string& text);

// Why a finding is outside the policy's scope, or nullopt when it is in scope.
std::optional<std::string> out_of_scope_reason(const Policy& policy, const gantry::Finding& finding);

// fnmatch(3) without FNM_PATHNAME, so `*` crosses directory separators.
bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace scan_gate
