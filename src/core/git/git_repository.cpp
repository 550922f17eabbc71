#include "gantry/git/git_repository.hpp"

#include <git2.h>

#include <algorithm>
#include <fstream>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "libgit2_error.hpp"

namespace gantry {

namespace {

using git_detail::check;

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
template <class T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using OwnedReference = Owned<git_reference, git_reference_free>;
using OwnedCommit = Owned<git_commit, git_commit_free>;
using OwnedObject = Owned<git_object, git_object_free>;
using OwnedTree = Owned<git_tree, git_tree_free>;
using OwnedTreeEntry = Owned<git_tree_entry, git_tree_entry_free>;
using OwnedSignature = Owned<git_signature, git_signature_free>;
using OwnedConfig = Owned<git_config, git_config_free>;

std::string to_hex(const git_oid* oid) {
    char buffer[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buffer, sizeof buffer, oid);
    return buffer;
}

git_oid to_oid(const std::string& id) {
    git_oid oid;
    if (id.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, id.c_str()) < 0) {
        throw InputError(fmt::format("\"{}\" is not a full commit id", id));
    }
    return oid;
}

OwnedCommit lookup_commit(git_repository* repository, const std::string& id) {
    const git_oid oid = to_oid(id);
    git_commit* commit = nullptr;
    check(git_commit_lookup(&commit, repository, &oid), fmt::format("cannot read commit {}", id));
    return OwnedCommit(commit);
}

std::optional<std::string> config_string(git_repository* repository, const char* key) {
    git_config* raw = nullptr;
    if (git_repository_config_snapshot(&raw, repository) < 0) return std::nullopt;
    OwnedConfig config(raw);
    const char* value = nullptr;
    if (git_config_get_string(&value, config.get(), key) < 0 || !value) return std::nullopt;
    return std::string(value);
}

}  // namespace

std::string GitCommit::summary() const {
    const std::size_t end = message.find('\n');
    std::string line = message.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
}

void GitRepository::Free::operator()(git_repository* repository) const { git_repository_free(repository); }

GitRepository::GitRepository(git_repository* repository) : repository_(repository) {}
GitRepository::GitRepository(GitRepository&&) noexcept = default;
GitRepository& GitRepository::operator=(GitRepository&&) noexcept = default;
GitRepository::~GitRepository() = default;

GitRepository GitRepository::open(const std::filesystem::path& folder) {
    git_detail::ensure_libgit2();
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error)) {
        throw InputError(fmt::format("{}: no such directory (expected the repository's folder for --repo)", folder.string()));
    }
    git_repository* repository = nullptr;
    const int code = git_repository_open_ext(&repository, folder.c_str(), 0, nullptr);
    if (code == GIT_ENOTFOUND) {
        throw InputError(fmt::format(
            "{}: not a git repository (nor any parent folder). Fix: run in the checkout, or pass --repo "
            "with its folder; on GitHub Actions run actions/checkout first.",
            folder.string()));
    }
    if (code < 0) throw EnvironmentError(git_detail::libgit2_message(fmt::format("{}: cannot open the repository", folder.string())));
    return GitRepository(repository);
}

std::filesystem::path GitRepository::git_dir() const { return git_repository_path(handle()); }

std::filesystem::path GitRepository::work_dir() const {
    const char* path = git_repository_workdir(handle());
    return path ? std::filesystem::path(path) : std::filesystem::path();
}

std::string GitRepository::head_commit_id() const {
    git_oid oid;
    const int code = git_reference_name_to_id(&oid, handle(), "HEAD");
    if (code == GIT_ENOTFOUND || code == GIT_EUNBORNBRANCH || git_repository_head_unborn(handle()) == 1) {
        throw InputError(fmt::format("{}: HEAD has no commit yet (expected at least one commit)", work_dir().string()));
    }
    check(code, "cannot resolve HEAD");
    return to_hex(&oid);
}

std::optional<std::string> GitRepository::head_branch() const {
    if (git_repository_head_detached(handle()) == 1) return std::nullopt;
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, handle(), "HEAD") < 0) return std::nullopt;
    OwnedReference head(raw);
    const char* target = git_reference_symbolic_target(head.get());
    if (!target) return std::nullopt;
    std::string name = target;
    constexpr std::string_view heads = "refs/heads/";
    if (name.rfind(heads, 0) == 0) name.erase(0, heads.size());
    return name;
}

bool GitRepository::is_shallow() const { return git_repository_is_shallow(handle()) == 1; }

std::vector<std::string> GitRepository::shallow_boundary() const {
    std::vector<std::string> ids;
    std::ifstream file(git_dir() / "shallow");
    std::string line;
    while (std::getline(file, line)) {
        if (line.size() >= GIT_OID_HEXSZ) ids.push_back(line.substr(0, GIT_OID_HEXSZ));
    }
    return ids;
}

std::vector<GitTag> GitRepository::tags(std::string_view prefix) const {
    std::vector<GitTag> tags;
    const std::string glob = "refs/tags/*";
    git_reference_iterator* raw_iterator = nullptr;
    check(git_reference_iterator_glob_new(&raw_iterator, handle(), glob.c_str()), "cannot list tags");
    std::unique_ptr<git_reference_iterator, void (*)(git_reference_iterator*)> iterator(raw_iterator,
                                                                                        git_reference_iterator_free);
    git_reference* raw = nullptr;
    while (git_reference_next(&raw, iterator.get()) == 0) {
        OwnedReference reference(raw);
        std::string name = git_reference_name(reference.get()) + std::string_view("refs/tags/").size();
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        git_object* peeled = nullptr;
        if (git_reference_peel(&peeled, reference.get(), GIT_OBJECT_COMMIT) < 0) continue;  // tags of trees/blobs
        OwnedObject commit(peeled);
        GitTag tag;
        tag.name = std::move(name);
        tag.commit_id = to_hex(git_object_id(commit.get()));
        const git_oid* direct = git_reference_target(reference.get());
        tag.annotated = direct && git_oid_cmp(direct, git_object_id(commit.get())) != 0;
        tags.push_back(std::move(tag));
    }
    std::sort(tags.begin(), tags.end(), [](const GitTag& a, const GitTag& b) { return a.name < b.name; });
    return tags;
}

std::vector<std::string> GitRepository::tag_names(std::string_view prefix) const {
    std::vector<std::string> names;
    git_reference_iterator* raw_iterator = nullptr;
    check(git_reference_iterator_glob_new(&raw_iterator, handle(), "refs/tags/*"), "cannot list tags");
    std::unique_ptr<git_reference_iterator, void (*)(git_reference_iterator*)> iterator(raw_iterator,
                                                                                        git_reference_iterator_free);
    const char* name = nullptr;
    while (git_reference_next_name(&name, iterator.get()) == 0) {
        std::string_view tag(name);
        tag.remove_prefix(std::string_view("refs/tags/").size());
        if (tag.substr(0, prefix.size()) == prefix) names.emplace_back(tag);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::optional<GitTag> GitRepository::find_tag(const std::string& name) const {
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, handle(), ("refs/tags/" + name).c_str()) < 0) return std::nullopt;
    OwnedReference reference(raw);
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, reference.get(), GIT_OBJECT_COMMIT) < 0) return std::nullopt;
    OwnedObject commit(peeled);
    GitTag tag;
    tag.name = name;
    tag.commit_id = to_hex(git_object_id(commit.get()));
    const git_oid* direct = git_reference_target(reference.get());
    tag.annotated = direct && git_oid_cmp(direct, git_object_id(commit.get())) != 0;
    return tag;
}

bool GitRepository::is_ancestor(const std::string& ancestor, const std::string& descendant) const {
    if (ancestor == descendant) return true;
    const git_oid a = to_oid(ancestor);
    const git_oid d = to_oid(descendant);
    const int code = git_graph_descendant_of(handle(), &d, &a);
    check(code, fmt::format("cannot tell whether {} is an ancestor of {}", ancestor, descendant));
    return code == 1;
}

GitCommit GitRepository::read_commit(const std::string& id) const {
    OwnedCommit commit = lookup_commit(handle(), id);
    GitCommit out;
    out.id = id;
    const unsigned parents = git_commit_parentcount(commit.get());
    for (unsigned i = 0; i < parents; ++i) out.parent_ids.push_back(to_hex(git_commit_parent_id(commit.get(), i)));
    const char* message = git_commit_message_raw(commit.get());
    out.message = message ? message : "";
    const git_signature* author = git_commit_author(commit.get());
    out.author_name = author && author->name ? author->name : "";
    out.time = git_commit_time(commit.get());
    out.time_offset_minutes = git_commit_time_offset(commit.get());
    return out;
}

std::string GitRepository::path_object_id(const std::string& commit_id, const std::string& path) const {
    OwnedCommit commit = lookup_commit(handle(), commit_id);
    git_tree* raw_tree = nullptr;
    check(git_commit_tree(&raw_tree, commit.get()), fmt::format("cannot read the tree of {}", commit_id));
    OwnedTree tree(raw_tree);
    if (path.empty() || path == ".") return to_hex(git_tree_id(tree.get()));
    git_tree_entry* raw_entry = nullptr;
    const int code = git_tree_entry_bypath(&raw_entry, tree.get(), path.c_str());
    if (code == GIT_ENOTFOUND) return "";
    check(code, fmt::format("cannot read {} in {}", path, commit_id));
    OwnedTreeEntry entry(raw_entry);
    return to_hex(git_tree_entry_id(entry.get()));
}

TagSignature GitRepository::tag_signature(const std::optional<std::string>& name, const std::optional<std::string>& email,
                                          const TagSignature& fallback) const {
    TagSignature signature = fallback;
    if (auto configured = config_string(handle(), "user.name")) signature.name = *configured;
    if (auto configured = config_string(handle(), "user.email")) signature.email = *configured;
    if (name && !name->empty()) signature.name = *name;
    if (email && !email->empty()) signature.email = *email;
    return signature;
}

void GitRepository::create_tag(const std::string& name, const std::string& commit_id, TagKind kind,
                               const std::string& message, const TagSignature& signature) {
    if (git_reference_is_valid_name(("refs/tags/" + name).c_str()) != 1) {
        throw InputError(fmt::format("\"{}\" is not a valid tag name", name));
    }
    const git_oid oid = to_oid(commit_id);
    git_object* raw_target = nullptr;
    check(git_object_lookup(&raw_target, handle(), &oid, GIT_OBJECT_COMMIT), fmt::format("cannot read commit {}", commit_id));
    OwnedObject target(raw_target);
    git_oid created;
    int code = 0;
    if (kind == TagKind::Lightweight) {
        code = git_tag_create_lightweight(&created, handle(), name.c_str(), target.get(), 0);
    } else {
        git_signature* raw_signature = nullptr;
        const int made = signature.unix_seconds
                             ? git_signature_new(&raw_signature, signature.name.c_str(), signature.email.c_str(),
                                                 static_cast<git_time_t>(*signature.unix_seconds), 0)
                             : git_signature_now(&raw_signature, signature.name.c_str(), signature.email.c_str());
        check(made, "cannot make the tagger signature");
        OwnedSignature tagger(raw_signature);
        code = git_tag_create(&created, handle(), name.c_str(), target.get(), tagger.get(), message.c_str(), 0);
    }
    if (code == GIT_EEXISTS) throw InputError(fmt::format("the tag {} already exists", name));
    check(code, fmt::format("cannot create the tag {}", name));
}

}  // namespace gantry
