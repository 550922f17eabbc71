#include <doctest/doctest.h>

#include "gantry/base/error.hpp"
#include "gantry/base/text_position.hpp"

using gantry::line_column_at;

TEST_SUITE("text_position") {
    TEST_CASE("offsets map to 1-based lines and byte columns") {
        const std::string_view text = "ab\ncd\n\nxyz";
        CHECK(line_column_at(text, 0).line == 1);
        CHECK(line_column_at(text, 0).column == 1);
        CHECK(line_column_at(text, 1).column == 2);
        CHECK(line_column_at(text, 2).line == 1);  // the newline itself ends line 1
        CHECK(line_column_at(text, 2).column == 3);
        CHECK(line_column_at(text, 3).line == 2);
        CHECK(line_column_at(text, 3).column == 1);
        CHECK(line_column_at(text, 6).line == 3);
        CHECK(line_column_at(text, 6).column == 1);
        CHECK(line_column_at(text, 9).line == 4);
        CHECK(line_column_at(text, 9).column == 3);
    }

    TEST_CASE("an offset past the end maps to the end") {
        const auto at_end = line_column_at("ab\nc", 1000);
        CHECK(at_end.line == 2);
        CHECK(at_end.column == 2);
        const auto empty = line_column_at("", 5);
        CHECK(empty.line == 1);
        CHECK(empty.column == 1);
    }

    TEST_CASE("CRLF counts one line; columns are bytes, not characters") {
        CHECK(line_column_at("a\r\nb", 3).line == 2);
        CHECK(line_column_at("a\r\nb", 3).column == 1);
        CHECK(line_column_at("\xc3\xa9x", 2).column == 3);  // "éx": x is the third byte
    }
}

TEST_SUITE("source_position") {
    TEST_CASE("describe() gives file:line:col, file (at pointer) or file") {
        CHECK(gantry::SourcePosition{.file = "a.json", .line = 3, .column = 17}.describe() == "a.json:3:17");
        CHECK(gantry::SourcePosition{.file = "a.json", .line = 3}.describe() == "a.json:3");
        CHECK(gantry::SourcePosition{.file = "a.json", .pointer = "/Results/0"}.describe() == "a.json (at /Results/0)");
        CHECK(gantry::SourcePosition{.file = "a.json"}.describe() == "a.json");
        CHECK(gantry::SourcePosition{}.describe().empty());
        CHECK(gantry::SourcePosition{.pointer = "/a"}.describe() == "at /a");
        CHECK(gantry::SourcePosition{.line = 2, .column = 5}.describe() == "line 2, column 5");
    }

    TEST_CASE("InputError puts the position in front of the reason") {
        const gantry::InputError error(gantry::SourcePosition{.file = "a.json", .line = 1, .column = 2}, "expected a string");
        CHECK(std::string(error.what()) == "a.json:1:2: expected a string");
        CHECK(gantry::InputError("no position").what() == std::string("no position"));
    }
}
