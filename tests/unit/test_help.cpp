#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "gantry/cli/inputs.hpp"
#include "gantry/cli/outcome.hpp"
#include "gantry/version.hpp"

using gantry::InputType;

namespace {

gantry::ToolSpec help_test_spec() {
    gantry::ToolSpec spec;
    spec.name = "demo-tool";
    spec.summary = "Check things in a pipeline";
    spec.description =
        "demo-tool checks things. This paragraph is long enough that it has to be wrapped at eighty columns "
        "by the renderer, more than once.\n\nA second paragraph:\n- first item of a list that is also long "
        "enough to wrap onto the second line of the help\n- second item";
    spec.inputs = {
        {.name = "reports", .type = InputType::List, .description = "Reports to read.", .value_name = "REPORT",
         .requirement = gantry::Requirement::Required, .positional = gantry::Positional::Yes},
        {.name = "fail-on", .type = InputType::String, .description = "Threshold.", .default_value = "high",
         .value_name = "SEVERITY", .choices = {"low", "high"}},
        {.name = "local-only", .type = InputType::Boolean, .description = "A flag.",
         .exposure = gantry::Exposure::CommandLineOnly, .short_flag = 'l'},
    };
    spec.outputs = {{"passed", "true when it passed"}};
    spec.examples = {{"Gate a report", "demo-tool --fail-on high report.json"},
                     {"A command too long for one line of the help, with a quoted 'argument with spaces'",
                      "demo-tool --fail-on low --reports first-report.json --reports second-report.json 'a b c d e f'"}};
    return spec;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("help") {
    TEST_CASE("has the man page sections in order") {
        const std::string help = gantry::render_help(help_test_spec());
        std::size_t position = 0;
        for (const char* section : {"NAME\n", "SYNOPSIS\n", "DESCRIPTION\n", "OPTIONS\n", "OUTPUTS\n", "EXIT STATUS\n",
                                    "ENVIRONMENT\n", "EXAMPLES\n"}) {
            const auto found = help.find(section, position);
            CHECK_MESSAGE(found != std::string::npos, section);
            if (found != std::string::npos) position = found;
        }
        CHECK(contains(help, "    demo-tool - Check things in a pipeline\n"));
        CHECK(contains(help, "    demo-tool [OPTIONS] REPORT...\n"));
    }

    TEST_CASE("lists every input with its flag, environment variables, default and choices") {
        const auto spec = help_test_spec();
        const std::string help = gantry::render_help(spec);
        for (const auto& input : gantry::all_inputs(spec)) {
            CHECK_MESSAGE(contains(help, "--" + input.name), input.name);
            CHECK_MESSAGE(contains(help, gantry::github_input_variable(input.name)), input.name);
            CHECK_MESSAGE(contains(help, gantry::portable_input_variable(input.name)), input.name);
        }
        CHECK(contains(help, "    --fail-on SEVERITY\n"));
        CHECK(contains(help, "One of: low, high. Default: high."));
        CHECK(contains(help, "    -l, --local-only\n"));
        CHECK(contains(help, "One of: auto, text, json, github, gitlab. Default: auto."));
        CHECK(contains(help, "passed (DEMO_TOOL_PASSED)"));
        CHECK(contains(help, "    0   Success.\n"));
        CHECK(contains(help, "    3   Environment or network failure"));
        CHECK(contains(help, "NO_COLOR"));
    }

    TEST_CASE("every line fits in 80 columns; long commands continue with a backslash outside quotes") {
        const std::string help = gantry::render_help(help_test_spec());
        std::istringstream lines(help);
        std::string line;
        while (std::getline(lines, line)) CHECK_MESSAGE(line.size() <= 80, line);
        CHECK(contains(help, "        $ demo-tool --fail-on high report.json\n"));
        CHECK(contains(help, " \\\n"));
        CHECK(contains(help, "'a b c d e f'"));
        CHECK(contains(help, "    - first item of a list that is also long enough to wrap onto the second line\n"
                             "      of the help\n    - second item\n"));
    }

    TEST_CASE("--version names the tool, version, commit and libraries") {
        const std::string version = gantry::render_version(help_test_spec());
        CHECK(version.rfind(std::string("demo-tool ") + gantry::build_info::kVersion + " (commit " +
                                gantry::build_info::kCommit + ")\n",
                            0) == 0);
        CHECK(contains(version, "simdjson "));
        CHECK(contains(version, "yaml-cpp "));
        CHECK(contains(version, "CLI11 "));
    }
}
