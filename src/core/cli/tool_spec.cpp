#include "gantry/cli/tool_spec.hpp"

namespace gantry {

const std::vector<InputSpec>& common_inputs() {
    static const std::vector<InputSpec> inputs = {
        {.name = "format",
         .type = InputType::String,
         .description = "How to print the result: text for people, json for programs, github for GitHub "
                        "workflow commands (annotations, masks), gitlab for collapsible log sections. auto "
                        "picks github on GitHub Actions, gitlab on GitLab CI and text elsewhere.",
         .default_value = "auto",
         .value_name = "FORMAT",
         .choices = {"auto", "text", "json", "github", "gitlab"}},
        {.name = "json",
         .type = InputType::String,
         .description = "Also write the machine-readable result, with the outputs, to this file. The GitLab "
                        "component writes gantry-<tool>.json and keeps it as an artifact.",
         .value_name = "FILE"},
        {.name = "summary-file",
         .type = InputType::String,
         .description = "Write the Markdown step summary to this file. On GitHub Actions it is appended to "
                        "$GITHUB_STEP_SUMMARY unless this is set.",
         .value_name = "FILE"},
        // The GitLab component always collects gantry.env as its dotenv report, so only a local run
        // has a reason to move it.
        {.name = "dotenv-file",
         .type = InputType::String,
         .description = "Write the outputs as a GitLab dotenv report to this file. Default on GitLab CI: "
                        "gantry.env.",
         .value_name = "FILE",
         .exposure = Exposure::CommandLineOnly},
        {.name = "quiet",
         .type = InputType::Boolean,
         .description = "Print only the one-line verdict (files, outputs and annotations are still written)."},
        {.name = "verbose",
         .type = InputType::Boolean,
         .description = "Print more detail about what was read and decided."},
    };
    return inputs;
}

std::vector<InputSpec> all_inputs(const ToolSpec& spec) {
    std::vector<InputSpec> inputs = spec.inputs;
    const auto& common = common_inputs();
    inputs.insert(inputs.end(), common.begin(), common.end());
    return inputs;
}

}  // namespace gantry
