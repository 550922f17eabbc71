#include <doctest/doctest.h>

#include <string>

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

    TEST_CASE("squash bodies: conventional bullet lines are changes of their own") {
        const auto changes = read_commit_changes(
            "Big merge (#42)\n\n* feat(ui): new page\n\n* fix: crash on start\n\nBREAKING CHANGE: needs Node 20\n\n"
            "* chore: bump deps\n* not conventional\n");
        REQUIRE(changes.changes.size() == 3);
        CHECK(changes.changes[0].header.type == "feat");
        CHECK(changes.changes[0].origin == ChangeOrigin::SquashedBullet);
        CHECK_FALSE(changes.changes[0].breaking);
        CHECK(changes.changes[1].breaking);  // the footer follows the fix bullet
        CHECK(changes.changes[1].breaking_description == "needs Node 20");
        CHECK(changes.changes[2].header.type == "chore");
    }

    TEST_CASE("a conventional header and its bullets; a bullet repeating the header is not counted twice") {
        const auto changes = read_commit_changes("feat: a (#1)\n\n- feat: a (#1)\n- fix!: b\n");
        REQUIRE(changes.changes.size() == 2);
        CHECK(changes.changes[0].origin == ChangeOrigin::Header);
        CHECK(changes.changes[1].breaking);
    }

    TEST_CASE("reverts: git's message and revert: headers name the reverted commit") {
        auto changes = read_commit_changes("Revert \"feat: shiny\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n");
        CHECK(changes.git_revert);
        CHECK(changes.reverts == "0123456789abcdef0123456789abcdef01234567");
        CHECK(changes.reverted_header == "feat: shiny");
        REQUIRE(changes.changes.size() == 1);
        CHECK(changes.changes[0].header.type == "revert");

        changes = read_commit_changes("revert: feat: shiny\n\nThis reverts commit ABCDEF1.\n");
        CHECK_FALSE(changes.git_revert);
        CHECK(changes.reverts == "abcdef1");

        changes = read_commit_changes("Update docs\n");
        CHECK(changes.changes.empty());
        CHECK(changes.reverts.empty());
    }

    TEST_CASE("messages with CRLF line ends, no final newline, or nothing at all") {
        auto c = parse_conventional_commit("feat(x): y\r\n\r\nBREAKING CHANGE: z\r\n");
        REQUIRE(c);
        CHECK(c->breaking);
        CHECK(c->breaking_description == "z");
        CHECK_FALSE(parse_conventional_commit(""));
        CHECK(read_commit_changes("").changes.empty());
        CHECK(read_commit_changes("\n\n\n").changes.empty());
    }
}
