#include <doctest/doctest.h>

#include <string>

#include "gantry/report/markdown.hpp"

using namespace gantry;

TEST_SUITE("markdown") {

TEST_CASE("markdown_escape neutralises table, emphasis, code, link and HTML syntax") {
    CHECK(markdown_escape("plain text 1.2.3-r0") == "plain text 1.2.3-r0");
    CHECK(markdown_escape("a|b") == "a\\|b");
    CHECK(markdown_escape("*bold* _it_ `code` [link](x) ~strike~") ==
          "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\~strike\\~");
    CHECK(markdown_escape("<script>&amp;") == "&lt;script&gt;&amp;amp;");
}

TEST_CASE("markdown_escape in every context: pipes, HTML, backticks, emphasis, line breaks") {
    const std::string hostile = "a|b <img src=x> `c` *d*\n# e";
    CHECK(markdown_escape(hostile, MarkdownContext::TableCell) ==
          "a\\|b &lt;img src=x&gt; \\`c\\` \\*d\\*<br># e");
    CHECK(markdown_escape(hostile, MarkdownContext::ListItem) ==
          "a\\|b &lt;img src=x&gt; \\`c\\` \\*d\\*<br># e");
    CHECK(markdown_escape(hostile, MarkdownContext::Heading) ==
          "a\\|b &lt;img src=x&gt; \\`c\\` \\*d\\* \\# e");
    CHECK(markdown_escape(hostile, MarkdownContext::InlineCode) == "``a|b <img src=x> `c` *d* # e``");
    CHECK(markdown_escape(hostile, MarkdownContext::InlineCodeInTableCell) == "``a\\|b <img src=x> `c` *d* # e``");
    CHECK(markdown_escape("$x$ ~y~", MarkdownContext::TableCell) == "\\$x\\$ \\~y\\~");
}

TEST_CASE("markdown_escape keeps a list item or heading from opening a block of its own") {
    CHECK(markdown_escape("# not a heading", MarkdownContext::ListItem) == "\\# not a heading");
    CHECK(markdown_escape("- nested", MarkdownContext::ListItem) == "\\- nested");
    CHECK(markdown_escape("+ nested", MarkdownContext::ListItem) == "\\+ nested");
    CHECK(markdown_escape("1. ordered", MarkdownContext::ListItem) == "1\\. ordered");
    CHECK(markdown_escape("12) ordered", MarkdownContext::ListItem) == "12\\) ordered");
    CHECK(markdown_escape("> quote", MarkdownContext::ListItem) == "&gt; quote");
    CHECK(markdown_escape("     code", MarkdownContext::ListItem) == "&#32;&#32;&#32;&#32;&#32;code");
    CHECK(markdown_escape("1.2.3 and -1", MarkdownContext::ListItem) == "1.2.3 and -1");
    CHECK(markdown_escape("v1 ## ends", MarkdownContext::Heading) == "v1 \\#\\# ends");
    CHECK(markdown_escape("two\r\nlines", MarkdownContext::Heading) == "two lines");
}

TEST_CASE("markdown_escape writes a code span no backtick inside can close") {
    CHECK(markdown_escape("merged.sarif", MarkdownContext::InlineCode) == "`merged.sarif`");
    CHECK(markdown_escape("a``b", MarkdownContext::InlineCode) == "```a``b```");
    CHECK(markdown_escape("`x", MarkdownContext::InlineCode) == "`` `x ``");
    CHECK(markdown_escape(" padded ", MarkdownContext::InlineCode) == "`  padded  `");
    CHECK(markdown_escape("a\nb\tc", MarkdownContext::InlineCode) == "`a b c`");
    CHECK(markdown_escape("", MarkdownContext::InlineCode).empty());
    CHECK(markdown_escape("a|b", MarkdownContext::InlineCode) == "`a|b`");
    CHECK(markdown_escape("a|b", MarkdownContext::InlineCodeInTableCell) == "`a\\|b`");
}

TEST_CASE("markdown_code_block: a fence longer than any backtick run inside") {
    CHECK(markdown_code_block("plain\nlines") == "```\nplain\nlines\n```\n");
    CHECK(markdown_code_block("x\n```\n# out?\n") == "````\nx\n```\n# out?\n````\n");
    CHECK(markdown_code_block("") == "```\n```\n");
}

TEST_CASE("markdown_escape keeps a backslash from swallowing the escape after it") {
    // "\|" unescaped would become "\\|": an escaped backslash followed by a live cell separator.
    CHECK(markdown_escape("a\\|b") == "a\\\\\\|b");
}

TEST_CASE("markdown_escape turns every kind of line break into one <br> and drops control characters") {
    CHECK(markdown_escape("one\ntwo\r\nthree\rfour") == "one<br>two<br>three<br>four");
    CHECK(markdown_escape(std::string("a\x01\x1f\x7f" "b\tc", 8)) == "ab c");
    CHECK(markdown_escape(std::string("x\0y", 3)) == "xy");
}

TEST_CASE("MarkdownTable escapes cells, pads short rows and drops surplus cells") {
    MarkdownTable table({"ID", "Package|name"});
    CHECK(table.empty());
    table.add_row({"CVE-1", "lib|x"});
    table.add_row({"only-one"});
    table.add_row({"a", "b", "surplus"});
    CHECK_FALSE(table.empty());
    CHECK(table.render() ==
          "| ID | Package\\|name |\n"
          "| --- | --- |\n"
          "| CVE-1 | lib\\|x |\n"
          "| only-one |  |\n"
          "| a | b |\n");
}

TEST_CASE("MarkdownTable raw rows keep their Markdown but cannot break the row") {
    MarkdownTable table({"Link"});
    table.add_raw_row({"[CVE-1](https://example.com/CVE-1)\nsecond line"});
    CHECK(table.render() == "| Link |\n| --- |\n| [CVE-1](https://example.com/CVE-1)<br>second line |\n");
}

TEST_CASE("MarkdownTable without headers renders nothing") {
    MarkdownTable table({});
    table.add_row({"x"});
    CHECK(table.render().empty());
}

TEST_CASE("mermaid_pie writes a showData pie and leaves out empty slices") {
    CHECK(mermaid_pie("Findings by severity", {{"Critical", 3, ""}, {"High", 0, ""}, {"Low", 2, ""}}) ==
          "```mermaid\npie showData title Findings by severity\n  \"Critical\" : 3\n  \"Low\" : 2\n```\n");
}

TEST_CASE("mermaid_pie pins each slice's colour, whichever slices are left out") {
    const std::vector<PieSlice> slices = {{"Critical", 0, "#b60205"}, {"High", 4, "#d93f0b"}, {"Low", 1, "#1d76db"}};
    CHECK(mermaid_pie("t", slices) ==
          "```mermaid\n%%{init: {\"themeVariables\": {\"pie1\": \"#d93f0b\", \"pie2\": \"#1d76db\"}}}%%\n"
          "pie showData title t\n  \"High\" : 4\n  \"Low\" : 1\n```\n");
    // Not a colour: left to Mermaid rather than written into the directive.
    CHECK(mermaid_pie("t", {{"A", 1, "red\"}}%%"}}) == "```mermaid\npie showData title t\n  \"A\" : 1\n```\n");
}

TEST_CASE("mermaid_pie cannot be broken out of by quotes or line breaks") {
    const std::string pie = mermaid_pie("two\nlines", {{"say \"hi\"", 1, ""}, {"negative", -4, ""}});
    CHECK(pie == "```mermaid\npie showData title two lines\n  \"say 'hi'\" : 1\n```\n");
}

TEST_CASE("mermaid_pie with nothing to show is empty rather than an invalid chart") {
    CHECK(mermaid_pie("t", {}).empty());
    CHECK(mermaid_pie("t", {{"Critical", 0, ""}}).empty());
}

TEST_CASE("markdown_details wraps the body and HTML-escapes the summary") {
    CHECK(markdown_details("3 <new> findings", "body\n") ==
          "<details><summary>3 &lt;new&gt; findings</summary>\n\nbody\n\n</details>\n");
    CHECK(markdown_details("a\nb", "") == "<details><summary>a b</summary>\n\n\n\n</details>\n");
}

TEST_CASE("truncate_summary leaves short text alone") {
    CHECK(truncate_summary("short\n", 100) == "short\n");
    const std::string exact(50, 'x');
    CHECK(truncate_summary(exact, 50) == exact);
}

TEST_CASE("truncate_summary cuts at a line boundary, stays within the limit and says so") {
    std::string text;
    for (int i = 0; i < 200; ++i) text += "| row " + std::to_string(i) + " | value |\n";
    for (std::size_t limit : {200u, 257u, 400u, 1000u, 3000u}) {
        CAPTURE(limit);
        const std::string cut = truncate_summary(text, limit);
        CHECK(cut.size() <= limit);
        CHECK(cut.find("Summary truncated") != std::string::npos);
        const auto notice = cut.find("\n> **Summary truncated:**");
        REQUIRE(notice != std::string::npos);
        // Everything before the notice is whole lines of the original.
        CHECK(text.compare(0, notice, cut, 0, notice) == 0);
        CHECK((notice == 0 || cut[notice - 1] == '\n'));
    }
}

TEST_CASE("truncate_summary reports how much it left out") {
    const std::string text = std::string(600, 'a') + "\n" + std::string(600, 'b') + "\n";
    const std::string cut = truncate_summary(text, 1000);
    CHECK(cut.starts_with(std::string(600, 'a') + "\n"));
    CHECK(cut.find("601 of 1202 bytes left out") != std::string::npos);
}

TEST_CASE("truncate_summary closes a code fence and a details block it cuts through") {
    std::string text = "# Title\n<details><summary>all</summary>\n\n```mermaid\n";
    for (int i = 0; i < 100; ++i) text += "  \"slice " + std::to_string(i) + "\" : 1\n";
    text += "```\n\n</details>\n";
    const std::string cut = truncate_summary(text, 600);
    CHECK(cut.size() <= 600);
    const auto notice = cut.find("> **Summary truncated:**");
    REQUIRE(notice != std::string::npos);
    const std::string before = cut.substr(0, notice);
    CHECK(before.find("```\n\n</details>\n") != std::string::npos);
}

TEST_CASE("truncate_summary cuts one overlong line between UTF-8 characters") {
    std::string text;
    for (int i = 0; i < 400; ++i) text += "\xc3\xa9";  // é, two bytes each
    const std::string cut = truncate_summary(text, 301);
    CHECK(cut.size() <= 301);
    const auto notice = cut.find("\n> **Summary truncated:**");
    REQUIRE(notice != std::string::npos);
    CHECK(notice % 2 == 0);  // never half an é
}

TEST_CASE("truncate_summary with a limit too small for its notice returns nothing") {
    CHECK(truncate_summary(std::string(100, 'x'), 10).empty());
}

}  // TEST_SUITE
