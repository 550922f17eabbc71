// Resolving a tool's option values from the command line, the CI environment and defaults.
//
// Order of precedence: command-line flags (parsed with CLI11), then INPUT_<NAME> environment
// variables - upper-cased with hyphens kept, as the GitHub runner sets them (INPUT_FAIL-ON), or with
// hyphens as underscores (INPUT_FAIL_ON), which is what a GitLab job can set - then the declared
// default. An empty environment value counts as unset (the runner sets every declared input).
// List values from the environment hold one item per line (trimmed, empty lines dropped), or are a
// JSON array of strings, which is what GitLab makes of an array input written into a variable.
// String, number and boolean values from the environment are trimmed. Values are validated against
// the declared type and choices; a bad one is a UsageError naming the flag and the variable.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/cli/tool_spec.hpp"
#include "gantry/platform/environment.hpp"

namespace gantry {

enum class InputSource { Default, Environment, CommandLine };

// The environment variables an input is read from, in this order: "INPUT_FAIL-ON" as the GitHub
// runner sets it, then "INPUT_FAIL_ON", which is what a GitLab job can set.
std::string github_input_variable(std::string_view input_name);
std::string portable_input_variable(std::string_view input_name);

enum class OutputFormat { Text, Json, Github, Gitlab };
std::string_view to_string(OutputFormat format);

enum class Verbosity { Quiet, Normal, Verbose };

class Inputs {
public:
    // Value of a String/Number input, or nullopt when unset and without default.
    std::optional<std::string> get(const std::string& name) const;
    std::string get_or(const std::string& name, const std::string& fallback) const;
    std::vector<std::string> list(const std::string& name) const;  // List inputs
    // A List input whose items may also be comma-separated ("critical=0,high=5"), trimmed, empty ones dropped.
    std::vector<std::string> comma_list(const std::string& name) const;
    bool flag(const std::string& name) const;                        // Boolean inputs
    std::optional<double> number(const std::string& name) const;     // Number inputs
    InputSource source(const std::string& name) const;

    // Used by the resolver and by tests.
    void put(const std::string& name, std::vector<std::string> values, InputSource source);

private:
    struct Value {
        std::vector<std::string> values;
        InputSource source = InputSource::Default;
    };
    std::map<std::string, Value> values_;
};

// What the user asked the program to do.
enum class Action { Run, Help, Version, Generate };

struct CommandLine {
    Action action = Action::Run;
    Inputs inputs;
    OutputFormat format = OutputFormat::Text;  // "auto" already resolved against the platform
    Verbosity verbosity = Verbosity::Normal;
    bool color = false;                        // stdout is a TTY and NO_COLOR is unset
    std::string generate_what;                 // with Action::Generate: github-action | gitlab-component | readme
};

// Parses argv against the spec. --help/-h and --version set the action; the hidden
// --generate WHAT prints generated files. Throws UsageError on bad usage.
CommandLine parse_command_line(const ToolSpec& spec, int argc, const char* const* argv,
                               const Environment& environment);

}  // namespace gantry
