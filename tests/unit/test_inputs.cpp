#include <doctest/doctest.h>

#include <map>
#include <string>

#include <string>
#include <vector>

#include "gantry/base/error.hpp"
#include "gantry/cli/inputs.hpp"

using gantry::Action;
using gantry::CommandLine;
using gantry::Environment;
using gantry::InputSource;
using gantry::InputType;
using gantry::OutputFormat;
using gantry::UsageError;
using gantry::Verbosity;

namespace {

// A brace list alone would be ambiguous between Environment's map and copy constructors.
Environment environment_of(const std::map<std::string, std::string>& variables) { return Environment(variables); }

}  // namespace

namespace {

gantry::ToolSpec inputs_test_spec() {
    gantry::ToolSpec spec;
    spec.name = "demo-tool";
    spec.summary = "A tool for tests";
    spec.inputs = {
        {.name = "reports", .type = InputType::List, .description = "Reports.", .value_name = "FILE",
         .requirement = gantry::Requirement::Required, .positional = gantry::Positional::Yes},
        {.name = "fail-on", .type = InputType::String, .description = "Threshold.", .default_value = "high",
         .value_name = "SEVERITY", .choices = {"low", "high", "critical"}},
        {.name = "min-score", .type = InputType::Number, .description = "Score.", .short_flag = 'm'},
        {.name = "fixed-only", .type = InputType::Boolean, .description = "Only fixed."},
        {.name = "kinds", .type = InputType::List, .description = "Kinds.", .default_value = "a\nb",
         .choices = {"a", "b", "c"}},
        {.name = "output", .type = InputType::String, .description = "Out.", .short_flag = 'o'},
    };
    return spec;
}

CommandLine parse(std::vector<std::string> arguments, const Environment& environment = Environment()) {
    arguments.insert(arguments.begin(), "demo-tool");
    std::vector<const char*> argv;
    for (const auto& argument : arguments) argv.push_back(argument.c_str());
    return gantry::parse_command_line(inputs_test_spec(), static_cast<int>(argv.size()), argv.data(), environment);
}

std::string usage_error(std::vector<std::string> arguments, const Environment& environment = Environment()) {
    try {
        (void)parse(std::move(arguments), environment);
    } catch (const UsageError& error) {
        CHECK(error.code() == gantry::ExitCode::BadInput);
        return error.what();
    }
    FAIL("expected a UsageError");
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("inputs") {
    TEST_CASE("variable names: hyphens kept for GitHub, underscores for GitLab") {
        CHECK(gantry::github_input_variable("fail-on") == "INPUT_FAIL-ON");
        CHECK(gantry::portable_input_variable("fail-on") == "INPUT_FAIL_ON");
        CHECK(gantry::github_input_variable("json") == "INPUT_JSON");
    }

    TEST_CASE("precedence: flag > INPUT_X-Y > INPUT_X_Y > default") {
        const Environment both = environment_of({{"INPUT_FAIL-ON", "low"}, {"INPUT_FAIL_ON", "critical"}});
        const Environment underscore = environment_of({{"INPUT_FAIL_ON", "critical"}});

        auto line = parse({"r.json", "--fail-on", "critical"}, both);
        CHECK(line.inputs.get("fail-on") == "critical");
        CHECK(line.inputs.source("fail-on") == InputSource::CommandLine);

        line = parse({"r.json"}, both);
        CHECK(line.inputs.get("fail-on") == "low");
        CHECK(line.inputs.source("fail-on") == InputSource::Environment);

        line = parse({"r.json"}, underscore);
        CHECK(line.inputs.get("fail-on") == "critical");
        CHECK(line.inputs.source("fail-on") == InputSource::Environment);

        line = parse({"r.json"});
        CHECK(line.inputs.get("fail-on") == "high");
        CHECK(line.inputs.source("fail-on") == InputSource::Default);
    }

    TEST_CASE("an empty or blank environment value counts as unset") {
        auto line = parse({"r.json"}, environment_of({{"INPUT_FAIL-ON", ""}, {"INPUT_FAIL_ON", "low"}}));
        CHECK(line.inputs.get("fail-on") == "low");
        line = parse({"r.json"}, environment_of({{"INPUT_FAIL-ON", "  \n"}}));
        CHECK(line.inputs.get("fail-on") == "high");
        CHECK(line.inputs.source("fail-on") == InputSource::Default);
        line = parse({"r.json"}, environment_of({{"INPUT_OUTPUT", ""}}));
        CHECK_FALSE(line.inputs.get("output").has_value());
        CHECK(line.inputs.get_or("output", "fallback") == "fallback");
    }

    TEST_CASE("lists from the environment: one item per line, trimmed, empty lines dropped") {
        const auto line = parse({}, environment_of({{"INPUT_REPORTS", "  a.json\r\n\n b c.json \n\n"}}));
        CHECK(line.inputs.list("reports") == std::vector<std::string>{"a.json", "b c.json"});
        CHECK(line.inputs.source("reports") == InputSource::Environment);
    }

    TEST_CASE("lists from the environment may be a JSON array, as GitLab writes an array input") {
        auto line = parse({}, environment_of({{"INPUT_REPORTS", "[\"a.json\", \"dir/\"]\n"}}));
        CHECK(line.inputs.list("reports") == std::vector<std::string>{"a.json", "dir/"});
        // Not a JSON array of strings: read as a line.
        line = parse({}, environment_of({{"INPUT_REPORTS", "[ab]*.json"}}));
        CHECK(line.inputs.list("reports") == std::vector<std::string>{"[ab]*.json"});
        // GitLab's empty array is an unset list: the default applies.
        line = parse({"r"}, environment_of({{"INPUT_KINDS", "[]"}}));
        CHECK(line.inputs.list("kinds") == std::vector<std::string>{"a", "b"});
    }

    TEST_CASE("lists from the command line: repeatable flag plus positional arguments") {
        const auto line = parse({"one.json", "--reports", "two.json", "three.json", "--kinds", "c", "--kinds", "a"});
        CHECK(line.inputs.list("reports") == std::vector<std::string>{"one.json", "two.json", "three.json"});
        CHECK(line.inputs.list("kinds") == std::vector<std::string>{"c", "a"});
        CHECK(line.inputs.source("kinds") == InputSource::CommandLine);
    }

    TEST_CASE("list defaults hold one item per line") {
        CHECK(parse({"r"}).inputs.list("kinds") == std::vector<std::string>{"a", "b"});
        CHECK(parse({"r"}).inputs.list("missing").empty());
    }

    TEST_CASE("a bad choice names the flag and both variables") {
        std::string message = usage_error({"r", "--fail-on", "urgent"});
        CHECK(contains(message, "\"urgent\""));
        CHECK(contains(message, "--fail-on"));
        CHECK(contains(message, "INPUT_FAIL-ON"));
        CHECK(contains(message, "INPUT_FAIL_ON"));
        CHECK(contains(message, "low, high, critical"));

        message = usage_error({"r"}, environment_of({{"INPUT_FAIL_ON", "urgent"}}));
        CHECK(contains(message, "given by INPUT_FAIL_ON"));
        CHECK(contains(message, "--fail-on"));

        message = usage_error({"r"}, environment_of({{"INPUT_KINDS", "a\nz"}}));
        CHECK(contains(message, "\"z\""));
        CHECK(contains(message, "INPUT_KINDS"));
    }

    TEST_CASE("numbers are checked wherever they come from") {
        CHECK(parse({"r", "--min-score", "7.5"}).inputs.number("min-score") == doctest::Approx(7.5));
        CHECK(parse({"r", "-m", "-2"}).inputs.number("min-score") == doctest::Approx(-2));
        CHECK_FALSE(parse({"r"}).inputs.number("min-score").has_value());
        CHECK(contains(usage_error({"r", "--min-score", "7.5x"}), "expected a number"));
        CHECK(contains(usage_error({"r", "--min-score", "nan"}), "--min-score"));
        const std::string message = usage_error({"r"}, environment_of({{"INPUT_MIN-SCORE", "high"}}));
        CHECK(contains(message, "INPUT_MIN-SCORE"));
        CHECK(contains(message, "expected a number"));
    }

    TEST_CASE("booleans: bare flag, --flag=false, and true/false from the environment") {
        CHECK(parse({"r", "--fixed-only"}).inputs.flag("fixed-only"));
        CHECK_FALSE(parse({"r", "--fixed-only=false"}).inputs.flag("fixed-only"));
        CHECK_FALSE(parse({"r"}).inputs.flag("fixed-only"));
        CHECK(parse({"r"}, environment_of({{"INPUT_FIXED-ONLY", "True"}})).inputs.flag("fixed-only"));
        CHECK(parse({"r"}, environment_of({{"INPUT_FIXED_ONLY", " true\n"}})).inputs.flag("fixed-only"));
        CHECK_FALSE(parse({"r"}, environment_of({{"INPUT_FIXED-ONLY", "false"}})).inputs.flag("fixed-only"));
        CHECK(parse({"r"}, environment_of({{"INPUT_FIXED-ONLY", "false"}})).inputs.source("fixed-only") ==
              InputSource::Environment);
        const std::string message = usage_error({"r"}, environment_of({{"INPUT_FIXED-ONLY", "yes"}}));
        CHECK(contains(message, "true or false"));
        CHECK(contains(message, "INPUT_FIXED-ONLY"));
    }

    TEST_CASE("a missing required input names the flag and the variable") {
        const std::string message = usage_error({});
        CHECK(contains(message, "missing required input"));
        CHECK(contains(message, "--reports"));
        CHECK(contains(message, "INPUT_REPORTS"));
    }

    TEST_CASE("unknown flags and missing values are usage errors") {
        CHECK(contains(usage_error({"r", "--bogus"}), "--bogus"));
        CHECK(contains(usage_error({"r", "--fail-on"}), "--fail-on"));
    }

    TEST_CASE("short flags and the last of repeated single values") {
        const auto line = parse({"r", "-o", "first", "--output", "second"});
        CHECK(line.inputs.get("output") == "second");
    }

    TEST_CASE("--help, -h and --version win over anything else on the line") {
        CHECK(parse({"--bogus", "--help"}).action == Action::Help);
        CHECK(parse({"-h"}).action == Action::Help);
        CHECK(parse({"--version", "--fail-on", "nonsense"}).action == Action::Version);
        CHECK(parse({"r"}).action == Action::Run);
        // After "--" it is an argument.
        CHECK(parse({"--", "--help"}).inputs.list("reports") == std::vector<std::string>{"--help"});
    }

    TEST_CASE("the hidden --generate sets the action without needing required inputs") {
        const auto line = parse({"--generate", "github-action"});
        CHECK(line.action == Action::Generate);
        CHECK(line.generate_what == "github-action");
        CHECK(contains(usage_error({"--generate", "docs"}), "github-action, gitlab-component, readme"));
    }

    TEST_CASE("format auto follows the platform; an explicit format wins") {
        CHECK(parse({"r"}).format == OutputFormat::Text);
        CHECK(parse({"r"}, environment_of({{"GITHUB_ACTIONS", "true"}})).format == OutputFormat::Github);
        CHECK(parse({"r"}, environment_of({{"GITLAB_CI", "true"}})).format == OutputFormat::Gitlab);
        CHECK(parse({"r", "--format", "json"}, environment_of({{"GITHUB_ACTIONS", "true"}})).format == OutputFormat::Json);
        CHECK(parse({"r"}, environment_of({{"INPUT_FORMAT", "gitlab"}})).format == OutputFormat::Gitlab);
        CHECK(contains(usage_error({"r", "--format", "xml"}), "INPUT_FORMAT"));
        CHECK(gantry::to_string(OutputFormat::Json) == "json");
    }

    TEST_CASE("verbosity, and --quiet with --verbose is refused") {
        CHECK(parse({"r"}).verbosity == Verbosity::Normal);
        CHECK(parse({"r", "--quiet"}).verbosity == Verbosity::Quiet);
        CHECK(parse({"r"}, environment_of({{"INPUT_VERBOSE", "true"}})).verbosity == Verbosity::Verbose);
        CHECK(contains(usage_error({"r", "--quiet", "--verbose"}), "--quiet"));
    }

    TEST_CASE("colour needs a terminal and no NO_COLOR") {
        // The test's stdout may or may not be a terminal; NO_COLOR always wins.
        CHECK_FALSE(parse({"r"}, environment_of({{"NO_COLOR", "1"}})).color);
    }

    TEST_CASE("platform defaults: the step summary on GitHub, gantry.env on GitLab") {
        auto line = parse({"r"}, environment_of({{"GITHUB_ACTIONS", "true"}, {"GITHUB_STEP_SUMMARY", "/tmp/summary"}}));
        CHECK(line.inputs.get("summary-file") == "/tmp/summary");
        CHECK(line.inputs.source("summary-file") == InputSource::Default);
        CHECK_FALSE(line.inputs.get("dotenv-file").has_value());

        line = parse({"r", "--summary-file", "mine.md"},
                     environment_of({{"GITHUB_ACTIONS", "true"}, {"GITHUB_STEP_SUMMARY", "/tmp/summary"}}));
        CHECK(line.inputs.get("summary-file") == "mine.md");
        CHECK(line.inputs.source("summary-file") == InputSource::CommandLine);

        line = parse({"r"}, environment_of({{"GITLAB_CI", "true"}}));
        CHECK(line.inputs.get("dotenv-file") == "gantry.env");
        CHECK_FALSE(line.inputs.get("summary-file").has_value());

        line = parse({"r"});
        CHECK_FALSE(line.inputs.get("dotenv-file").has_value());
        CHECK_FALSE(line.inputs.get("summary-file").has_value());
    }

    TEST_CASE("Inputs::put and accessors") {
        gantry::Inputs inputs;
        inputs.put("n", {"12"}, InputSource::CommandLine);
        inputs.put("bad", {"x"}, InputSource::Environment);
        CHECK(inputs.number("n") == doctest::Approx(12));
        CHECK_FALSE(inputs.number("bad").has_value());
        CHECK(inputs.source("unknown") == InputSource::Default);
        CHECK_FALSE(inputs.flag("unknown"));
    }
}
