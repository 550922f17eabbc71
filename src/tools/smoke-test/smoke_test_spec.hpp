// smoke-test's interface, declared once: inputs, outputs, examples. --help, action.yml, the GitLab
// component and README's tables are generated from it.
#pragma once

#include "gantry/cli/tool_spec.hpp"

namespace smoke_test {

const gantry::ToolSpec& spec();

}  // namespace smoke_test
