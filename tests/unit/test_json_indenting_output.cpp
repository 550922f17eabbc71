// The streamed re-indenter against nlohmann's own dump(2): every SARIF file the tests and samples
// hold (and the shared real-world fixtures when they are there), the edge cases of the layout, and
// tokens cut at every place by the re-indenter's buffer boundary.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/gzip.hpp"
#include "gantry/json/json_indenting_output.hpp"
#include "fixture_files.hpp"

using namespace gantry;
using nlohmann::json;

namespace {

std::string indented_text(const std::string& text) {
    std::ostringstream sink;
    JsonIndentingOutput out(sink);
    out << text;
    out.finish();
    REQUIRE(out.good());
    return std::move(sink).str();
}

// What --pretty wrote when it re-parsed the minified file: the canonical minified form, dumped with 2.
void check_like_dump(const json& value) {
    const std::string minified = value.dump(-1, ' ', false, json::error_handler_t::replace);
    CHECK(indented_text(minified) == json::parse(minified).dump(2));
}

void check_like_dump(const std::string& text) { check_like_dump(json::parse(text)); }

std::vector<std::filesystem::path> sarif_fixtures() {
    using gantry::testing::Depth;
    const std::filesystem::path data(GANTRY_TEST_DATA_DIR);
    return gantry::testing::fixture_files({data / "..", data / ".." / ".." / "samples", data / ".." / ".." / ".." / "shared" / "fixtures" / "sarif",
                                           data / ".." / ".." / ".." / ".." / "shared" / "fixtures" / "sarif"},
                                          {".sarif", ".sarif.gz", ".sarif.json"}, Depth::Recursive);
}

}  // namespace

TEST_CASE("re-indenting minified JSON gives dump(2) for every SARIF file the tests hold") {
    const auto files = sarif_fixtures();
    REQUIRE(files.size() >= 20);
    std::size_t compared = 0;
    for (const auto& path : files) {
        CAPTURE(path.string());
        std::string text = read_file(path);
        if (is_gzip(text)) text = gunzip(text, path.string());
        // Inputs of the error tests are not JSON at all: nothing to lay out.
        json value = json::parse(text, nullptr, false);
        if (value.is_discarded()) continue;
        check_like_dump(value);
        ++compared;
    }
    CHECK(compared >= 20);
}

TEST_CASE("re-indenting keeps empty objects and arrays on one line, nested or not") {
    for (const char* text : {"{}", "[]", "[[]]", "[{}]", R"({"a":{}})", R"({"a":[]})", R"([{},[],{"b":[[]]},[[{}]]])",
                             R"({"a":{"b":{"c":[]}},"d":[{}, {}],"e":""})", R"([[],[[],[]],{}])"}) {
        CAPTURE(text);
        check_like_dump(std::string(text));
    }
}

TEST_CASE("re-indenting leaves strings alone: brackets, quotes, escapes and unicode inside them") {
    for (const char* text : {R"(["{}[],:", "a\"},{\"b\":[", "\\", "\\\\\"", "end\\"])",
                             R"({"\u00e9t\u00e9":"\ud83d\ude00 \u0001\u001f\b\f\n\r\t","/":"a/b"})",
                             R"({"key with : and ,":{"[":"]"},"\"":"\""})", "[\"caf\xc3\xa9 \xe2\x82\xac\"]",
                             R"(["line\nbreak", "tab\there"])"}) {
        CAPTURE(text);
        check_like_dump(std::string(text));
    }
    // Invalid UTF-8 is replaced by the writer's dump, as the merge writes it.
    check_like_dump(json::array({std::string("bad \xff byte")}));
}

TEST_CASE("re-indenting copies numbers and literals as dump writes them") {
    for (const char* text : {"[18446744073709551615,-9223372036854775808,9223372036854775807]",
                             "[1e308,1.5e-300,0.1,-0.0,5.0,123456789012345678901234567890,1E+2,-1.25e-7]",
                             R"({"t":true,"f":false,"n":null,"z":0,"neg":-1})", "42", "\"a string\"", "null", "-3.5"}) {
        CAPTURE(text);
        check_like_dump(std::string(text));
    }
}

TEST_CASE("re-indenting deep nesting and already indented text") {
    std::string arrays;
    std::string objects;
    for (int i = 0; i < 400; ++i) {
        arrays += "[1,";
        objects += R"({"k":)";
    }
    arrays += "[]";
    objects += "{}";
    for (int i = 0; i < 400; ++i) {
        arrays += ",[]]";
        objects += R"(,"x":[]})";
    }
    check_like_dump(arrays);
    check_like_dump(objects);
    // Whitespace outside strings is dropped, so pretty text comes out as dump(2) too.
    const json value = json::parse(R"({"a":[1,{"b":"c d"},[]],"e":{}})");
    CHECK(indented_text(value.dump(4)) == value.dump(2));
    CHECK(indented_text(" \n" + value.dump(2) + "\n ") == value.dump(2));
}

TEST_CASE("re-indenting is the same wherever the buffer boundary cuts a token") {
    // The re-indenter lays out 64 KiB at a time: move the tricky tokens across that boundary byte by byte.
    const json tricky = json::parse(R"({"a":[],"b":{},"c":"\\\"q\"\u0001","d":[{"e":[[]]}],"f":-1.5e-3})");
    for (std::size_t pad = 65'536 - 64; pad <= 65'536 + 8; ++pad) {
        CAPTURE(pad);
        json value = json::array({std::string(pad, 'x'), tricky, std::string(10, '\\'), tricky});
        check_like_dump(value);
    }
}

TEST_CASE("re-indented output is handed to the sink in chunks and in full after finish()") {
    json big = json::array();
    for (int i = 0; i < 20'000; ++i) big.push_back({{"i", i}, {"s", "some text"}, {"e", json::array()}});
    const std::string minified = big.dump();
    std::ostringstream sink;
    JsonIndentingOutput out(sink);
    out << minified;
    // Before finish() the sink has had whole chunks only; after it, everything.
    CHECK(sink.str().size() < big.dump(2).size());
    out.finish();
    out.finish();  // idempotent
    CHECK(sink.str() == big.dump(2));
}
