// The one finding model every scanner's report is read into.
//
// A Finding is one thing a scanner reported: a vulnerable package, a misconfiguration, a leaked
// secret, a package or file under a licence the scanner flags, or a code-scanning result. Readers fill what their format has and leave the rest empty;
// nothing downstream may assume an optional field is set. Severity is normalised to five levels
// (ordered, so `severity >= Severity::High` works); fix state says whether upgrading would help.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/findings/shared_text.hpp"
#include "gantry/findings/text_digest.hpp"

namespace gantry {

enum class Severity { Unknown = 0, Low = 1, Medium = 2, High = 3, Critical = 4 };

// Every severity, most severe first: the order of tables and summaries.
inline constexpr Severity kSeveritiesDescending[] = {Severity::Critical, Severity::High, Severity::Medium,
                                                     Severity::Low, Severity::Unknown};

std::string_view to_string(Severity severity);  // "critical", "high", "medium", "low", "unknown"
// Case-insensitive; also accepts "negligible" (Grype) as low, "moderate" as medium, "info" as low,
// "none"/"unknown" as unknown. Returns nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view text);
// CVSS v3 / security-severity bands: >=9.0 critical, >=7.0 high, >=4.0 medium, >0 low, else unknown.
Severity severity_from_score(double score);

enum class FindingKind { Vulnerability, Misconfiguration, Secret, Code, License };
// "vulnerability", "misconfiguration", "secret", "code", "license"
std::string_view to_string(FindingKind kind);
std::optional<FindingKind> parse_finding_kind(std::string_view text);

// Whether a fix exists. Unknown when the scanner does not say (old Trivy reports without Status:
// then a non-empty fixed_version means Fixed).
enum class FixState { Unknown, Fixed, NotFixed, WontFix, Deferred, EndOfLife };
std::string_view to_string(FixState state);  // "unknown", "fixed", "not-fixed", "wont-fix", "deferred", "end-of-life"

// Where a vulnerable package comes from, when the report says: installed in a container image (its
// OS packages, and what else an image scan found in it), or a project's dependency named by a lock
// file, manifest or SBOM. GitLab shows the first as container scanning, the second as dependency
// scanning. Unknown when the report does not tell (SARIF, old Trivy reports without Class).
enum class PackageOrigin { Unknown, Image, Dependency };

struct Location {
    std::string path;      // repository-relative when the scanner gave one
    int start_line = 0;    // 1-based; 0 = unknown
    int end_line = 0;
    int start_column = 0;
    int end_column = 0;
};

struct Finding {
    std::string id;                    // CVE-2023-1234, GHSA-..., AVD-AWS-0086, rule id, secret rule id,
                                       // licence name (GPL-2.0)
    std::vector<std::string> aliases;  // other ids of the same thing (CVE <-> GHSA), no duplicates of id
    std::string package;               // package name; empty for code/misconfiguration/secret
    std::string version;               // installed version
    std::string purl;                  // package URL when known
    std::string fixed_version;         // comma-separated when several
    FixState fix_state = FixState::Unknown;
    Severity severity = Severity::Unknown;
    std::optional<double> cvss_score;  // highest CVSS v3 (else v2) base score reported
    SharedText target;                 // image/OS target, lock file, scanned path
    FindingKind kind = FindingKind::Vulnerability;
    SharedText scanner;                // "trivy", "grype", SARIF driver name, GitLab analyzer name
    std::optional<Location> location;  // file position, for annotations and SARIF
    SharedText title;                  // one line
    std::string url;                   // primary reference
    SharedText source_file;            // the report it came from
    std::string message;               // the scanner's words for this occurrence (SARIF result message,
                                       // Trivy misconfiguration message); may be long; often empty
    // SARIF results only: the identity sarif-merge dedupes by (sarif_result_identity.hpp), so that
    // scan-gate counts a result once exactly when sarif-merge would keep it once. As a digest: it is
    // only compared, and its text is as long as the result's message. nullopt otherwise.
    std::optional<TextDigest> sarif_identity;
    // The report's own VEX decision that this finding does not apply: a CycloneDX vulnerability whose
    // analysis.state is not_affected, false_positive or resolved, as "not_affected (code_not_reachable):
    // detail". The verdict waives such a finding with this as the reason. Empty when the report decides
    // nothing (no analysis, in_triage, exploitable).
    std::string vex_analysis;
    PackageOrigin origin = PackageOrigin::Unknown;
    // Origin Dependency: the lock file, manifest or SBOM that names the package, as the report gives it.
    std::string dependency_file;
};

// The findings of a report, or of all reports, as they are read, deduplicated and judged. A deque,
// not a vector: it grows a block at a time and never moves what it holds, so a large report's
// findings are never held twice (a vector's last doubling copies them all while both arrays are
// alive), and a reference to a finding stays valid while more are added or the list is moved.
using FindingList = std::deque<Finding>;

// True when a fix is available: fix_state Fixed, or Unknown with a fixed_version.
bool is_fixable(const Finding& finding);

// Key used to match a finding against a baseline: id, package, version and target.
std::string baseline_key(const Finding& finding);

}  // namespace gantry
