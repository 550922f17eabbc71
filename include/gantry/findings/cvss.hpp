// CVSS base scores from vector strings, for reports that give a vector and no score (OSV-Scanner).
//
// cvss3_base_score() follows the CVSS v3.1 specification (FIRST, section 7: base metric equations,
// Appendix A: Roundup); v3.0 vectors are scored with the same equations, which agree with 3.0's on
// every vector except where 3.0's naive rounding put a floating-point error on the next tenth. A
// vector must carry every base metric exactly once ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
// temporal and environmental metrics after them are allowed and ignored); anything else gives nullopt.
// CVSS v4.0 is not scored here: its score comes from a lookup table of macro vectors, not a formula,
// and the reports that carry v4.0 vectors also carry the scanner's own score or severity.
#pragma once

#include <optional>
#include <string_view>

namespace gantry {

std::optional<double> cvss3_base_score(std::string_view vector);

}  // namespace gantry
