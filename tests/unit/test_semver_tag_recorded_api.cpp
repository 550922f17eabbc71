// --push api against recorded exchanges: every file in tests/data/semver/api/ holds the requests
// semver-tag must send and the answers GitHub's or GitLab's REST API gives, in the shapes of their
// documentation (the file's "sources"). The fake sender replays them in order and checks each
// request's method, path, headers and JSON body; a request too many or one left unsent fails.
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "semver-tag/tag_publisher.hpp"

using namespace semver_tag;
using gantry::http::HttpRequest;
using gantry::http::HttpResponse;

namespace {

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

nlohmann::json load_recording(const std::string& name) {
    const std::string path = std::string(GANTRY_TEST_DATA_DIR) + "/semver/api/" + name + ".json";
    std::ifstream file(path);
    REQUIRE_MESSAGE(file.good(), path);
    return nlohmann::json::parse(file);
}

ForgeTarget target_for(const nlohmann::json& recording) {
    return recording["forge"] == "github" ? ForgeTarget{Forge::Github, "https://api.github.test", "acme/app", "t0ken"}
                                          : ForgeTarget{Forge::Gitlab, "https://gitlab.test/api/v4", "42", "t0ken"};
}

PublishedTag tag_for(const nlohmann::json& recording) {
    return {"v1.2.0", kCommit, recording["kind"] == "lightweight" ? gantry::TagKind::Lightweight : gantry::TagKind::Annotated,
            "Release v1.2.0\n", {"Bot", "bot@example.invalid"}, "2024-01-01T00:00:00Z"};
}

std::string header(const HttpRequest& request, const std::string& name) {
    for (const auto& [key, value] : request.headers) {
        if (key == name) return value;
    }
    return "(not sent)";
}

// How `request` differs from the recorded one (empty when it is the same).
std::vector<std::string> differences(const HttpRequest& request, const nlohmann::json& expected, const std::string& api_url) {
    std::vector<std::string> out;
    if (request.method != expected["method"].get<std::string>()) out.push_back("method " + request.method);
    if (request.url != api_url + expected["path"].get<std::string>()) out.push_back("url " + request.url);
    for (const auto& [name, value] : expected["headers"].items()) {
        if (header(request, name) != value.get<std::string>()) out.push_back("header " + name + ": " + header(request, name));
    }
    if (expected.contains("body")) {
        if (!request.body) {
            out.push_back("no body");
        } else if (nlohmann::json::parse(*request.body, nullptr, false) != expected["body"]) {
            out.push_back("body " + *request.body);
        }
    } else if (request.body) {
        out.push_back("a body on a request that has none");
    }
    return out;
}

// Replays the recording's answers, checking that each request is the recorded one.
struct RecordedForge {
    const nlohmann::json& exchanges;
    std::string api_url;
    std::size_t next = 0;

    HttpResponse operator()(const HttpRequest& request) {
        REQUIRE_MESSAGE(next < exchanges.size(), "a request the recording does not have: " << request.method << " " << request.url);
        const nlohmann::json& exchange = exchanges[next++];
        for (const std::string& difference : differences(request, exchange["request"], api_url)) {
            FAIL_CHECK("request " << next << " differs from the recording: " << difference);
        }
        HttpResponse response;
        response.status = exchange["response"]["status"].get<long>();
        response.body = exchange["response"]["body"].dump();
        return response;
    }
};

// Publishes the recording's tag and checks the outcome it expects.
void replay(const std::string& name) {
    const nlohmann::json recording = load_recording(name);
    const ForgeTarget target = target_for(recording);
    RecordedForge forge{recording["exchanges"], target.api_url};
    std::vector<std::chrono::milliseconds> pauses;
    const Sleeper sleeper = [&](std::chrono::milliseconds pause) { pauses.push_back(pause); };
    const nlohmann::json& expect = recording["expect"];
    if (expect.contains("error")) {
        try {
            publish_tag(target, tag_for(recording), std::ref(forge), sleeper);
            FAIL("expected an InputError");
        } catch (const gantry::InputError& error) {
            for (const auto& part : expect["message"]) {
                CHECK_MESSAGE(std::string(error.what()).find(part.get<std::string>()) != std::string::npos, error.what());
            }
            CHECK(std::string(error.what()).find("t0ken") == std::string::npos);
        }
    } else {
        CHECK(publish_tag(target, tag_for(recording), std::ref(forge), sleeper) == static_cast<int>(recording["exchanges"].size()));
    }
    CHECK_MESSAGE(forge.next == recording["exchanges"].size(), "requests the recording has but semver-tag did not send");
    CHECK(pauses.empty());
}

}  // namespace

TEST_SUITE("semver-tag publish") {
    TEST_CASE("recorded-API: GitHub, annotated tag: POST git/tags, then POST git/refs to the tag object") { replay("github-annotated"); }
    TEST_CASE("recorded-API: GitHub, lightweight tag: POST git/refs to the commit") { replay("github-lightweight"); }
    TEST_CASE("recorded-API: GitHub, 422 Reference already exists, peeled through GET git/ref and git/tags to the same commit") {
        replay("github-exists-same-commit");
    }
    TEST_CASE("recorded-API: GitHub, 422 Reference already exists on another commit is an InputError naming it") {
        replay("github-exists-other-commit");
    }
    TEST_CASE("recorded-API: GitHub, 403 Resource not accessible by integration names contents: write") {
        replay("github-token-refused");
    }
    TEST_CASE("recorded-API: GitLab, annotated tag: POST repository/tags with the message") { replay("gitlab-annotated"); }
    TEST_CASE("recorded-API: GitLab, 400 Tag already exists, GET repository/tags/:name on the same commit") {
        replay("gitlab-exists-same-commit");
    }
    TEST_CASE("recorded-API: GitLab, 400 Tag already exists on another commit is an InputError naming it") {
        replay("gitlab-exists-other-commit");
    }
    TEST_CASE("recorded-API: a request unlike the recording is caught (method, path, header, body)") {
        const nlohmann::json recording = load_recording("github-lightweight");
        const nlohmann::json& expected = recording["exchanges"][0]["request"];
        HttpRequest request;
        request.method = "POST";
        request.url = "https://api.github.test/repos/acme/app/git/refs";
        request.body = R"({"ref": "refs/tags/v1.2.0", "sha": "0123456789abcdef0123456789abcdef01234567"})";
        for (const auto& [name, value] : expected["headers"].items()) request.headers.emplace_back(name, value.get<std::string>());
        CHECK(differences(request, expected, "https://api.github.test").empty());

        HttpRequest wrong = request;
        wrong.method = "PATCH";
        CHECK(differences(wrong, expected, "https://api.github.test").size() == 1);
        wrong = request;
        wrong.url += "/tags/v1.2.0";
        CHECK(differences(wrong, expected, "https://api.github.test").size() == 1);
        wrong = request;
        wrong.headers.front().second = "other";
        CHECK(differences(wrong, expected, "https://api.github.test").size() == 1);
        wrong = request;
        wrong.body = R"({"ref": "v1.2.0", "sha": "0123456789abcdef0123456789abcdef01234567"})";
        CHECK(differences(wrong, expected, "https://api.github.test").size() == 1);
    }
}
