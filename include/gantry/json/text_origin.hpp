// Where a piece of a larger text starts in it: what turns a position inside the piece back into the
// line:column of the whole text (JsonStream cuts values out of a file, JsonDocument parses them alone).
#pragma once

#include <cstddef>

namespace gantry {

// Line and column are 1-based, columns count bytes (as line_column_at() does).
struct TextOrigin {
    std::size_t offset = 0;
    int line = 1;
    int column = 1;
};

}  // namespace gantry
