// A git repository read and written in-process with libgit2: no git executable is needed.
//
// GitRepository::open() finds the repository containing a folder (like git, searching upwards) and
// turns libgit2's failures into the toolkit's errors: not a repository -> InputError with the fix;
// an unreadable repository -> EnvironmentError. libgit2's check of the repository owner ("dubious
// ownership") is switched off: CI containers routinely run as another uid than the checkout's owner,
// and nothing here runs hooks or reads executable config. Commit ids are 40-character lower-case
// hex strings. Only what the tools need is wrapped: HEAD, tags, ancestry, commits, tree entries,
// shallow-clone boundaries and tag creation. The object is movable, not copyable, and not
// thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct git_repository;

namespace gantry {

struct GitTag {
    std::string name;       // without refs/tags/: "v1.2.3", "api/v1.0.0"
    std::string commit_id;  // the commit it points at (annotated tags are peeled)
    bool annotated = false;
};

struct GitCommit {
    std::string id;
    std::vector<std::string> parent_ids;
    std::string message;  // full message, as stored
    std::string author_name;
    std::int64_t time = 0;  // committer time, seconds since the epoch
    int time_offset_minutes = 0;

    std::string summary() const;  // the first line
    std::string short_id() const { return id.substr(0, 7); }
};

enum class TagKind { Annotated, Lightweight };

struct TagSignature {
    std::string name;
    std::string email;
    std::optional<std::int64_t> unix_seconds;  // the tagger date (UTC); unset = now
};

class GitRepository {
public:
    static GitRepository open(const std::filesystem::path& folder);

    GitRepository(GitRepository&&) noexcept;
    GitRepository& operator=(GitRepository&&) noexcept;
    ~GitRepository();

    std::filesystem::path git_dir() const;
    std::filesystem::path work_dir() const;  // empty for a bare repository

    // The commit HEAD points at; InputError when HEAD is unborn (no commit yet).
    std::string head_commit_id() const;
    // The branch HEAD points at, nullopt when HEAD is detached.
    std::optional<std::string> head_branch() const;

    bool is_shallow() const;
    // Commits whose parents a shallow clone left out (the contents of .git/shallow).
    std::vector<std::string> shallow_boundary() const;

    // Tags whose name starts with `prefix`, in name order.
    std::vector<GitTag> tags(std::string_view prefix) const;
    // Only their names: no tag object is read, so thousands of tags cost next to nothing.
    std::vector<std::string> tag_names(std::string_view prefix) const;
    // One tag, peeled to its commit; nullopt when absent or not pointing at a commit.
    std::optional<GitTag> find_tag(const std::string& name) const;

    // True when `ancestor` is `descendant` or one of its ancestors.
    bool is_ancestor(const std::string& ancestor, const std::string& descendant) const;

    GitCommit read_commit(const std::string& id) const;

    // Id of the tree or blob at `path` (relative, '/'-separated) in the commit, "" when absent.
    std::string path_object_id(const std::string& commit_id, const std::string& path) const;

    // The signature for tags: GIT_COMMITTER_NAME/EMAIL when given, else user.name/user.email from
    // the repository's configuration, else `fallback`.
    TagSignature tag_signature(const std::optional<std::string>& name, const std::optional<std::string>& email,
                               const TagSignature& fallback) const;

    // Creates refs/tags/<name> on the commit; InputError when the tag exists.
    void create_tag(const std::string& name, const std::string& commit_id, TagKind kind, const std::string& message,
                    const TagSignature& signature);

    git_repository* handle() const { return repository_.get(); }

private:
    struct Free {
        void operator()(git_repository* repository) const;
    };
    explicit GitRepository(git_repository* repository);
    std::unique_ptr<git_repository, Free> repository_;
};

}  // namespace gantry
