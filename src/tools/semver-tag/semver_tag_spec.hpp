// semver-tag's interface, declared once: inputs, outputs, examples. --help, action.yml, the GitLab
// component and the README tables are generated from it.
#pragma once

#include "gantry/cli/tool_spec.hpp"

namespace semver_tag {

const gantry::ToolSpec& spec();

}  // namespace semver_tag
