// Which kind of release a branch makes: a release, a pre-release with an identifier, or none.
//
// The branch comes from --branch, else the CI platform (GITHUB_HEAD_REF or GITHUB_REF_NAME on
// GitHub, CI_COMMIT_BRANCH on GitLab), else the branch HEAD points at. Pre-release rules
// (GLOB=ID) are tried first, then the release globs; an unknown branch (detached HEAD outside CI)
// releases, so that a plain local run gives an answer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gantry/platform/environment.hpp"

namespace semver_tag {

enum class ChannelKind { Release, Prerelease, None };

struct PrereleaseRule {
    std::string branch_glob;
    std::string identifier;  // "rc"
};

struct ReleaseChannel {
    ChannelKind kind = ChannelKind::Release;
    std::string identifier;  // with Prerelease
    std::string branch;      // "" when unknown
};

// "develop=rc" -> rule; UsageError when malformed (the identifier must be a SemVer identifier).
PrereleaseRule parse_prerelease_rule(const std::string& text);

std::optional<std::string> branch_from_environment(const gantry::Environment& environment);

ReleaseChannel choose_channel(const std::optional<std::string>& branch, const std::vector<std::string>& release_globs,
                              const std::vector<PrereleaseRule>& prerelease_rules);

}  // namespace semver_tag
