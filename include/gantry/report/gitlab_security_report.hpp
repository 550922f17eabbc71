// Writing findings as a GitLab container-scanning or dependency-scanning security report (schema
// 15.2.1). The two differ only in each vulnerability's `location` and in `scan.type`.
//
// Vulnerabilities get a stable UUID-shaped id derived from the finding, `identifiers` from id and
// aliases (cve / ghsa / other types with URLs), `severity` in GitLab's words (Critical, High, Medium,
// Low, Unknown), `location.dependency` with package name and version, `location.image` and
// `location.operating_system` from the target, and `solution` when a fix exists. `scan` has
// analyzer/scanner blocks, status "success" and start/end times as yyyy-mm-ddThh:mm:ss.
//
// Details: a Trivy OS target "alpine:3.10 (alpine 3.10.2)" gives image "alpine:3.10" and operating
// system "alpine 3.10.2"; other findings of the same source file (language packages, secrets) take
// that image and operating system too; the options override both; what is still unknown is written
// as the target, else "unknown" (the schema requires non-empty strings). A finding without a package
// (misconfiguration, secret, code) is written with its file path (and ":line" when known) as the
// package name, so GitLab, which tells vulnerabilities apart by identifier and location, keeps two
// of them in different files apart. The scanner block names the findings' scanner when they all
// share one, else the analyzer; a scanner's version is not in the findings and is written as
// "unknown" (the schema requires one). The n-th finding with the same identity gets the id
// finding_uuid(finding, n) (finding_fingerprint.hpp), so repeated findings keep distinct ids.
// A dependency-scanning report's location is the finding's dependency file (the lock file, manifest
// or SBOM naming the package; else its target, else the report it came from) with the package name and
// version; findings without a package are written as in a container-scanning report.
// Times given in the options must be yyyy-mm-ddThh:mm:ss (a trailing "Z" or fraction of a second is
// dropped); anything else throws UsageError. Output is the same bytes for the same input and times.
#pragma once

#include <string>
#include <vector>

#include "gantry/findings/finding.hpp"

namespace gantry {

struct GitlabReportOptions {
    std::string analyzer_name = "gantry scan-gate";
    std::string analyzer_version;
    std::string start_time;  // yyyy-mm-ddThh:mm:ss (UTC); empty = now
    std::string end_time;
    std::string image;             // location.image for every finding; empty = from the targets
    std::string operating_system;  // location.operating_system for every finding; empty = from the targets
};

std::string render_gitlab_container_scanning(const std::vector<Finding>& findings,
                                             const GitlabReportOptions& options);

std::string render_gitlab_dependency_scanning(const std::vector<Finding>& findings,
                                              const GitlabReportOptions& options);

}  // namespace gantry
