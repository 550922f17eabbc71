// Building Markdown for step summaries: tables, escaping, collapsible details, Mermaid charts.
// GitHub caps a step summary at 1 MiB; truncate_summary() cuts at a line boundary and says so.
//
// Details: markdown_escape() backslash-escapes \ | ` * _ [ ] ~, writes < > & as entities, turns
// each line break (\n, \r\n, \r) into <br>, a tab into a space, and drops other control characters,
// so its result is one line that is safe in a table cell. Table rows shorter than the header are
// padded and longer ones cut, as GitHub would render them. truncate_summary() closes a code fence or
// <details> block it cuts through, ends with a "Summary truncated" note saying how many bytes were
// left out, and never returns more than `limit` bytes (nothing when the note itself does not fit).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gantry {

// Escapes | and line breaks (as <br>), and characters that would start Markdown/HTML constructs.
std::string markdown_escape(std::string_view text);

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
std::string mermaid_pie(std::string_view title, const std::vector<std::pair<std::string, long long>>& slices);

// <details><summary>title</summary>\n\nbody\n\n</details>\n; the summary is HTML-escaped (Markdown is
// not rendered there), the body is Markdown.
std::string markdown_details(std::string_view summary, std::string_view body);

inline constexpr std::size_t kGithubSummaryLimit = 1024 * 1024;
std::string truncate_summary(std::string markdown, std::size_t limit = kGithubSummaryLimit);

}  // namespace gantry
