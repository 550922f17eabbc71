// JSON text read a chunk at a time for nlohmann's SAX parser, so that a file of any size is walked with
// a few MB of memory, and what goes wrong is placed at a line:column.
//
// A ByteSource yields the bytes: FileSource reads a file through zlib (plain or gzip, which zlib tells
// apart) and throws InputError naming the file when it cannot be read or the gzip data is damaged;
// TextSource reads a text held in memory (which must outlive it). A TextStream holds one 1 MiB chunk
// of a source at a time, skips a leading UTF-8 byte order mark (byte_order_mark.hpp), counts lines as
// the parser advances, and hands every chunk it reads to an optional observer (e.g. to measure the
// gzipped size on the way). position_of() is exact for an offset on the line being read or the one
// before it (enough for a token that just ended); older offsets give the current line, column 1.
// start_capture()/stop_capture() copy out the bytes of one value (say, a result) while it is being
// parsed. parse_json_text() runs nlohmann's strict SAX parser over the whole stream; when it fails,
// throw_json_text_error() turns the handler's parse_error() message into the InputError
// "file:line:column: invalid JSON: ..." (or "the file is empty", or "the text ends before every object
// and array is closed" for a truncated file).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "gantry/base/text_position.hpp"

namespace gantry {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual std::size_t read(char* buffer, std::size_t size) = 0;  // 0 at the end
};

class FileSource final : public ByteSource {
public:
    // `name` is the file as messages show it.
    FileSource(const std::filesystem::path& path, std::string name);
    ~FileSource() override;
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    std::size_t read(char* buffer, std::size_t size) override;

private:
    std::string name_;
    gzFile file_ = nullptr;
};

class TextSource final : public ByteSource {
public:
    explicit TextSource(std::string_view text) : text_(text) {}
    std::size_t read(char* buffer, std::size_t size) override;

private:
    std::string_view text_;
};

class TextStream {
public:
    using ChunkObserver = std::function<void(std::string_view chunk)>;

    explicit TextStream(std::unique_ptr<ByteSource> source, ChunkObserver on_chunk = {});

    bool at_end() { return position_ < size_ ? false : refill(); }
    bool ended() const { return ended_; }
    char current() const { return buffer_[position_]; }
    void advance() {
        const char c = buffer_[position_++];
        if (c == '\n') {
            ++line_;
            previous_line_start_ = line_start_;
            line_start_ = offset_ + 1;
        }
        ++offset_;
    }
    // Bytes consumed so far: the parser has just read the byte at consumed() - 1.
    std::size_t consumed() const { return offset_; }
    // For an offset on the line being read or the one before it.
    LineColumn position_of(std::size_t offset) const;

    // The bytes from `first` (already consumed) on, until stop_capture().
    void start_capture(char first);
    const std::string& stop_capture();

    // What nlohmann's iterator input adapter walks.
    struct Iterator {
        using iterator_category = std::input_iterator_tag;
        using value_type = char;
        using difference_type = std::ptrdiff_t;
        using pointer = const char*;
        using reference = char;

        TextStream* stream = nullptr;

        char operator*() const { return stream->current(); }
        Iterator& operator++() {
            stream->advance();
            return *this;
        }
        bool done() const { return stream == nullptr || stream->at_end(); }
        friend bool operator==(const Iterator& a, const Iterator& b) { return a.done() == b.done(); }
        friend bool operator!=(const Iterator& a, const Iterator& b) { return a.done() != b.done(); }
    };

private:
    bool refill();  // true at the end of the source

    std::unique_ptr<ByteSource> source_;
    ChunkObserver on_chunk_;
    std::vector<char> buffer_;
    std::size_t size_ = 0;
    std::size_t position_ = 0;
    std::size_t offset_ = 0;
    int line_ = 1;
    std::size_t line_start_ = 0;
    std::size_t previous_line_start_ = 0;
    bool ended_ = false;
    bool started_ = false;  // the first chunk has been read (and a byte order mark skipped)
    bool capturing_ = false;
    std::size_t capture_from_ = 0;  // where the copy continues in buffer_
    std::string capture_;
};

// Whether the SAX handler was handed any value before the parser stopped.
enum class ValuesSeen { None, Some };

// True when the whole text was one valid JSON value (nothing but whitespace after it).
bool parse_json_text(TextStream& stream, nlohmann::json_sax<nlohmann::json>& handler);

// The InputError for text parse_json_text() rejected; `parse_error` is the what() of the exception
// nlohmann handed to the handler's parse_error(); `expected` says what the file should hold.
[[noreturn]] void throw_json_text_error(const TextStream& stream, const std::string& name,
                                        std::string_view parse_error, ValuesSeen seen, std::string_view expected);

}  // namespace gantry
