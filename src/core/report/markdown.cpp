#include "gantry/report/markdown.hpp"

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

std::string markdown_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
            case '\r':
                if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
                out += "<br>";
                break;
            case '\n': out += "<br>"; break;
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
                out += '\\';
                out += c;
                break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
        }
    }
    return out;
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

std::string mermaid_pie(std::string_view title, const std::vector<std::pair<std::string, long long>>& slices) {
    std::string body;
    for (const auto& [label, value] : slices) {
        if (value <= 0) continue;  // Mermaid rejects negative slices and draws nothing for zero
        body += fmt::format("  \"{}\" : {}\n", mermaid_text(label), value);
    }
    if (body.empty()) return {};
    return fmt::format("```mermaid\npie showData title {}\n{}```\n", mermaid_text(title), body);
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
