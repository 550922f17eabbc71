// Turning a byte offset in a text into a 1-based line and column, for error messages.
#pragma once

#include <cstddef>
#include <string_view>

namespace gantry {

struct LineColumn {
    int line = 1;
    int column = 1;
};

// Columns count bytes (as jq and compilers do). An offset past the end maps to the end.
LineColumn line_column_at(std::string_view text, std::size_t offset);

}  // namespace gantry
