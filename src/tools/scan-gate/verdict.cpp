#include "scan-gate/verdict.hpp"

#include <algorithm>
#include <tuple>

namespace scan_gate {

using gantry::Finding;
using gantry::Severity;

std::string_view to_string(Disposition disposition) {
    switch (disposition) {
        case Disposition::Ignored: return "ignored";
        case Disposition::Waived: return "waived";
        case Disposition::NotFixable: return "not-fixable";
        case Disposition::Baseline: return "baseline";
        case Disposition::Counted: return "counted";
    }
    return "?";
}

std::string_view to_string(WaiverState state) {
    switch (state) {
        case WaiverState::Applied: return "applied";
        case WaiverState::Unused: return "unused";
        case WaiverState::Expired: return "expired";
        case WaiverState::ExpiringSoon: return "expiring";
    }
    return "?";
}

namespace {

std::string key_for(const std::string& id, const Finding& f) {
    std::string key;
    key.reserve(id.size() + f.package.size() + f.version.size() + 2);
    key += id;
    key += '\x1f';
    key += f.package;
    key += '\x1f';
    key += f.version;
    return key;
}

// "grype, trivy" -> {"grype", "trivy"}: a merged finding carries every scanner that reported it.
std::vector<std::string_view> scanners_of(const Finding& f) {
    std::vector<std::string_view> names;
    std::string_view rest = f.scanner;
    while (!rest.empty()) {
        const auto comma = rest.find(", ");
        names.push_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 2);
    }
    if (names.empty()) names.emplace_back();
    return names;
}

// An image target without its tag or digest and OS suffix: "reg:5000/shop/api:1.4.0 (debian 12.5)"
// -> "reg:5000/shop/api". The default branch and a merge request scan the same image under different
// tags; a lock file or path target is returned as it is.
std::string comparable_target(std::string_view target) {
    if (const auto os = target.find(" ("); os != std::string_view::npos && target.back() == ')') {
        target = target.substr(0, os);
    }
    if (const auto digest = target.find('@'); digest != std::string_view::npos) target = target.substr(0, digest);
    const auto colon = target.rfind(':');
    if (colon != std::string_view::npos && target.find('/', colon) == std::string_view::npos &&
        target.find(' ') == std::string_view::npos) {
        target = target.substr(0, colon);
    }
    return std::string(target);
}

// Warnings name what expired: a waiver, or a VEX statement aged out by the policy's vex-max-age.
std::string label(const Waiver& w) { return w.is_vex() ? "VEX statement for " : "waiver for "; }
std::string expiry_cause(const Waiver& w) {
    return w.is_vex() && w.vex->date ? " (dated " + w.vex->date->to_string() + ", older than vex-max-age)" : "";
}

}  // namespace

void Baseline::add(const Finding& finding) {
    for (const auto scanner : scanners_of(finding)) {
        const std::string target = comparable_target(finding.target);
        entries_[key_for(finding.id, finding)].push_back({std::string(scanner), target});
        for (const auto& alias : finding.aliases) {
            entries_[key_for(alias, finding)].push_back({std::string(scanner), target});
        }
    }
}

bool Baseline::contains(const Finding& finding) const {
    if (entries_.empty()) return false;
    const auto scanners = scanners_of(finding);
    const std::string target = comparable_target(finding.target);
    auto seen_here = [&](const std::string& id) {
        const auto it = entries_.find(key_for(id, finding));
        if (it == entries_.end()) return false;
        return std::any_of(it->second.begin(), it->second.end(), [&](const Seen& seen) {
            // A merged finding keeps one scanner's target name, so only a single-scanner finding is
            // compared by target.
            const bool same_scanner = scanners.size() == 1 && scanners[0] == seen.scanner;
            return !same_scanner || seen.target == target;
        });
    };
    if (seen_here(finding.id)) return true;
    return std::any_of(finding.aliases.begin(), finding.aliases.end(), seen_here);
}

Verdict judge(gantry::FindingList findings, const Policy& policy, const std::vector<Waiver>& waivers,
              const Baseline& baseline, const CalendarDate& today) {
    Verdict verdict;
    verdict.waivers.reserve(waivers.size());
    for (const auto& w : waivers) {
        WaiverStatus status{.waiver = w};
        if (w.expires) {
            status.days_left = days_between(today, *w.expires);
            if (status.days_left < 0) status.state = WaiverState::Expired;
        }
        verdict.waivers.push_back(std::move(status));
    }

    verdict.judged = std::move(findings);
    verdict.findings.reserve(verdict.judged.size());
    for (const Finding& f : verdict.judged) {
        JudgedFinding judged{.finding = f};
        if (auto reason = out_of_scope_reason(policy, f)) {
            judged.disposition = Disposition::Ignored;
            judged.reason = std::move(*reason);
        } else {
            bool waived = false;
            for (std::size_t i = 0; i < verdict.waivers.size(); ++i) {
                auto& status = verdict.waivers[i];
                if (!waiver_matches(status.waiver, f)) continue;
                ++status.matches;
                if (status.state == WaiverState::Expired || waived) continue;
                waived = true;
                judged.disposition = Disposition::Waived;
                judged.reason = status.waiver.reason;
                judged.waiver_index = static_cast<int>(i);
            }
            if (!waived && !f.vex_analysis.empty()) {
                waived = true;
                judged.disposition = Disposition::Waived;
                judged.reason = "by the report's own VEX analysis: " + f.vex_analysis;
            }
            if (!waived) {
                if (policy.fix_filter == FixFilter::FixableOnly && !gantry::is_fixable(f)) {
                    judged.disposition = Disposition::NotFixable;
                    judged.reason = "no fix available (" + std::string(gantry::to_string(f.fix_state)) + ")";
                } else if (baseline.contains(f)) {
                    judged.disposition = Disposition::Baseline;
                    judged.reason = "already in the baseline";
                }
            }
        }
        const auto severity_index = static_cast<int>(f.severity);
        const auto disposition_index = static_cast<int>(judged.disposition);
        ++verdict.counts[severity_index].by_disposition[disposition_index];
        ++verdict.counts[severity_index].total;
        ++verdict.all.by_disposition[disposition_index];
        ++verdict.all.total;
        verdict.findings.push_back(std::move(judged));
    }

    for (auto& status : verdict.waivers) {
        const Waiver& w = status.waiver;
        if (status.state == WaiverState::Expired) {
            verdict.warnings.push_back(label(w) + (w.id.empty() ? w.package_name : w.id) + " (" + w.where() +
                                       ") expired on " + w.expires->to_string() + expiry_cause(w) +
                                       " and no longer applies" +
                                       (status.matches ? " (" + std::to_string(status.matches) +
                                                         (status.matches == 1 ? " finding)" : " findings)")
                                                   : ""));
            continue;
        }
        status.state = status.matches ? WaiverState::Applied : WaiverState::Unused;
        if (w.expires && status.days_left <= policy.expiry_warning_days) {
            status.state = WaiverState::ExpiringSoon;
            verdict.warnings.push_back(label(w) + (w.id.empty() ? w.package_name : w.id) + " (" + w.where() +
                                       ") expires on " + w.expires->to_string() + ", in " +
                                       std::to_string(status.days_left) + " days");
        }
    }

    for (Severity severity : gantry::kSeveritiesDescending) {
        const auto& budget = policy.budget(severity);
        const long long counted = verdict.counts[static_cast<int>(severity)].of(Disposition::Counted);
        if (budget && counted > *budget) {
            verdict.violations.push_back(
                {.rule = "max",
                 .severity = severity,
                 .limit = *budget,
                 .actual = counted,
                 .message = std::to_string(counted) + " counted " + std::string(gantry::to_string(severity)) +
                            (counted == 1 ? " finding exceeds" : " findings exceed") + " the budget of " +
                            std::to_string(*budget)});
        }
    }
    if (policy.fail_on) {
        long long at_or_above = 0;
        for (Severity severity : gantry::kSeveritiesDescending) {
            if (severity >= *policy.fail_on) {
                at_or_above += verdict.counts[static_cast<int>(severity)].of(Disposition::Counted);
            }
        }
        if (at_or_above > 0) {
            const std::string name(gantry::to_string(*policy.fail_on));
            verdict.violations.push_back(
                {.rule = "fail-on",
                 .severity = *policy.fail_on,
                 .limit = 0,
                 .actual = at_or_above,
                 .message = std::to_string(at_or_above) + " counted finding" + (at_or_above == 1 ? " is " : "s are ") +
                            name + (*policy.fail_on == Severity::Critical ? "" : " or above") + " (fail-on " + name + ")"});
        }
    }
    verdict.passed = verdict.violations.empty();
    return verdict;
}

std::vector<const JudgedFinding*> top_findings(const Verdict& verdict, std::size_t limit) {
    std::vector<const JudgedFinding*> counted;
    for (const auto& judged : verdict.findings) {
        if (judged.disposition == Disposition::Counted) counted.push_back(&judged);
    }
    auto rank = [](const JudgedFinding* j) {
        return std::make_tuple(static_cast<int>(j->finding.severity), j->finding.cvss_score.value_or(-1.0),
                               gantry::is_fixable(j->finding) ? 1 : 0);
    };
    const std::size_t n = std::min(limit, counted.size());
    std::partial_sort(counted.begin(), counted.begin() + static_cast<std::ptrdiff_t>(n), counted.end(),
                      [&](const JudgedFinding* a, const JudgedFinding* b) {
                          const auto ra = rank(a);
                          const auto rb = rank(b);
                          return ra != rb ? ra > rb : a < b;  // ties keep report order
                      });
    counted.resize(n);
    return counted;
}

}  // namespace scan_gate
