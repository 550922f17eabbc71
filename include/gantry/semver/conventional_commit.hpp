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
// read_commit_changes() reads a whole commit message into the changes it announces: the header,
// plus every bullet line of the body ("* feat: ..." or "- fix: ...") that is itself a conventional
// header, which is how squash merges on GitHub and GitLab list the squashed commits. A breaking
// footer belongs to the header's change when the header is conventional, else to the first bullet.
// Git's own revert messages (`Revert "..."` with "This reverts commit <sha>.") and `revert:` headers
// report the reverted commit's id, so that a revert within the same release cancels its commit.
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

// One change a commit announces.
enum class ChangeOrigin { Header, SquashedBullet };

struct CommitChange {
    ConventionalHeader header;
    bool breaking = false;
    std::string breaking_description;
    ChangeOrigin origin = ChangeOrigin::Header;
};

struct CommitChanges {
    std::vector<CommitChange> changes;  // empty when nothing in the message is conventional
    std::string reverts;                // full or abbreviated id of the reverted commit, else ""
    std::string reverted_header;        // `Revert "feat: x"` -> "feat: x"
    bool git_revert = false;            // the header is git's `Revert "..."`
};

CommitChanges read_commit_changes(std::string_view message);

}  // namespace gantry
