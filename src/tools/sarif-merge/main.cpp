// sarif-merge: parse options, merge, deliver the outcome, exit.
#include "gantry/cli/tool_main.hpp"
#include "sarif-merge/sarif_merge.hpp"
#include "sarif-merge/sarif_merge_spec.hpp"

int main(int argc, char** argv) {
    return gantry::tool_main(sarif_merge::spec(), argc, argv,
                             [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                 return sarif_merge::run(sarif_merge::options_from_inputs(command_line.inputs),
                                                         environment);
                             });
}
