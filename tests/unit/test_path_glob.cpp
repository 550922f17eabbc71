#include <doctest/doctest.h>

#include "gantry/base/path_glob.hpp"

using gantry::path_matches_glob;

TEST_SUITE("path_glob") {
TEST_CASE("a star stays within a directory, two stars cross them") {
    CHECK(path_matches_glob("src/*.c", "src/a.c"));
    CHECK_FALSE(path_matches_glob("src/*.c", "src/lib/a.c"));
    CHECK(path_matches_glob("src/**/*.c", "src/lib/deep/a.c"));
    CHECK(path_matches_glob("src/**/*.c", "src/a.c"));  // ** may be no directory at all
    CHECK(path_matches_glob("src/**", "src/lib/a.c"));
    CHECK_FALSE(path_matches_glob("src/**", "test/a.c"));
    CHECK(path_matches_glob("**/test_*.py", "a/b/test_x.py"));
}

TEST_CASE("a pattern without a slash matches any segment, as in .gitignore") {
    CHECK(path_matches_glob("*.min.js", "web/dist/app.min.js"));
    CHECK(path_matches_glob("vendor", "third/vendor/lib/a.go"));
    CHECK_FALSE(path_matches_glob("vendor", "src/vendors.go"));
}

TEST_CASE("leading ./ and / are ignored on both sides") {
    CHECK(path_matches_glob("./src/**", "src/a.c"));
    CHECK(path_matches_glob("src/a.c", "/src/a.c"));
    CHECK_FALSE(path_matches_glob("src/a.c", ""));
}
}
