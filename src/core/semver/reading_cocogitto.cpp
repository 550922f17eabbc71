// cocogitto's reading: the pest grammar of its conventional_commit_parser crate, over the message with
// white space trimmed at both ends. A message the grammar rejects is skipped by `cog bump --auto`, so
// it counts for nothing here either.
//   header   [A-Za-z]+ type (compared case-insensitively), optional `(scope)` of characters that are
//            neither white space nor parentheses, optional '!', ": " and a non-empty description
//   breaking '!', or a footer `BREAKING CHANGE` / `BREAKING-CHANGE` followed by ": ", ":" at the end
//            of a line, or " #", with some text after it. The grammar ends the body at the first
//            footer-like line, blank line before it or not, so such a line anywhere after the header
//            is a footer.
// feat -> minor and fix -> patch are the only releasing types (bump_rules.cpp); perf and revert are not.
#include "message_text.hpp"
#include "peer_readings.hpp"

namespace gantry {

namespace {

using namespace message_text;

std::optional<ConventionalHeader> cocogitto_header(std::string_view line) {
    std::size_t at = 0;
    while (at < line.size() && is_alpha(line[at])) ++at;
    if (at == 0) return std::nullopt;
    ConventionalHeader header;
    header.type = lower(line.substr(0, at));
    if (at < line.size() && line[at] == '(') {
        std::size_t close = at + 1;
        while (close < line.size() && line[close] != '(' && line[close] != ')' && !is_space(line[close])) ++close;
        if (close >= line.size() || line[close] != ')' || close == at + 1) return std::nullopt;
        header.scope = std::string(line.substr(at + 1, close - at - 1));
        at = close + 1;
    }
    if (at < line.size() && line[at] == '!') {
        header.exclamation = true;
        ++at;
    }
    if (line.substr(at, 2) != ": " || at + 2 >= line.size()) return std::nullopt;
    header.description = std::string(line.substr(at + 2));
    return header;
}

}  // namespace

CommitChanges read_as_cocogitto(std::string_view message) {
    CommitChanges result;
    message = trim_all(message);
    const std::vector<std::string_view> lines = split_lines(message, TrailingBlanks::Keep);
    if (lines.empty()) return result;
    auto header = cocogitto_header(lines[0]);
    if (!header) return result;
    CommitChange change;
    change.breaking = header->exclamation;
    if (change.breaking) change.breaking_description = header->description;
    for (std::size_t i = 1; i < lines.size() && !change.breaking; ++i) {
        for (std::string_view token : {std::string_view("BREAKING CHANGE"), std::string_view("BREAKING-CHANGE")}) {
            if (!starts_with(lines[i], token)) continue;
            const std::string_view rest = lines[i].substr(token.size());
            const bool last_line = i + 1 == lines.size();
            std::string text;
            if (starts_with(rest, ": ")) {
                text = std::string(rest.substr(2));
                if (text.empty() && !last_line) text = std::string(trim(lines[i + 1]));  // the content goes on after the newline
            } else if (rest == ":" && !last_line) {
                text = std::string(trim(lines[i + 1]));
                if (text.empty()) text = " ";  // any character is content, a blank line too
            } else if (starts_with(rest, " #")) {
                text = std::string(rest.substr(2));
            }
            if (text.empty()) continue;
            change.breaking = true;
            change.breaking_description = std::string(trim(text));
        }
    }
    change.header = std::move(*header);
    if (change.breaking && change.breaking_description.empty()) change.breaking_description = change.header.description;
    result.changes.push_back(std::move(change));
    return result;
}

}  // namespace gantry
