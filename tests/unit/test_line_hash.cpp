#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "gantry/sarif/line_hash.hpp"

using gantry::line_hashes;
using gantry::LineHasher;
using gantry::primary_location_line_hash;

namespace {

std::string read_test_file(const std::string& name) {
    std::ifstream in(std::string(GANTRY_TEST_DATA_DIR) + "/sarif/line_hash/" + name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing test file " << name);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The hash written out by hand from the algorithm: the window of a line holds `units` followed by
// zeros, and the first unit carries the highest power of 37.
std::string hash_of_window(const std::vector<std::uint32_t>& units, int occurrence = 1) {
    std::uint64_t hash = 0;
    for (std::size_t i = 0; i < LineHasher::kBlockSize; ++i) hash = hash * 37 + (i < units.size() ? units[i] : 0);
    return fmt::format("{:x}:{}", hash, occurrence);
}

std::vector<std::string> hashes_fed_in_chunks(std::string_view source, std::size_t chunk_size) {
    std::vector<std::string> hashes;
    std::vector<std::size_t> line_numbers;
    LineHasher hasher([&](std::size_t line, std::string_view hash) {
        line_numbers.push_back(line);
        hashes.emplace_back(hash);
    });
    for (std::size_t at = 0; at < source.size(); at += chunk_size) hasher.feed(source.substr(at, chunk_size));
    hasher.finish();
    for (std::size_t i = 0; i < line_numbers.size(); ++i) CHECK(line_numbers[i] == i + 1);
    return hashes;
}

constexpr std::uint32_t kEnd = 0xFFFF;

}  // namespace

TEST_SUITE("line_hash") {
    TEST_CASE("a source file gives the hashes recorded for it, one per line plus the line after the last newline") {
        const std::string source = read_test_file("greet.c");
        const auto expected = lines_of(read_test_file("greet.c.hashes"));
        REQUIRE(expected.size() == 10);
        CHECK(line_hashes(source) == expected);
        CHECK(primary_location_line_hash(source, 1) == expected[0]);
        CHECK(primary_location_line_hash(source, 5) == expected[4]);
        CHECK(primary_location_line_hash(source, 10) == expected[9]);
    }

    TEST_CASE("CRLF, lone CR and LF line endings give the same hashes") {
        const std::string lf = read_test_file("greet.c");
        const auto expected = line_hashes(lf);
        CHECK(line_hashes(replace_all(lf, "\n", "\r\n")) == expected);
        CHECK(line_hashes(replace_all(lf, "\n", "\r")) == expected);
        // A CR separated from its LF by a space is two line breaks.
        CHECK(line_hashes("a\r \nb").size() == 3);
        CHECK(line_hashes("a\r\nb").size() == 2);
    }

    TEST_CASE("hashes follow the polynomial over the next 100 kept code units") {
        CHECK(line_hashes("") == std::vector<std::string>{hash_of_window({kEnd})});
        CHECK(line_hashes("a") == std::vector<std::string>{hash_of_window({'a', kEnd})});
        CHECK(line_hashes("a\nb") ==
              std::vector<std::string>{hash_of_window({'a', '\n', 'b', kEnd}), hash_of_window({'b', kEnd})});
        // The last line of a text ending in a newline holds only the end mark: it hashes like "".
        CHECK(line_hashes("x\n").back() == hash_of_window({kEnd}));
        // Characters beyond the block do not count.
        const std::string long_line(150, 'q');
        CHECK(line_hashes(long_line).front() == hash_of_window(std::vector<std::uint32_t>(100, 'q')));
    }

    TEST_CASE("spaces and tabs anywhere in a line are ignored") {
        CHECK(line_hashes("int a = 1;\nreturn a;\n") == line_hashes("  int a=1;\n\t\treturn\ta ;  \n"));
        CHECK(line_hashes("ab") != line_hashes("a\nb"));
    }

    TEST_CASE("lines whose windows are equal get the same hex and an occurrence counter") {
        std::string source;
        for (int i = 0; i < 200; ++i) source += "x\n";
        const auto hashes = line_hashes(source);
        REQUIRE(hashes.size() == 201);
        // Line k starts at unit 2(k-1); its window stays inside the 400 repeated units up to k = 151.
        std::vector<std::uint32_t> repeated;
        for (int i = 0; i < 50; ++i) repeated.insert(repeated.end(), {'x', '\n'});
        for (int k = 1; k <= 151; ++k) CHECK(hashes[k - 1] == hash_of_window(repeated, k));
        // Line 152's window reaches the end mark: a new hex value, counted from 1 again.
        const auto hex_of = [](const std::string& hash) { return hash.substr(0, hash.find(':')); };
        CHECK(hex_of(hashes[151]) != hex_of(hashes[0]));
        CHECK(hashes[151].ends_with(":1"));
    }

    TEST_CASE("each text counts occurrences afresh") {
        CHECK(line_hashes("") == line_hashes(""));
        CHECK(line_hashes("").front().ends_with(":1"));
    }

    TEST_CASE("lines that do not exist have no hash") {
        CHECK(primary_location_line_hash("a\nb", 0) == std::nullopt);
        CHECK(primary_location_line_hash("a\nb", -3) == std::nullopt);
        CHECK(primary_location_line_hash("a\nb", 3) == std::nullopt);
        CHECK(primary_location_line_hash("a\nb\n", 3) == hash_of_window({kEnd}));
        CHECK(primary_location_line_hash("", 1) == hash_of_window({kEnd}));
        CHECK(primary_location_line_hash("", 2) == std::nullopt);
    }

    TEST_CASE("text is hashed as UTF-16 code units") {
        CHECK(line_hashes("\xc3\xa9") == std::vector<std::string>{hash_of_window({0xE9, kEnd})});
        // U+1F600 is a surrogate pair.
        CHECK(line_hashes("\xf0\x9f\x98\x80") == std::vector<std::string>{hash_of_window({0xD83D, 0xDE00, kEnd})});
        // A byte order mark is kept, as Node keeps it.
        CHECK(line_hashes("\xef\xbb\xbfx") == std::vector<std::string>{hash_of_window({0xFEFF, 'x', kEnd})});
    }

    TEST_CASE("invalid UTF-8 becomes U+FFFD per maximal subpart, like Node's decoder") {
        const auto replaced = [](std::vector<std::uint32_t> units) {
            units.push_back(kEnd);
            return std::vector<std::string>{hash_of_window(units)};
        };
        CHECK(line_hashes("\xff") == replaced({0xFFFD}));
        CHECK(line_hashes("\xe2\x82z") == replaced({0xFFFD, 'z'}));  // one truncated sequence, one U+FFFD
        CHECK(line_hashes("\xc0\xaf") == replaced({0xFFFD, 0xFFFD}));  // overlong: both bytes invalid
        CHECK(line_hashes("\xed\xa0\x80") == replaced({0xFFFD, 0xFFFD, 0xFFFD}));  // encoded surrogate
        CHECK(line_hashes("\xf4\x90\x80\x80") == replaced({0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}));  // past U+10FFFF
        CHECK(line_hashes("\xf0\x9f\x98") == replaced({0xFFFD}));  // cut short by the end of the text
        CHECK(line_hashes("\xe2\n") == std::vector<std::string>{hash_of_window({0xFFFD, '\n', kEnd}),
                                                                 hash_of_window({kEnd})});
    }

    TEST_CASE("chunked input gives the same hashes, in line order, however the bytes are split") {
        std::string source = read_test_file("greet.c");
        source += "// caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\r\n\tend\r";
        const auto whole = line_hashes(source);
        for (const std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{64}})
            CHECK(hashes_fed_in_chunks(source, chunk) == whole);
    }

    TEST_CASE("arbitrary bytes never fail and always give at least one line") {
        std::string bytes;
        for (int i = 0; i < 1024; ++i) bytes.push_back(static_cast<char>((i * 131 + 7) % 256));
        const auto hashes = line_hashes(bytes);
        CHECK_FALSE(hashes.empty());
        for (const auto& hash : hashes) CHECK(hash.find(':') != std::string::npos);
    }
}
