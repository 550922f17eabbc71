#include "gantry/semver/conventional_commit.hpp"

#include "message_text.hpp"

namespace gantry {

namespace {

using namespace message_text;

bool is_breaking_token(std::string_view token) { return token == "BREAKING CHANGE" || token == "BREAKING-CHANGE"; }

}  // namespace

std::optional<CommitFooter> parse_commit_footer_line(std::string_view line) {
    std::size_t token_end = 0;
    for (std::string_view special : {std::string_view("BREAKING CHANGE"), std::string_view("BREAKING-CHANGE")}) {
        if (line.substr(0, special.size()) == special) token_end = special.size();
    }
    if (token_end == 0) {
        if (line.empty() || !is_alpha(line[0])) return std::nullopt;
        while (token_end < line.size() && (is_alnum(line[token_end]) || line[token_end] == '-')) ++token_end;
    }
    const std::string_view rest = line.substr(token_end);
    if (rest.substr(0, 2) == ": ") return CommitFooter{std::string(line.substr(0, token_end)), std::string(trim(rest.substr(2)))};
    if (rest.substr(0, 2) == " #") return CommitFooter{std::string(line.substr(0, token_end)), std::string(rest.substr(1))};
    return std::nullopt;
}

std::optional<ConventionalHeader> parse_conventional_header(std::string_view line) {
    line = trim_right(line);
    ConventionalHeader header;
    std::size_t pos = 0;
    if (line.empty() || !is_alpha(line[0])) return std::nullopt;
    while (pos < line.size() && (is_alnum(line[pos]) || line[pos] == '-')) ++pos;
    header.type = lower(line.substr(0, pos));
    if (pos < line.size() && line[pos] == '(') {
        const std::size_t close = line.find(')', pos + 1);
        if (close == std::string_view::npos) return std::nullopt;
        const std::string_view scope = line.substr(pos + 1, close - pos - 1);
        if (trim(scope).empty() || scope.find('(') != std::string_view::npos || trim(scope) != scope) return std::nullopt;
        header.scope = std::string(scope);
        pos = close + 1;
    }
    if (pos < line.size() && line[pos] == '!') {
        header.exclamation = true;
        ++pos;
    }
    if (line.substr(pos, 2) != ": ") return std::nullopt;
    const std::string_view description = trim(line.substr(pos + 2));
    if (description.empty()) return std::nullopt;
    header.description = std::string(description);
    return header;
}

std::vector<CommitFooter> parse_commit_footers(std::string_view message) {
    const std::vector<std::string_view> lines = split_lines(message);
    std::vector<CommitFooter> footers;
    bool in_footers = false;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        auto footer = parse_commit_footer_line(line);
        if (footer && (in_footers || is_blank(lines[i - 1]))) {
            if (!in_footers) footers.clear();  // an earlier "footer" paragraph was body text after all
            in_footers = true;
            footers.push_back(std::move(*footer));
        } else if (in_footers && !is_blank(line)) {
            if (i > 0 && is_blank(lines[i - 1])) {
                in_footers = false;  // a paragraph of body text after what looked like footers
                footers.clear();
            } else {
                footers.back().value += "\n" + std::string(trim(line));
            }
        }
    }
    return footers;
}

std::optional<ConventionalCommit> parse_conventional_commit(std::string_view message) {
    const std::vector<std::string_view> lines = split_lines(message);
    if (lines.empty()) return std::nullopt;
    auto header = parse_conventional_header(lines[0]);
    if (!header) return std::nullopt;
    ConventionalCommit commit;
    commit.header = std::move(*header);
    commit.footers = parse_commit_footers(message);
    // The body: the lines after the header up to the first footer line.
    std::string body;
    std::size_t footer_start = lines.size();
    if (!commit.footers.empty()) {
        for (std::size_t i = lines.size(); i-- > 1;) {
            auto footer = parse_commit_footer_line(lines[i]);
            if (footer && footer->token == commit.footers.front().token && is_blank(lines[i - 1])) {
                footer_start = i;
                break;
            }
        }
    }
    for (std::size_t i = 1; i < footer_start; ++i) body += std::string(lines[i]) + "\n";
    commit.body = std::string(trim(std::string_view(body)));
    while (!commit.body.empty() && (commit.body.front() == '\n')) commit.body.erase(0, 1);
    while (!commit.body.empty() && (commit.body.back() == '\n')) commit.body.pop_back();
    commit.breaking = commit.header.exclamation;
    for (const CommitFooter& footer : commit.footers) {
        if (is_breaking_token(footer.token)) {
            commit.breaking = true;
            if (commit.breaking_description.empty()) commit.breaking_description = footer.value;
        }
    }
    if (commit.breaking && commit.breaking_description.empty()) commit.breaking_description = commit.header.description;
    return commit;
}

}  // namespace gantry
