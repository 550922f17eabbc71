// smoke-test: parse options, run the checks (or, as `smoke-test load [merge]`, the load test),
// deliver the outcome, exit.
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
    if (argc > 2 && std::string_view(argv[1]) == "load" && std::string_view(argv[2]) == "merge") {
        return gantry::tool_main(smoke_test::load_merge_spec(), argc - 2, argv + 2,
                                 [](const gantry::CommandLine& command_line, const gantry::Environment&) {
                                     return smoke_test::load::run_merge(smoke_test::load::merge_options_from_inputs(command_line));
                                 });
    }
    if (argc > 1 && std::string_view(argv[1]) == "load") {
        return gantry::tool_main(smoke_test::load_spec(), argc - 1, argv + 1,
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
                             });
}
