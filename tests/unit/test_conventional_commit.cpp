#include <doctest/doctest.h>

#include <string>

#include "gantry/semver/commit_reading.hpp"
#include "gantry/semver/conventional_commit.hpp"

using gantry::ChangeOrigin;
using gantry::parse_conventional_commit;
using gantry::parse_conventional_header;
using gantry::read_commit_changes;

TEST_SUITE("conventional commits") {
    TEST_CASE("headers: type, scope, ! and description") {
        auto h = parse_conventional_header("feat(parser): add arrays");
        REQUIRE(h);
        CHECK(h->type == "feat");
        CHECK(h->scope == "parser");
        CHECK_FALSE(h->exclamation);
        CHECK(h->description == "add arrays");

        h = parse_conventional_header("FIX!: drop Node 6");
        REQUIRE(h);
        CHECK(h->type == "fix");  // types are case-insensitive
        CHECK(h->exclamation);

        h = parse_conventional_header("refactor(api-v2)!: rename everything");
        REQUIRE(h);
        CHECK(h->scope == "api-v2");
        CHECK(h->exclamation);
    }

    TEST_CASE("not conventional: loose forms other tools accept") {
        for (const char* line : {"feat:missing space", "feat : space before colon", "feat(): empty scope", "feat!(x): bang first",
                                 "feat(x: unclosed", "feat: ", "feat:", "Update README", "(scope): no type", ": nothing",
                                 "feat(a(b)): nested", "- feat: bullet is not a header", "1feat: digit first",
                                 "feat( x ): padded scope"}) {
            CAPTURE(line);
            CHECK_FALSE(parse_conventional_header(line));
        }
        // `defeat:` is a header, of type "defeat", which no rule maps to a bump (svu's trap).
        auto h = parse_conventional_header("defeat: the dragon");
        REQUIRE(h);
        CHECK(h->type == "defeat");
    }

    TEST_CASE("BREAKING CHANGE and BREAKING-CHANGE footers, only in capitals and after a blank line") {
        auto c = parse_conventional_commit("feat: allow config\n\nSome body.\n\nBREAKING CHANGE: the config key changed\nRefs: #12\n");
        REQUIRE(c);
        CHECK(c->breaking);
        CHECK(c->breaking_description == "the config key changed");
        REQUIRE(c->footers.size() == 2);
        CHECK(c->footers[1].token == "Refs");
        CHECK(c->body == "Some body.");

        c = parse_conventional_commit("fix: x\n\nBREAKING-CHANGE: y\n");
        REQUIRE(c);
        CHECK(c->breaking);

        c = parse_conventional_commit("fix: x\n\nbreaking change: y\n");
        REQUIRE(c);
        CHECK_FALSE(c->breaking);

        c = parse_conventional_commit("fix: x\n\nThe text says\nBREAKING CHANGE: inside a paragraph\n");
        REQUIRE(c);
        CHECK_FALSE(c->breaking);

        c = parse_conventional_commit("feat!: send email\n");
        REQUIRE(c);
        CHECK(c->breaking);
        CHECK(c->breaking_description == "send email");
    }

    TEST_CASE("footer values continue over lines; body paragraphs after them reset them") {
        auto footers = gantry::parse_commit_footers("fix: a\n\nBREAKING CHANGE: first line\n  second line\nReviewed-by: Z\n");
        REQUIRE(footers.size() == 2);
        CHECK(footers[0].value == "first line\nsecond line");
        footers = gantry::parse_commit_footers("fix: a\n\nNote: looks like a footer\n\nbut this is body text\n");
        CHECK(footers.empty());
        footers = gantry::parse_commit_footers("fix: a\n\nFixes #12\n");
        REQUIRE(footers.size() == 1);
        CHECK(footers[0].value == "#12");
    }

    TEST_CASE("squash bodies: under a title that is not conventional, conventional bullet lines are changes of their own") {
        const auto changes = read_commit_changes(
            "Big merge (#42)\n\n* feat(ui): new page\n\n* fix: crash on start\n\nBREAKING CHANGE: needs Node 20\n\n"
            "* chore: bump deps\n* not conventional\n");
        REQUIRE(changes.changes.size() == 3);
        CHECK(changes.changes[0].header.type == "feat");
        CHECK(changes.changes[0].origin == ChangeOrigin::SquashedBullet);
        CHECK_FALSE(changes.changes[0].breaking);
        CHECK(changes.changes[1].breaking);  // the footer follows the fix bullet
        CHECK(changes.changes[1].breaking_description == "needs Node 20");
        CHECK(changes.changes[1].leniency.empty());
        CHECK(changes.changes[2].header.type == "chore");
    }

    TEST_CASE("under a conventional title, bullets are text: the title is what the author chose") {
        auto changes = read_commit_changes("fix: handle empty page (#45)\n\n* feat: add paging\n* fix!: b\n");
        REQUIRE(changes.changes.size() == 1);
        CHECK(changes.changes[0].header.type == "fix");
        CHECK_FALSE(changes.changes[0].breaking);
        // A dependency bot quoting upstream release notes releases nothing.
        changes = read_commit_changes("chore(deps): update http-client\n\n- feat: streaming\n- fix: leak\n");
        REQUIRE(changes.changes.size() == 1);
        CHECK(changes.changes[0].header.type == "chore");
        // A footer after the bullets belongs to the title's change.
        changes = read_commit_changes("fix: x (#3)\n\n* feat: y\n\nBREAKING CHANGE: z\n");
        REQUIRE(changes.changes.size() == 1);
        CHECK(changes.changes[0].breaking);
    }

    TEST_CASE("reverts: git's title with or without a pull request suffix, revert: titles, git's body line") {
        auto changes = read_commit_changes("Revert \"feat: shiny\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n");
        REQUIRE(changes.reverts);
        CHECK(changes.reverts->id == "0123456789abcdef0123456789abcdef01234567");
        CHECK(changes.reverts->title == "feat: shiny");
        REQUIRE(changes.reverts->header);
        CHECK(changes.reverts->header->type == "feat");
        REQUIRE(changes.changes.size() == 1);
        CHECK(changes.changes[0].header.type == "revert");
        CHECK(changes.changes[0].is_revert);

        changes = read_commit_changes("Revert \"fix: use parser 2\" (#123)\n\nThis reverts commit ABCDEF1234567.\n");
        REQUIRE(changes.reverts);
        CHECK(changes.reverts->title == "fix: use parser 2");
        CHECK(changes.reverts->id == "abcdef1234567");

        changes = read_commit_changes("revert: feat: shiny\n\nThis reverts commit ABCDEF1.\n");
        REQUIRE(changes.reverts);
        CHECK(changes.reverts->id == "abcdef1");
        CHECK(changes.changes[0].is_revert);

        changes = read_commit_changes("Roll back the parser (#124)\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n");
        REQUIRE(changes.reverts);
        CHECK(changes.reverts->title.empty());
        CHECK_FALSE(changes.reverts->header);
        REQUIRE(changes.changes.size() == 1);
        CHECK(changes.changes[0].is_revert);

        changes = read_commit_changes("Update docs\n");
        CHECK(changes.changes.empty());
        CHECK_FALSE(changes.reverts);
    }

    TEST_CASE("breaking changes slightly off the specification count, saying how; --strict ignores them") {
        const gantry::CommitReading strict{gantry::ReadingPreset::Gantry, gantry::Leniency::Strict};
        struct Shape {
            const char* message;
            const char* leniency;
        };
        for (const Shape& shape : {Shape{"fix: x\n\nBREAKING CHANGE:\nthe text on the next line\n", "starts on the line after"},
                                   Shape{"Release 9 (#77)\n\nBREAKING CHANGE: removed the v1 API\n", "not a Conventional Commit"},
                                   Shape{"fix: x\nBREAKING CHANGE: no blank line\n", "inside a paragraph"},
                                   Shape{"feat: x\n\nSome text\nBREAKING CHANGE: in the paragraph\n", "inside a paragraph"}}) {
            CAPTURE(shape.message);
            auto changes = read_commit_changes(shape.message);
            REQUIRE(changes.changes.size() == 1);
            CHECK(changes.changes[0].breaking);
            CHECK(changes.changes[0].leniency.find(shape.leniency) != std::string::npos);
            changes = read_commit_changes(shape.message, strict);
            for (const auto& change : changes.changes) CHECK_FALSE(change.breaking);
        }
        auto changes = read_commit_changes("fix: x\n\nBREAKING CHANGE:\nthe text on the next line\n");
        CHECK(changes.changes[0].breaking_description == "the text on the next line");
        changes = read_commit_changes("Release 9 (#77)\n\nBREAKING CHANGE: removed the v1 API\n");
        CHECK(changes.changes[0].header.type.empty());
        CHECK(changes.changes[0].header.description == "Release 9 (#77)");
        // On the letter of the specification: no leniency. A token without text is nothing.
        changes = read_commit_changes("fix: x\n\nBREAKING CHANGE: y\n");
        CHECK(changes.changes[0].leniency.empty());
        changes = read_commit_changes("fix: x\n\nBREAKING CHANGE:\n");
        CHECK_FALSE(changes.changes[0].breaking);
        changes = read_commit_changes("fix: x\n\nbreaking change: lower case is prose\n");
        CHECK_FALSE(changes.changes[0].breaking);
    }

    TEST_CASE("presets read as their tools do") {
        const auto read = [](const char* message, gantry::ReadingPreset preset) {
            return read_commit_changes(message, gantry::CommitReading{preset, gantry::Leniency::Lenient});
        };
        using gantry::ReadingPreset;
        // angular has no '!': the header does not match at all.
        CHECK(read("feat!: x", ReadingPreset::Angular).changes.empty());
        CHECK(read("feat!: x", ReadingPreset::ConventionalCommits).changes.at(0).breaking);
        // semantic-release's notes: any line, any case, bulleted; the title need not be conventional.
        CHECK(read("fix: x\n\n* breaking change: y", ReadingPreset::ConventionalCommits).changes.at(0).breaking);
        CHECK(read("Release 9\n\nBREAKING CHANGE: y", ReadingPreset::Angular).changes.at(0).breaking);
        CHECK_FALSE(read("fix: x\n\nBREAKING-CHANGE: y", ReadingPreset::Angular).changes.at(0).breaking);
        // semantic-release's revert pattern, with the exact title to cancel.
        auto changes = read("Revert \"fix: a\" (#9)\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.",
                            ReadingPreset::ConventionalCommits);
        REQUIRE(changes.reverts);
        CHECK(changes.reverts->title == "fix: a\" (#9)");
        CHECK(changes.reverts->match == gantry::RevertMatch::IdAndHeader);
        CHECK(changes.changes.at(0).is_revert);
        // release-please: a paragraph that starts with a standard type's header is a commit of its own.
        changes = read("Merge pull request #5 from a/b\n\nfeat: thing\n\nfix(api): other", ReadingPreset::ReleasePlease);
        REQUIRE(changes.changes.size() == 2);
        CHECK(changes.changes[0].header.type == "feat");
        CHECK(changes.changes[1].header.scope == "api");
        CHECK(read("Fix: x", ReadingPreset::ReleasePlease).changes.at(0).header.type == "Fix");  // case kept
        CHECK(read("Revert \"feat: y\"\n\nThis reverts commit 0123456.", ReadingPreset::ReleasePlease).changes.empty());
        // cocogitto: letters-only types, any case; a footer-like BREAKING CHANGE line anywhere after the header.
        CHECK(read("FEAT: x", ReadingPreset::Cocogitto).changes.at(0).header.type == "feat");
        CHECK(read("feat-x: y", ReadingPreset::Cocogitto).changes.empty());
        CHECK(read("fix: x\nBREAKING CHANGE: y", ReadingPreset::Cocogitto).changes.at(0).breaking);
        CHECK(read("Add exporter (#12)\n\n* feat: csv", ReadingPreset::Cocogitto).changes.empty());
    }

    TEST_CASE("messages with CRLF line ends, no final newline, or nothing at all") {
        auto c = parse_conventional_commit("feat(x): y\r\n\r\nBREAKING CHANGE: z\r\n");
        REQUIRE(c);
        CHECK(c->breaking);
        CHECK(c->breaking_description == "z");
        CHECK_FALSE(parse_conventional_commit(""));
        CHECK(read_commit_changes("").changes.empty());
        CHECK(read_commit_changes("", gantry::CommitReading{gantry::ReadingPreset::ReleasePlease, gantry::Leniency::Lenient}).changes.empty());
        CHECK(read_commit_changes("\n", gantry::CommitReading{gantry::ReadingPreset::Angular, gantry::Leniency::Lenient}).changes.empty());
        CHECK(read_commit_changes("  ", gantry::CommitReading{gantry::ReadingPreset::Cocogitto, gantry::Leniency::Lenient}).changes.empty());
        CHECK(read_commit_changes("\n\n\n").changes.empty());
    }
}
