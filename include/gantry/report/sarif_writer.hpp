// Writing findings as SARIF 2.1.0 that GitHub code scanning accepts.
//
// One run per scanner; one rule per finding id with `properties.security-severity` (the CVSS score,
// else the severity band's representative score) and the `security` tag; results carry `level`
// (error for critical/high, warning for medium, note for low/unknown), a location (the finding's
// file position, else its target as an artifact location at line 1) and a stable
// `partialFingerprints` entry derived from id, package, version and target, so the same finding keeps
// its identity across uploads. `category` becomes `automationDetails.id`.
//
// Details: the run of findings without a scanner is named tool_name and is also written (empty) when
// there are no findings at all, so an upload can close alerts that were fixed. Runs appear in order
// of first appearance, results in input order. The band scores are critical 9.5, high 8.0, medium
// 5.5, low 2.0, unknown 0.0; a rule shared by several findings takes the highest. The fingerprint is
// `partialFingerprints["gantryFindingHash/v1"]` = finding_fingerprint() (finding_fingerprint.hpp),
// with ":2", ":3"... appended to repeats inside a run. Paths are written as URI references
// (backslashes become slashes, unsafe bytes are percent-encoded, an absolute path is a file:// URI:
// report_uri.hpp); of an image target
// "alpine:3.19 (alpine 3.19.1)" only the image is used (image_target.hpp). GitHub keeps at most 25,000
// results and 25,000 rules per run: a run with more findings than max_results_per_run keeps the most
// severe ones (severity, then CVSS score, then input order) and silently drops the rest; the caller
// reports that if it wants to. Output is the same bytes for the same input.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "gantry/findings/finding.hpp"

namespace gantry {

inline constexpr std::size_t kGithubSarifResultsPerRun = 25000;

struct SarifWriteOptions {
    std::string tool_name = "gantry";  // driver name when a finding has no scanner
    std::string tool_version;
    std::string category;  // optional automationDetails.id prefix
    std::string information_uri;  // driver informationUri of the tool_name run; empty = none
    std::size_t max_results_per_run = kGithubSarifResultsPerRun;
};

std::string render_sarif(const std::vector<Finding>& findings, const SarifWriteOptions& options);

// "9.8": the score GitHub reads from `security-severity`, one decimal (see above for the bands).
std::string security_severity(Severity severity, std::optional<double> cvss_score);

}  // namespace gantry
