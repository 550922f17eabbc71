// Building a JSON pointer (RFC 6901) one reference token at a time: "~" is written "~0" and "/" "~1".
// JsonCursor (the place of a value being read) and SarifSchema (the place of a violation) both build
// their pointers with it.
#pragma once

#include <string>
#include <string_view>

namespace gantry {

// Appends "/" and the escaped token.
inline void append_json_pointer_token(std::string& pointer, std::string_view token) {
    pointer += '/';
    for (const char c : token) {
        if (c == '~') {
            pointer += "~0";
        } else if (c == '/') {
            pointer += "~1";
        } else {
            pointer += c;
        }
    }
}

}  // namespace gantry
