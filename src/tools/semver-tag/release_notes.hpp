// Release notes in Markdown for one package's plan: a heading with the version and the date of
// HEAD, breaking changes first, then one section per type (Features, Bug Fixes, Performance,
// Reverts, then the other types that bump), each entry "**scope:** description (link)". Types
// mapped to no bump are left out, as are reverted commits. Commit links follow `commit_url`
// ({sha} stands for the full id): GitHub's /commit/{sha} or GitLab's /-/commit/{sha} form, derived
// from the CI environment when not given; without one the short id is shown unlinked.
#pragma once

#include <optional>
#include <string>

#include "gantry/platform/environment.hpp"
#include "semver-tag/release_plan.hpp"

namespace semver_tag {

// The link template from the environment: GITHUB_SERVER_URL + GITHUB_REPOSITORY, or CI_PROJECT_URL.
std::optional<std::string> commit_url_from_environment(const gantry::Environment& environment);

std::string release_notes_markdown(const PackagePlan& package, std::int64_t head_time,
                                   const std::optional<std::string>& commit_url);

// `notes` put at the top of an existing changelog (after a leading "# Title" line, if any).
std::string prepend_to_changelog(const std::string& existing, const std::string& notes);

}  // namespace semver_tag
