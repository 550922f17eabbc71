// sarif-merge: parse options, merge (or, as `sarif-merge validate` or with the command input, check),
// deliver the outcome, exit.
#include <string_view>

#include "gantry/cli/tool_main.hpp"
#include "sarif-merge/sarif_merge.hpp"
#include "sarif-merge/sarif_merge_spec.hpp"
#include "sarif-merge/sarif_validate.hpp"
#include "sarif-merge/sarif_validate_spec.hpp"

int main(int argc, char** argv) {
    // `sarif-merge validate ...` on a command line; the `command` input (INPUT_COMMAND) in a CI runner.
    gantry::CommandChoice command;
    try {
        command = gantry::choose_command(sarif_merge::commands(), argc, argv, gantry::Environment::from_process());
    } catch (const std::exception& error) {
        return gantry::report_error(sarif_merge::spec(), error, nullptr, gantry::Environment::from_process());
    }
    if (command.name == "validate") {
        // The subcommand is a tool of its own: its spec, its --help, its outputs.
        return gantry::tool_main(sarif_merge::validate_spec(), argc - command.consumed_arguments, argv + command.consumed_arguments,
                                 [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                     return sarif_merge::run_validate(
                                         sarif_merge::validate_options_from_inputs(command_line.inputs), environment);
                                 });
    }
    return gantry::tool_main(sarif_merge::spec(), argc, argv,
                             [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                 return sarif_merge::run(sarif_merge::options_from_inputs(command_line.inputs),
                                                         environment);
                             },
                             &sarif_merge::commands());
}
