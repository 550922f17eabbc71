#include "scan-gate/policy.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <yaml-cpp/yaml.h>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/config/yaml_input.hpp"

namespace scan_gate {

using gantry::YamlInput;

using gantry::InputError;
using gantry::Severity;

bool Policy::has_budget() const {
    return std::any_of(max.begin(), max.end(), [](const auto& b) { return b.has_value(); });
}

bool glob_match(const std::string& pattern, const std::string& text) {
    return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

std::pair<Severity, long long> parse_budget(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos) {
        throw gantry::UsageError("--max expects SEVERITY=N (e.g. high=5), got '" + text + "'");
    }
    const auto severity = gantry::parse_severity(text.substr(0, eq));
    if (!severity) {
        throw gantry::UsageError("--max: unknown severity '" + text.substr(0, eq) +
                                 "' (expected critical, high, medium, low or unknown)");
    }
    const std::string number = text.substr(eq + 1);
    long long value = -1;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size() || value < 0) {
        throw gantry::UsageError("--max " + text + ": the budget must be a whole number >= 0");
    }
    return {*severity, value};
}

namespace {

Severity severity_value(const YamlInput& in, const YAML::Node& node, const std::string& key) {
    const std::string text = in.scalar(node, key);
    auto severity = gantry::parse_severity(text);
    if (!severity) in.fail(node, key, "expected a severity (critical, high, medium, low, unknown), found '" + text + "'");
    return *severity;
}

void read_globs(const YamlInput& in, const YAML::Node& node, const std::string& key, GlobScope& scope) {
    if (node.IsSequence() || node.IsScalar()) {  // "targets: [a, b]" is an include list
        scope.include = in.string_list(node, key);
        return;
    }
    in.read_fields(node, key,
                   {{"include", [&](const YAML::Node& v, const std::string& p) { scope.include = in.string_list(v, p); }},
                    {"exclude", [&](const YAML::Node& v, const std::string& p) { scope.exclude = in.string_list(v, p); }}});
}

// "180d" or "180" -> 180; nullopt for anything else (a year of days at most ten times over).
std::optional<int> parse_day_count(std::string_view text) {
    if (text.ends_with('d')) text.remove_suffix(1);
    if (text.empty() || text.size() > 5) return std::nullopt;
    int days = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        days = days * 10 + (c - '0');
    }
    return days;
}

Policy read_policy(const std::string& text, const std::string& name) {
    const YamlInput in(name);
    const YAML::Node root = in.parse(text);
    Policy policy;
    if (root.IsNull()) return policy;
    using Node = YAML::Node;
    using Path = std::string;
    in.read_fields(
        root, "",
        {{"fail-on",
          [&](const Node& v, const Path& p) {
              policy.fail_on_configured = true;
              if (in.scalar(v, p) == "none") {
                  policy.fail_on.reset();
              } else {
                  policy.fail_on = severity_value(in, v, p);
              }
          }},
         {"max",
          [&](const Node& v, const Path& p) {
              in.expect_map(v, p);
              for (const auto& budget : v) {
                  const std::string sev_text = in.scalar(budget.first, p + " key");
                  const auto severity = gantry::parse_severity(sev_text);
                  if (!severity) in.fail(budget.first, p + "." + sev_text, "unknown severity");
                  policy.budget(*severity) = in.integer(budget.second, p + "." + sev_text, 0);
              }
          }},
         {"fixed-only",
          [&](const Node& v, const Path& p) {
              policy.fix_filter = in.boolean(v, p) ? FixFilter::FixableOnly : FixFilter::AllFindings;
          }},
         {"min-cvss",
          [&](const Node& v, const Path& p) {
              const double score = in.number(v, p);
              if (score < 0 || score > 10) in.fail(v, p, "expected a CVSS score between 0 and 10");
              policy.min_cvss = score;
          }},
         {"kinds",
          [&](const Node& v, const Path& p) {
              for (const auto& kind_text : in.string_list(v, p)) {
                  const auto kind = gantry::parse_finding_kind(kind_text);
                  if (!kind) {
                      in.fail(v, p, "unknown kind '" + kind_text +
                                        "' (expected vulnerability, misconfiguration, secret, code or license)");
                  }
                  policy.kinds.push_back(*kind);
              }
          }},
         {"scope",
          [&](const Node& v, const Path& p) {
              in.read_fields(v, p,
                             {{"targets", [&](const Node& g, const Path& gp) { read_globs(in, g, gp, policy.targets); }},
                              {"packages", [&](const Node& g, const Path& gp) { read_globs(in, g, gp, policy.packages); }}});
          }},
         {"allow-permanent-waivers",
          [&](const Node& v, const Path& p) {
              policy.permanent_waivers = in.boolean(v, p) ? PermanentWaivers::Allowed : PermanentWaivers::Rejected;
          }},
         {"expiry-warning-days",
          [&](const Node& v, const Path& p) { policy.expiry_warning_days = static_cast<int>(in.integer(v, p, 0)); }},
         {"vex-max-age",
          [&](const Node& v, const Path& p) {
              const std::string text = in.scalar(v, p);
              policy.vex_max_age_days = parse_day_count(text);
              if (!policy.vex_max_age_days) {
                  in.fail(v, p, "expected an age in days such as 180d, found '" + text + "'");
              }
          }}});
    return policy;
}

}  // namespace

Policy parse_policy_yaml(const std::string& text, const std::string& name) {
    try {
        return read_policy(text, name);
    } catch (const YAML::Exception& e) {  // a structure yaml-cpp itself refuses to convert
        throw InputError(gantry::SourcePosition{.file = name, .line = e.mark.line + 1, .column = e.mark.column + 1},
                         "unexpected structure: " + e.msg);
    }
}

Policy load_policy_file(const std::filesystem::path& path) {
    return parse_policy_yaml(gantry::read_file(path), path.string());
}

namespace {

// Empty texts (a finding without a location or purl) match nothing.
bool matches_any(const std::vector<std::string>& globs, std::initializer_list<std::string_view> texts) {
    for (const auto& glob : globs) {
        for (const std::string_view text : texts) {
            if (!text.empty() && glob_match(glob, std::string(text))) return true;
        }
    }
    return false;
}

}  // namespace

std::optional<std::string> out_of_scope_reason(const Policy& policy, const gantry::Finding& finding) {
    if (!policy.kinds.empty() &&
        std::find(policy.kinds.begin(), policy.kinds.end(), finding.kind) == policy.kinds.end()) {
        return "kind " + std::string(gantry::to_string(finding.kind)) + " not included";
    }
    const std::string_view location_path = finding.location ? std::string_view(finding.location->path) : std::string_view();
    if (!policy.targets.include.empty() && !matches_any(policy.targets.include, {finding.target, location_path})) {
        return "target not in scope";
    }
    if (matches_any(policy.targets.exclude, {finding.target, location_path})) return "target excluded";
    if (!policy.packages.include.empty() && !matches_any(policy.packages.include, {finding.package, finding.purl})) {
        return "package not in scope";
    }
    if (matches_any(policy.packages.exclude, {finding.package, finding.purl})) return "package excluded";
    if (policy.min_cvss && finding.cvss_score && *finding.cvss_score < *policy.min_cvss) {
        return "CVSS below minimum";
    }
    return std::nullopt;
}

}  // namespace scan_gate
