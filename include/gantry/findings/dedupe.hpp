// Counting the same vulnerability once when several scanners (or several runs) report it.
//
// Two findings are the same when they share an id or alias (CVE-... and GHSA-... of one advisory
// are linked through aliases) and name the same package (purl without qualifiers, else name) and
// version, and are of the same kind. The survivor keeps the highest severity and CVSS score, the
// union of aliases, and the scanners joined ("trivy, grype"). Order of first appearance is kept.
#pragma once

#include "gantry/findings/finding.hpp"

namespace gantry {

FindingList deduplicate(FindingList findings);

}  // namespace gantry
