// Conventional Commits 1.0.0: the strict parser of commit messages.
//
// A header is `type(scope)!: description` exactly as the specification writes it: a type made of
// letters, digits and '-' that starts with a letter (compared case-insensitively, so it is
// returned lower-cased); an optional non-empty scope in parentheses; an optional '!' right before
// the ':'; then ": " and a non-empty description. Anything else - `defeat:` is the type "defeat",
// not "feat"; `feat :`, `feat:x`, `feat():` - is not a conventional header. Footers follow a blank
// line: `Token: value` or `Token #value`, tokens use '-' for spaces except `BREAKING CHANGE`; a
// footer's value runs until the next footer. `BREAKING CHANGE:` and `BREAKING-CHANGE:` footers (in
// capitals, as the specification requires) make the commit breaking, and so does the '!'.
//
// How a whole commit message is read into changes (squash bullets, reverts, lenient breaking
// changes, other tools' readings) is commit_reading.hpp's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry {

struct CommitFooter {
    std::string token;  // "BREAKING CHANGE", "Refs", "Signed-off-by"
    std::string value;  // may span several lines
};

struct ConventionalHeader {
    std::string type;         // lower-cased: "feat"
    std::string scope;        // "" when none
    bool exclamation = false; // `!` before the ':'
    std::string description;
};

struct ConventionalCommit {
    ConventionalHeader header;
    std::string body;                  // between the header and the footers, trimmed
    std::vector<CommitFooter> footers;
    bool breaking = false;             // `!` or a BREAKING CHANGE / BREAKING-CHANGE footer
    std::string breaking_description;  // the footer's text, else the description when only `!`
};

// The header of one line, or nullopt when the line is not a conventional header.
std::optional<ConventionalHeader> parse_conventional_header(std::string_view line);

// A whole message (header, body, footers), or nullopt when its first line is not a conventional header.
std::optional<ConventionalCommit> parse_conventional_commit(std::string_view message);

// The footers of a message (after its header): trailing paragraph lines that start with a token.
std::vector<CommitFooter> parse_commit_footers(std::string_view message);

// `Token: value` / `Token #value` at the start of a line (`BREAKING CHANGE` may hold a space), else nullopt.
std::optional<CommitFooter> parse_commit_footer_line(std::string_view line);

}  // namespace gantry
