#include "semver-tag/tag_publisher.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"

namespace semver_tag {

namespace {

using gantry::http::HttpRequest;
using gantry::http::HttpResponse;

constexpr int kAttempts = 3;

std::string url_encode(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

bool retryable(const HttpResponse& response) {
    return response.failure != gantry::http::TransportFailure::None || response.status == 429 || response.status >= 500;
}

// Sends with retries; returns the last answer.
HttpResponse send_with_retries(const HttpRequest& request, const HttpSender& send, const Sleeper& sleep, int& sent) {
    HttpResponse response;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
        response = send(request);
        ++sent;
        if (!retryable(response) || attempt == kAttempts) break;
        sleep(std::chrono::milliseconds(1000 * attempt));
    }
    return response;
}

std::string describe(const HttpResponse& response) {
    if (response.failure != gantry::http::TransportFailure::None) return response.transport_error;
    std::string body = response.body.substr(0, 300);
    return fmt::format("HTTP {}: {}", response.status, body);
}

[[noreturn]] void fail(const ForgeTarget& target, const std::string& what, const HttpResponse& response) {
    if (response.status == 401 || response.status == 403) {
        throw gantry::InputError(fmt::format(
            "{}: the token was refused ({}). Fix: {}", what, describe(response),
            target.forge == Forge::Github ? "give the job `permissions: contents: write` and pass GITHUB_TOKEN"
                                          : "use a project or personal access token with the `api` scope and the "
                                            "right to create tags (CI_JOB_TOKEN cannot)"));
    }
    throw gantry::EnvironmentError(fmt::format("{}: {}", what, describe(response)));
}

HttpRequest json_request(const ForgeTarget& target, const std::string& url, const nlohmann::json& body) {
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.body = body.dump();
    request.headers = {{"Content-Type", "application/json"}, {"User-Agent", "gantry-semver-tag"}};
    if (target.forge == Forge::Github) {
        request.headers.emplace_back("Accept", "application/vnd.github+json");
        request.headers.emplace_back("Authorization", "Bearer " + target.token);
        request.headers.emplace_back("X-GitHub-Api-Version", "2022-11-28");
    } else {
        request.headers.emplace_back("PRIVATE-TOKEN", target.token);
    }
    request.timeout = std::chrono::milliseconds(30000);
    return request;
}

// "api/v1.0.0" -> "api/v1.0.0" with each segment encoded: GitHub's ref paths keep their slashes.
std::string encode_path_segments(const std::string& path) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = path.find('/', start);
        out += url_encode(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) return out;
        out += '/';
        start = slash + 1;
    }
}

std::string json_string(const nlohmann::json& json, const char* object, const char* key) {
    if (!json.is_object() || !json.contains(object) || !json[object].is_object()) return "";
    const nlohmann::json& inner = json[object];
    return inner.contains(key) && inner[key].is_string() ? inner[key].get<std::string>() : "";
}

HttpRequest get_request(const ForgeTarget& target, std::string url) {
    HttpRequest request = json_request(target, std::move(url), nlohmann::json::object());
    request.method = "GET";
    request.body.reset();
    return request;
}

// The commit an existing tag on the forge points at ("" when unknown). GitHub: GET git/ref/tags/NAME,
// whose object is the commit (lightweight) or a tag object, read with GET git/tags/SHA to peel it.
// GitLab: GET repository/tags/NAME, whose commit.id is already peeled.
std::string existing_tag_commit(const ForgeTarget& target, const std::string& name, const HttpSender& send,
                                const Sleeper& sleep, int& sent) {
    if (target.forge == Forge::Gitlab) {
        const HttpResponse response = send_with_retries(
            get_request(target, fmt::format("{}/projects/{}/repository/tags/{}", target.api_url, url_encode(target.repository),
                                            url_encode(name))),
            send, sleep, sent);
        if (response.status != 200) return "";
        return json_string(nlohmann::json::parse(response.body, nullptr, false), "commit", "id");
    }
    const HttpResponse response = send_with_retries(
        get_request(target, fmt::format("{}/repos/{}/git/ref/tags/{}", target.api_url, target.repository, encode_path_segments(name))),
        send, sleep, sent);
    if (response.status != 200) return "";
    const auto ref = nlohmann::json::parse(response.body, nullptr, false);
    const std::string type = json_string(ref, "object", "type");
    const std::string sha = json_string(ref, "object", "sha");
    if (type == "commit") return sha;
    if (type != "tag" || sha.empty()) return "";
    const HttpResponse tag = send_with_retries(
        get_request(target, fmt::format("{}/repos/{}/git/tags/{}", target.api_url, target.repository, sha)), send, sleep, sent);
    if (tag.status != 200) return "";
    const auto object = nlohmann::json::parse(tag.body, nullptr, false);
    return json_string(object, "object", "type") == "commit" ? json_string(object, "object", "sha") : "";
}

void already_exists(const ForgeTarget& target, const PublishedTag& tag, const HttpResponse& response,
                    const HttpSender& send, const Sleeper& sleep, int& sent) {
    const std::string commit = existing_tag_commit(target, tag.name, send, sleep, sent);
    if (commit == tag.commit_id) return;  // published before: nothing to do
    throw gantry::InputError(fmt::format("the tag {} already exists on the forge{} ({})", tag.name,
                                         commit.empty() ? "" : " on commit " + commit.substr(0, 7), describe(response)));
}

}  // namespace

ForgeTarget forge_target_from_environment(const gantry::Environment& environment, const std::string& token) {
    ForgeTarget target;
    target.token = token;
    const auto require = [&](const char* name) {
        auto value = environment.get(name);
        if (!value || value->empty()) throw gantry::UsageError(fmt::format("--push api needs {} (set by the CI platform)", name));
        return *value;
    };
    switch (gantry::detect_platform(environment)) {
        case gantry::CiPlatform::GithubActions:
            target.forge = Forge::Github;
            target.api_url = environment.get("GITHUB_API_URL").value_or("https://api.github.com");
            target.repository = require("GITHUB_REPOSITORY");
            break;
        case gantry::CiPlatform::GitlabCi:
            target.forge = Forge::Gitlab;
            target.api_url = require("CI_API_V4_URL");
            target.repository = require("CI_PROJECT_ID");
            break;
        case gantry::CiPlatform::Shell:
            throw gantry::UsageError("--push api works on GitHub Actions and GitLab CI only (it needs their API and "
                                     "repository variables); elsewhere push the tag with git push");
    }
    if (target.token.empty()) {
        throw gantry::UsageError(target.forge == Forge::Github
                                     ? "--push api needs a token: pass --token or set GITHUB_TOKEN (with contents: write)"
                                     : "--push api needs a token: pass --token or set GITLAB_TOKEN (api scope)");
    }
    return target;
}

int publish_tag(const ForgeTarget& target, const PublishedTag& tag, const HttpSender& send, const Sleeper& sleep) {
    int sent = 0;
    const bool annotated = tag.kind == gantry::TagKind::Annotated;
    if (target.forge == Forge::Gitlab) {
        nlohmann::json body = {{"tag_name", tag.name}, {"ref", tag.commit_id}};
        if (annotated) body["message"] = tag.message;
        const HttpResponse response = send_with_retries(
            json_request(target, fmt::format("{}/projects/{}/repository/tags", target.api_url, url_encode(target.repository)), body),
            send, sleep, sent);
        if (response.status == 201) return sent;
        if (response.status == 400 && response.body.find("already exists") != std::string::npos) {
            already_exists(target, tag, response, send, sleep, sent);
            return sent;
        }
        fail(target, fmt::format("creating the tag {} through GitLab's API", tag.name), response);
    }

    std::string ref_target = tag.commit_id;
    if (annotated) {
        const nlohmann::json body = {{"tag", tag.name},
                                     {"message", tag.message},
                                     {"object", tag.commit_id},
                                     {"type", "commit"},
                                     {"tagger", {{"name", tag.tagger.name}, {"email", tag.tagger.email}, {"date", tag.date}}}};
        const HttpResponse response = send_with_retries(
            json_request(target, fmt::format("{}/repos/{}/git/tags", target.api_url, target.repository), body), send, sleep, sent);
        if (response.status != 201) fail(target, fmt::format("creating the tag object {} through GitHub's API", tag.name), response);
        const auto json = nlohmann::json::parse(response.body, nullptr, false);
        if (!json.is_object() || !json.contains("sha") || !json["sha"].is_string()) {
            throw gantry::EnvironmentError(fmt::format("GitHub's answer to creating the tag object {} has no sha", tag.name));
        }
        ref_target = json["sha"].get<std::string>();
    }
    const HttpResponse response = send_with_retries(
        json_request(target, fmt::format("{}/repos/{}/git/refs", target.api_url, target.repository),
                     {{"ref", "refs/tags/" + tag.name}, {"sha", ref_target}}),
        send, sleep, sent);
    if (response.status == 201) return sent;
    if (response.status == 422 && response.body.find("already exists") != std::string::npos) {
        already_exists(target, tag, response, send, sleep, sent);
        return sent;
    }
    fail(target, fmt::format("creating the ref refs/tags/{} through GitHub's API", tag.name), response);
}

}  // namespace semver_tag
