// release-please's reading (src/commit.ts, @conventional-commits/parser): a message is first split into
// the commits it holds - BEGIN_NESTED_COMMIT ... END_NESTED_COMMIT blocks, and every paragraph that
// starts with `TYPE: ` or `TYPE(scope): ` for one of the standard types below - and each part is
// parsed on its own:
//   header   the part trimmed; a type of any characters but parentheses, white space, '!' and ':'
//            (kept as written); an optional non-empty `(scope)`; an optional '!'; ':', optional
//            white space, the description (may be empty). A part that does not parse counts for
//            nothing (git's `Revert "..."` among them).
//   breaking '!', or `BREAKING CHANGE` / `BREAKING-CHANGE` at the start of a line with ':' and some
//            text after it (on the same or a later line).
// Which types release (feat, feature -> minor; fix, perf, revert -> patch; case as written) is in
// bump_rules.cpp; release-please never cancels a revert.
#include "message_text.hpp"
#include "peer_readings.hpp"

namespace gantry {

namespace {

using namespace message_text;

constexpr std::string_view kSplitTypes[] = {"feat", "fix", "docs", "style", "refactor", "perf", "test",
                                            "build", "ci", "chore", "revert"};

// Does `text` start like /(?:TYPES)(?:\(.*?\))?: / (the lookahead release-please splits at)?
bool starts_split_header(std::string_view text) {
    const std::string_view line = text.substr(0, text.find('\n'));
    for (std::string_view type : kSplitTypes) {
        if (!starts_with(line, type)) continue;
        const std::string_view rest = line.substr(type.size());
        if (starts_with(rest, ": ")) return true;
        if (starts_with(rest, "(") && rest.find("): ") != std::string_view::npos) return true;
    }
    return false;
}

// The commits a message holds, as release-please's splitMessages() cuts them.
std::vector<std::string> split_messages(std::string_view message) {
    std::string main;
    std::vector<std::string> nested;
    constexpr std::string_view begin = "BEGIN_NESTED_COMMIT";
    constexpr std::string_view end = "END_NESTED_COMMIT";
    std::size_t at = message.find(begin);
    main = std::string(message.substr(0, at));
    while (at != std::string_view::npos) {
        const std::size_t start = at + begin.size();
        const std::size_t next = message.find(begin, start);
        const std::string_view part = message.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start);
        const std::size_t close = part.find(end);
        nested.emplace_back(part.substr(0, close));
        if (close != std::string_view::npos) main += std::string(part.substr(close + end.size()));
        at = next;
    }
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (std::size_t blank = main.find("\n\n"); blank != std::string::npos; blank = main.find("\n\n", blank + 1)) {
        if (!starts_split_header(std::string_view(main).substr(blank + 2))) continue;
        parts.push_back(main.substr(from, blank - from));
        from = blank + 2;
    }
    parts.push_back(main.substr(from));
    for (std::string& part : parts) {
        while (!part.empty() && part.back() == '\r') part.pop_back();
    }
    parts.insert(parts.end(), nested.begin(), nested.end());
    return parts;
}

std::optional<CommitChange> parse_part(std::string_view part) {
    part = trim_all(part);
    const std::vector<std::string_view> lines = split_lines(part);
    if (lines.empty()) return std::nullopt;
    const std::string_view line = lines[0];
    std::size_t at = 0;
    while (at < line.size() && line[at] != '(' && line[at] != ')' && !is_space(line[at]) && line[at] != '!' && line[at] != ':') ++at;
    if (at == 0) return std::nullopt;
    CommitChange change;
    change.header.type = std::string(line.substr(0, at));
    if (at < line.size() && line[at] == '(') {
        const std::size_t close = line.find_first_of("()", at + 1);
        if (close == std::string_view::npos || line[close] != ')' || close == at + 1) return std::nullopt;
        change.header.scope = std::string(line.substr(at + 1, close - at - 1));
        at = close + 1;
    }
    if (at < line.size() && line[at] == '!') {
        change.header.exclamation = true;
        ++at;
    }
    if (at >= line.size() || line[at] != ':') return std::nullopt;
    change.header.description = std::string(trim(line.substr(at + 1)));
    if (change.header.exclamation) {
        change.breaking = true;
        change.breaking_description = change.header.description;
    }
    for (std::size_t i = 1; i < lines.size() && !change.breaking; ++i) {
        for (std::string_view token : {std::string_view("BREAKING CHANGE:"), std::string_view("BREAKING-CHANGE:")}) {
            if (!starts_with(lines[i], token)) continue;
            std::string text(trim(lines[i].substr(token.size())));
            for (std::size_t j = i + 1; text.empty() && j < lines.size(); ++j) text = std::string(trim(lines[j]));
            if (text.empty()) continue;
            change.breaking = true;
            change.breaking_description = text;
        }
    }
    return change;
}

}  // namespace

CommitChanges read_as_release_please(std::string_view message) {
    CommitChanges result;
    bool first = true;
    for (const std::string& part : split_messages(message)) {
        if (auto change = parse_part(part)) {
            change->origin = first ? ChangeOrigin::Header : ChangeOrigin::Paragraph;
            result.changes.push_back(std::move(*change));
        }
        first = false;
    }
    return result;
}

}  // namespace gantry
