#include "gantry/platform/log_text.hpp"

#include <fmt/format.h>

namespace gantry {

namespace {

// How many bytes of whitespace start `text`, as the runner's String.TrimStart() sees it: ASCII
// whitespace and the UTF-8 forms of the Unicode spaces .NET counts (U+0085, U+00A0, U+1680,
// U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
std::size_t leading_whitespace(std::string_view text) {
    std::size_t at = 0;
    while (at < text.size()) {
        const auto byte = [&](std::size_t i) { return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0U; };
        const unsigned first = byte(0);
        if (first == ' ' || (first >= 0x09 && first <= 0x0D) || (first >= 0x1C && first <= 0x1F)) {
            at += 1;
        } else if (first == 0xC2 && (byte(1) == 0x85 || byte(1) == 0xA0)) {
            at += 2;
        } else if (first == 0xE1 && byte(1) == 0x9A && byte(2) == 0x80) {
            at += 3;
        } else if (first == 0xE2 && byte(1) == 0x80 &&
                   ((byte(2) >= 0x80 && byte(2) <= 0x8A) || byte(2) == 0xA8 || byte(2) == 0xA9 || byte(2) == 0xAF)) {
            at += 3;
        } else if (first == 0xE2 && byte(1) == 0x81 && byte(2) == 0x9F) {
            at += 3;
        } else if (first == 0xE3 && byte(1) == 0x80 && byte(2) == 0x80) {
            at += 3;
        } else {
            break;
        }
    }
    return at;
}

// One line (no LF in it) with GitHub's command markers disarmed: `::` after leading whitespace and
// `##[` anywhere get their first character as a \u escape.
void append_disarmed_line(std::string& out, std::string_view line) {
    std::size_t at = 0;
    if (const std::size_t start = leading_whitespace(line); line.substr(start).starts_with("::")) {
        out.append(line.substr(0, start));
        out += "\\u003a";
        at = start + 1;
    }
    while (at < line.size()) {
        const std::size_t marker = line.find("##[", at);
        if (marker == std::string_view::npos) {
            out.append(line.substr(at));
            break;
        }
        out.append(line.substr(at, marker - at));
        out += "\\u0023";
        at = marker + 1;
    }
}

std::string show_carriage_returns(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '\r') {
            out += "\\r";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string log_text(std::string_view text) {
    std::string visible;
    visible.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            visible += "\\n";
        } else if (c == '\r') {
            visible += "\\r";
        } else if (c == '\t') {
            visible += "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            visible += fmt::format("\\u{:04x}", c);
        } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            // C1 controls (U+0080-U+009F): CSI among them starts an escape sequence in some terminals.
            visible += fmt::format("\\u{:04x}", static_cast<unsigned char>(text[i + 1]));
            ++i;
        } else {
            visible += static_cast<char>(c);
        }
    }
    std::string out;
    out.reserve(visible.size());
    append_disarmed_line(out, visible);
    return out;
}

std::string neutralize_runner_commands(std::string_view output, CiPlatform runner) {
    switch (runner) {
        case CiPlatform::Shell: return std::string(output);
        case CiPlatform::GitlabCi: return show_carriage_returns(output);
        case CiPlatform::GithubActions: break;
    }
    const std::string lines = show_carriage_returns(output);
    std::string out;
    out.reserve(lines.size());
    std::size_t start = 0;
    while (start <= lines.size()) {
        const std::size_t end = lines.find('\n', start);
        append_disarmed_line(out, std::string_view(lines).substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        out += '\n';
        start = end + 1;
    }
    return out;
}

}  // namespace gantry
