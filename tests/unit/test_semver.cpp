#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gantry/base/error.hpp"
#include "gantry/semver/semantic_version.hpp"

using gantry::parse_semantic_version;
using gantry::SemanticVersion;

namespace {

SemanticVersion v(const char* text) {
    auto parsed = parse_semantic_version(text);
    REQUIRE_MESSAGE(parsed.has_value(), text);
    return *parsed;
}

}  // namespace

TEST_SUITE("semver") {
    TEST_CASE("valid versions from semver.org parse and print back unchanged") {
        for (const char* text : {"0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta", "1.1.2+meta-valid",
                                 "1.0.0-alpha", "1.0.0-beta", "1.0.0-alpha.beta", "1.0.0-alpha.beta.1", "1.0.0-alpha.1",
                                 "1.0.0-alpha0.valid", "1.0.0-alpha.0valid", "1.0.0-rc.1+build.1", "2.0.0-rc.1+build.123",
                                 "1.2.3-beta", "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123", "2.0.0+build.1848",
                                 "2.0.1-alpha.1227", "1.0.0-alpha+beta", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
                                 "1.2.3----R-S.12.9.1--.12+meta", "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
                                 "18446744073709551615.0.0", "1.0.0-0A.is.legal"}) {
            CAPTURE(text);
            const auto parsed = parse_semantic_version(text);
            REQUIRE(parsed.has_value());
            CHECK(parsed->to_string() == text);
        }
    }

    TEST_CASE("invalid versions from semver.org are rejected with the reason") {
        for (const char* text : {"1", "1.2", "1.2.3-0123", "1.2.3-0123.0123", "1.1.2+.123", "+invalid", "-invalid",
                                 "-invalid+invalid", "-invalid.01", "alpha", "alpha.beta", "alpha.beta.1", "alpha.1",
                                 "alpha+beta", "alpha_beta", "alpha.", "alpha..", "beta", "1.0.0-alpha_beta", "-alpha.",
                                 "1.0.0-alpha..", "1.0.0-alpha..1", "1.0.0-alpha...1", "01.1.1", "1.01.1", "1.1.01",
                                 "1.2.3.DEV", "1.2-SNAPSHOT", "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788", "1.2-RC-SNAPSHOT",
                                 "-1.0.3-gamma+b7718", "+justmeta", "9.8.7+meta+meta", "9.8.7-whatever+meta+meta",
                                 "v1.2.3", " 1.2.3", "1.2.3 ", "1.2.3-", "1.2.3+", "18446744073709551616.0.0", ""}) {
            CAPTURE(text);
            CHECK_FALSE(parse_semantic_version(text).has_value());
            CHECK_FALSE(gantry::semantic_version_problem(text).empty());
        }
        CHECK(gantry::semantic_version_problem("1.02.3") == "leading zero in the minor version at column 3");
        CHECK_THROWS_AS(gantry::require_semantic_version("1.2", "--initial-version"), gantry::InputError);
    }

    TEST_CASE("precedence follows section 11 exactly") {
        // The example chain of section 11.4, plus numeric ordering of the three parts.
        const std::vector<const char*> ascending = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                                    "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1",
                                                    "1.1.0", "1.9.0", "1.10.0", "2.0.0", "10.0.0"};
        for (std::size_t i = 0; i + 1 < ascending.size(); ++i) {
            CAPTURE(ascending[i]);
            CHECK(v(ascending[i]) < v(ascending[i + 1]));
            CHECK(v(ascending[i + 1]) > v(ascending[i]));
        }
        std::vector<SemanticVersion> shuffled;
        for (const char* text : ascending) shuffled.push_back(v(text));
        std::mt19937 random(42);
        std::shuffle(shuffled.begin(), shuffled.end(), random);
        std::sort(shuffled.begin(), shuffled.end());
        for (std::size_t i = 0; i < ascending.size(); ++i) CHECK(shuffled[i].to_string() == ascending[i]);
    }

    TEST_CASE("numeric identifiers compare as numbers, below alphanumeric ones; rc10 is text") {
        CHECK(v("1.0.0-rc.9") < v("1.0.0-rc.10"));
        CHECK(v("1.0.0-rc10") < v("1.0.0-rc9"));  // the trap: one alphanumeric identifier, ASCII order
        CHECK(v("1.0.0-1") < v("1.0.0-a"));
        CHECK(v("1.0.0-999999999999999999999") > v("1.0.0-99999999999999999999"));  // beyond 64 bits
        CHECK(v("1.0.0-Z") < v("1.0.0-a"));  // ASCII: upper case first
        CHECK(v("1.0.0-alpha") < v("1.0.0-alpha.0"));
    }

    TEST_CASE("build metadata is ignored for precedence but kept") {
        CHECK(v("1.0.0+a") == v("1.0.0+b"));
        CHECK_FALSE(v("1.0.0+a").identical_to(v("1.0.0+b")));
        CHECK(v("1.0.0-rc.1+x").without_build().to_string() == "1.0.0-rc.1");
        CHECK(v("1.0.0-rc.1+x").release().to_string() == "1.0.0");
        CHECK(v("1.0.0-rc.1") < v("1.0.0+0"));
    }
}
