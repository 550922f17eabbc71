#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "semver-tag/tag_publisher.hpp"

using namespace semver_tag;
using gantry::http::HttpRequest;
using gantry::http::HttpResponse;

namespace {

// Answers requests from a script, in order, and records them.
struct FakeForge {
    std::deque<HttpResponse> answers;
    std::vector<HttpRequest> requests;
    std::vector<std::chrono::milliseconds> pauses;

    void answer(long status, std::string body = "{}") {
        HttpResponse response;
        response.status = status;
        response.body = std::move(body);
        answers.push_back(std::move(response));
    }
    void drop() {
        HttpResponse response;
        response.failure = gantry::http::TransportFailure::Refused;
        response.transport_error = "connection refused";
        answers.push_back(std::move(response));
    }
    HttpSender sender() {
        return [this](const HttpRequest& request) {
            requests.push_back(request);
            REQUIRE_FALSE(answers.empty());
            HttpResponse response = answers.front();
            answers.pop_front();
            return response;
        };
    }
    Sleeper sleeper() {
        return [this](std::chrono::milliseconds pause) { pauses.push_back(pause); };
    }
};

const PublishedTag kTag{"v1.2.0", "0123456789abcdef0123456789abcdef01234567", gantry::TagKind::Annotated, "Release v1.2.0\n",
                        {"Bot", "bot@example.invalid"}, "2024-01-01T00:00:00Z"};
const ForgeTarget kGithub{Forge::Github, "https://api.github.test", "acme/app", "t0ken"};
const ForgeTarget kGitlab{Forge::Gitlab, "https://gitlab.test/api/v4", "42", "t0ken"};

std::string header(const HttpRequest& request, const std::string& name) {
    for (const auto& [key, value] : request.headers) {
        if (key == name) return value;
    }
    return "";
}

gantry::Environment env(const std::map<std::string, std::string>& variables) { return gantry::Environment(variables); }

}  // namespace

TEST_SUITE("semver-tag publish") {
    TEST_CASE("GitHub, annotated: a tag object, then a ref to it") {
        FakeForge forge;
        forge.answer(201, R"({"sha": "feedfacefeedfacefeedfacefeedfacefeedface"})");
        forge.answer(201);
        CHECK(publish_tag(kGithub, kTag, forge.sender(), forge.sleeper()) == 2);
        REQUIRE(forge.requests.size() == 2);
        CHECK(forge.requests[0].url == "https://api.github.test/repos/acme/app/git/tags");
        const auto object = nlohmann::json::parse(*forge.requests[0].body);
        CHECK(object["tag"] == "v1.2.0");
        CHECK(object["object"] == kTag.commit_id);
        CHECK(object["tagger"]["name"] == "Bot");
        CHECK(header(forge.requests[0], "Authorization") == "Bearer t0ken");
        CHECK(forge.requests[1].url == "https://api.github.test/repos/acme/app/git/refs");
        const auto ref = nlohmann::json::parse(*forge.requests[1].body);
        CHECK(ref["ref"] == "refs/tags/v1.2.0");
        CHECK(ref["sha"] == "feedfacefeedfacefeedfacefeedfacefeedface");
    }

    TEST_CASE("GitHub, lightweight: the ref alone, to the commit") {
        FakeForge forge;
        forge.answer(201);
        PublishedTag tag = kTag;
        tag.kind = gantry::TagKind::Lightweight;
        CHECK(publish_tag(kGithub, tag, forge.sender(), forge.sleeper()) == 1);
        CHECK(nlohmann::json::parse(*forge.requests[0].body)["sha"] == kTag.commit_id);
    }

    TEST_CASE("GitLab: one call to the tags API with the message") {
        FakeForge forge;
        forge.answer(201);
        CHECK(publish_tag(kGitlab, kTag, forge.sender(), forge.sleeper()) == 1);
        CHECK(forge.requests[0].url == "https://gitlab.test/api/v4/projects/42/repository/tags");
        CHECK(header(forge.requests[0], "PRIVATE-TOKEN") == "t0ken");
        const auto body = nlohmann::json::parse(*forge.requests[0].body);
        CHECK(body["tag_name"] == "v1.2.0");
        CHECK(body["ref"] == kTag.commit_id);
        CHECK(body["message"] == "Release v1.2.0\n");
    }

    TEST_CASE("retries transport failures, 429 and 5xx, then gives up with an EnvironmentError") {
        FakeForge forge;
        forge.drop();
        forge.answer(503);
        forge.answer(201);
        CHECK(publish_tag(kGitlab, kTag, forge.sender(), forge.sleeper()) == 3);
        CHECK(forge.pauses == std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(1000), std::chrono::milliseconds(2000)});

        FakeForge down;
        down.answer(502);
        down.answer(429);
        down.answer(500);
        CHECK_THROWS_AS(publish_tag(kGitlab, kTag, down.sender(), down.sleeper()), gantry::EnvironmentError);
        CHECK(down.requests.size() == 3);
    }

    TEST_CASE("a refused token is an InputError with the permission to add; 4xx are not retried") {
        FakeForge forge;
        forge.answer(403, R"({"message": "Resource not accessible by integration"})");
        try {
            publish_tag(kGithub, kTag, forge.sender(), forge.sleeper());
            FAIL("expected an InputError");
        } catch (const gantry::InputError& error) {
            CHECK(std::string(error.what()).find("contents: write") != std::string::npos);
        }
        CHECK(forge.requests.size() == 1);
    }

    TEST_CASE("idempotent: the tag already on the forge for the same commit is fine, for another an error") {
        FakeForge same;
        same.answer(400, R"({"message": "Tag v1.2.0 already exists"})");
        same.answer(200, R"({"name": "v1.2.0", "commit": {"id": "0123456789abcdef0123456789abcdef01234567"}})");
        CHECK_NOTHROW(publish_tag(kGitlab, kTag, same.sender(), same.sleeper()));
        CHECK(same.requests[1].method == "GET");
        CHECK(same.requests[1].url == "https://gitlab.test/api/v4/projects/42/repository/tags/v1.2.0");

        FakeForge other;
        PublishedTag tag = kTag;
        tag.kind = gantry::TagKind::Lightweight;
        other.answer(422, R"({"message": "Reference already exists"})");
        other.answer(200, R"({"ref": "refs/tags/v1.2.0", "object": {"type": "commit", "sha": "ffffffffffffffffffffffffffffffffffffffff"}})");
        CHECK_THROWS_AS(publish_tag(kGithub, tag, other.sender(), other.sleeper()), gantry::InputError);
        CHECK(other.requests[1].url == "https://api.github.test/repos/acme/app/git/ref/tags/v1.2.0");
    }

    TEST_CASE("the target from the CI environment") {
        const ForgeTarget github = forge_target_from_environment(
            env({{"GITHUB_ACTIONS", "true"}, {"GITHUB_REPOSITORY", "a/b"}, {"GITHUB_API_URL", "https://ghe/api/v3"}}), "x");
        CHECK(github.forge == Forge::Github);
        CHECK(github.api_url == "https://ghe/api/v3");
        CHECK(github.repository == "a/b");
        const ForgeTarget gitlab = forge_target_from_environment(
            env({{"GITLAB_CI", "true"}, {"CI_API_V4_URL", "https://gl/api/v4"}, {"CI_PROJECT_ID", "7"}}), "x");
        CHECK(gitlab.forge == Forge::Gitlab);
        CHECK(gitlab.repository == "7");
        CHECK_THROWS_AS(forge_target_from_environment(env({{"HOME", "/"}}), "x"), gantry::UsageError);
        CHECK_THROWS_AS(forge_target_from_environment(env({{"GITHUB_ACTIONS", "true"}, {"GITHUB_REPOSITORY", "a/b"}}), ""),
                        gantry::UsageError);
        CHECK_THROWS_AS(forge_target_from_environment(env({{"GITLAB_CI", "true"}}), "x"), gantry::UsageError);
    }
}
