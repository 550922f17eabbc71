#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "gantry/text/regex.hpp"

using gantry::Regex;
using gantry::RegexCase;
using gantry::RegexMatchError;
using gantry::RegexSyntaxError;

namespace {

std::string syntax_error(const std::string& pattern) {
    try {
        Regex compiled(pattern);
    } catch (const RegexSyntaxError& e) {
        return e.what();
    }
    return "no error";
}

std::string match_error(const Regex& regex, const std::string& text) {
    try {
        return regex.search(text) ? "match" : "no match";
    } catch (const RegexMatchError& e) {
        return e.what();
    }
}

// "abab...ab" + tail: a group repeated once per character, which std::regex recursed on.
std::string alternating(std::size_t size, const std::string& tail) {
    std::string text;
    text.reserve(size + tail.size());
    for (std::size_t i = 0; i < size; ++i) text += i % 2 ? 'a' : 'b';
    return text + tail;
}

}  // namespace

TEST_CASE("regex: searches anywhere, groups of the first match") {
    const Regex version("v([0-9]+)\\.([0-9]+)(-rc)?");
    CHECK(version.search("release v1.22 is out"));
    CHECK_FALSE(version.search("release 1.22"));
    CHECK(version.pattern() == "v([0-9]+)\\.([0-9]+)(-rc)?");
    const auto groups = version.first_match("release v1.22 and v2.0-rc");
    REQUIRE(groups);
    REQUIRE(groups->size() == 4);
    CHECK((*groups)[0] == "v1.22");
    CHECK((*groups)[1] == "1");
    CHECK((*groups)[2] == "22");
    CHECK_FALSE((*groups)[3].has_value());
    CHECK_FALSE(version.first_match("none"));
    CHECK(Regex("").search(""));
    CHECK(Regex("\\bindex\\b", RegexCase::Insensitive).search("The INDEX of"));
    CHECK_FALSE(Regex("\\bindex\\b").search("The INDEX of"));
}

TEST_CASE("regex: ECMAScript readings where PCRE2's defaults differ") {
    CHECK(Regex("^\\u0041\\u{42}$").search("AB"));  // \uXXXX and \u{X}
    CHECK(Regex("a$").search("a"));
    CHECK_FALSE(Regex("a$").search("a\n"));  // $ is the end of the text, not before a last newline
    CHECK(Regex("a[^]b").search("a\nb"));    // [^] is any character
    CHECK_FALSE(Regex("a[]b").search("ab"));  // [] is none
    CHECK(Regex("\\1(a)").search("a"));       // a group not yet matched matches the empty string
    CHECK_FALSE(Regex("a.b").search("a\rb"));  // . stops at \r as well as \n
    CHECK_FALSE(Regex("a.b").search("a\nb"));
    CHECK(Regex("^.$").search("\xc3\xa9"));  // UTF-8: one character, two bytes
    CHECK_FALSE(Regex("\\d").search("\xd9\xa3"));  // \d is ASCII (no UCP): not ARABIC-INDIC DIGIT THREE
    // Any bytes may be searched: an invalid sequence matches nothing, the rest still matches.
    CHECK(Regex("ok").search(std::string("\xff\xfe ok \xc3", 7)));
    CHECK_FALSE(Regex("^.").search("\xff"));
}

TEST_CASE("regex: a pattern PCRE2 refuses says why and where") {
    CHECK(syntax_error("ab(") == "missing closing parenthesis at offset 3");
    CHECK(syntax_error("a{99999999999}") == "number too big in {} quantifier at offset 7");
    CHECK(syntax_error("x)") == "unmatched closing parenthesis at offset 1");
    CHECK(syntax_error("(*UTF)ab(") == "missing closing parenthesis at offset 9");  // past a leading (*VERB)
    CHECK(syntax_error("[z-a]") == "range out of order in character class at offset 3");
    try {
        Regex compiled("ab[");
        FAIL("compiled");
    } catch (const RegexSyntaxError& e) {
        CHECK(e.offset() == 3);
        CHECK(e.pcre2_message() == "missing terminating ] for character class");
        CHECK(e.code() == gantry::ExitCode::BadInput);
    }
    CHECK(syntax_error("v[0-9]{1,3}\\.2024010112345") == "no error");
}

TEST_CASE("regex: a group repeated over megabytes neither recurses on the stack nor hangs") {
    // std::regex overflowed the stack here (one recursion per character); PCRE2 either matches
    // within its memory limit or stops at it.
    const std::string text = alternating(4 * 1024 * 1024, "c");
    const Regex repeated("(a|b)*c");
    CHECK(match_error(repeated, text).find("matching gave up at its 64 MiB memory limit") == 0);
    CHECK(match_error(Regex("(.|\\n)*x"), std::string(4 * 1024 * 1024, '\n') + "x").find("matching gave up at") == 0);
    CHECK(repeated.search(alternating(100000, "c")));  // within the limit
    // Single-character repeats take no memory per character: the whole text is searched.
    CHECK(Regex("^[ab]*c$").search(text));
    CHECK(Regex("needle").search(std::string(4 * 1024 * 1024, 'x') + "needle"));
}

TEST_CASE("regex: catastrophic backtracking ends at the step limit") {
    const Regex nested("^(a+)+$");
    CHECK(match_error(nested, std::string(40, 'a') + "b") ==
          "matching gave up after 10000000 backtracking steps (match limit exceeded): the pattern backtracks too much "
          "on this text");
    const Regex small("^(a+)+$", RegexCase::Sensitive, Regex::Limits{.steps = 1000});
    CHECK(match_error(small, std::string(20, 'a') + "b").find("matching gave up after 1000 backtracking steps") == 0);
    CHECK(nested.search(std::string(40, 'a')));  // the same pattern is fine where it matches at once
}

TEST_CASE("regex: the time budget bounds the sum over every start position") {
    // Zero time: the budget is spent before the first position, whatever the machine's speed.
    const Regex spent("x", RegexCase::Sensitive, Regex::Limits{.time = std::chrono::milliseconds(0)});
    CHECK(match_error(spent, "x") == "matching gave up after 0 ms: the pattern takes too long on this much text");
}

TEST_CASE("regex: moves keep the compiled pattern") {
    Regex first("a+");
    Regex second(std::move(first));
    CHECK(second.search("caa"));
    Regex third("b");
    third = std::move(second);
    CHECK(third.search("caa"));
}
