// The UTF-8 byte order mark (EF BB BF) that .NET tools - the SARIF Multitool among them - and Windows
// editors put before JSON text.
//
// RFC 8259 (section 8.1) lets a JSON parser ignore it, and every JSON reader here does, by this one
// measure: JsonDocument (texts read whole, with simdjson) and TextStream (texts streamed to nlohmann's
// SAX parser) start reading after utf8_byte_order_mark_length() bytes. Positions in messages then count
// from the first character after the mark, as an editor shows them. Only a leading mark is skipped;
// one anywhere else is text (and invalid JSON outside a string).
#pragma once

#include <cstddef>
#include <string_view>

namespace gantry {

inline constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

// 3 when `text` starts with the mark, else 0.
constexpr std::size_t utf8_byte_order_mark_length(std::string_view text) {
    return text.starts_with(kUtf8ByteOrderMark) ? kUtf8ByteOrderMark.size() : 0;
}

}  // namespace gantry
