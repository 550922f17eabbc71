// Matching repository paths against the glob patterns users write in CI files (`src/**`, `*.min.js`,
// `vendor/**/test_*.py`).
//
// Segments are matched with fnmatch(3), so `*`, `?` and `[...]` never cross a "/"; a segment that is
// exactly `**` matches any number of directories, including none. A pattern without "/" matches any
// one segment of the path, as in .gitignore: `*.min.js` matches every minified file and `vendor`
// everything under any vendor/ directory. A
// leading "./" or "/" in either is ignored, so `./src/**` and `src/**` mean the same.
#pragma once

#include <string_view>

namespace gantry {

bool path_matches_glob(std::string_view pattern, std::string_view path);

}  // namespace gantry
