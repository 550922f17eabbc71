// Tools with subcommands (`smoke-test load`, `smoke-test load merge`): which command a run asks for,
// and the one interface a CI runner sees.
//
// On the command line a subcommand is named by its words after the executable. A container action or
// a GitLab component cannot pass arguments (it sets INPUT_* variables), so there the `command` input
// (INPUT_COMMAND) names it; words on the command line win. An unknown command is a UsageError.
// runner_spec() folds the commands' inputs and outputs into one spec for action.yml and the GitLab
// component: each input once, its description naming the commands that use it (and what it means to
// each, where that differs), a default only where every command using it has the same one - otherwise
// the variable stays empty and each command applies its own.
#pragma once

#include <string>
#include <vector>

#include "gantry/cli/tool_spec.hpp"
#include "gantry/platform/environment.hpp"

namespace gantry {

// A command of its own under the same executable (`smoke-test load`): its own inputs, outputs and --help.
struct Subcommand {
    std::string name;               // the words after the executable: "load", "load merge"
    const ToolSpec* spec = nullptr;
};

// A tool and its subcommands, as CI runners are given them.
struct CommandSet {
    const ToolSpec* tool = nullptr;  // what runs without a subcommand
    std::string default_command;     // its name in the `command` input: "check"
    std::vector<Subcommand> subcommands;
};

struct CommandChoice {
    const ToolSpec* spec = nullptr;  // the tool's spec or one of its subcommands'
    std::string name;                // "check", "load merge"
    int consumed_arguments = 0;      // words after argv[0] that named it
};

// Throws UsageError when INPUT_COMMAND names no command of the tool.
CommandChoice choose_command(const CommandSet& commands, int argc, const char* const* argv, const Environment& environment);

// The `command` input of a tool with subcommands (one choice per command, default the tool's own).
InputSpec command_input(const CommandSet& commands);

// The spec action.yml and the GitLab component are rendered from. Throws std::logic_error when two
// commands declare one input name with different types (one variable cannot carry both).
ToolSpec runner_spec(const CommandSet& commands);

// What `--generate WHAT` prints for the tool run without a subcommand: action.yml and the GitLab
// component from runner_spec(), the README with the `command` input and one table per subcommand.
std::string render_generated(const CommandSet& commands, const std::string& what);

}  // namespace gantry
