#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/base/gzip.hpp"
#include "gantry/json/json_text_stream.hpp"

using gantry::TextStream;

namespace {

// Copies every string value out of the text, and remembers the last parse error.
class StringCopier final : public nlohmann::json_sax<nlohmann::json> {
public:
    explicit StringCopier(TextStream& stream) : stream_(stream) {}

    std::vector<std::string> copies;
    std::string error;
    gantry::ValuesSeen seen = gantry::ValuesSeen::None;

    bool null() override { return note(); }
    bool boolean(bool) override { return note(); }
    bool number_integer(number_integer_t) override { return note(); }
    bool number_unsigned(number_unsigned_t) override { return note(); }
    bool number_float(number_float_t, const string_t&) override { return note(); }
    bool string(string_t&) override { return note(); }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override {
        note();
        if (++depth_ == 2) stream_.start_capture('{');
        return true;
    }
    bool end_object() override {
        if (depth_-- == 2) copies.push_back(stream_.stop_capture());
        return true;
    }
    bool start_array(std::size_t) override { return note(); }
    bool end_array() override { return true; }
    bool key(string_t&) override { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
        error = e.what();
        return false;
    }

private:
    bool note() {
        seen = gantry::ValuesSeen::Some;
        return true;
    }
    TextStream& stream_;
    int depth_ = 0;
};

std::string error_of(const std::string& text) {
    TextStream stream(std::make_unique<gantry::TextSource>(text));
    StringCopier copier(stream);
    if (gantry::parse_json_text(stream, copier)) return "no error";
    try {
        gantry::throw_json_text_error(stream, "t.json", copier.error, copier.seen, "a thing");
    } catch (const gantry::InputError& e) {
        return e.what();
    }
    return "not thrown";
}

}  // namespace

TEST_SUITE("json_text_stream") {
TEST_CASE("values are copied out whole even across chunk boundaries, and every chunk is observed") {
    // Objects of ~100 bytes in an array of several MiB: some straddle the 1 MiB chunks.
    std::string text = "{\"a\":[";
    std::vector<std::string> expected;
    for (int i = 0; i < 40000; ++i) {
        expected.push_back("{\"n\":" + std::to_string(i) + ",\"s\":\"" + std::string(80, 'x') + "\"}");
        text += (i ? "," : "") + expected.back();
    }
    text += "]}";
    std::size_t observed = 0;
    TextStream stream(std::make_unique<gantry::TextSource>(text), [&](std::string_view chunk) { observed += chunk.size(); });
    StringCopier copier(stream);
    REQUIRE(gantry::parse_json_text(stream, copier));
    CHECK(copier.copies == expected);
    CHECK(observed == text.size());
    CHECK(stream.consumed() == text.size());
}

TEST_CASE("parse errors become InputErrors with line:column") {
    CHECK(error_of("{\"a\": [1,\n  2,\n  ]}").find("t.json:3:3: invalid JSON") == 0);
    CHECK(error_of("{\"a\": [1,\n").find("truncated") != std::string::npos);
    CHECK(error_of("").find("the file is empty; expected a thing") != std::string::npos);
    CHECK(error_of("  \n ").find("the file is empty") != std::string::npos);
    CHECK(error_of("{} {}").find("t.json:1:4") == 0);
    // A long bad string is shown by its end, not whole.
    const std::string message = error_of("{\"a\": \"" + std::string(500, 'y') + "\x01\"}");
    CHECK(message.find("invalid JSON") != std::string::npos);
    CHECK(message.size() < 300);
    CHECK(error_of("[1, {\"b\": null}]") == "no error");
}

TEST_CASE("files are read plain or gzipped; unreadable ones name the file") {
    const auto dir = std::filesystem::temp_directory_path() / "gantry-json-text-stream";
    std::filesystem::create_directories(dir);
    const std::string text = R"({"x":{"y":1}})";
    gantry::write_file_atomically(dir / "plain.json", text);
    std::ostringstream compressed;
    gantry::GzipOutput gzip(&compressed);
    gzip << text;
    gzip.finish();
    gantry::write_file_atomically(dir / "packed.json.gz", compressed.str());
    for (const char* name : {"plain.json", "packed.json.gz"}) {
        TextStream stream(std::make_unique<gantry::FileSource>(dir / name, name));
        StringCopier copier(stream);
        CHECK(gantry::parse_json_text(stream, copier));
        REQUIRE(copier.copies.size() == 1);
        CHECK(copier.copies[0] == R"({"y":1})");
    }
    CHECK_THROWS_AS(gantry::FileSource(dir / "missing.json", "missing.json"), gantry::InputError);
    CHECK_THROWS_WITH_AS(gantry::FileSource(dir, "dir"), doctest::Contains("directory"), gantry::InputError);
    // Damaged gzip: the header is right, the rest is not.
    std::string damaged = compressed.str();
    for (std::size_t i = 10; i < damaged.size(); ++i) damaged[i] = static_cast<char>(0xFF);
    gantry::write_file_atomically(dir / "damaged.json.gz", damaged);
    TextStream stream(std::make_unique<gantry::FileSource>(dir / "damaged.json.gz", "damaged.json.gz"));
    StringCopier copier(stream);
    CHECK_THROWS_WITH_AS(gantry::parse_json_text(stream, copier), doctest::Contains("damaged.json.gz"), gantry::InputError);
    std::filesystem::remove_all(dir);
}
}
