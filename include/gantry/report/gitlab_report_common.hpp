// The parts every GitLab security report (schema 15.2.1) shares, whatever its scan type.
//
// GitLab's report formats (container scanning, SAST, ...) differ only in their vulnerability
// `location` and `scan.type`; the writers share the rest here so it reads the same everywhere.
// gitlab_scan_time() accepts yyyy-mm-ddThh:mm:ss (a trailing "Z" or fraction of a second is dropped)
// and gives the current UTC time for an empty string; anything else throws UsageError.
// gitlab_scan_block() is the whole `scan` object: analyzer from the options, scanner naming the
// findings' scanner when they all share one (else the analyzer), the type, both times and status
// "success"; a version the findings do not carry is written as "unknown" (the schema requires one).
// gitlab_identifier() types an id by its database prefix (CVE -> cve, GHSA -> ghsa, ...), else by the
// finding's scanner, and links it to `preferred_url` when that is a web URL, else to the database's
// page when one is known. Everything written is valid UTF-8 and within the schema's length limits.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/findings/finding.hpp"
#include "gantry/report/gitlab_security_report.hpp"

namespace gantry {

// Key order as GitLab's own analyzers write them.
using GitlabJson = nlohmann::ordered_json;

inline constexpr std::string_view kGitlabSchemaVersion = "15.2.1";
inline constexpr std::string_view kGitlabUnknown = "unknown";
// Schema limits, in characters.
inline constexpr std::size_t kGitlabMaxNameLength = 255;
inline constexpr std::size_t kGitlabMaxSolutionLength = 7000;
inline constexpr std::size_t kGitlabMaxDescriptionLength = 1048576;

// `given` as yyyy-mm-ddThh:mm:ss, or now when empty; `which` ("start", "end") names it in the error.
std::string gitlab_scan_time(const std::string& given, std::string_view which);

// "Critical", "High", "Medium", "Low", "Unknown".
std::string_view gitlab_severity(Severity severity);

// Lowercase letters and digits, other runs of characters as one "-": ids made from display names.
std::string gitlab_slug(std::string_view text);

// The value of a finding's primary identifier: its id, else "<kind>-<fingerprint>" (never empty).
std::string gitlab_primary_identifier(const Finding& finding);

// {type, name, value[, url]} for `value`, typed and linked as the contract above says.
GitlabJson gitlab_identifier(const std::string& value, const Finding& finding, const std::string& preferred_url);

// The `scan` object for a report of `scan_type` ("container_scanning", "sast").
GitlabJson gitlab_scan_block(const std::vector<Finding>& findings, const GitlabReportOptions& options,
                             std::string_view scan_type);
GitlabJson gitlab_scan_block(const FindingList& findings, const GitlabReportOptions& options, std::string_view scan_type);

// The whole report, serialised: version, schema, scan, vulnerabilities and an empty remediations list.
std::string gitlab_report_text(std::string_view schema_url, GitlabJson scan, GitlabJson vulnerabilities);

}  // namespace gantry
