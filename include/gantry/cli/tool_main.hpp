// The body of every tool's main(): parse the command line against the spec, answer --help,
// --version and --generate, otherwise call the tool's run function and deliver its Outcome; any error
// becomes a message and its exit code. `run` is called as run(command_line, environment) and returns
// a gantry::Outcome.
#pragma once

#include <exception>
#include <iostream>

#include "gantry/cli/generate.hpp"
#include "gantry/cli/inputs.hpp"
#include "gantry/cli/outcome.hpp"
#include "gantry/cli/subcommands.hpp"
#include "gantry/cli/tool_spec.hpp"
#include "gantry/platform/environment.hpp"

namespace gantry {

// `generated_from`: a tool with subcommands generates its CI files from all of them (subcommands.hpp).
template <class Run>
int tool_main(const ToolSpec& spec, int argc, const char* const* argv, Run&& run, const CommandSet* generated_from = nullptr) {
    const Environment environment = Environment::from_process();
    CommandLine command_line;
    try {
        command_line = parse_command_line(spec, argc, argv, environment);
        switch (command_line.action) {
            case Action::Help: std::cout << render_help(spec); return 0;
            case Action::Version: std::cout << render_version(spec); return 0;
            case Action::Generate:
                std::cout << (generated_from ? render_generated(*generated_from, command_line.generate_what)
                                             : render_generated(spec, command_line.generate_what));
                return 0;
            case Action::Run: break;
        }
        return deliver(run(command_line, environment), command_line, environment);
    } catch (const std::exception& error) {
        return report_error(spec, error, &command_line, environment);
    }
}

}  // namespace gantry
