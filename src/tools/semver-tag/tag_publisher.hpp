// Publishing a tag through a forge's REST API, for CI jobs whose checkout cannot push.
//
// GitHub: an annotated tag is a tag object (POST /repos/{repo}/git/tags) and a ref to it
// (POST /repos/{repo}/git/refs); a lightweight tag is the ref alone, to the commit. GitLab: one
// POST /projects/{id}/repository/tags (with a message for an annotated tag). The API base, the
// repository and the token come from the CI environment (GITHUB_API_URL, GITHUB_REPOSITORY; or
// CI_API_V4_URL, CI_PROJECT_ID) with a token given by the caller. Transport failures, 429 and 5xx
// answers are retried (3 attempts, 1 s then 2 s apart); a tag that already exists on the forge
// (GitHub: 422 "Reference already exists", then GET git/ref/tags/NAME, peeled through GET
// git/tags/SHA for an annotated tag; GitLab: 400 "Tag NAME already exists", then GET
// repository/tags/NAME) for the same commit counts as published (idempotent), for another commit
// it is an InputError;
// 401/403 are InputErrors naming the token's missing permission; other failures EnvironmentError.
// The sender is injected so tests can answer without a network.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "gantry/git/git_repository.hpp"
#include "gantry/http/http_exchange.hpp"
#include "gantry/platform/environment.hpp"

namespace semver_tag {

enum class Forge { Github, Gitlab };

struct ForgeTarget {
    Forge forge = Forge::Github;
    std::string api_url;     // "https://api.github.com", "https://gitlab.com/api/v4"
    std::string repository;  // "owner/name" (GitHub) or the project id (GitLab)
    std::string token;
};

// The target from the environment (GITHUB_* on GitHub Actions, CI_* on GitLab CI); UsageError when
// the platform is neither or a variable is missing.
ForgeTarget forge_target_from_environment(const gantry::Environment& environment, const std::string& token);

struct PublishedTag {
    std::string name;
    std::string commit_id;
    gantry::TagKind kind = gantry::TagKind::Annotated;
    std::string message;
    gantry::TagSignature tagger;
    std::string date;  // ISO 8601, for GitHub's tagger
};

using HttpSender = std::function<gantry::http::HttpResponse(const gantry::http::HttpRequest&)>;
using Sleeper = std::function<void(std::chrono::milliseconds)>;

// Publishes the tag; returns how many requests were sent (retries included).
int publish_tag(const ForgeTarget& target, const PublishedTag& tag, const HttpSender& send, const Sleeper& sleep);

}  // namespace semver_tag
