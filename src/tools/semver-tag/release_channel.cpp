#include "semver-tag/release_channel.hpp"

#include <fnmatch.h>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/semver/semantic_version.hpp"

namespace semver_tag {

namespace {

// Branch names hold '/', and `release/*` must match release/1.x: fnmatch without FNM_PATHNAME.
bool branch_matches(const std::string& glob, const std::string& branch) {
    return fnmatch(glob.c_str(), branch.c_str(), 0) == 0;
}

}  // namespace

PrereleaseRule parse_prerelease_rule(const std::string& text) {
    const std::size_t eq = text.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
        throw gantry::UsageError(fmt::format("--prerelease-branch: \"{}\" is not GLOB=ID (e.g. develop=rc)", text));
    }
    PrereleaseRule rule{text.substr(0, eq), text.substr(eq + 1)};
    if (!gantry::parse_semantic_version("0.0.0-" + rule.identifier + ".1")) {
        throw gantry::UsageError(fmt::format("--prerelease-branch: \"{}\" is not a SemVer pre-release identifier "
                                             "(letters, digits and '-', dot-separated)", rule.identifier));
    }
    return rule;
}

std::optional<std::string> branch_from_environment(const gantry::Environment& environment) {
    switch (gantry::detect_platform(environment)) {
        case gantry::CiPlatform::GithubActions:
            // Pull-request runs check out a merge commit; the head ref names the branch.
            if (environment.has("GITHUB_HEAD_REF")) return environment.get("GITHUB_HEAD_REF");
            if (environment.get("GITHUB_REF_TYPE").value_or("branch") == "branch" && environment.has("GITHUB_REF_NAME")) {
                return environment.get("GITHUB_REF_NAME");
            }
            break;
        case gantry::CiPlatform::GitlabCi:
            if (environment.has("CI_COMMIT_BRANCH")) return environment.get("CI_COMMIT_BRANCH");
            if (environment.has("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")) return environment.get("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME");
            break;
        case gantry::CiPlatform::Shell: break;
    }
    return std::nullopt;
}

ReleaseChannel choose_channel(const std::optional<std::string>& branch, const std::vector<std::string>& release_globs,
                              const std::vector<PrereleaseRule>& prerelease_rules) {
    if (!branch || branch->empty()) return {ChannelKind::Release, "", ""};
    for (const PrereleaseRule& rule : prerelease_rules) {
        if (branch_matches(rule.branch_glob, *branch)) return {ChannelKind::Prerelease, rule.identifier, *branch};
    }
    for (const std::string& glob : release_globs) {
        if (branch_matches(glob, *branch)) return {ChannelKind::Release, "", *branch};
    }
    return {ChannelKind::None, "", *branch};
}

}  // namespace semver_tag
