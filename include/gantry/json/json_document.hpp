// One JSON document held in memory and read with simdjson's On-Demand API, with errors that name a place.
//
// A JsonDocument owns the padded text, the parser and the On-Demand document, and is therefore neither
// copyable nor movable (the document points into the parser). It is the only place that turns a
// simdjson error code into an InputError: syntax problems get "file:line:column" computed from the
// byte where simdjson stopped (or, for problems simdjson finds before iterating - invalid UTF-8, an
// unclosed string - from a second, position-reporting pass over the text), and value problems get the
// file, the line:column and the JSON pointer of the value. Nothing here throws anything but gantry::InputError.
//
// Fragment mode reads a large text one value at a time (values cut out by a JsonStream): each call of
// fragment() parses one value with the same parser (its memory grows to the largest value and is
// reused), and positions in messages are those of the whole text, shifted by the value's TextOrigin.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "gantry/base/text_position.hpp"
#include "gantry/json/padded_file.hpp"
#include "gantry/json/text_origin.hpp"

namespace gantry {

class JsonDocument {
public:
    // `name` is used in messages. Throws InputError for an empty or over-large text.
    JsonDocument(std::string name, simdjson::padded_string text);
    // Reads a file with PaddedFile::read (huge pages for a large file); gzip-compressed files are inflated first.
    // Throws InputError when it cannot be read.
    explicit JsonDocument(const std::filesystem::path& path);

    // Fragment mode: no text until fragment() is called.
    struct Fragments {};
    JsonDocument(std::string name, Fragments);
    // Parses `value`, the bytes of one JSON value that starts at `origin` in the whole text, and returns
    // it. Invalidates the previous fragment and every value handed out from it. InputError when broken.
    simdjson::ondemand::value fragment(std::string_view value, const TextOrigin& origin);

    JsonDocument(const JsonDocument&) = delete;
    JsonDocument& operator=(const JsonDocument&) = delete;

    const std::string& name() const { return name_; }
    // The JSON text, after a leading UTF-8 byte order mark (byte_order_mark.hpp); offsets count from here.
    std::string_view text() const { return whole_.substr(start_); }

    // The top-level object. InputError when the document is not an object (or is not JSON at all).
    simdjson::ondemand::object root_object();
    // Starts again from the beginning (after sniffing the format). Invalidates every value handed out.
    void rewind();
    // Call after the root object has been read completely: InputError if anything but whitespace follows.
    void expect_end();

    // The message for a syntax error found at `offset`: truncation only when nothing follows it.
    std::string reason_at(std::size_t offset, simdjson::error_code error) const;
    // Throws the InputError for a simdjson error met while iterating ("file:line:column: reason").
    [[noreturn]] void fail_syntax(simdjson::error_code error);
    // Throws the InputError for a value that is not what the format says
    // ("file:line:column (at /a/0/b): reason"), the position being that of the value being read.
    [[noreturn]] void fail_at(const std::string& json_pointer, const std::string& reason);

private:
    std::size_t current_offset();
    LineColumn position_of(std::size_t offset) const;
    [[noreturn]] void fail_at_offset(std::size_t offset, const std::string& reason) const;
    void start_iterating();

    std::string name_;
    // The text is one of these two, whole_ views it (with the padding after it).
    simdjson::padded_string text_;
    PaddedFile file_;
    std::string_view whole_;
    std::size_t start_ = 0;  // the length of a byte order mark before the JSON
    // Fragment mode: the value wrapped as "[value]" (any value is then an array element), and where
    // the value starts in the whole text.
    std::vector<char> fragment_;
    std::optional<TextOrigin> origin_;
    simdjson::ondemand::parser parser_;
    simdjson::ondemand::document document_;
};

}  // namespace gantry
