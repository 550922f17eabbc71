// sarif-merge's interface, declared once: inputs, outputs, examples. --help, action.yml, the GitLab
// component and README's tables are generated from it.
#pragma once

#include "gantry/cli/subcommands.hpp"
#include "gantry/cli/tool_spec.hpp"

namespace sarif_merge {

const gantry::ToolSpec& spec();
// sarif-merge and `sarif-merge validate`, as CI runners get them: the `command` input is merge (the
// default) or validate.
const gantry::CommandSet& commands();

}  // namespace sarif_merge
