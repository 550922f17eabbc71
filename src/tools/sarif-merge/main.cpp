// sarif-merge: parse options, merge (or, as `sarif-merge validate`, check), deliver the outcome, exit.
#include <string_view>

#include "gantry/cli/tool_main.hpp"
#include "sarif-merge/sarif_merge.hpp"
#include "sarif-merge/sarif_merge_spec.hpp"
#include "sarif-merge/sarif_validate.hpp"
#include "sarif-merge/sarif_validate_spec.hpp"

int main(int argc, char** argv) {
    if (argc > 1 && std::string_view(argv[1]) == "validate") {
        // The subcommand is a tool of its own: its spec, its --help, its outputs.
        return gantry::tool_main(sarif_merge::validate_spec(), argc - 1, argv + 1,
                                 [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                     return sarif_merge::run_validate(
                                         sarif_merge::validate_options_from_inputs(command_line.inputs), environment);
                                 });
    }
    return gantry::tool_main(sarif_merge::spec(), argc, argv,
                             [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                 return sarif_merge::run(sarif_merge::options_from_inputs(command_line.inputs),
                                                         environment);
                             });
}
