// Input-derived text in a CI log: what GitHub's runner and GitLab's log parser would read as a
// command must come out inert (actions/runner ActionCommand.TryParseV2/TryParse, GitLab's
// build_trace_section_regex).
#include <doctest/doctest.h>

#include "gantry/platform/log_text.hpp"

using gantry::CiPlatform;
using gantry::log_text;
using gantry::neutralize_runner_commands;

TEST_SUITE("log_text") {
    TEST_CASE("control characters become visible escapes, so a piece of text stays on its line") {
        CHECK(log_text("a\nb\r\nc\td") == "a\\nb\\r\\nc\\td");
        CHECK(log_text(std::string("nul\0bell\a", 9)) == "nul\\u0000bell\\u0007");
        CHECK(log_text("\x1b[31mred\x1b[0m") == "\\u001b[31mred\\u001b[0m");
        CHECK(log_text("del\x7f") == "del\\u007f");
        CHECK(log_text("csi\xc2\x9b" "2J") == "csi\\u009b2J");
        CHECK(log_text("caf\xc3\xa9 \xe2\x9c\x93") == "caf\xc3\xa9 \xe2\x9c\x93");
        CHECK(log_text("C:\\temp\\x") == "C:\\temp\\x");
        CHECK(log_text("").empty());
    }

    TEST_CASE("a command marker loses its first character to a \\u escape") {
        CHECK(log_text("::stop-commands::T") == "\\u003a:stop-commands::T");
        CHECK(log_text("  ::error::x") == "  \\u003a:error::x");
        CHECK(log_text("\xc2\xa0::error::x") == "\xc2\xa0\\u003a:error::x");
        CHECK(log_text("\xe3\x80\x80::error::x") == "\xe3\x80\x80\\u003a:error::x");
        CHECK(log_text("a ::b") == "a ::b");  // not at the start: the runner ignores it
        CHECK(log_text("tool ##[stop-commands]t") == "tool \\u0023#[stop-commands]t");
        CHECK(log_text("###[x") == "#\\u0023#[x");
        // A newline is escaped first, so what followed it is no longer at a line start.
        CHECK(log_text("name\n::stop-commands::T") == "name\\n::stop-commands::T");
    }

    TEST_CASE("GitHub: every line the runner would read as a command is disarmed, other lines kept") {
        const std::string output = "ok\n::error::forged\n\t ::add-mask::x\nfine :: here\nx ##[warning]y\n";
        CHECK(neutralize_runner_commands(output, CiPlatform::GithubActions) ==
              "ok\n\\u003a:error::forged\n\t \\u003a:add-mask::x\nfine :: here\nx \\u0023#[warning]y\n");
        // The runner also ends a line at a lone CR.
        CHECK(neutralize_runner_commands("a\r::error::b", CiPlatform::GithubActions) == "a\\r::error::b");
        CHECK(neutralize_runner_commands("", CiPlatform::GithubActions).empty());
        CHECK(neutralize_runner_commands("no newline at end", CiPlatform::GithubActions) == "no newline at end");
    }

    TEST_CASE("GitHub: JSON stays valid and equal") {
        const std::string json = "{\n  \"name\": \"##[stop-commands]t\"\n}";
        CHECK(neutralize_runner_commands(json, CiPlatform::GithubActions) == "{\n  \"name\": \"\\u0023#[stop-commands]t\"\n}");
    }

    TEST_CASE("GitLab: a CR is shown, so no section marker can be forged; a plain shell gets the text as it is") {
        const std::string forged = "x\r\x1b[0Ksection_end:1:scan-gate\r\x1b[0K\n";
        CHECK(neutralize_runner_commands(forged, CiPlatform::GitlabCi) == "x\\r\x1b[0Ksection_end:1:scan-gate\\r\x1b[0K\n");
        CHECK(neutralize_runner_commands("::error::x\n", CiPlatform::GitlabCi) == "::error::x\n");
        CHECK(neutralize_runner_commands("::error::x\r\n", CiPlatform::Shell) == "::error::x\r\n");
    }
}
