// The comparison operators shared by load thresholds and canary conditions: which spellings are read,
// that a mistaken operator is refused whole and named in the message, and how NaN compares.
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "gantry/base/comparison.hpp"

using gantry::Comparison;

TEST_CASE("the operator at the front of a text") {
    struct Case {
        const char* text;
        Comparison comparison;
        std::size_t length;
    };
    for (const Case& c : {Case{"<500ms", Comparison::Less, 1}, Case{"<= 1", Comparison::LessOrEqual, 2},
                          Case{">0.99", Comparison::Greater, 1}, Case{">=450", Comparison::GreaterOrEqual, 2},
                          Case{"== 0", Comparison::Equal, 2}, Case{"===0", Comparison::Equal, 3},
                          Case{"!=3", Comparison::NotEqual, 2}, Case{"<-1", Comparison::Less, 1},
                          Case{"<+1", Comparison::Less, 1}, Case{">.5", Comparison::Greater, 1}}) {
        CAPTURE(c.text);
        const auto parsed = gantry::parse_comparison(c.text);
        REQUIRE(parsed.has_value());
        CHECK(parsed->comparison == c.comparison);
        CHECK(parsed->length == c.length);
    }
}

TEST_CASE("a mistaken operator is refused whole, not half-read") {
    for (const char* bad : {"", "500", " <1", "=<500", "=>3", "<>1", "~ 3", "=~1", "=1", "!1", "<==1", "<<1", "≤1"}) {
        CAPTURE(bad);
        CHECK_FALSE(gantry::parse_comparison(bad).has_value());
    }
}

TEST_CASE("the refusal names what was found and what is accepted") {
    CHECK(gantry::unknown_comparison("=<500", "p95") == "unknown operator '=<' after 'p95': expected one of <, <=, >, >=, ==, !=");
    CHECK(gantry::unknown_comparison("=> 3", "result") == "unknown operator '=>' after 'result': expected one of <, <=, >, >=, ==, !=");
    CHECK(gantry::unknown_comparison("~ 3", "result") == "unknown operator '~' after 'result': expected one of <, <=, >, >=, ==, !=");
    CHECK(gantry::unknown_comparison("is 3", "result") == "expected an operator after 'result' (one of <, <=, >, >=, ==, !=), found 'is'");
    CHECK(gantry::unknown_comparison("", "result") == "expected an operator after 'result' (one of <, <=, >, >=, ==, !=), found nothing");
}

TEST_CASE("symbols and holds") {
    for (const Comparison c : {Comparison::Less, Comparison::LessOrEqual, Comparison::Greater, Comparison::GreaterOrEqual,
                               Comparison::Equal, Comparison::NotEqual}) {
        const auto parsed = gantry::parse_comparison(std::string(gantry::symbol(c)) + "1");
        REQUIRE(parsed.has_value());
        CHECK(parsed->comparison == c);  // symbol() reads back
    }
    CHECK(gantry::holds(Comparison::Less, 1, 2));
    CHECK_FALSE(gantry::holds(Comparison::Less, 2, 2));
    CHECK(gantry::holds(Comparison::LessOrEqual, 2, 2));
    CHECK(gantry::holds(Comparison::Greater, 3, 2));
    CHECK(gantry::holds(Comparison::GreaterOrEqual, 2, 2));
    CHECK(gantry::holds(Comparison::Equal, 0, 0));
    CHECK(gantry::holds(Comparison::NotEqual, 1, 0));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const Comparison c : {Comparison::Less, Comparison::Greater, Comparison::Equal, Comparison::NotEqual}) {
        CHECK_FALSE(gantry::holds(c, nan, 0));
    }
}
