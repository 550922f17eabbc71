#include <doctest/doctest.h>

#include <map>
#include <string>

#include "gantry/platform/environment.hpp"

using gantry::CiPlatform;
using gantry::Environment;

namespace {

// A brace list alone would be ambiguous between Environment's map and copy constructors.
Environment environment_of(const std::map<std::string, std::string>& variables) { return Environment(variables); }

}  // namespace

TEST_SUITE("environment") {
    TEST_CASE("get() returns set values, empty ones included; has() wants a non-empty value") {
        const Environment environment({{"A", "1"}, {"EMPTY", ""}});
        CHECK(environment.get("A") == "1");
        CHECK(environment.get("EMPTY") == "");
        CHECK_FALSE(environment.get("MISSING").has_value());
        CHECK(environment.has("A"));
        CHECK_FALSE(environment.has("EMPTY"));
        CHECK_FALSE(environment.has("MISSING"));
    }

    TEST_CASE("set() adds and replaces") {
        Environment environment;
        environment.set("X", "1");
        environment.set("X", "2");
        CHECK(environment.get("X") == "2");
        CHECK(environment.variables().size() == 1);
    }

    TEST_CASE("the platform is detected from GITHUB_ACTIONS and GITLAB_CI") {
        CHECK(gantry::detect_platform(environment_of({{"GITHUB_ACTIONS", "true"}})) == CiPlatform::GithubActions);
        CHECK(gantry::detect_platform(environment_of({{"GITLAB_CI", "true"}})) == CiPlatform::GitlabCi);
        CHECK(gantry::detect_platform(environment_of({{"GITHUB_ACTIONS", "false"}, {"GITLAB_CI", "1"}})) == CiPlatform::Shell);
        CHECK(gantry::detect_platform(Environment()) == CiPlatform::Shell);
        CHECK(gantry::to_string(CiPlatform::GithubActions) == "github");
        CHECK(gantry::to_string(CiPlatform::GitlabCi) == "gitlab");
        CHECK(gantry::to_string(CiPlatform::Shell) == "shell");
    }

    TEST_CASE("from_process() snapshots the real environment") {
        const Environment environment = Environment::from_process();
        // The test runner always has a PATH; values may contain '='.
        CHECK(environment.has("PATH"));
        for (const auto& [name, value] : environment.variables()) CHECK_FALSE(name.empty());
    }
}
