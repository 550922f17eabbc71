// semantic-release's reading: @semantic-release/commit-analyzer parses every message with
// conventional-commits-parser and the options of the conventional-changelog preset, then applies its
// default release rules. What is reproduced here (the parser options are those of
// conventional-changelog-angular and -conventionalcommits):
//   header      angular  ^(\w*)(?:\((.*)\))?: (.*)$           (no `!`: `feat!: x` has no type at all)
//               cc       ^(\w*)(?:\((.*)\))?!?: (.*)$          (`!` adds a breaking note)
//   notes       any line after the header matching ^[\s|*]*(KEYWORD)[:\s]+(.*) case-insensitively;
//               angular KEYWORD = BREAKING CHANGE, cc also BREAKING-CHANGE; the header need not match
//   revert      ^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\.   (angular: (\w{7,40})\b),
//               case-insensitive, on the whole message
//   rules       a note -> major, a revert -> patch, then by type exactly as written: feat and FEAT minor,
//               fix, FIX and perf patch (bump_rules.cpp)
#include "message_text.hpp"
#include "peer_readings.hpp"

namespace gantry {

namespace {

using namespace message_text;

struct PresetHeader {
    std::string type;  // as written, "" when the pattern gives none
    std::string scope;
    bool bang = false;
    std::string subject;
};

// The header by the preset's pattern. The scope group is greedy: it ends at the last ')' after which
// the rest of the line still matches.
std::optional<PresetHeader> match_header(std::string_view line, SemanticReleasePreset preset) {
    std::size_t type_end = 0;
    while (type_end < line.size() && is_word(line[type_end])) ++type_end;
    const auto tail = [&](std::string_view rest) -> std::optional<std::pair<bool, std::string_view>> {
        bool bang = false;
        if (preset == SemanticReleasePreset::ConventionalCommits && starts_with(rest, "!")) {
            bang = true;
            rest.remove_prefix(1);
        }
        if (!starts_with(rest, ": ")) return std::nullopt;
        return std::pair{bang, rest.substr(2)};
    };
    const std::string_view rest = line.substr(type_end);
    PresetHeader header{std::string(line.substr(0, type_end)), "", false, ""};
    if (starts_with(rest, "(")) {
        for (std::size_t close = rest.size(); close-- > 1;) {
            if (rest[close] != ')') continue;
            if (const auto matched = tail(rest.substr(close + 1))) {
                header.scope = std::string(rest.substr(1, close - 1));
                header.bang = matched->first;
                header.subject = std::string(matched->second);
                return header;
            }
        }
    }
    if (const auto matched = tail(rest)) {
        header.bang = matched->first;
        header.subject = std::string(matched->second);
        return header;
    }
    return std::nullopt;
}

// ^[\s|*]*(KEYWORD)[:\s]+(.*) without regard to case: the note's text, else nullopt.
std::optional<std::string> note_text(std::string_view line, SemanticReleasePreset preset) {
    std::size_t at = 0;
    while (at < line.size() && (is_space(line[at]) || line[at] == '|' || line[at] == '*')) ++at;
    std::vector<std::string_view> keywords = {"BREAKING CHANGE"};
    if (preset == SemanticReleasePreset::ConventionalCommits) keywords.push_back("BREAKING-CHANGE");
    for (std::string_view keyword : keywords) {
        if (!starts_with_ignoring_case(line.substr(at), keyword)) continue;
        std::size_t text = at + keyword.size();
        const std::size_t separator = text;
        while (text < line.size() && (line[text] == ':' || is_space(line[text]))) ++text;
        if (text > separator) return std::string(line.substr(text));
    }
    return std::nullopt;
}

// The revert pattern over the whole message: the reverted header and id, else nullopt.
std::optional<RevertedCommit> match_revert(std::string_view message, SemanticReleasePreset preset) {
    if (!starts_with_ignoring_case(message, "revert")) return std::nullopt;
    std::size_t at = 6;
    if (at < message.size() && message[at] == ':') ++at;
    if (at >= message.size() || !is_space(message[at])) return std::nullopt;
    ++at;
    if (at < message.size() && message[at] == '"') ++at;
    constexpr std::string_view marker = "this reverts commit ";
    for (std::size_t found = at + 1; found + marker.size() <= message.size(); ++found) {
        if (!starts_with_ignoring_case(message.substr(found), marker)) continue;
        std::size_t end = found + marker.size();
        while (end < message.size() && is_word(message[end])) ++end;
        const std::size_t length = end - found - marker.size();
        const bool matches = preset == SemanticReleasePreset::ConventionalCommits
                                 ? end < message.size() && message[end] == '.'
                                 : length >= 7 && length <= 40;  // \w{7,40}\b: a longer run never matches
        if (!matches) continue;
        // The lazy header group ends where `"?\s*` before the marker begins.
        std::size_t header_end = found;
        while (header_end > at + 1 && is_space(message[header_end - 1])) --header_end;
        if (header_end > at + 1 && message[header_end - 1] == '"') --header_end;
        const std::string_view header = trim_all(message.substr(at, header_end - at));
        return RevertedCommit{std::string(message.substr(found + marker.size(), length)), std::string(header), std::nullopt,
                              RevertMatch::IdAndHeader};
    }
    return std::nullopt;
}

std::string_view trim_newlines(std::string_view text) {
    while (!text.empty() && (text.front() == '\n' || text.front() == '\r')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

}  // namespace

CommitChanges read_as_semantic_release(std::string_view message, SemanticReleasePreset preset) {
    CommitChanges result;
    const std::vector<std::string_view> lines = split_lines(trim_newlines(message), TrailingBlanks::Keep);
    if (lines.empty() || trim_all(message).empty()) return result;

    CommitChange change;
    const auto header = match_header(lines[0], preset);
    if (header) {
        change.header = {header->type, header->scope, header->bang, header->subject};
    } else {
        change.header.description = std::string(trim(lines[0]));
    }
    for (std::size_t i = 1; i < lines.size() && !change.breaking; ++i) {
        if (auto text = note_text(lines[i], preset)) {
            change.breaking = true;
            change.breaking_description = std::string(trim(*text));
        }
    }
    if (!change.breaking && header && header->bang) {
        change.breaking = true;
        change.breaking_description = header->subject;
    }
    if (auto revert = match_revert(message, preset)) {
        change.is_revert = true;
        revert->header = parse_conventional_header(revert->title);
        result.reverts = std::move(revert);
    }
    if (change.breaking && change.breaking_description.empty()) change.breaking_description = change.header.description;
    if (!change.header.type.empty() || change.breaking || change.is_revert) result.changes.push_back(std::move(change));
    return result;
}

}  // namespace gantry
