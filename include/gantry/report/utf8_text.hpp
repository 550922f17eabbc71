// UTF-8 repair and length limits for text written into reports.
//
// Scanner output is not always valid UTF-8, but XML and JSON readers reject invalid bytes and
// schemas count lengths in characters, not bytes. Invalid sequences (bad or missing continuation
// bytes, overlong forms, surrogates, values past U+10FFFF) decode as U+FFFD, one byte at a time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gantry {

inline constexpr char32_t kUnicodeReplacementCharacter = 0xFFFD;

// Decodes the sequence at `pos` and moves `pos` past it; pos must be < text.size().
char32_t decode_utf8(std::string_view text, std::size_t& pos);
void append_utf8(std::string& out, char32_t code_point);

// `text` with every invalid sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// At most `max_characters` characters of `text` (which must be valid UTF-8), cut between characters.
std::string truncate_characters(std::string_view text, std::size_t max_characters);

}  // namespace gantry
