// What a tool's run() returns, and the one place that turns it into output and an exit code.
//
// run(options, environment) computes an Outcome and performs no I/O on stdout/stderr. main() hands
// the Outcome to deliver(), which prints it in the chosen format, writes the step summary, outputs,
// the --json verdict and any other output files (atomically), and returns the exit code.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/cli/inputs.hpp"
#include "gantry/cli/tool_spec.hpp"
#include "gantry/platform/environment.hpp"
#include "gantry/platform/outputs.hpp"
#include "gantry/platform/workflow_commands.hpp"

namespace gantry {

struct OutputFile {
    std::filesystem::path path;
    std::string content;
};

struct Outcome {
    explicit Outcome(std::string tool_name) : outputs(std::move(tool_name)) {}

    ExitCode exit_code = ExitCode::Success;
    std::string headline;                // one line: "scan-gate: PASSED - 0 of 12 findings counted"
    std::string text;                    // human report for --format text (may use ANSI colour only
                                         // through the `color` flag given to the renderer)
    nlohmann::json json = nlohmann::json::object();  // machine verdict: --format json and --json FILE
    std::string summary_markdown;        // step summary
    std::vector<Annotation> annotations; // findings with a file position
    std::vector<std::string> warnings;   // e.g. waiver expiring soon
    std::vector<std::string> secrets;    // values to mask before anything is printed
    Outputs outputs;
    std::vector<OutputFile> files;       // --sarif-out, -o ...: written atomically
};

// Prints the outcome, writes files/outputs/summary. Returns the exit code to exit with; a failure to
// write is reported on stderr and yields ExitCode::Environment. GitLab log sections are stamped with
// SOURCE_DATE_EPOCH when the environment sets it, else with the current time.
// Whether deliver() prints or writes outcome.json (--format json, or --json FILE). A tool whose JSON
// verdict costs memory in proportion to its input may skip building it when it is not.
bool machine_verdict_wanted(const CommandLine& command_line);

int deliver(const Outcome& outcome, const CommandLine& command_line, const Environment& environment);
// The same with the streams given (std::cout and std::cerr above), so that tests can read them.
int deliver(const Outcome& outcome, const CommandLine& command_line, const Environment& environment,
            std::ostream& out, std::ostream& err);

// Prints an error caught in main ("<tool>: error: <message>", as ::error:: on GitHub) and returns its
// exit code. Errors that are not gantry::Error map to 3 when the system failed (std::bad_alloc,
// std::system_error, filesystem errors) and to 2 otherwise.
int report_error(const ToolSpec& spec, const std::exception& error, const CommandLine* command_line,
                 const Environment& environment);
int report_error(const ToolSpec& spec, const std::exception& error, const CommandLine* command_line,
                 const Environment& environment, std::ostream& err);

// `text` with every secret, every line of a multi-line secret and their JSON-escaped forms replaced
// by "***".
std::string mask_secrets(std::string_view text, const std::vector<std::string>& secrets);

// --help text (man-page style) and --version text, from the spec.
std::string render_help(const ToolSpec& spec);
std::string render_version(const ToolSpec& spec);

}  // namespace gantry
