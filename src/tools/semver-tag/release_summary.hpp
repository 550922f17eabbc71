// semver-tag's step summary: the verdict (a tag created, a dry run, or nothing to do), then one row
// per package with the base tag, the bump, the next version, the tag and whether it was created,
// then the release notes. Commit subjects, scopes, package names and tags are input: every one is
// escaped for the Markdown it lands in.
#pragma once

#include <string>

#include "semver-tag/release_plan.hpp"

namespace semver_tag {

enum class TagCreation { Created, DryRun };

// `notes` is the release notes Markdown of the released packages (empty when none is released);
// `pushed` says whether the tags also went to the remote or forge.
std::string release_summary(const ReleasePlan& plan, TagCreation creation, bool pushed, const std::string& notes);

}  // namespace semver_tag
