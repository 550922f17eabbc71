// bluegreen-switch: parse options, run the switch, deliver the outcome, exit.
#include <iostream>

#include "bluegreen-switch/bluegreen_switch.hpp"
#include "bluegreen-switch/bluegreen_switch_spec.hpp"
#include "gantry/cli/tool_main.hpp"
#include "gantry/platform/log_text.hpp"

int main(int argc, char** argv) {
    return gantry::tool_main(bluegreen_switch::spec(), argc, argv,
                             [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                 bluegreen_switch::Progress progress;
                                 if (command_line.verbosity != gantry::Verbosity::Quiet) {
                                     // Progress quotes providers, checks and servers: one visible line each.
                                     progress = [](const std::string& line) {
                                         std::cerr << "bluegreen-switch: " << gantry::log_text(line) << '\n';
                                     };
                                 }
                                 return bluegreen_switch::run(bluegreen_switch::options_from_inputs(command_line, environment),
                                                              environment, progress);
                             });
}
