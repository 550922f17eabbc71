// bluegreen-switch's interface, declared once: inputs, outputs, examples. --help, action.yml, the
// GitLab component and README's tables are generated from it.
#pragma once

#include "gantry/cli/tool_spec.hpp"

namespace bluegreen_switch {

const gantry::ToolSpec& spec();

}  // namespace bluegreen_switch
