#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "gantry/base/error.hpp"
#include "gantry/base/gzip.hpp"

TEST_SUITE("gzip") {
TEST_CASE("what GzipOutput writes, gunzip reads back; the sizes are counted") {
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + "\n";
    std::ostringstream sink;
    gantry::GzipOutput gzip(&sink);
    gzip << text;
    gzip.finish();
    const std::string compressed = sink.str();
    CHECK(gantry::is_gzip(compressed));
    CHECK_FALSE(gantry::is_gzip(text));
    CHECK(gzip.compressed_bytes() == compressed.size());
    CHECK(gzip.uncompressed_bytes() == text.size());
    CHECK(compressed.size() < text.size() / 3);
    CHECK(gantry::gunzip(compressed, "x.gz") == text);
    CHECK(gantry::gzipped_size(text) == compressed.size());
    // Two members one after the other, as `cat a.gz b.gz` makes, are one file.
    CHECK(gantry::gunzip(compressed + compressed, "x.gz") == text + text);
}

TEST_CASE("truncated, corrupt and over-large gzip data are input errors") {
    std::ostringstream sink;
    gantry::GzipOutput gzip(&sink);
    gzip << std::string(100000, 'a');
    gzip.finish();
    const std::string compressed = sink.str();
    CHECK_THROWS_AS(gantry::gunzip(compressed.substr(0, compressed.size() / 2), "cut.gz"), gantry::InputError);
    std::string corrupt = compressed;
    corrupt[12] = static_cast<char>(corrupt[12] ^ 0x55);
    corrupt[13] = static_cast<char>(corrupt[13] ^ 0x55);
    CHECK_THROWS_AS(gantry::gunzip(corrupt, "bad.gz"), gantry::InputError);
    CHECK_THROWS_WITH_AS(gantry::gunzip(compressed, "bomb.gz", 1000), doctest::Contains("bomb.gz"), gantry::InputError);
    CHECK_THROWS_AS(gantry::gunzip(compressed + "junk", "tail.gz"), gantry::InputError);
}
}
