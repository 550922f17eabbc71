// JSON text read through one fixed-size buffer, value by value, for reports larger than memory should hold.
//
// A JsonStream is a small structural scanner, not a parser: it knows strings (and their escapes) and
// nesting depth, enough to find where a value starts and ends. The caller walks the outline of a
// document with it (expect('{'), read_key(), expect(':'), ...) and takes each value it wants read as
// a span of bytes (read_value()) that a real parser (simdjson, through StreamedObject) then judges.
// Bytes already walked past are dropped, so memory is the buffer (1 MiB, reused across the file)
// grown only as far as the largest single value taken whole - bounded by the value, not the file.
// Every span carries the TextOrigin of its first byte (offset, line and column in the whole text, a
// leading UTF-8 byte order mark not counted, as JsonDocument counts), so that errors found inside it
// can name the place in the original file. What the scanner itself finds wrong (a missing comma, a
// truncated text) is an InputError "file:line:column: reason"; it never judges the bytes inside a value.
// Counting lines is a pass over every byte (a tenth of a pretty-printed report's reading time), so a
// caller that never shows the stream's errors - it reads the file again whole when the stream fails,
// for the whole-document reader's message - constructs it with LinePositions::Uncounted: origins and
// errors then name the byte offset only (line and column 0).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gantry/json/json_text_stream.hpp"
#include "gantry/json/text_origin.hpp"

namespace gantry {

// A regular, uncompressed file read with read(2); nullptr for a gzip-compressed file or anything but a
// regular file (those are read whole). InputError naming the file when it cannot be opened.
std::unique_ptr<ByteSource> open_plain_file(const std::filesystem::path& path, const std::string& name);

enum class LinePositions : unsigned char { Counted, Uncounted };

class JsonStream {
public:
    static constexpr std::size_t kDefaultBufferSize = std::size_t{1} << 20;

    // `name` is the text as messages show it. `buffer_size` is the starting size of the buffer (tests
    // use a few bytes to put values across its boundaries).
    JsonStream(std::unique_ptr<ByteSource> source, std::string name, std::size_t buffer_size = kDefaultBufferSize,
               LinePositions lines = LinePositions::Counted);

    const std::string& name() const { return name_; }

    // The next byte that is not blank, not consumed; nullopt at the end of the text.
    std::optional<char> peek();
    // Consumes the next byte that is not blank, which must be `expected` (else InputError).
    void expect(char expected);
    // Consumes the next byte that is not blank, which must be one of `allowed`; returns it.
    char expect_one_of(std::string_view allowed);
    // A string without escape sequences (an object key of a report's outline), quotes consumed.
    // InputError for a string with escapes: the caller reads such a text another way.
    std::string read_key();

    struct Span {
        std::string_view bytes;  // valid until the stream is used again
        TextOrigin origin;
    };
    // The bytes of the next value, whole: an object or array up to its closing bracket, a string, or a
    // literal up to the next delimiter. InputError when the text ends inside it.
    Span read_value();
    // Walks past the next value without keeping it (the buffer does not grow for it).
    void skip_value();
    // InputError unless only blanks are left.
    void expect_end();

    // Where the next byte that is not blank is.
    TextOrigin position();

private:
    std::size_t scan_value(bool keep);   // from pos_ (not blank); returns the index of its first byte
    std::size_t skip_string(std::size_t i, bool keep);  // i: just past the opening quote; returns past the closing one
    bool refill(bool keep);             // false at the end of the source
    void skip_blank();
    void count_lines_to(std::size_t offset);  // absolute offset, inside the buffer
    [[noreturn]] void fail(std::size_t offset, const std::string& reason);

    std::unique_ptr<ByteSource> source_;
    std::string name_;
    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t size_ = 0;   // bytes held
    std::size_t pos_ = 0;    // next byte to scan
    std::size_t mark_ = 0;   // first byte of the value being kept (valid while keeping)
    std::size_t base_ = 0;   // absolute offset of buffer_[0]
    std::string open_brackets_;  // scan_value's stack of closing brackets expected, reused
    bool started_ = false;   // the first bytes have been read (and a byte order mark dropped)
    bool ended_ = false;
    // Lines counted up to `counted_` (absolute): line_ is the line there, line_start_ where it starts.
    LinePositions lines_ = LinePositions::Counted;
    std::size_t counted_ = 0;
    int line_ = 1;
    std::size_t line_start_ = 0;
};

}  // namespace gantry
