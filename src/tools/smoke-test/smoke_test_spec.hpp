// smoke-test's interface, declared once: inputs, outputs, examples. --help, action.yml, the GitLab
// component and README's tables are generated from it.
#pragma once

#include "gantry/cli/subcommands.hpp"
#include "gantry/cli/tool_spec.hpp"

namespace smoke_test {

const gantry::ToolSpec& spec();
// The inputs that say which checks run (file, check, var, secret-var, base-url, cacert, timeout):
// the same in `smoke-test` and `smoke-test load`.
std::vector<gantry::InputSpec> check_source_inputs();
// `smoke-test load` and `smoke-test load merge`: subcommands with their own inputs and --help.
const gantry::ToolSpec& load_spec();
const gantry::ToolSpec& load_merge_spec();
// All three, as CI runners get them: the `command` input is check (the default), load or load merge.
const gantry::CommandSet& commands();

}  // namespace smoke_test
