// Walking a repository's history from a commit back to (not including) some boundary commits.
//
// walk_history() yields the commits reachable from `from` but not from any of `stop_at` (git's
// `from ^stop1 ^stop2`), newest first in topological order, each read once. The walk never goes
// past a stop commit, so its cost is the number of commits since the base, not the size of
// history. With HistoryParents::First only the first parent of each commit is followed (git log
// --first-parent). The visitor gets each commit and returns WalkControl::Stop to end early.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "gantry/git/git_repository.hpp"

namespace gantry {

enum class HistoryParents { All, First };
enum class WalkControl { Continue, Stop };

void walk_history(const GitRepository& repository, const std::string& from, const std::vector<std::string>& stop_at,
                  HistoryParents parents, const std::function<WalkControl(const GitCommit&)>& visit);

}  // namespace gantry
