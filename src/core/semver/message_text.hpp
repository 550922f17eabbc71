// Small text helpers shared by the commit message readers (internal to src/core/semver).
//
// Lines are split on '\n' with a trailing '\r' (and other trailing blanks) removed; a final newline
// does not make an empty last line. Character classes are ASCII: commit grammars are.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::message_text {

inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
inline bool is_word(char c) { return is_alnum(c) || c == '_'; }  // a regular expression's \w
inline bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

inline std::string_view trim_right(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

inline std::string_view trim(std::string_view s) {
    s = trim_right(s);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

inline std::string_view trim_all(std::string_view s) {  // every kind of white space, newlines too
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    return s;
}

inline bool is_blank(std::string_view s) { return trim(s).empty(); }

inline bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

inline bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) return false;
    }
    return true;
}

// Lines with their trailing blanks removed (TrailingBlanks::Keep removes only a '\r').
enum class TrailingBlanks { Remove, Keep };
inline std::vector<std::string_view> split_lines(std::string_view text, TrailingBlanks trailing = TrailingBlanks::Remove) {
    std::vector<std::string_view> lines;
    const auto clean = [&](std::string_view line) {
        if (trailing == TrailingBlanks::Remove) return trim_right(line);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return line;
    };
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            if (start < text.size()) lines.push_back(clean(text.substr(start)));
            break;
        }
        lines.push_back(clean(text.substr(start, end - start)));
        start = end + 1;
    }
    return lines;
}

inline std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The hexadecimal id after "This reverts commit " (git's wording), at least 7 digits, lower-cased;
// "" when the message has none.
inline std::string reverted_commit_id(std::string_view message) {
    constexpr std::string_view marker = "This reverts commit ";
    for (std::size_t at = message.find(marker); at != std::string_view::npos; at = message.find(marker, at + 1)) {
        std::size_t end = at + marker.size();
        while (end < message.size() && is_hex(message[end])) ++end;
        const std::size_t length = end - at - marker.size();
        if (length >= 7) return lower(message.substr(at + marker.size(), length));
    }
    return "";
}

}  // namespace gantry::message_text
