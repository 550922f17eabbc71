// Writing findings as SARIF 2.1.0 that GitHub code scanning accepts.
//
// One run per scanner; one rule per finding id with `properties.security-severity` (the CVSS score,
// else the severity band's representative score) and the `security` tag; results carry `level`
// (error for critical/high, warning for medium, note for low/unknown), a location (the finding's
// file position, else its target as an artifact location at line 1) and a stable
// `partialFingerprints` entry derived from id, package, version and target, so the same finding keeps
// its identity across uploads. `category` becomes `automationDetails.id`.
#pragma once

#include <string>
#include <vector>

#include "gantry/findings/finding.hpp"

namespace gantry {

struct SarifWriteOptions {
    std::string tool_name = "gantry";  // driver name when a finding has no scanner
    std::string tool_version;
    std::string category;  // optional automationDetails.id prefix
};

std::string render_sarif(const std::vector<Finding>& findings, const SarifWriteOptions& options);

}  // namespace gantry
