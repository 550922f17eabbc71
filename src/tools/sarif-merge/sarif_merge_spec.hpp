// sarif-merge's interface, declared once: inputs, outputs, examples. --help, action.yml, the GitLab
// component and README's tables are generated from it.
#pragma once

#include "gantry/cli/tool_spec.hpp"

namespace sarif_merge {

const gantry::ToolSpec& spec();

}  // namespace sarif_merge
