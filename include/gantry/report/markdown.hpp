// Building Markdown for step summaries: tables, escaping, collapsible details, Mermaid charts.
// GitHub caps a step summary at 1 MiB; truncate_summary() cuts at a line boundary and says so.
//
// Every input-derived string goes into Markdown through markdown_escape(text, context); its result is
// always one line that renders as the literal text, whatever the text holds:
//   TableCell (the default) backslash-escapes \ | ` * _ [ ] ~ $, writes < > & as entities, turns each
//     line break (\n, \r\n, \r) into <br>, a tab into a space, and drops other control characters.
//   ListItem does the same, and also keeps the text from opening a block inside the item: a leading
//     # + - or list number ("1. ", "1) ") is escaped and leading spaces are written as &#32; (no
//     indented code; > is already an entity).
//   Heading does the same as ListItem, with line breaks as spaces and every # escaped (a trailing
//     run of # would be taken as the heading's closing sequence).
//   InlineCode writes a code span: fenced with one backtick more than the longest run inside,
//     padded with a space when the text starts or ends with a backtick, line breaks as spaces (a
//     code span cannot cross a block); empty text gives an empty string.
//   InlineCodeInTableCell is InlineCode with | escaped, which GitHub's tables require even inside
//     a code span (and render as |).
// Table rows shorter than the header are
// padded and longer ones cut, as GitHub would render them. truncate_summary() closes a code fence or
// <details> block it cuts through, ends with a "Summary truncated" note saying how many bytes were
// left out, and never returns more than `limit` bytes (nothing when the note itself does not fit).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gantry {

enum class MarkdownContext { TableCell, ListItem, Heading, InlineCode, InlineCodeInTableCell };

std::string markdown_escape(std::string_view text, MarkdownContext context = MarkdownContext::TableCell);

class MarkdownTable {
public:
    explicit MarkdownTable(std::vector<std::string> headers);
    // Cells are escaped; use add_raw_row for cells that already hold Markdown (their line breaks
    // still become <br>, the only thing a cell cannot hold).
    void add_row(const std::vector<std::string>& cells);
    void add_raw_row(const std::vector<std::string>& cells);
    std::string render() const;
    bool empty() const { return rows_.empty(); }

private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
};

// A Mermaid pie chart ("```mermaid\npie showData title ...\n```\n"); slices with value 0 (or less)
// are left out, and with none left the result is empty. Quotes in labels become apostrophes.
// Mermaid colours slices by their position (pie1, pie2, ...): a slice's own `color` ("#rrggbb") is
// pinned to it through an init directive, so the same label keeps its colour whichever slices are
// left out. A colour that is not a hex colour is ignored.
struct PieSlice {
    std::string label;
    long long value = 0;
    std::string color;
};
std::string mermaid_pie(std::string_view title, const std::vector<PieSlice>& slices);

// A fenced code block holding `text` verbatim: the fence is longer than any run of backticks in it,
// so no line of the text can close the block early; control characters other than line breaks
// and tabs are dropped.
std::string markdown_code_block(std::string_view text);

// <details><summary>title</summary>\n\nbody\n\n</details>\n; the summary is HTML-escaped (Markdown is
// not rendered there), the body is Markdown.
std::string markdown_details(std::string_view summary, std::string_view body);

inline constexpr std::size_t kGithubSummaryLimit = 1024 * 1024;
std::string truncate_summary(std::string markdown, std::size_t limit = kGithubSummaryLimit);

}  // namespace gantry
