// Deepening a shallow clone with the git executable, because libgit2 1.5 cannot fetch with depth.
//
// deepen_shallow_clone() runs `git -C WORK_DIR fetch --unshallow --tags --quiet REMOTE` (argv, never a
// shell; 5 minutes at most; no credential prompt) and returns whether the history is complete now.
// When git is not on PATH, cannot run, times out or fails, the result says why in one line (git's
// last output line), for the message that tells the user how to fetch the history themselves.
#pragma once

#include <string>

#include "gantry/git/git_repository.hpp"

namespace semver_tag {

struct DeepeningResult {
    bool deepened = false;
    std::string failure;  // why not, when !deepened
};

DeepeningResult deepen_shallow_clone(const gantry::GitRepository& repository, const std::string& remote);

}  // namespace semver_tag
