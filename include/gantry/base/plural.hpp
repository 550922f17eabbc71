// "1 file", "3 files": a count and a regular English noun, for the tools' summaries. Only nouns
// that take an "s" go through here; the others are spelt out where they are used.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gantry {

inline std::string plural(std::size_t count, std::string_view noun) {
    std::string text = std::to_string(count);
    text += ' ';
    text += noun;
    if (count != 1) text += 's';
    return text;
}

}  // namespace gantry
