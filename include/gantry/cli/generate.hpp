// Files generated from a ToolSpec: the GitHub container action, the GitLab CI/CD component and the
// README's input/output tables. They are checked in; tests/generated_files_test regenerates them
// and fails when a checked-in copy differs. The image reference pins the toolkit version.
#pragma once

#include <string>
#include <vector>

#include "gantry/cli/tool_spec.hpp"

namespace gantry {

// actions/<tool>/action.yml
std::string render_github_action(const ToolSpec& spec);
// templates/<tool>.yml
std::string render_gitlab_component(const ToolSpec& spec);
// Markdown: "#### Inputs" table and "#### Outputs" table, placed in README between
// <!-- BEGIN GENERATED <tool> --> and <!-- END GENERATED <tool> -->.
std::string render_readme_tables(const ToolSpec& spec);
// The two Markdown tables alone (exposed inputs only are passed in).
std::string render_input_table(const std::vector<InputSpec>& inputs);
std::string render_output_table(const std::vector<OutputSpec>& outputs);

// The container image a generated file refers to: ghcr.io/gantry-ci/<tool>:<version>.
std::string image_reference(const ToolSpec& spec);

}  // namespace gantry

namespace gantry {

// The file `--generate WHAT` prints: github-action | gitlab-component | readme. Throws UsageError
// for anything else.
std::string render_generated(const ToolSpec& spec, const std::string& what);

}  // namespace gantry
