// smoke-test: parse options, run the checks (or, as `smoke-test load [merge]` or with the command input,
// the load test), deliver the outcome, exit.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <string_view>

#include "gantry/cli/tool_main.hpp"
#include "smoke-test/load.hpp"
#include "smoke-test/smoke_test.hpp"
#include "smoke-test/smoke_test_spec.hpp"

namespace {

// Set by SIGINT/SIGTERM during a load test; the run stops between events and reports what it measured.
// A signal handler can reach nothing else.
std::atomic<bool> interrupted{false};

void on_interrupt(int) { interrupted.store(true); }

smoke_test::Progress progress_for(const gantry::CommandLine& command_line) {
    smoke_test::Progress progress{smoke_test::ProgressStyle::None, &std::cerr};
    if (command_line.verbosity != gantry::Verbosity::Quiet) {
        progress.style = ::isatty(STDERR_FILENO) ? smoke_test::ProgressStyle::LiveLine : smoke_test::ProgressStyle::PlainLines;
    }
    return progress;
}

}  // namespace

int main(int argc, char** argv) {
    // `smoke-test load [merge] ...` on a command line; the `command` input (INPUT_COMMAND) in a CI runner.
    gantry::CommandChoice command;
    try {
        command = gantry::choose_command(smoke_test::commands(), argc, argv, gantry::Environment::from_process());
    } catch (const std::exception& error) {
        return gantry::report_error(smoke_test::spec(), error, nullptr, gantry::Environment::from_process());
    }
    argc -= command.consumed_arguments;
    argv += command.consumed_arguments;
    if (command.name == "load merge") {
        return gantry::tool_main(smoke_test::load_merge_spec(), argc, argv,
                                 [](const gantry::CommandLine& command_line, const gantry::Environment&) {
                                     return smoke_test::load::run_merge(smoke_test::load::merge_options_from_inputs(command_line));
                                 });
    }
    if (command.name == "load") {
        return gantry::tool_main(smoke_test::load_spec(), argc, argv,
                                 [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                     const auto options = smoke_test::load::load_options_from_inputs(command_line);
                                     struct sigaction action {};
                                     action.sa_handler = on_interrupt;
                                     sigaction(SIGINT, &action, nullptr);
                                     sigaction(SIGTERM, &action, nullptr);
                                     return smoke_test::load::run_load_test(options, environment, progress_for(command_line), interrupted);
                                 });
    }
    return gantry::tool_main(smoke_test::spec(), argc, argv,
                             [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                 return smoke_test::run(smoke_test::options_from_inputs(command_line), environment, progress_for(command_line));
                             },
                             &smoke_test::commands());
}
