#include "gantry/json/json_text_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "gantry/base/byte_order_mark.hpp"
#include "gantry/base/error.hpp"

namespace gantry {

namespace {

// nlohmann quotes the whole token it was reading ("last read: '...'"), which for a long string is
// the string: keep its end, where the fault is.
std::string shortened_last_read(std::string_view message) {
    constexpr std::string_view kLastRead = "; last read: '";
    constexpr std::size_t kKept = 40;
    const auto start = message.find(kLastRead);
    if (start == std::string_view::npos) return std::string(message);
    const std::size_t token_start = start + kLastRead.size();
    auto end = message.find("'; expected", token_start);
    if (end == std::string_view::npos) end = message.rfind('\'');
    if (end == std::string_view::npos || end < token_start || end - token_start <= kKept) return std::string(message);
    std::size_t cut = end - kKept;
    while (cut < end && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) ++cut;  // not inside a UTF-8 sequence
    return fmt::format("{}...{}", message.substr(0, token_start), message.substr(cut));
}

}  // namespace

FileSource::FileSource(const std::filesystem::path& path, std::string name) : name_(std::move(name)) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        throw InputError(SourcePosition{name_}, "cannot read: it is a directory, not a SARIF file");
    }
    errno = 0;
    file_ = gzopen(path.c_str(), "rb");
    if (!file_) {
        throw InputError(SourcePosition{name_},
                         fmt::format("cannot read: {}", errno != 0 ? std::strerror(errno) : "not enough memory"));
    }
    gzbuffer(file_, 1 << 17);
}

FileSource::~FileSource() { gzclose(file_); }

std::size_t FileSource::read(char* buffer, std::size_t size) {
    errno = 0;
    const int count = gzread(file_, buffer, static_cast<unsigned>(size));
    if (count < 0) {
        int code = 0;
        const char* message = gzerror(file_, &code);
        throw InputError(SourcePosition{name_},
                         code == Z_ERRNO ? fmt::format("cannot read: {}", std::strerror(errno))
                                         : fmt::format("cannot read: damaged gzip data ({})", message));
    }
    return static_cast<std::size_t>(count);
}

std::size_t TextSource::read(char* buffer, std::size_t size) {
    const std::size_t count = std::min(size, text_.size());
    std::copy_n(text_.data(), count, buffer);
    text_.remove_prefix(count);
    return count;
}

TextStream::TextStream(std::unique_ptr<ByteSource> source, ChunkObserver on_chunk)
    : source_(std::move(source)), on_chunk_(std::move(on_chunk)), buffer_(1 << 20) {}

bool TextStream::refill() {
    if (ended_) return true;
    if (capturing_) capture_.append(buffer_.data() + capture_from_, size_ - capture_from_);
    capture_from_ = 0;
    size_ = source_->read(buffer_.data(), buffer_.size());
    position_ = 0;
    if (size_ == 0) {
        ended_ = true;
        return true;
    }
    if (on_chunk_) on_chunk_({buffer_.data(), size_});
    if (!started_) {
        started_ = true;
        // Skipped without counting: positions are those of the text after the mark.
        position_ = utf8_byte_order_mark_length({buffer_.data(), size_});
        if (position_ == size_) return refill();
    }
    return false;
}

LineColumn TextStream::position_of(std::size_t offset) const {
    if (offset >= line_start_) return {line_, static_cast<int>(offset - line_start_ + 1)};
    if (line_ > 1 && offset >= previous_line_start_) {
        return {line_ - 1, static_cast<int>(offset - previous_line_start_ + 1)};
    }
    return {line_, 1};
}

// Copied a buffer at a time: one push_back per byte would cost as much as the parsing.
void TextStream::start_capture(char first) {
    capture_.assign(1, first);
    capture_from_ = position_;
    capturing_ = true;
}

const std::string& TextStream::stop_capture() {
    capture_.append(buffer_.data() + capture_from_, position_ - capture_from_);
    capturing_ = false;
    return capture_;
}

bool parse_json_text(TextStream& stream, nlohmann::json_sax<nlohmann::json>& handler) {
    return nlohmann::json::sax_parse(TextStream::Iterator{&stream}, TextStream::Iterator{}, &handler);
}

void throw_json_text_error(const TextStream& stream, const std::string& name, std::string_view parse_error,
                           ValuesSeen seen, std::string_view expected) {
    const std::size_t consumed = stream.consumed();
    if (consumed == 0 || (stream.ended() && seen == ValuesSeen::None)) {
        throw InputError(SourcePosition{name}, fmt::format("the file is empty; expected {}", expected));
    }
    const LineColumn position = stream.position_of(consumed - 1);
    std::string reason;
    if (stream.ended()) {
        reason = "invalid JSON: the text ends before every object and array is closed (is the file truncated?)";
    } else {
        // nlohmann's message without its "[json.exception.x] parse error at line L, column C: " prefix.
        std::string_view detail = parse_error;
        if (detail.starts_with('[') && detail.find("] ") != std::string_view::npos) {
            detail.remove_prefix(detail.find("] ") + 2);
        }
        if (const auto column = detail.find(", column "); column != std::string_view::npos) {
            if (const auto colon = detail.find(": ", column); colon != std::string_view::npos) detail.remove_prefix(colon + 2);
        }
        reason = fmt::format("invalid JSON: {}", shortened_last_read(detail));
    }
    throw InputError(SourcePosition{name, position.line, position.column, ""}, reason);
}

}  // namespace gantry
