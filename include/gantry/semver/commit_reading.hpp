// Reading a whole commit message into the changes it announces, the way semver-tag does or the way
// another release tool does (a preset).
//
// ReadingPreset::Gantry (semver-tag's own reading) is the strict Conventional Commits 1.0 parser of
// conventional_commit.hpp plus what real histories need:
//   - squash merges: when the header is not a Conventional Commit (`Add exporter (#12)`), every
//     bullet line of the body that is one (`* feat: csv export`) is a change of its own; under a
//     conventional header bullets are only text (the header is what the author chose for the merge,
//     and dependency bots quote upstream release notes as bullets);
//   - reverts: git's `Revert "<title>"` (also with a pull request suffix, `Revert "<title>" (#123)`),
//     `revert: <title>`, or any title over git's own body line `This reverts commit <id>.`; the revert
//     names the reverted commit so that a revert within the same release cancels it, and carries the
//     reverted title so that its bump can follow the reverted change (release_plan.hpp);
//   - breaking changes written slightly off the specification count, each with a `leniency` saying
//     how it is off (Leniency::Lenient, the default): a `BREAKING CHANGE:` footer whose text starts
//     on the next line, a `BREAKING CHANGE:` line inside a paragraph (no blank line before it), and a
//     `BREAKING CHANGE:` footer under a header that is not conventional (the commit becomes a change
//     without a type). Leniency::Strict keeps the letter of the specification and ignores all three.
// The other presets reproduce another tool's default reading, as its source reads messages (the
// differences are tabulated in README.md, section semver-tag):
//   - ConventionalCommits and Angular: semantic-release's commit-analyzer with that
//     conventional-changelog preset (conventional-commits-parser): the header by the preset's
//     pattern (Angular has no `!`), a breaking note on any line of the body (any case, also `*`-bulleted
//     or indented; Angular knows only `BREAKING CHANGE`), with or without a conventional header; a
//     revert by the preset's revert pattern, cancelled only with the reverted commit's exact header
//     and full id; no bullets.
//   - ReleasePlease: release-please's parser: the header as @conventional-commits/parser reads it
//     (case kept), `BREAKING CHANGE`/`BREAKING-CHANGE` at the start of a line with text after it; every
//     paragraph that starts with a standard type's header is a change of its own; git's `Revert "..."`
//     is not a Conventional Commit; no cancelling.
//   - Cocogitto: cocogitto's grammar (conventional_commit_parser): letters-only types compared
//     case-insensitively, `BREAKING CHANGE:`/`BREAKING-CHANGE:` footers at the start of any line after
//     the header; a message that does not parse counts for nothing; no reverts, no bullets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/semver/conventional_commit.hpp"

namespace gantry {

enum class ReadingPreset { Gantry, ConventionalCommits, Angular, ReleasePlease, Cocogitto };
enum class Leniency { Lenient, Strict };

std::string_view to_string(ReadingPreset preset);  // "gantry", "conventionalcommits", "angular", ...
std::optional<ReadingPreset> parse_reading_preset(std::string_view text);

struct CommitReading {
    ReadingPreset preset = ReadingPreset::Gantry;
    Leniency leniency = Leniency::Lenient;  // ReadingPreset::Gantry only
};

// Where in the message a change was announced.
enum class ChangeOrigin { Header, SquashedBullet, Paragraph };

struct CommitChange {
    ConventionalHeader header;   // type "" for a breaking change under a header that is not conventional
    bool breaking = false;
    std::string breaking_description;
    ChangeOrigin origin = ChangeOrigin::Header;
    bool is_revert = false;      // the change is the revert itself
    std::string leniency;        // why it counts as breaking though off the specification, else ""
};

// What a revert must share with a commit of the range to cancel it.
enum class RevertMatch { Id, IdAndHeader, Never };

struct RevertedCommit {
    std::string id;                            // full or abbreviated (lower-case), "" when not named
    std::string title;                         // the reverted commit's title as quoted, "" when unknown
    std::optional<ConventionalHeader> header;  // that title as a Conventional Commits header
    RevertMatch match = RevertMatch::Id;
};

struct CommitChanges {
    std::vector<CommitChange> changes;  // empty when nothing in the message counts
    std::optional<RevertedCommit> reverts;
};

CommitChanges read_commit_changes(std::string_view message, const CommitReading& reading = {});

}  // namespace gantry
