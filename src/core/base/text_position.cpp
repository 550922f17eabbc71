#include "gantry/base/text_position.hpp"

#include <algorithm>

namespace gantry {

LineColumn line_column_at(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    const std::string_view before = text.substr(0, offset);
    LineColumn position;
    position.line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t last_newline = before.rfind('\n');
    const std::size_t line_start = last_newline == std::string_view::npos ? 0 : last_newline + 1;
    position.column = 1 + static_cast<int>(offset - line_start);
    return position;
}

}  // namespace gantry
