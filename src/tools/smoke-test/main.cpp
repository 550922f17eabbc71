// smoke-test: parse options, run the checks, deliver the outcome, exit.
#include <unistd.h>

#include "gantry/cli/tool_main.hpp"
#include "smoke-test/smoke_test.hpp"
#include "smoke-test/smoke_test_spec.hpp"

int main(int argc, char** argv) {
    return gantry::tool_main(smoke_test::spec(), argc, argv,
                             [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                 smoke_test::Progress progress{smoke_test::ProgressStyle::None, &std::cerr};
                                 if (command_line.verbosity != gantry::Verbosity::Quiet) {
                                     progress.style = ::isatty(STDERR_FILENO) ? smoke_test::ProgressStyle::LiveLine
                                                                              : smoke_test::ProgressStyle::PlainLines;
                                 }
                                 return smoke_test::run(smoke_test::options_from_inputs(command_line), environment, progress);
                             });
}
