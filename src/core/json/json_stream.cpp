#include "gantry/json/json_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "gantry/base/error.hpp"
#include "gantry/base/gzip.hpp"

namespace gantry {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::size_t kSmallestBuffer = 4;  // room for a byte order mark and one more byte

bool is_blank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The bytes the bracket scanner stops at; everything else (names, numbers, the indentation of a
// pretty-printed report, most of its bytes) is stepped over by one table lookup a byte.
constexpr std::array<bool, 256> kStructuralBytes = [] {
    std::array<bool, 256> table{};
    for (const unsigned char c : std::string_view("\"{}[]")) {
        table[c] = true;
    }
    return table;
}();

class DescriptorSource final : public ByteSource {
public:
    DescriptorSource(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
    ~DescriptorSource() override { ::close(fd_); }
    DescriptorSource(const DescriptorSource&) = delete;
    DescriptorSource& operator=(const DescriptorSource&) = delete;

    std::size_t read(char* buffer, std::size_t size) override {
        std::size_t total = 0;
        while (total < size) {
            const ssize_t got = ::read(fd_, buffer + total, size - total);
            if (got < 0) {
                if (errno == EINTR) continue;
                throw unreadable_input(name_, errno);
            }
            if (got == 0) break;
            total += static_cast<std::size_t>(got);
        }
        return total;
    }

private:
    int fd_;
    std::string name_;
};

}  // namespace

std::unique_ptr<ByteSource> open_plain_file(const std::filesystem::path& path, const std::string& name) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw unreadable_input(name, errno);
    auto source = std::make_unique<DescriptorSource>(fd, name);
    struct stat status {};
    if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) return nullptr;
    char magic[2] = {0, 0};
    const ssize_t got = ::pread(fd, magic, sizeof magic, 0);
    if (got == 2 && is_gzip(std::string_view(magic, sizeof magic))) return nullptr;
    return source;
}

JsonStream::JsonStream(std::unique_ptr<ByteSource> source, std::string name, std::size_t buffer_size,
                       LinePositions lines)
    : source_(std::move(source)),
      name_(std::move(name)),
      buffer_(new char[std::max(buffer_size, kSmallestBuffer)]),
      capacity_(std::max(buffer_size, kSmallestBuffer)),
      lines_(lines) {
    if (lines_ == LinePositions::Uncounted) {
        line_ = 0;
    }
}

bool JsonStream::refill(bool keep) {
    if (ended_) {
        return false;
    }
    // Bytes before the kept value (or everything scanned) are done with: count their lines, drop them.
    const std::size_t drop = keep ? mark_ : std::min(pos_, size_);
    count_lines_to(base_ + drop);
    if (drop > 0) {
        std::memmove(buffer_.get(), buffer_.get() + drop, size_ - drop);
        size_ -= drop;
        pos_ -= drop;
        if (keep) {
            mark_ -= drop;
        }
        base_ += drop;
    }
    if (size_ == capacity_) {
        // One value fills the whole buffer: grow it, bounded by that value.
        std::unique_ptr<char[]> larger(new char[2 * capacity_]);
        std::memcpy(larger.get(), buffer_.get(), size_);
        buffer_ = std::move(larger);
        capacity_ *= 2;
    }
    std::size_t got = source_->read(buffer_.get() + size_, capacity_ - size_);
    if (!started_) {
        // The byte order mark may come in pieces from a source that yields little at a time.
        while (got > 0 && size_ + got < kByteOrderMark.size()) {
            size_ += got;
            got = source_->read(buffer_.get() + size_, capacity_ - size_);
        }
        size_ += got;
        started_ = true;
        if (std::string_view(buffer_.get(), size_).starts_with(kByteOrderMark)) {
            std::memmove(buffer_.get(), buffer_.get() + kByteOrderMark.size(), size_ - kByteOrderMark.size());
            size_ -= kByteOrderMark.size();
        }
        if (size_ == 0) {
            ended_ = true;
        }
        return size_ > 0;
    }
    if (got == 0) {
        ended_ = true;
        return false;
    }
    size_ += got;
    return true;
}

void JsonStream::count_lines_to(std::size_t offset) {
    if (offset <= counted_ || lines_ == LinePositions::Uncounted) {
        return;
    }
    // Pretty-printed documents (CycloneDX, SARIF) have a line every few dozen bytes: one counting
    // pass and one search for the last line break beat a memchr call per line.
    const char* const from = buffer_.get() + (counted_ - base_);
    const char* const to = buffer_.get() + (offset - base_);
    const auto breaks = std::count(from, to, '\n');
    if (breaks > 0) {
        line_ += static_cast<decltype(line_)>(breaks);
        const auto* last = static_cast<const char*>(::memrchr(from, '\n', static_cast<std::size_t>(to - from)));
        line_start_ = base_ + static_cast<std::size_t>(last + 1 - buffer_.get());
    }
    counted_ = offset;
}

void JsonStream::fail(std::size_t offset, const std::string& reason) {
    if (lines_ == LinePositions::Uncounted) {
        throw InputError(SourcePosition{name_}, "at byte " + std::to_string(offset + 1) + ": " + reason);
    }
    count_lines_to(offset);
    throw InputError(SourcePosition{name_, line_, static_cast<int>(offset - line_start_) + 1, ""}, reason);
}

void JsonStream::skip_blank() {
    while (true) {
        if (pos_ >= size_ && !refill(false)) {
            return;
        }
        if (!is_blank(buffer_[pos_])) {
            return;
        }
        ++pos_;
    }
}

TextOrigin JsonStream::position() {
    skip_blank();
    const std::size_t offset = base_ + std::min(pos_, size_);
    if (lines_ == LinePositions::Uncounted) {
        return TextOrigin{offset, 0, 0};
    }
    count_lines_to(offset);
    return TextOrigin{offset, line_, static_cast<int>(offset - line_start_) + 1};
}

std::optional<char> JsonStream::peek() {
    skip_blank();
    if (pos_ >= size_) {
        return std::nullopt;
    }
    return buffer_[pos_];
}

void JsonStream::expect(char expected) {
    const auto next = peek();
    if (!next) {
        fail(base_ + size_, "invalid JSON: the text ends before every object and array is closed (is the file truncated?)");
    }
    if (*next != expected) {
        fail(base_ + pos_, std::string("invalid JSON: expected '") + expected + "' here");
    }
    ++pos_;
}

char JsonStream::expect_one_of(std::string_view allowed) {
    const auto next = peek();
    if (!next) {
        fail(base_ + size_, "invalid JSON: the text ends before every object and array is closed (is the file truncated?)");
    }
    if (allowed.find(*next) == std::string_view::npos) {
        fail(base_ + pos_, "invalid JSON: a comma, colon, bracket or brace is missing or out of place");
    }
    ++pos_;
    return *next;
}

std::string JsonStream::read_key() {
    expect('"');
    mark_ = pos_;
    const std::size_t end = skip_string(pos_, true);
    std::string key(buffer_.get() + mark_, end - 1 - mark_);
    if (key.find('\\') != std::string::npos) {
        fail(base_ + mark_ - 1, "an object key with escape sequences in the report's outline");
    }
    // JSON forbids raw control characters in strings; the values around this key are judged by the
    // parser, the key itself only here.
    const auto control = std::find_if(key.begin(), key.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    if (control != key.end()) {
        fail(base_ + mark_ + static_cast<std::size_t>(control - key.begin()),
             "invalid JSON: a control character inside a string must be escaped");
    }
    pos_ = end;
    return key;
}

std::size_t JsonStream::skip_string(std::size_t i, bool keep) {
    // memchr finds the closing quote; a backslash before it means an escape to step over. The quote
    // found is remembered so that a string with many escapes is not searched again from each one.
    std::size_t quote = 0;
    bool quote_known = false;
    while (true) {
        while (i >= size_) {
            pos_ = i;
            const std::size_t before = base_;
            if (!refill(keep)) {
                fail(base_ + size_, "invalid JSON: a string is never closed (is the file truncated?)");
            }
            i = pos_;
            if (base_ != before) {
                quote_known = false;
            }
        }
        const char* data = buffer_.get();
        if (!quote_known || quote < i) {
            const void* found = std::memchr(data + i, '"', size_ - i);
            quote_known = found != nullptr;
            quote = quote_known ? static_cast<std::size_t>(static_cast<const char*>(found) - data) : size_;
        }
        const void* backslash = std::memchr(data + i, '\\', quote - i);
        if (backslash != nullptr) {
            i = static_cast<std::size_t>(static_cast<const char*>(backslash) - data) + 2;
            continue;
        }
        if (quote_known) {
            return quote + 1;
        }
        i = size_;
    }
}

std::size_t JsonStream::scan_value(bool keep) {
    skip_blank();
    if (pos_ >= size_) {
        fail(base_ + size_, "invalid JSON: the text ends before every object and array is closed (is the file truncated?)");
    }
    mark_ = pos_;
    std::size_t i = pos_;
    const char first = buffer_[i];
    if (first == '"') {
        i = skip_string(i + 1, keep);
    } else if (first == '{' || first == '[') {
        // The kinds of the brackets open, so that "[ }" is refused here: the parser walks past the
        // parts of a value a reader does not look at by counting depth only, as the whole-document
        // reader does, but there the mismatch throws the rest of the document out of step.
        open_brackets_.clear();
        while (true) {
            if (i >= size_) {
                pos_ = i;
                if (!refill(keep)) {
                    fail(base_ + size_,
                         "invalid JSON: the text ends before every object and array is closed (is the file truncated?)");
                }
                i = pos_;
            }
            const char* const data = buffer_.get();
            while (i < size_ && !kStructuralBytes[static_cast<unsigned char>(data[i])]) {
                ++i;
            }
            if (i >= size_) {
                continue;
            }
            const char c = data[i];
            if (c == '"') {
                i = skip_string(i + 1, keep);
                continue;
            }
            if (c == '{' || c == '[') {
                open_brackets_.push_back(c == '{' ? '}' : ']');
            } else if (c == '}' || c == ']') {
                if (open_brackets_.back() != c) {
                    fail(base_ + i, std::string("invalid JSON: expected '") + open_brackets_.back() + "' here, not '" + c + "'");
                }
                open_brackets_.pop_back();
                if (open_brackets_.empty()) {
                    ++i;
                    break;
                }
            }
            ++i;
        }
    } else {
        // A number or a literal: up to the next delimiter (the parser judges what it is).
        while (true) {
            if (i >= size_) {
                pos_ = i;
                if (!refill(keep)) {
                    i = pos_;
                    break;
                }
                i = pos_;
            }
            const char c = buffer_[i];
            if (c == ',' || c == '}' || c == ']' || c == ':' || c == '"' || is_blank(c)) {
                break;
            }
            ++i;
        }
        if (i == mark_) {
            fail(base_ + i, "invalid JSON: unexpected text here (expected a value, a comma, a colon or a closing bracket)");
        }
    }
    pos_ = i;
    return mark_;
}

JsonStream::Span JsonStream::read_value() {
    const TextOrigin origin = position();
    const std::size_t start = scan_value(true);
    return Span{std::string_view(buffer_.get() + start, pos_ - start), origin};
}

void JsonStream::skip_value() { scan_value(false); }

void JsonStream::expect_end() {
    skip_blank();
    if (pos_ < size_) {
        fail(base_ + pos_, "invalid JSON: unexpected content after the end of the document");
    }
}

}  // namespace gantry
