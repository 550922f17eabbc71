// The release plan: for each package, the base version, the commits since and what each counts
// for, the bump, the next version and its tag. One history walk serves every package.
//
// The base of a package is the highest release tag with its prefix (SemVer 2.0.0 after the prefix,
// no pre-release) that HEAD can reach: candidates are tried from the highest down and the first
// ancestor of HEAD wins, so history is never walked to find it. The walk goes from HEAD to the
// oldest base only (every base when packages were released at different commits; all history when
// a package has never been released). A commit counts for a package when it changes something
// under the package's path (compared with its first parent). Messages are read as settings.reading
// says (commit_reading.hpp). A revert of a commit that is itself in the range cancels both (with a
// semantic-release preset only when the revert quotes that commit's title and full id, as
// semantic-release does); a revert of an earlier commit bumps by what the reverted commit released,
// which is read from the repository when the revert's title does not say it. On a pre-release channel the version gets -ID.N, N one more than the
// highest existing ID.N tag of that version. A shallow clone whose history stops before the base
// is an InputError with the fix; a computed tag that already names another commit is an InputError
// too (it would move a published version).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gantry/git/git_repository.hpp"
#include "gantry/git/history_walk.hpp"
#include "gantry/semver/bump_rules.hpp"
#include "gantry/semver/semantic_version.hpp"
#include "semver-tag/release_channel.hpp"

namespace semver_tag {

struct PackageSpec {
    std::string name;        // "" for the repository as a whole
    std::string path;        // "" for everything
    std::string tag_prefix;  // "v", "api/v"
};

struct PlanSettings {
    std::vector<PackageSpec> packages;  // at least one
    gantry::CommitReading reading;
    gantry::BumpRules rules;
    gantry::SemanticVersion initial_version;
    gantry::HistoryParents parents = gantry::HistoryParents::All;
    ReleaseChannel channel;
    std::vector<std::string> build_metadata;  // identifiers after '+'
};

enum class CommitStatus {
    Counted,         // conventional; its bump counts (possibly none)
    NotConventional, // nothing in the message is a conventional header
    Reverted,        // cancelled by a later revert in the same range
    RevertOfRange,   // a revert of a commit in the range: cancels it
    OutsidePath,     // changes nothing under the package's path
};

struct CountedChange {
    gantry::CommitChange change;
    gantry::Bump bump = gantry::Bump::None;
    std::string reverted_type;  // a revert's: the type of the change it reverts ("" when unknown or none)
};

struct CommitVerdict {
    std::string id;
    std::string summary;
    std::int64_t time = 0;
    CommitStatus status = CommitStatus::NotConventional;
    std::vector<CountedChange> changes;
    gantry::Bump bump = gantry::Bump::None;
    std::string related_id;  // the reverting or reverted commit
};

struct PackagePlan {
    PackageSpec package;
    std::optional<gantry::SemanticVersion> base;
    std::string base_tag;
    std::vector<CommitVerdict> commits;  // newest first
    gantry::Bump bump = gantry::Bump::None;            // largest bump of the counted changes
    gantry::Bump applied_bump = gantry::Bump::None;    // after the 0.x rule
    std::optional<gantry::SemanticVersion> version;    // the next version, or the current one
    std::string tag;
    bool released = false;
    std::string reason;  // why nothing is released, else ""
};

struct ReleasePlan {
    std::string head_id;
    std::int64_t head_time = 0;
    ReleaseChannel channel;
    std::vector<PackagePlan> packages;
    std::size_t commits_walked = 0;
};

ReleasePlan plan_release(const gantry::GitRepository& repository, const PlanSettings& settings);

}  // namespace semver_tag
