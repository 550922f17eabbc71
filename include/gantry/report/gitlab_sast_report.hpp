// Writing findings as a GitLab SAST security report (schema 15.2.1), e.g. SARIF results converted.
//
// Each finding becomes one vulnerability: a stable UUID-shaped id (the n-th finding with the same
// identity gets finding_uuid(finding, n), so repeated results keep distinct ids), `name` from the
// title (else the id; one line, at most 255 characters), `description` from the message (else the
// name), `severity` in GitLab's words (Critical, High, Medium, Low, Unknown), `links` with the
// finding's URL when it is a web URL, and `location` {file, start_line, end_line}. The file is the
// location's path, else the target, else "unknown" (GitLab needs one to show the finding); lines are
// written only when known, and end_line is start_line when only the start is known (SARIF's rule for
// a region without endLine). `identifiers` start with the rule id, typed "<scanner>_rule_id"
// ("gantry_rule_id" without a scanner; "<kind>-<fingerprint>" without an id) and linked to the
// finding's URL; then the aliases (typed as gitlab_report_common.hpp says); then every "CWE-<n>" the
// id, aliases, title or message mention, as type "cwe", name "CWE-<n>", value "<n>". The `scan` block
// is gitlab_scan_block(..., "sast"): analyzer from the options, scanner the findings' common scanner
// else the analyzer. The image and operating_system options do not apply to SAST and are ignored.
// Times in the options must be yyyy-mm-ddThh:mm:ss (else UsageError); output is the same bytes for
// the same findings and times. write_gitlab_sast() writes those bytes to a stream one vulnerability at
// a time, so a large report is never held as text or as one JSON tree (memory: the findings, one
// vulnerability and the id counts); render_gitlab_sast() returns them as a string. The layout is
// nlohmann's dump(2) of the whole report plus a final newline, as gitlab_report_text() writes it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "gantry/findings/finding.hpp"
#include "gantry/report/gitlab_security_report.hpp"

namespace gantry {

// Throws UsageError for bad times before writing anything; a failed write leaves `out` failed.
void write_gitlab_sast(std::ostream& out, const std::vector<Finding>& findings, const GitlabReportOptions& options);
void write_gitlab_sast(std::ostream& out, const FindingList& findings, const GitlabReportOptions& options);
std::string render_gitlab_sast(const std::vector<Finding>& findings, const GitlabReportOptions& options);

}  // namespace gantry
