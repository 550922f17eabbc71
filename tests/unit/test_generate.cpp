#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gantry/base/error.hpp"
#include "gantry/cli/generate.hpp"
#include "gantry/cli/inputs.hpp"
#include "gantry/version.hpp"

using gantry::InputType;

namespace {

gantry::ToolSpec generate_test_spec() {
    gantry::ToolSpec spec;
    spec.name = "demo-tool";
    spec.summary = "Check things in a pipeline";
    spec.inputs = {
        {.name = "reports", .type = InputType::List, .description = "Reports | to read.", .value_name = "REPORT",
         .requirement = gantry::Requirement::Required, .positional = gantry::Positional::Yes},
        {.name = "fail-on", .type = InputType::String, .description = "Threshold: a severity.",
         .default_value = "high", .choices = {"low", "high"}},
        {.name = "top", .type = InputType::Number, .description = "How many.", .default_value = "10"},
        {.name = "min-score", .type = InputType::Number, .description = "Score."},
        {.name = "fixed-only", .type = InputType::Boolean, .description = "Only fixed."},
        {.name = "version-like", .type = InputType::String, .description = "Stays a string.", .default_value = "1.0"},
        {.name = "today", .type = InputType::String, .description = "Local only.",
         .exposure = gantry::Exposure::CommandLineOnly},
    };
    spec.outputs = {{"passed", "true when it passed"}, {"count", "How many"}};
    spec.branding_icon = "check";
    spec.branding_color = "green";
    return spec;
}

std::vector<gantry::InputSpec> exposed(const gantry::ToolSpec& spec) {
    std::vector<gantry::InputSpec> inputs;
    for (const auto& input : gantry::all_inputs(spec)) {
        if (input.exposure == gantry::Exposure::Everywhere) inputs.push_back(input);
    }
    return inputs;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("generate") {
    TEST_CASE("image_reference pins the toolkit version") {
        CHECK(gantry::image_reference(generate_test_spec()) ==
              std::string("ghcr.io/gantry-ci/demo-tool:") + gantry::build_info::kVersion);
    }

    TEST_CASE("action.yml parses and declares every exposed input, the outputs and the image") {
        const auto spec = generate_test_spec();
        const YAML::Node action = YAML::Load(gantry::render_github_action(spec));
        CHECK(action["name"].as<std::string>() == "gantry demo-tool");
        CHECK(action["description"].as<std::string>() == spec.summary);
        for (const auto& input : exposed(spec)) {
            const YAML::Node node = action["inputs"][input.name];
            REQUIRE_MESSAGE(node.IsMap(), input.name);
            CHECK(contains(node["description"].as<std::string>(), input.description));
            CHECK(node["required"].as<bool>() == (input.requirement == gantry::Requirement::Required));
            if (input.default_value.empty()) {
                CHECK_FALSE(node["default"].IsDefined());
            } else {
                CHECK(node["default"].as<std::string>() == input.default_value);
            }
        }
        CHECK_FALSE(action["inputs"]["today"].IsDefined());
        CHECK_FALSE(action["inputs"]["dotenv-file"].IsDefined());
        CHECK(action["inputs"].size() == exposed(spec).size());
        CHECK(contains(action["inputs"]["fail-on"]["description"].as<std::string>(), "One of: low, high."));
        CHECK(action["outputs"]["passed"]["description"].as<std::string>() == "true when it passed");
        CHECK(action["runs"]["using"].as<std::string>() == "docker");
        CHECK(action["runs"]["image"].as<std::string>() == "docker://" + gantry::image_reference(spec));
        CHECK_FALSE(action["runs"]["args"].IsDefined());
        CHECK(action["branding"]["icon"].as<std::string>() == "check");
        CHECK(action["branding"]["color"].as<std::string>() == "green");
        // A default that looks like a number stays a string.
        CHECK(action["inputs"]["version-like"]["default"].Tag() == "!");
    }

    TEST_CASE("the GitLab component: typed spec inputs, then one job fed only through variables") {
        const auto spec = generate_test_spec();
        const std::string text = gantry::render_gitlab_component(spec);
        const std::vector<YAML::Node> documents = YAML::LoadAll(text);
        REQUIRE(documents.size() == 2);
        CHECK(contains(text, "\n---\n"));

        const YAML::Node inputs = documents[0]["spec"]["inputs"];
        CHECK(inputs["stage"]["default"].as<std::string>() == "test");
        CHECK(inputs["job-prefix"]["default"].as<std::string>() == "gantry");
        for (const auto& input : exposed(spec)) REQUIRE_MESSAGE(inputs[input.name].IsMap(), input.name);
        CHECK(inputs.size() == exposed(spec).size() + 2);
        CHECK_FALSE(inputs["today"].IsDefined());

        CHECK(inputs["reports"]["type"].as<std::string>() == "array");
        CHECK_FALSE(inputs["reports"]["default"].IsDefined());  // required: mandatory in GitLab
        CHECK(inputs["fail-on"]["type"].as<std::string>() == "string");
        CHECK(inputs["fail-on"]["default"].as<std::string>() == "high");
        CHECK(inputs["fail-on"]["options"].size() == 2);
        CHECK(inputs["format"]["options"][0].as<std::string>() == "auto");
        CHECK(inputs["top"]["type"].as<std::string>() == "number");
        CHECK(inputs["top"]["default"].as<int>() == 10);
        CHECK(inputs["min-score"]["type"].as<std::string>() == "string");  // optional, no default
        CHECK(inputs["min-score"]["default"].as<std::string>() == "");
        CHECK(inputs["fixed-only"]["type"].as<std::string>() == "boolean");
        CHECK(inputs["fixed-only"]["default"].as<bool>() == false);
        CHECK(inputs["json"]["default"].as<std::string>() == "gantry-demo-tool.json");

        const YAML::Node job = documents[1]["$[[ inputs.job-prefix ]]-demo-tool"];
        REQUIRE(job.IsMap());
        CHECK(documents[1].size() == 1);
        CHECK(job["image"]["name"].as<std::string>() == gantry::image_reference(spec));
        CHECK(job["image"]["entrypoint"][0].as<std::string>() == "");
        CHECK(job["stage"].as<std::string>() == "$[[ inputs.stage ]]");
        CHECK(job["script"].size() == 1);
        CHECK(job["script"][0].as<std::string>() == "demo-tool");
        for (const auto& input : exposed(spec)) {
            const YAML::Node variable = job["variables"][gantry::portable_input_variable(input.name)];
            REQUIRE_MESSAGE(variable.IsScalar(), input.name);
            CHECK(contains(variable.as<std::string>(), "$[[ inputs." + input.name + " ]]"));
        }
        CHECK(job["variables"]["INPUT_FAIL_ON"].as<std::string>() == "$[[ inputs.fail-on ]]");
        CHECK(job["variables"]["INPUT_REPORTS"].as<std::string>() == "$[[ inputs.reports ]]\n");
        CHECK(job["artifacts"]["when"].as<std::string>() == "always");
        CHECK(job["artifacts"]["reports"]["dotenv"].as<std::string>() == "gantry.env");
        CHECK(job["artifacts"]["paths"][0].as<std::string>() == "$[[ inputs.json ]]");
    }

    TEST_CASE("file inputs become artifacts of the component: GitLab reports by kind, the rest as paths") {
        gantry::ToolSpec spec = generate_test_spec();
        spec.inputs.push_back({.name = "junit", .type = InputType::String, .description = "JUnit file.",
                               .artifact = gantry::Artifact::JunitReport, .component_default = "demo-junit.xml"});
        spec.inputs.push_back({.name = "out", .type = InputType::String, .description = "A file.",
                               .default_value = "out.json", .artifact = gantry::Artifact::File});
        const auto documents = YAML::LoadAll(gantry::render_gitlab_component(spec));
        REQUIRE(documents.size() == 2);
        CHECK(documents[0]["spec"]["inputs"]["junit"]["default"].as<std::string>() == "demo-junit.xml");
        const YAML::Node artifacts = documents[1]["$[[ inputs.job-prefix ]]-demo-tool"]["artifacts"];
        CHECK(artifacts["reports"]["junit"].as<std::string>() == "$[[ inputs.junit ]]");
        CHECK(artifacts["reports"]["dotenv"].as<std::string>() == "gantry.env");
        std::vector<std::string> paths;
        for (const auto& path : artifacts["paths"]) paths.push_back(path.as<std::string>());
        CHECK(paths == std::vector<std::string>{"$[[ inputs.junit ]]", "$[[ inputs.out ]]", "$[[ inputs.json ]]",
                                                "$[[ inputs.summary-file ]]"});
    }

    TEST_CASE("README tables list exposed inputs and outputs, escaping pipes") {
        const std::string tables = gantry::render_readme_tables(generate_test_spec());
        CHECK(tables.rfind("#### Inputs\n\n| Input | Description | Default |\n| --- | --- | --- |\n", 0) == 0);
        CHECK(contains(tables, "| `reports` | Reports \\| to read. One per line. | *required* |\n"));
        CHECK(contains(tables, "| `fail-on` | Threshold: a severity. One of: low, high. | `high` |\n"));
        CHECK(contains(tables, "gantry-&lt;tool&gt;.json") == false);
        CHECK(contains(tables, "gantry-&lt;tool>.json"));
        CHECK_FALSE(contains(tables, "`today`"));
        CHECK(contains(tables, "#### Outputs\n\n| Output | Description |\n| --- | --- |\n| `passed` | true when it passed |\n"));
    }

    TEST_CASE("render_generated dispatches on the --generate value") {
        const auto spec = generate_test_spec();
        CHECK(gantry::render_generated(spec, "github-action") == gantry::render_github_action(spec));
        CHECK(gantry::render_generated(spec, "readme") == gantry::render_readme_tables(spec));
        CHECK_THROWS_AS(gantry::render_generated(spec, "docs"), gantry::UsageError);
    }
}
