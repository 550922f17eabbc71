// Judging findings against a policy, waivers and a baseline: the heart of scan-gate.
//
// judge() puts every finding in exactly one disposition, in this order of precedence: Ignored (outside
// the policy's scope), Waived (a live waiver matches, else the report's own VEX analysis says it does
// not apply: Finding::vex_analysis), NotFixable (fixed-only and no fix), Baseline (already present in
// a baseline report), Counted. Only counted findings meet the budgets and the
// fail-on threshold; each rule they break is a Violation. Waivers are reported with their state:
// applied, expired (no longer applies), expiring within the warning window, permanent, or unused.
#pragma once

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "gantry/findings/finding.hpp"
#include "scan-gate/calendar_date.hpp"
#include "scan-gate/policy.hpp"
#include "scan-gate/waiver.hpp"

namespace scan_gate {

enum class Disposition { Ignored, Waived, NotFixable, Baseline, Counted };
std::string_view to_string(Disposition disposition);  // "ignored", "waived", "not-fixable", "baseline", "counted"
inline constexpr Disposition kDispositions[] = {Disposition::Ignored, Disposition::Waived, Disposition::NotFixable,
                                                Disposition::Baseline, Disposition::Counted};

// One finding of Verdict::judged, which the verdict owns: not a copy, so judging a report's findings
// never holds them twice.
struct JudgedFinding {
    const gantry::Finding& finding;
    Disposition disposition = Disposition::Counted;
    std::string reason;       // why it is not counted (scope rule, waiver reason)
    int waiver_index = -1;    // into Verdict::waivers when Waived
};

// Findings of one severity (or all) per disposition, plus the total.
struct Counts {
    std::array<long long, 5> by_disposition{};
    long long total = 0;
    long long of(Disposition d) const { return by_disposition[static_cast<int>(d)]; }
};

enum class WaiverState { Applied, Unused, Expired, ExpiringSoon };
std::string_view to_string(WaiverState state);

struct WaiverStatus {
    Waiver waiver;
    WaiverState state = WaiverState::Unused;
    long matches = 0;       // findings it covers (or would cover, when expired)
    long days_left = 0;     // until expiry (negative: expired that many days ago); 0 when permanent
};

struct Violation {
    std::string rule;       // "fail-on" or "max"
    gantry::Severity severity = gantry::Severity::Unknown;
    long long limit = 0;    // budget, or 0 for fail-on
    long long actual = 0;
    std::string message;    // "3 counted findings are high or above (fail-on high)"
};

// Move-only: its JudgedFindings refer to the findings it holds (a FindingList keeps them in place
// when moved), which a copy would not.
struct Verdict {
    Verdict() = default;
    Verdict(Verdict&&) = default;
    Verdict& operator=(Verdict&&) = default;
    Verdict(const Verdict&) = delete;
    Verdict& operator=(const Verdict&) = delete;

    bool passed = true;
    gantry::FindingList judged;            // what judge() was given, as given
    std::vector<JudgedFinding> findings;   // every finding of `judged`, in report order
    std::array<Counts, 5> counts{};        // by Severity
    Counts all;
    std::vector<Violation> violations;
    std::vector<WaiverStatus> waivers;
    std::vector<std::string> warnings;     // expiring, expired and permanent waivers
};

// The findings of the baseline reports, matched by (id or alias) x package x version x target.
// Targets are compared only between findings of one and the same scanner: scanners name the same
// target differently (Trivy "img (debian 12.5)", Grype "img"), so across scanners, and for findings
// merged from several scanners, id, package and version decide alone. Image targets are compared
// without tag, digest and OS suffix, since a branch and its base scan the same image under other tags.
class Baseline {
public:
    void add(const gantry::Finding& finding);
    bool contains(const gantry::Finding& finding) const;
    bool empty() const { return entries_.empty(); }

private:
    struct Seen {
        std::string scanner;
        std::string target;
    };
    std::unordered_map<std::string, std::vector<Seen>> entries_;  // id|package|version -> where seen
};

Verdict judge(gantry::FindingList findings, const Policy& policy, const std::vector<Waiver>& waivers,
              const Baseline& baseline, const CalendarDate& today);

// Counted findings, most severe first (severity, then CVSS score, then fixable first), at most `limit`.
std::vector<const JudgedFinding*> top_findings(const Verdict& verdict, std::size_t limit);

}  // namespace scan_gate
