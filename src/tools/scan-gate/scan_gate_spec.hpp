// scan-gate's interface, declared once: inputs, outputs, examples. --help, action.yml, the GitLab
// component and README's tables are all generated from this.
#pragma once

#include "gantry/cli/tool_spec.hpp"

namespace scan_gate {

const gantry::ToolSpec& spec();

}  // namespace scan_gate
