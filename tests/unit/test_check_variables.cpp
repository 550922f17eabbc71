#include <doctest/doctest.h>

#include <map>
#include <stdexcept>

#include "gantry/base/error.hpp"
#include "gantry/checks/variables.hpp"

using gantry::checks::Variables;

TEST_CASE("variables: --var wins over the environment, defaults and escapes") {
    Variables variables(gantry::Environment(std::map<std::string, std::string>{{"HOST", "env-host"}, {"EMPTY", ""}}));
    variables.define("PORT=8080");
    CHECK(variables.expand("http://${HOST}:${PORT}/") == "http://env-host:8080/");
    variables.define("HOST=cli-host");
    CHECK(variables.expand("${HOST}") == "cli-host");
    CHECK(variables.expand("${MISSING:-fallback}") == "fallback");
    CHECK(variables.expand("${EMPTY:-fallback}") == "fallback");
    CHECK(variables.expand("cost $5 and $${LITERAL}") == "cost $5 and ${LITERAL}");
    variables.define("EQ=a=b");
    CHECK(variables.expand("${EQ}") == "a=b");
}

TEST_CASE("variables: unknown names and bad syntax are errors") {
    Variables variables;
    CHECK_THROWS_WITH_AS(variables.expand("${NOPE}"),
                         "variable NOPE is not set (set it in the environment, pass --var NOPE=VALUE, or write ${NOPE:-default})",
                         gantry::ValueError);
    CHECK_THROWS_AS(variables.expand("${OPEN"), gantry::ValueError);
    CHECK_THROWS_AS(variables.expand("${1X}"), gantry::ValueError);
    CHECK_THROWS_AS(variables.define("novalue"), gantry::UsageError);
    CHECK_THROWS_AS(variables.define("=x"), gantry::UsageError);
}

TEST_CASE("variables: only secret ones with a value are reported for masking") {
    Variables variables(gantry::Environment(std::map<std::string, std::string>{{"TOKEN", "abc"}, {"PUBLIC", "p"}}));
    variables.mark_secret("TOKEN");
    variables.mark_secret("UNSET");
    CHECK(variables.secrets() == std::vector<std::string>{"abc"});
}
