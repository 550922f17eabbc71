// Writing findings as a GitLab container-scanning security report (schema 15.2.1).
//
// Vulnerabilities get a stable UUID-shaped id derived from the finding, `identifiers` from id and
// aliases (cve / ghsa / other types with URLs), `severity` in GitLab's words (Critical, High, Medium,
// Low, Unknown), `location.dependency` with package name and version, `location.image` and
// `location.operating_system` from the target, and `solution` when a fix exists. `scan` has
// analyzer/scanner blocks, status "success" and start/end times as yyyy-mm-ddThh:mm:ss.
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
};

std::string render_gitlab_container_scanning(const std::vector<Finding>& findings,
                                             const GitlabReportOptions& options);

}  // namespace gantry
