// The built-in SARIF schema's `pattern` and date-time checks on strings from hostile files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "gantry/sarif/sarif_schema.hpp"

using nlohmann::json;

namespace {

std::vector<std::string> problems(const json& value, std::string_view definition) {
    std::vector<std::string> found;
    for (const auto& violation : gantry::SarifSchema().check(value, definition)) {
        found.push_back(violation.pointer + ": " + violation.message);
    }
    return found;
}

}  // namespace

TEST_CASE("sarif schema: patterns and date-times are checked, and a string of 100 KB crashes nothing") {
    CHECK(problems({{"mimeType", "text/plain"}}, "artifact").empty());
    CHECK(problems({{"mimeType", "plain"}}, "artifact") ==
          std::vector<std::string>{"/mimeType: expected a string matching [^/]+/.+, found \"plain\""});
    // std::regex recursed once per character here and overflowed the stack.
    const std::string long_type = std::string(100000, 'x') + "/" + std::string(100000, 'y');
    CHECK(problems({{"mimeType", long_type}}, "artifact") ==
          std::vector<std::string>{"/mimeType: expected a string matching [^/]+/.+ of at most 1024 bytes, found 200001 bytes"});

    const json invocation = {{"executionSuccessful", true}, {"endTimeUtc", "2024-05-01T12:00:00.125Z"}};
    CHECK(problems(invocation, "invocation").empty());
    json long_time = invocation;
    long_time["endTimeUtc"] = "2024-05-01T12:00:00." + std::string(100000, '1') + "Z";
    const auto found = problems(long_time, "invocation");
    REQUIRE(found.size() == 1);
    CHECK(found[0].find("/endTimeUtc: expected a date-time (RFC 3339") == 0);
}

TEST_CASE("sarif schema: the built-in text, kept compressed, is byte for byte the official file") {
    const std::filesystem::path file =
        std::filesystem::path(GANTRY_TEST_DATA_DIR) / ".." / ".." / "src" / "core" / "sarif" / "schema" / "sarif-schema-2.1.0.json";
    std::ifstream in(file, std::ios::binary);
    REQUIRE(in);
    const std::string official((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(gantry::SarifSchema::builtin_text() == official);
}
