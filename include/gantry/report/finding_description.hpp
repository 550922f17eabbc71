// The one-line text that names a finding in reports: SARIF messages, GitLab names, table rows.
//
// A vulnerable package reads "<id> in <package> <version> (fixed in <fixed_version>)", leaving out
// the parts the finding does not have; a package's licence reads "<title> in <package>"; anything
// else reads as its title, else its id. The result is
// always a single line (line breaks become spaces) and never empty.
#pragma once

#include <string>

#include "gantry/findings/finding.hpp"

namespace gantry {

std::string one_line_description(const Finding& finding);

}  // namespace gantry
