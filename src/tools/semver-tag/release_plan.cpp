#include "semver-tag/release_plan.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace semver_tag {

namespace {

using gantry::Bump;
using gantry::GitCommit;
using gantry::GitRepository;
using gantry::GitTag;
using gantry::SemanticVersion;

// A version tag; the commit it names is read only when needed (peeling thousands of annotated tags
// would cost more than the whole walk).
struct VersionTag {
    std::string name;
    SemanticVersion version;
    mutable std::optional<std::string> commit;  // "" when the tag does not name a commit
};

std::vector<VersionTag> version_tags(const GitRepository& repository, const std::string& prefix) {
    std::vector<VersionTag> out;
    for (std::string& name : repository.tag_names(prefix)) {
        auto version = gantry::parse_semantic_version(std::string_view(name).substr(prefix.size()));
        if (version) out.push_back({std::move(name), std::move(*version), std::nullopt});
    }
    return out;
}

const std::string& commit_of(const GitRepository& repository, const VersionTag& tag) {
    if (!tag.commit) {
        const auto found = repository.find_tag(tag.name);
        tag.commit = found ? found->commit_id : "";
    }
    return *tag.commit;
}

const std::string kShallowFix =
    "Fix: fetch the whole history - on GitHub Actions give actions/checkout `fetch-depth: 0`; on GitLab CI set "
    "the variable `GIT_DEPTH: 0`; elsewhere run `git fetch --unshallow --tags`.";

// Commits of `walked` that are `base` or its ancestors (following every parent within `walked`).
std::unordered_set<std::string> ancestors_within(const std::string& base,
                                                 const std::unordered_map<std::string, const GitCommit*>& walked) {
    std::unordered_set<std::string> seen;
    std::vector<std::string> stack{base};
    while (!stack.empty()) {
        std::string id = std::move(stack.back());
        stack.pop_back();
        const auto it = walked.find(id);
        if (it == walked.end() || !seen.insert(id).second) continue;
        for (const std::string& parent : it->second->parent_ids) stack.push_back(parent);
    }
    return seen;
}

bool touches_path(const GitRepository& repository, const GitCommit& commit, const std::string& path) {
    if (path.empty()) return true;
    const std::string here = repository.path_object_id(commit.id, path);
    if (commit.parent_ids.empty()) return !here.empty();
    return here != repository.path_object_id(commit.parent_ids.front(), path);
}

// The checkout's folder as users name it (libgit2 adds a final '/').
std::string repository_label(const GitRepository& repository) {
    std::string label = repository.work_dir().empty() ? repository.git_dir().string() : repository.work_dir().string();
    while (label.size() > 1 && label.back() == '/') label.pop_back();
    return label;
}

bool id_matches(const std::string& full, const std::string& abbreviated) {
    return !abbreviated.empty() && full.compare(0, abbreviated.size(), abbreviated) == 0;
}

std::string trimmed(const std::string& text) {
    const std::size_t begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos) return "";
    return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

// Does the revert cancel `commit`? By id (a prefix of the commit's), or as semantic-release does:
// the full id and the commit's exact title.
bool cancels(const gantry::RevertedCommit& reverts, const GitCommit& commit) {
    switch (reverts.match) {
        case gantry::RevertMatch::Id: return id_matches(commit.id, reverts.id);
        case gantry::RevertMatch::IdAndHeader:
            return commit.id == reverts.id && trimmed(commit.summary()) == reverts.title;
        case gantry::RevertMatch::Never: return false;
    }
    return false;
}

// The change with its bump. A revert whose title does not tell what it reverts (a renamed squash
// merge, `Revert "Add exporter (#12)"`) bumps by the reverted commit as the repository has it: a
// patch when that released something, none when it did not, a patch when it cannot be read.
CountedChange count_change(const GitRepository& repository, const PlanSettings& settings, const gantry::CommitChange& change,
                           const std::optional<gantry::RevertedCommit>& reverts) {
    CountedChange counted{change, settings.rules.bump_for(change, reverts), ""};
    if (!change.is_revert || !reverts || settings.rules.revert_bump() != gantry::RevertBump::FollowsReverted) return counted;
    if (reverts->header) {
        counted.reverted_type = reverts->header->type;
        return counted;
    }
    if (reverts->id.size() != 40) return counted;
    std::optional<gantry::CommitChanges> reverted;
    try {
        reverted = gantry::read_commit_changes(repository.read_commit(reverts->id).message, settings.reading);
    } catch (const gantry::Error&) {
        return counted;  // not in this clone: keep the revert's own bump
    }
    Bump released = Bump::None;
    for (const gantry::CommitChange& reverted_change : reverted->changes) {
        released = gantry::max_bump(released, settings.rules.bump_for(reverted_change, reverted->reverts));
        if (counted.reverted_type.empty()) counted.reverted_type = reverted_change.header.type;
    }
    counted.bump = released == Bump::None ? Bump::None : Bump::Patch;
    return counted;
}

PackagePlan judge_package(const GitRepository& repository, const PlanSettings& settings, const PackageSpec& package,
                          const std::optional<VersionTag>& base, const std::vector<VersionTag>& tags,
                          const std::vector<const GitCommit*>& range, const ReleasePlan& plan) {
    PackagePlan result;
    result.package = package;
    if (base) {
        result.base = base->version;
        result.base_tag = base->name;
    }

    // Commits of the package, and which of them a revert in the same range cancels.
    std::vector<const GitCommit*> relevant;
    std::vector<gantry::CommitChanges> changes;
    for (const GitCommit* commit : range) {
        if (!touches_path(repository, *commit, package.path)) {
            result.commits.push_back({.id = commit->id, .summary = commit->summary(), .time = commit->time,
                                      .status = CommitStatus::OutsidePath});
            continue;
        }
        relevant.push_back(commit);
        changes.push_back(gantry::read_commit_changes(commit->message, settings.reading));
        result.commits.push_back({.id = commit->id, .summary = commit->summary(), .time = commit->time});
    }
    std::map<std::string, std::string> cancelled;  // reverted id -> reverting id, and back
    for (std::size_t i = 0; i < relevant.size(); ++i) {
        const std::optional<gantry::RevertedCommit>& reverts = changes[i].reverts;
        if (!reverts || reverts->id.empty() || cancelled.count(relevant[i]->id)) continue;
        for (std::size_t j = i + 1; j < relevant.size(); ++j) {  // older commits come later
            if (cancels(*reverts, *relevant[j]) && !cancelled.count(relevant[j]->id)) {
                cancelled[relevant[j]->id] = relevant[i]->id;
                cancelled[relevant[i]->id] = relevant[j]->id;
                break;
            }
        }
    }
    std::size_t r = 0;
    for (CommitVerdict& verdict : result.commits) {
        if (verdict.status == CommitStatus::OutsidePath) continue;
        const gantry::CommitChanges& commit_changes = changes[r++];
        if (const auto it = cancelled.find(verdict.id); it != cancelled.end()) {
            verdict.related_id = it->second;
            verdict.status = !commit_changes.reverts || !id_matches(it->second, commit_changes.reverts->id)
                                 ? CommitStatus::Reverted
                                 : CommitStatus::RevertOfRange;
            continue;
        }
        if (commit_changes.changes.empty()) continue;
        verdict.status = CommitStatus::Counted;
        for (const gantry::CommitChange& change : commit_changes.changes) {
            CountedChange counted = count_change(repository, settings, change, commit_changes.reverts);
            if (counted.bump == Bump::Major && result.base && result.base->major == 0 &&
                settings.rules.zero_major_breaking == gantry::ZeroMajorBreaking::TypeBump) {
                counted.bump = settings.rules.bump_for_type(change.header.type);
            }
            verdict.bump = gantry::max_bump(verdict.bump, counted.bump);
            verdict.changes.push_back(std::move(counted));
        }
        result.bump = gantry::max_bump(result.bump, verdict.bump);
    }

    const std::string& prefix = package.tag_prefix;
    // Idempotence: HEAD already carries a version of this channel.
    // A tag on HEAD is reachable, so only the base and versions above it can be there.
    for (const VersionTag& tag : tags) {
        if (tag.version.is_prerelease() && plan.channel.kind != ChannelKind::Prerelease) continue;
        if (result.base && tag.version < *result.base) continue;
        if (commit_of(repository, tag) != plan.head_id) continue;
        if (!result.version || *result.version < tag.version) {
            result.version = tag.version;
            result.tag = tag.name;
        }
    }
    if (result.version) {
        result.reason = fmt::format("HEAD is already tagged {}", result.tag);
        return result;
    }

    result.version = result.base;
    result.tag = result.base_tag;
    if (plan.channel.kind == ChannelKind::None) {
        result.reason = fmt::format("the branch {} is neither a release branch nor a pre-release branch", plan.channel.branch);
        return result;
    }
    if (result.bump == Bump::None) {
        const bool none_touch_path = std::all_of(result.commits.begin(), result.commits.end(), [](const CommitVerdict& c) {
            return c.status == CommitStatus::OutsidePath;
        });
        const std::string since = result.base ? "since " + result.base_tag : "in the history";
        result.reason = result.commits.empty()   ? "no commit since " + result.base_tag
                        : none_touch_path        ? fmt::format("no commit {} changes {}", since, package.path)
                                                 : fmt::format("no commit {} calls for a release", since);
        return result;
    }
    result.applied_bump = gantry::effective_bump(result.bump, result.base, settings.rules);
    SemanticVersion next = gantry::next_version(result.base, result.bump, settings.rules, settings.initial_version);
    if (!result.base) result.applied_bump = result.bump;
    if (plan.channel.kind == ChannelKind::Prerelease) {
        std::uint64_t counter = 0;
        for (const VersionTag& tag : tags) {
            const auto& pre = tag.version.prerelease;
            if (tag.version.release() == next && pre.size() == 2 && pre[0] == plan.channel.identifier &&
                gantry::parse_semantic_version("0.0.0-" + pre[1] + ".0") && !pre[1].empty() &&
                std::all_of(pre[1].begin(), pre[1].end(), [](char c) { return c >= '0' && c <= '9'; })) {
                std::uint64_t number = 0;
                const auto [end, error] = std::from_chars(pre[1].data(), pre[1].data() + pre[1].size(), number);
                // SemVer sets no bound on a number; one past 2^64 - 2 cannot be counted on from.
                if (error != std::errc() || number == std::numeric_limits<std::uint64_t>::max()) {
                    throw gantry::InputError(fmt::format("tag {}: its pre-release number {} is too large to count on from (at most {})",
                                                         tag.name, pre[1], std::numeric_limits<std::uint64_t>::max() - 1));
                }
                counter = std::max(counter, number);
            }
        }
        next.prerelease = {plan.channel.identifier, std::to_string(counter + 1)};
    }
    next.build = settings.build_metadata;
    result.version = next;
    result.tag = prefix + next.to_string();
    for (const VersionTag& tag : tags) {
        if (tag.version.without_build() == next.without_build() && tag.version.prerelease == next.prerelease) {
            throw gantry::InputError(fmt::format(
                "the next version of {} is {}, but the tag {} already exists on commit {}, which HEAD does not "
                "reach: releasing it again would move a published version. Fix: merge that release into this "
                "branch, or release from a branch that contains it.",
                package.name.empty() ? "the repository" : "package " + package.name, next.to_string(), tag.name,
                commit_of(repository, tag).substr(0, 7)));
        }
    }
    result.released = true;
    return result;
}

}  // namespace

namespace {

ReleasePlan plan_release_unchecked(const GitRepository& repository, const PlanSettings& settings) {
    ReleasePlan plan;
    plan.head_id = repository.head_commit_id();
    plan.channel = settings.channel;

    // Each package's tags and base: the highest release tag HEAD reaches.
    std::vector<std::vector<VersionTag>> tags;
    std::vector<std::optional<VersionTag>> bases;
    for (const PackageSpec& package : settings.packages) {
        tags.push_back(version_tags(repository, package.tag_prefix));
        std::vector<const VersionTag*> candidates;
        for (const VersionTag& tag : tags.back()) {
            if (!tag.version.is_prerelease()) candidates.push_back(&tag);
        }
        std::sort(candidates.begin(), candidates.end(),
                  [](const VersionTag* a, const VersionTag* b) { return a->version > b->version; });
        std::optional<VersionTag> base;
        for (const VersionTag* candidate : candidates) {
            const std::string& commit = commit_of(repository, *candidate);
            if (!commit.empty() && repository.is_ancestor(commit, plan.head_id)) {
                base = *candidate;
                break;
            }
        }
        bases.push_back(std::move(base));
    }

    // One walk for all packages, down to the oldest bases only.
    std::vector<std::string> stop_at;
    const bool every_package_has_base =
        std::all_of(bases.begin(), bases.end(), [](const auto& base) { return base.has_value(); });
    if (every_package_has_base) {
        for (std::size_t i = 0; i < bases.size(); ++i) {
            bool oldest = true;
            for (std::size_t j = 0; j < bases.size() && oldest; ++j) {
                if (i != j && !repository.is_ancestor(*bases[i]->commit, *bases[j]->commit)) oldest = false;
            }
            if (oldest) stop_at.push_back(*bases[i]->commit);
        }
    }
    std::vector<GitCommit> walked;
    gantry::walk_history(repository, plan.head_id, stop_at, settings.parents, [&](const GitCommit& commit) {
        walked.push_back(commit);
        return gantry::WalkControl::Continue;
    });
    plan.commits_walked = walked.size();
    if (!walked.empty()) plan.head_time = walked.front().time;

    if (repository.is_shallow()) {
        const std::vector<std::string> boundary = repository.shallow_boundary();
        const std::set<std::string> cut(boundary.begin(), boundary.end());
        for (const GitCommit& commit : walked) {
            if (cut.count(commit.id)) {
                throw gantry::InputError(fmt::format(
                    "{}: this is a shallow clone and its history stops at commit {} before the last release tag "
                    "was found, so the commits since the last release are unknown. {}",
                    repository_label(repository), commit.id.substr(0, 7), kShallowFix));
            }
        }
    }

    std::unordered_map<std::string, const GitCommit*> by_id;
    for (const GitCommit& commit : walked) by_id.emplace(commit.id, &commit);
    for (std::size_t p = 0; p < settings.packages.size(); ++p) {
        std::vector<const GitCommit*> range;
        std::unordered_set<std::string> excluded;
        if (bases[p]) excluded = ancestors_within(*bases[p]->commit, by_id);
        for (const GitCommit& commit : walked) {
            if (!excluded.count(commit.id)) range.push_back(&commit);
        }
        plan.packages.push_back(judge_package(repository, settings, settings.packages[p], bases[p], tags[p], range, plan));
    }
    return plan;
}

}  // namespace

ReleasePlan plan_release(const GitRepository& repository, const PlanSettings& settings) {
    try {
        return plan_release_unchecked(repository, settings);
    } catch (const gantry::EnvironmentError& error) {
        // libgit2 trips over the parents a shallow clone left out before we can see the boundary.
        if (!repository.is_shallow()) throw;
        throw gantry::InputError(fmt::format(
            "{}: this is a shallow clone and the history since the last release tag is not all there ({}). {}",
            repository_label(repository), error.what(), kShallowFix));
    }
}

}  // namespace semver_tag
