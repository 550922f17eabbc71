#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>

#include <yaml-cpp/yaml.h>

#include "gantry/base/error.hpp"
#include "gantry/cli/subcommands.hpp"

using gantry::InputType;

namespace {

const gantry::InputSpec* find_input(const gantry::ToolSpec& spec, const std::string& name) {
    for (const auto& input : spec.inputs) {
        if (input.name == name) return &input;
    }
    return nullptr;
}

struct Tools {
    gantry::ToolSpec check;
    gantry::ToolSpec load;
    gantry::ToolSpec merge;
    gantry::CommandSet set;

    Tools() {
        check.name = "probe";
        check.summary = "Probe once";
        check.inputs = {
            {.name = "target", .type = InputType::String, .description = "What to probe."},
            {.name = "attempts", .type = InputType::Number, .description = "Attempts.", .default_value = "3"},
            {.name = "connections", .type = InputType::Number, .description = "Connections (default: one per probe)."},
            {.name = "report", .type = InputType::String, .description = "Report file.", .default_value = "r.xml"},
        };
        check.outputs = {{"passed", "Probes that passed"}, {"p95-ms", "95th percentile of the probes"}};
        load.name = "probe load";
        load.summary = "Probe many times";
        load.inputs = {
            {.name = "target", .type = InputType::String, .description = "What to probe."},
            {.name = "rate", .type = InputType::String, .description = "Probes a second.", .requirement = gantry::Requirement::Required},
            {.name = "connections", .type = InputType::Number, .description = "Connections.", .default_value = "0"},
            {.name = "report", .type = InputType::String, .description = "Report file.", .default_value = "r.xml"},
        };
        load.outputs = {{"p95-ms", "95th percentile from the intended send time"}, {"rps", "Probes a second achieved"}};
        merge.name = "probe load merge";
        merge.summary = "Add the shards";
        merge.inputs = {{.name = "shards", .type = InputType::List, .description = "Shard files.", .positional = gantry::Positional::Yes}};
        set = {&check, "check", {{"load", &load}, {"load merge", &merge}}};
    }
};

}  // namespace

TEST_CASE("runner_spec: a command input, each input once, its commands named where not all use it") {
    const Tools tools;
    const gantry::ToolSpec runner = gantry::runner_spec(tools.set);
    REQUIRE(runner.inputs.size() == 7);  // command, target, attempts, connections, report, rate, shards
    const auto& command = runner.inputs.front();
    CHECK(command.name == "command");
    CHECK(command.default_value == "check");
    CHECK(command.choices == std::vector<std::string>{"check", "load", "load merge"});

    CHECK(find_input(runner, "target")->description == "What to probe. Used by commands: check, load.");
    CHECK(find_input(runner, "attempts")->description == "Attempts. Used by command: check.");
    CHECK(find_input(runner, "attempts")->default_value == "3");
    CHECK(find_input(runner, "report")->default_value == "r.xml");  // the same everywhere it is used
    // The defaults differ: the variable must stay empty, so that each command applies its own.
    const auto* connections = find_input(runner, "connections");
    CHECK(connections->default_value.empty());
    CHECK(connections->description == "With command check: Connections (default: one per probe). With command load: Connections. Default: 0.");
    // Required by one command only: a runner cannot demand it of the others.
    CHECK(find_input(runner, "rate")->requirement == gantry::Requirement::Optional);
    CHECK(find_input(runner, "shards")->positional == gantry::Positional::No);

    REQUIRE(runner.outputs.size() == 3);
    CHECK(runner.outputs[0].description == "Probes that passed. Set by command: check.");
    CHECK(runner.outputs[1].description ==
          "With command check: 95th percentile of the probes. With command load: 95th percentile from the intended send time.");
    CHECK(runner.outputs[2].name == "rps");
}

TEST_CASE("runner_spec: one name with two types cannot be one variable") {
    Tools tools;
    tools.load.inputs.push_back({.name = "attempts", .type = InputType::String, .description = "Attempts."});
    CHECK_THROWS_AS(gantry::runner_spec(tools.set), std::logic_error);
}

TEST_CASE("render_generated: the action carries the command input; the README a table per subcommand") {
    const Tools tools;
    const YAML::Node action = YAML::Load(gantry::render_generated(tools.set, "github-action"));
    CHECK(action["inputs"]["command"]["default"].as<std::string>() == "check");
    CHECK(action["inputs"]["rate"]["required"].as<bool>() == false);
    CHECK(action["outputs"]["rps"]);
    const YAML::Node component = YAML::Load(gantry::render_generated(tools.set, "gitlab-component"));
    CHECK(component["spec"]["inputs"]["command"]["options"].size() == 3);
    const std::string readme = gantry::render_generated(tools.set, "readme");
    CHECK(readme.find("| `command` |") != std::string::npos);
    CHECK(readme.find("#### Inputs with `command: load` (`probe load`)") != std::string::npos);
    CHECK(readme.find("#### Outputs with `command: load merge`") == std::string::npos);  // merge declares none
}

TEST_CASE("choose_command: words on the command line first, then INPUT_COMMAND") {
    const Tools tools;
    const gantry::Environment none;
    const char* merge_argv[] = {"probe", "load", "merge", "a.json"};
    const auto merge = gantry::choose_command(tools.set, 4, merge_argv, none);
    CHECK(merge.name == "load merge");
    CHECK(merge.spec == &tools.merge);
    CHECK(merge.consumed_arguments == 2);

    const char* plain_argv[] = {"probe", "--target", "load"};
    CHECK(gantry::choose_command(tools.set, 3, plain_argv, none).name == "check");

    const gantry::Environment runner(std::map<std::string, std::string>{{"INPUT_COMMAND", " load merge\n"}});
    const auto from_input = gantry::choose_command(tools.set, 1, plain_argv, runner);
    CHECK(from_input.spec == &tools.merge);
    CHECK(from_input.consumed_arguments == 0);
    const char* load_argv[] = {"probe", "load"};
    CHECK(gantry::choose_command(tools.set, 2, load_argv, runner).name == "load");  // the command line wins

    CHECK(gantry::choose_command(tools.set, 1, plain_argv, gantry::Environment(std::map<std::string, std::string>{{"INPUT_COMMAND", "check"}})).spec == &tools.check);
    CHECK_THROWS_AS(gantry::choose_command(tools.set, 1, plain_argv, gantry::Environment(std::map<std::string, std::string>{{"INPUT_COMMAND", "stress"}})),
                    gantry::UsageError);
}
