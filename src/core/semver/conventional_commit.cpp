#include "gantry/semver/conventional_commit.hpp"

#include <algorithm>
#include <cctype>

namespace gantry {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}
std::string_view trim(std::string_view s) {
    s = trim_right(s);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}
bool is_blank(std::string_view s) { return trim(s).empty(); }

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            if (start < text.size()) lines.push_back(trim_right(text.substr(start)));
            break;
        }
        lines.push_back(trim_right(text.substr(start, end - start)));
        start = end + 1;
    }
    return lines;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// `Token: value` / `Token #value` at the start of a line: the token and the value, else nullopt.
std::optional<CommitFooter> parse_footer_line(std::string_view line) {
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

bool is_breaking_token(std::string_view token) { return token == "BREAKING CHANGE" || token == "BREAKING-CHANGE"; }

// `* feat: x` / `- feat: x` (indented or not): the header after the bullet, else nullopt.
std::optional<ConventionalHeader> parse_bullet_header(std::string_view line) {
    line = trim(line);
    if (line.size() < 3 || (line[0] != '*' && line[0] != '-') || line[1] != ' ') return std::nullopt;
    return parse_conventional_header(trim(line.substr(2)));
}

// The id in "This reverts commit <id>." anywhere in the message.
std::string reverted_commit_id(std::string_view message) {
    constexpr std::string_view marker = "This reverts commit ";
    const std::size_t at = message.find(marker);
    if (at == std::string_view::npos) return "";
    std::size_t end = at + marker.size();
    while (end < message.size() && is_hex(message[end])) ++end;
    const std::size_t length = end - at - marker.size();
    return length >= 7 ? lower(message.substr(at + marker.size(), length)) : "";
}

}  // namespace

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
        auto footer = parse_footer_line(line);
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
            auto footer = parse_footer_line(lines[i]);
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

CommitChanges read_commit_changes(std::string_view message) {
    const std::vector<std::string_view> lines = split_lines(message);
    CommitChanges result;
    if (lines.empty()) return result;

    const std::string_view first = lines[0];
    if (first.substr(0, 8) == "Revert \"" && first.size() > 9 && first.back() == '"') {
        result.git_revert = true;
        result.reverted_header = std::string(first.substr(8, first.size() - 9));
        result.reverts = reverted_commit_id(message);
        result.changes.push_back({.header = {.type = "revert", .scope = "", .exclamation = false,
                                             .description = result.reverted_header}});
    } else if (auto header = parse_conventional_header(first)) {
        if (header->type == "revert") result.reverts = reverted_commit_id(message);
        const bool breaking = header->exclamation;
        result.changes.push_back({.header = std::move(*header), .breaking = breaking});
    }
    const bool header_is_change = !result.changes.empty();

    // Footers attach to the change written last before them: the header's, or a squashed bullet's.
    std::optional<std::size_t> current;
    if (header_is_change) current = 0;
    bool in_footers = false;
    CommitChange* open_breaking = nullptr;  // the change whose BREAKING CHANGE text is being read
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        if (auto bullet = parse_bullet_header(line)) {
            in_footers = false;
            open_breaking = nullptr;
            const bool duplicate_of_header = header_is_change && result.changes[0].header.type == bullet->type &&
                                             result.changes[0].header.scope == bullet->scope &&
                                             result.changes[0].header.description == bullet->description &&
                                             result.changes[0].header.exclamation == bullet->exclamation;
            if (duplicate_of_header) {
                current = 0;
                continue;
            }
            const bool breaking = bullet->exclamation;
            result.changes.push_back({.header = std::move(*bullet), .breaking = breaking, .origin = ChangeOrigin::SquashedBullet});
            current = result.changes.size() - 1;
            continue;
        }
        auto footer = parse_footer_line(line);
        if (footer && (in_footers || is_blank(lines[i - 1]))) {
            in_footers = true;
            open_breaking = nullptr;
            if (is_breaking_token(footer->token) && current) {
                CommitChange& change = result.changes[*current];
                change.breaking = true;
                if (change.breaking_description.empty()) {
                    change.breaking_description = footer->value;
                    open_breaking = &change;
                }
            }
            continue;
        }
        if (is_blank(line)) {
            open_breaking = nullptr;
            continue;
        }
        if (in_footers && !is_blank(lines[i - 1])) {
            if (open_breaking) open_breaking->breaking_description += " " + std::string(trim(line));
            continue;
        }
        in_footers = false;
    }
    for (CommitChange& change : result.changes) {
        if (change.breaking && change.breaking_description.empty()) change.breaking_description = change.header.description;
    }
    return result;
}

}  // namespace gantry
