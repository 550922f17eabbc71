#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "gantry/findings/sarif_result_identity.hpp"

using namespace gantry;
using Json = nlohmann::json;

namespace {

std::string identity(const char* result) { return sarif_result_identity(Json::parse(result)); }

}  // namespace

TEST_SUITE("sarif result identity") {

TEST_CASE("fingerprints identify a result on their own, in any member order") {
    CHECK(identity(R"({"ruleId": "r", "fingerprints": {"a/v1": "1", "b/v1": "2"}, "message": {"text": "x"},
                       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c"}}}]})") ==
          identity(R"({"fingerprints": {"b/v1": "2", "a/v1": "1"}, "ruleId": "r", "message": {"text": "y"},
                       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "b.c"}}}]})"));
    CHECK(identity(R"({"ruleId": "r", "fingerprints": {"a/v1": "1"}})") !=
          identity(R"({"ruleId": "s", "fingerprints": {"a/v1": "1"}})"));
    // Full fingerprints win over partial ones.
    CHECK(identity(R"({"ruleId": "r", "fingerprints": {"a": "1"}, "partialFingerprints": {"p": "1"}})") ==
          identity(R"({"ruleId": "r", "fingerprints": {"a": "1"}, "partialFingerprints": {"p": "2"}})"));
}

TEST_CASE("partial fingerprints count within one artifact only") {
    const char* here = R"({"ruleId": "r", "partialFingerprints": {"primaryLocationLineHash": "5e4d:1"}, "message": {"text": "a"},
                           "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 3}}}]})";
    const char* moved = R"({"ruleId": "r", "partialFingerprints": {"primaryLocationLineHash": "5e4d:1"}, "message": {"text": "b"},
                            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 9}}}]})";
    const char* elsewhere = R"({"ruleId": "r", "partialFingerprints": {"primaryLocationLineHash": "5e4d:1"},
                                "locations": [{"physicalLocation": {"artifactLocation": {"uri": "b.js"}, "region": {"startLine": 3}}}]})";
    CHECK(identity(here) == identity(moved));
    CHECK(identity(here) != identity(elsewhere));
}

TEST_CASE("without fingerprints: rule, message as stated, artifact and region") {
    const char* base = R"({"ruleId": "r", "message": {"text": "m"},
                           "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c"}, "region": {"startLine": 3}}}]})";
    CHECK(identity(base) == identity(R"({"rule": {"id": "r"}, "message": {"text": "m"}, "level": "error",
        "locations": [{"physicalLocation": {"region": {"startLine": 3}, "artifactLocation": {"uri": "a.c"}}}]})"));
    CHECK(identity(base) != identity(R"({"ruleId": "r", "message": {"text": "m"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c"}, "region": {"startLine": 4}}}]})"));
    CHECK(identity(base) != identity(R"({"ruleId": "r", "message": {"text": "m"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c", "uriBaseId": "SRC"}, "region": {"startLine": 3}}}]})"));
    // A message string with arguments: the arguments tell results apart.
    CHECK(identity(R"({"ruleId": "r", "message": {"id": "default", "arguments": ["x"]}})") !=
          identity(R"({"ruleId": "r", "message": {"id": "default", "arguments": ["y"]}})"));
    // SARIF 2.0.0's fileLocation names the artifact the same way.
    CHECK(identity(base) == identity(R"({"ruleId": "r", "message": {"text": "m"},
        "locations": [{"physicalLocation": {"fileLocation": {"uri": "a.c"}, "region": {"startLine": 3}}}]})"));
    CHECK(identity(R"({"ruleId": "r", "message": {"text": "m"}, "locations": [{"physicalLocation": {"fileLocation": {"uri": "a.c"}}}]})") !=
          identity(R"({"ruleId": "r", "message": {"text": "m"}, "locations": [{"physicalLocation": {"fileLocation": {"uri": "b.c"}}}]})"));
}

TEST_CASE("odd shapes are absent members, never errors") {
    CHECK_NOTHROW(identity("{}"));
    CHECK_NOTHROW(identity("[]"));
    CHECK(identity(R"({"ruleId": 5, "message": "text", "locations": {}, "fingerprints": []})") == identity("{}"));
    CHECK(identity(R"({"ruleId": "r", "partialFingerprints": {}})") == identity(R"({"ruleId": "r"})"));
}

}  // TEST_SUITE
