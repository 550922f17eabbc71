#include "gantry/report/markdown.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace gantry {

namespace {

// Mermaid reads a label up to its closing quote and a title up to the end of the line, and has no
// escape for either: quotes become apostrophes and line breaks spaces.
std::string mermaid_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '"') {
            out += '\'';
        } else if (c == '\n' || c == '\r' || c == '\t') {
            out += ' ';
        } else if (static_cast<unsigned char>(c) >= 0x20) {
            out += c;
        }
    }
    return out;
}

// "#rgb", "#rrggbb" or "#rrggbbaa": anything else could end the init directive it is written into.
bool is_hex_color(std::string_view color) {
    if (color.size() != 4 && color.size() != 7 && color.size() != 9) return false;
    if (color.front() != '#') return false;
    for (const char c : color.substr(1)) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
    }
    return true;
}

// The summary sits inside an HTML block, where Markdown escapes are not processed: HTML-escape only.
std::string html_escape_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\n':
            case '\r':
            case '\t': out += ' '; break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20) out += c;
        }
    }
    return out;
}

// A raw cell may hold any Markdown, but a line break would still end the table row.
std::string join_lines_for_cell(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
            out += "<br>";
        } else if (text[i] == '\n') {
            out += "<br>";
        } else {
            out += text[i];
        }
    }
    return out;
}

// Cutting inside a multi-byte UTF-8 sequence would leave an invalid byte at the end.
std::size_t utf8_boundary_at_or_before(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return text.size();
    while (pos > 0 && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) --pos;
    return pos;
}

bool starts_with_fence(std::string_view line) {
    const auto first = line.find_first_not_of(' ');
    return first != std::string_view::npos && first <= 3 && line.substr(first).starts_with("```");
}

// What must be appended to `kept` so that a code fence or <details> block cut in half is closed
// again; otherwise the truncation notice would render inside a code block or a collapsed section.
std::string closers_for(std::string_view kept) {
    bool in_fence = false;
    long open_details = 0;
    std::size_t start = 0;
    while (start < kept.size()) {
        auto end = kept.find('\n', start);
        if (end == std::string_view::npos) end = kept.size();
        const std::string_view line = kept.substr(start, end - start);
        if (starts_with_fence(line)) {
            in_fence = !in_fence;
        } else if (!in_fence) {
            for (auto pos = line.find("<details"); pos != std::string_view::npos; pos = line.find("<details", pos + 1))
                ++open_details;
            for (auto pos = line.find("</details>"); pos != std::string_view::npos;
                 pos = line.find("</details>", pos + 1))
                if (open_details > 0) --open_details;
        }
        start = end + 1;
    }
    std::string closers;
    if (in_fence) closers += "```\n";
    for (long i = 0; i < open_details; ++i) closers += "\n</details>\n";
    return closers;
}

std::string truncation_notice(std::size_t omitted, std::size_t total) {
    return fmt::format(
        "\n> **Summary truncated:** {} of {} bytes left out to stay within GitHub's step summary limit.\n",
        omitted, total);
}

}  // namespace

namespace {

// Text that renders as itself on one line: inline syntax escaped, line breaks as `line_break`.
std::string escape_inline(std::string_view text, std::string_view line_break, bool escape_hash) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
            case '\r':
                if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
                out += line_break;
                break;
            case '\n': out += line_break; break;
            case '#':
                if (escape_hash) out += '\\';
                out += c;
                break;
            case '\t': out += ' '; break;
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            // Backslash first among these: an unescaped one would swallow the escape that follows.
            case '\\':
            case '|':
            case '`':
            case '*':
            case '_':
            case '[':
            case ']':
            case '~':
            case '$':  // GitHub renders $...$ as math
                out += '\\';
                out += c;
                break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
        }
    }
    return out;
}

// At the start of a list item or heading, text must not open a block of its own: an indented code
// block, a heading, a quote (> is already an entity) or a nested list.
std::string disarm_block_start(std::string escaped) {
    std::size_t spaces = 0;
    while (spaces < escaped.size() && escaped[spaces] == ' ') ++spaces;
    std::string out;
    for (std::size_t i = 0; i < spaces; ++i) out += "&#32;";
    std::string_view rest = std::string_view(escaped).substr(spaces);
    if (!rest.empty() && (rest.front() == '#' || rest.front() == '+' || rest.front() == '-')) {
        out += '\\';
    } else {
        // An ordered list marker is 1-9 digits, then . or ), then a space, a tab or the end.
        std::size_t digits = 0;
        while (digits < rest.size() && digits < 9 && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
        const bool marker_ends = digits + 1 >= rest.size() || rest[digits + 1] == ' ' || rest[digits + 1] == '\t';
        if (digits > 0 && digits < rest.size() && (rest[digits] == '.' || rest[digits] == ')') && marker_ends) {
            out.append(rest.substr(0, digits));
            out += '\\';
            rest.remove_prefix(digits);
        }
    }
    out.append(rest);
    return out;
}

std::string code_span(std::string_view text, bool in_table_cell) {
    std::string content;
    content.reserve(text.size());
    std::size_t longest_run = 0;
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        run = c == '`' ? run + 1 : 0;
        longest_run = std::max(longest_run, run);
        if (c == '\r' || c == '\n' || c == '\t') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            content += ' ';
        } else if (c == '|' && in_table_cell) {
            content += "\\|";
        } else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
            content += c;
        }
    }
    if (content.empty()) return {};
    // A space on each side is stripped again by the renderer; it keeps a backtick at either end
    // from merging with the fence, and text that already has spaces on both ends from losing them.
    const bool pad = content.front() == '`' || content.back() == '`' ||
                     (content.front() == ' ' && content.back() == ' ' && content.find_first_not_of(' ') != std::string::npos);
    const std::string fence(longest_run + 1, '`');
    return pad ? fence + " " + content + " " + fence : fence + content + fence;
}

}  // namespace

std::string markdown_escape(std::string_view text, MarkdownContext context) {
    switch (context) {
        case MarkdownContext::TableCell: return escape_inline(text, "<br>", false);
        case MarkdownContext::ListItem: return disarm_block_start(escape_inline(text, "<br>", false));
        case MarkdownContext::Heading: return disarm_block_start(escape_inline(text, " ", true));
        case MarkdownContext::InlineCode: return code_span(text, false);
        case MarkdownContext::InlineCodeInTableCell: return code_span(text, true);
    }
    return escape_inline(text, "<br>", false);
}

MarkdownTable::MarkdownTable(std::vector<std::string> headers) : headers_(std::move(headers)) {
    for (auto& header : headers_) header = markdown_escape(header);
}

void MarkdownTable::add_row(const std::vector<std::string>& cells) {
    std::vector<std::string> row;
    row.reserve(cells.size());
    for (const auto& cell : cells) row.push_back(markdown_escape(cell));
    rows_.push_back(std::move(row));
}

void MarkdownTable::add_raw_row(const std::vector<std::string>& cells) {
    std::vector<std::string> row;
    row.reserve(cells.size());
    for (const auto& cell : cells) row.push_back(join_lines_for_cell(cell));
    rows_.push_back(std::move(row));
}

std::string MarkdownTable::render() const {
    if (headers_.empty()) return {};
    std::string out;
    auto append_row = [&](const std::vector<std::string>& cells) {
        out += '|';
        // GitHub pads short rows and drops cells past the header's count; do the same visibly.
        for (std::size_t i = 0; i < headers_.size(); ++i) {
            out += ' ';
            if (i < cells.size()) out += cells[i];
            out += " |";
        }
        out += '\n';
    };
    append_row(headers_);
    out += '|';
    for (std::size_t i = 0; i < headers_.size(); ++i) out += " --- |";
    out += '\n';
    for (const auto& row : rows_) append_row(row);
    return out;
}

std::string mermaid_pie(std::string_view title, const std::vector<PieSlice>& slices) {
    std::string body;
    std::string colors;
    int position = 0;
    for (const auto& slice : slices) {
        if (slice.value <= 0) continue;  // Mermaid rejects negative slices and draws nothing for zero
        ++position;
        body += fmt::format("  \"{}\" : {}\n", mermaid_text(slice.label), slice.value);
        if (is_hex_color(slice.color)) {
            colors += fmt::format("{}\"pie{}\": \"{}\"", colors.empty() ? "" : ", ", position, slice.color);
        }
    }
    if (body.empty()) return {};
    const std::string init = colors.empty() ? "" : "%%{init: {\"themeVariables\": {" + colors + "}}}%%\n";
    return fmt::format("```mermaid\n{}pie showData title {}\n{}```\n", init, mermaid_text(title), body);
}

std::string markdown_code_block(std::string_view text) {
    std::string content;
    content.reserve(text.size() + 1);
    std::size_t longest_run = 0;
    std::size_t run = 0;
    for (const char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest_run = std::max(longest_run, run);
        if (c == '\n' || c == '\t' || (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f)) content += c;
    }
    if (!content.empty() && content.back() != '\n') content += '\n';
    const std::string fence(std::max<std::size_t>(3, longest_run + 1), '`');
    return fence + "\n" + content + fence + "\n";
}

std::string markdown_details(std::string_view summary, std::string_view body) {
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
    return fmt::format("<details><summary>{}</summary>\n\n{}\n\n</details>\n", html_escape_line(summary), body);
}

std::string truncate_summary(std::string markdown, std::size_t limit) {
    if (markdown.size() <= limit) return markdown;
    const std::size_t total = markdown.size();
    // The notice's length depends on the number it prints; the total bounds that number's width.
    const std::size_t notice_room = truncation_notice(total, total).size();
    if (notice_room > limit) return {};
    const std::size_t budget = limit - notice_room;
    const auto previous_line_start = [&](std::size_t before) -> std::size_t {
        if (before < 2) return 0;
        const auto newline = markdown.rfind('\n', before - 2);
        return newline == std::string::npos ? 0 : newline + 1;
    };
    std::size_t keep = previous_line_start(budget + 1);
    // A single line longer than the budget is cut inside the line rather than dropped whole.
    if (keep == 0) keep = utf8_boundary_at_or_before(markdown, budget);
    std::string closers;
    while (true) {
        closers = closers_for(std::string_view(markdown).substr(0, keep));
        if (!closers.empty() && keep > 0 && markdown[keep - 1] != '\n') closers.insert(0, "\n");
        if (keep + closers.size() <= budget) break;
        keep = previous_line_start(keep);  // terminates: nothing kept needs no closers
    }
    markdown.resize(keep);
    markdown += closers;
    markdown += truncation_notice(total - keep, total);
    return markdown;
}

}  // namespace gantry
