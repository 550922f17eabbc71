#include "gantry/git/history_walk.hpp"

#include <git2.h>

#include <memory>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "libgit2_error.hpp"

namespace gantry {

void walk_history(const GitRepository& repository, const std::string& from, const std::vector<std::string>& stop_at,
                  HistoryParents parents, const std::function<WalkControl(const GitCommit&)>& visit) {
    using git_detail::check;
    git_revwalk* raw = nullptr;
    check(git_revwalk_new(&raw, repository.handle()), "cannot start the history walk");
    std::unique_ptr<git_revwalk, void (*)(git_revwalk*)> walk(raw, git_revwalk_free);
    check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME), "cannot sort the history walk");
    if (parents == HistoryParents::First) check(git_revwalk_simplify_first_parent(walk.get()), "cannot follow first parents");
    git_oid oid;
    check(git_oid_fromstr(&oid, from.c_str()), fmt::format("bad commit id {}", from));
    check(git_revwalk_push(walk.get(), &oid), fmt::format("cannot walk from {}", from));
    for (const std::string& stop : stop_at) {
        git_oid hidden;
        check(git_oid_fromstr(&hidden, stop.c_str()), fmt::format("bad commit id {}", stop));
        check(git_revwalk_hide(walk.get(), &hidden), fmt::format("cannot stop the walk at {}", stop));
    }
    while (true) {
        const int code = git_revwalk_next(&oid, walk.get());
        if (code == GIT_ITEROVER) break;
        check(code, "the history walk failed");
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &oid);
        if (visit(repository.read_commit(hex)) == WalkControl::Stop) break;
    }
}

}  // namespace gantry
