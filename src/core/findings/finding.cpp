#include "gantry/findings/finding.hpp"

#include "gantry/findings/report_formats.hpp"

namespace gantry {

std::string_view to_string(Severity severity) {
    switch (severity) {
    case Severity::Critical: return "critical";
    case Severity::High: return "high";
    case Severity::Medium: return "medium";
    case Severity::Low: return "low";
    case Severity::Unknown: return "unknown";
    }
    return "unknown";
}

std::optional<Severity> parse_severity(std::string_view text) {
    struct Name {
        std::string_view text;
        Severity severity;
    };
    static constexpr Name kNames[] = {
        {"critical", Severity::Critical}, {"high", Severity::High},         {"medium", Severity::Medium},
        {"moderate", Severity::Medium},   {"low", Severity::Low},           {"negligible", Severity::Low},
        {"info", Severity::Low},          {"unknown", Severity::Unknown},   {"none", Severity::Unknown},
    };
    for (const Name& name : kNames) {
        if (equals_ignoring_case(text, name.text)) {
            return name.severity;
        }
    }
    return std::nullopt;
}

Severity severity_from_score(double score) {
    if (score >= 9.0) {
        return Severity::Critical;
    }
    if (score >= 7.0) {
        return Severity::High;
    }
    if (score >= 4.0) {
        return Severity::Medium;
    }
    if (score > 0.0) {
        return Severity::Low;
    }
    return Severity::Unknown;
}

std::string_view to_string(FindingKind kind) {
    switch (kind) {
    case FindingKind::Vulnerability: return "vulnerability";
    case FindingKind::Misconfiguration: return "misconfiguration";
    case FindingKind::Secret: return "secret";
    case FindingKind::Code: return "code";
    case FindingKind::License: return "license";
    }
    return "vulnerability";
}

std::optional<FindingKind> parse_finding_kind(std::string_view text) {
    for (const FindingKind kind :
         {FindingKind::Vulnerability, FindingKind::Misconfiguration, FindingKind::Secret, FindingKind::Code,
          FindingKind::License}) {
        if (equals_ignoring_case(text, to_string(kind))) {
            return kind;
        }
    }
    return std::nullopt;
}

std::string_view to_string(FixState state) {
    switch (state) {
    case FixState::Unknown: return "unknown";
    case FixState::Fixed: return "fixed";
    case FixState::NotFixed: return "not-fixed";
    case FixState::WontFix: return "wont-fix";
    case FixState::Deferred: return "deferred";
    case FixState::EndOfLife: return "end-of-life";
    }
    return "unknown";
}

bool is_fixable(const Finding& finding) {
    return finding.fix_state == FixState::Fixed ||
           (finding.fix_state == FixState::Unknown && !finding.fixed_version.empty());
}

std::string baseline_key(const Finding& finding) {
    // '|' occurs in no id, package name or version scanners write, and keeps the key readable in messages.
    std::string key;
    key.reserve(finding.id.size() + finding.package.size() + finding.version.size() + finding.target.size() + 3);
    key += finding.id;
    key += '|';
    key += finding.package;
    key += '|';
    key += finding.version;
    key += '|';
    key += finding.target;
    return key;
}

}  // namespace gantry
