// Building Markdown for step summaries: tables, escaping, collapsible details, Mermaid charts.
// GitHub caps a step summary at 1 MiB; truncate_summary() cuts at a line boundary and says so.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gantry {

// Escapes | and line breaks (as <br>), and characters that would start Markdown/HTML constructs.
std::string markdown_escape(std::string_view text);

class MarkdownTable {
public:
    explicit MarkdownTable(std::vector<std::string> headers);
    // Cells are escaped; use add_raw_row for cells that already hold Markdown.
    void add_row(const std::vector<std::string>& cells);
    void add_raw_row(const std::vector<std::string>& cells);
    std::string render() const;
    bool empty() const { return rows_.empty(); }

private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
};

// A Mermaid pie chart ("```mermaid\npie title ...\n```"); slices with value 0 are left out.
std::string mermaid_pie(std::string_view title, const std::vector<std::pair<std::string, long long>>& slices);

// <details><summary>title</summary>\n\nbody\n\n</details>
std::string markdown_details(std::string_view summary, std::string_view body);

inline constexpr std::size_t kGithubSummaryLimit = 1024 * 1024;
std::string truncate_summary(std::string markdown, std::size_t limit = kGithubSummaryLimit);

}  // namespace gantry
