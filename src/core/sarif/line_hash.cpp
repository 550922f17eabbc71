#include "gantry/sarif/line_hash.hpp"

#include <fmt/format.h>

#include <utility>

namespace gantry {
namespace {

constexpr std::uint64_t kBase = 37;
// Marks the end of the text; the reference reads it as a code unit like any other.
constexpr std::uint32_t kEndOfText = 0xFFFF;
constexpr char32_t kReplacement = 0xFFFD;

// kBase^kBlockSize modulo 2^64: the weight of the unit leaving the window.
constexpr std::uint64_t leaving_weight() {
    std::uint64_t weight = 1;
    for (std::size_t i = 0; i < LineHasher::kBlockSize; ++i) weight *= kBase;
    return weight;
}
constexpr std::uint64_t kLeavingWeight = leaving_weight();

}  // namespace

LineHasher::LineHasher(Sink sink) : sink_(std::move(sink)) {}

void LineHasher::feed(std::string_view utf8_bytes) {
    for (const char byte : utf8_bytes) decode_byte(static_cast<unsigned char>(byte));
}

void LineHasher::finish() {
    // A sequence cut short by the end of the text decodes as one U+FFFD (WHATWG, as Node does).
    if (bytes_needed_ != 0) {
        bytes_needed_ = 0;
        process_code_point(kReplacement);
    }
    process_code_unit(kEndOfText);
    // Zeros push the lines of the last block out of the window.
    for (std::size_t i = 0; i < kBlockSize; ++i) {
        if (line_at_[position_] != 0) emit_hash();
        roll(0);
    }
}

// The reference hashes JavaScript strings, so every invalid byte sequence must become exactly as
// many U+FFFD as Node's decoder makes: the WHATWG algorithm (maximal subparts), which differs from
// a byte-at-a-time repair.
void LineHasher::decode_byte(unsigned char byte) {
    if (bytes_needed_ == 0) {
        if (byte <= 0x7F) {
            process_code_point(byte);
        } else if (byte >= 0xC2 && byte <= 0xDF) {
            bytes_needed_ = 1;
            partial_code_point_ = byte & 0x1F;
        } else if (byte >= 0xE0 && byte <= 0xEF) {
            if (byte == 0xE0) lower_boundary_ = 0xA0;
            if (byte == 0xED) upper_boundary_ = 0x9F;  // no surrogates
            bytes_needed_ = 2;
            partial_code_point_ = byte & 0x0F;
        } else if (byte >= 0xF0 && byte <= 0xF4) {
            if (byte == 0xF0) lower_boundary_ = 0x90;
            if (byte == 0xF4) upper_boundary_ = 0x8F;  // nothing past U+10FFFF
            bytes_needed_ = 3;
            partial_code_point_ = byte & 0x07;
        } else {
            process_code_point(kReplacement);
        }
        return;
    }
    if (byte < lower_boundary_ || byte > upper_boundary_) {
        partial_code_point_ = 0;
        bytes_needed_ = 0;
        bytes_seen_ = 0;
        lower_boundary_ = 0x80;
        upper_boundary_ = 0xBF;
        process_code_point(kReplacement);
        decode_byte(byte);  // the offending byte may start the next sequence
        return;
    }
    lower_boundary_ = 0x80;
    upper_boundary_ = 0xBF;
    partial_code_point_ = (partial_code_point_ << 6) | (byte & 0x3F);
    if (++bytes_seen_ < bytes_needed_) return;
    const char32_t code_point = partial_code_point_;
    partial_code_point_ = 0;
    bytes_needed_ = 0;
    bytes_seen_ = 0;
    process_code_point(code_point);
}

void LineHasher::process_code_point(char32_t code_point) {
    if (code_point < 0x10000) {
        process_code_unit(code_point);
        return;
    }
    const char32_t offset = code_point - 0x10000;
    process_code_unit(0xD800 + (offset >> 10));
    process_code_unit(0xDC00 + (offset & 0x3FF));
}

void LineHasher::process_code_unit(std::uint32_t unit) {
    const bool is_lf_of_crlf = after_carriage_return_ && unit == '\n';
    // Indentation and spacing changes must not change a line's identity.
    if (unit == ' ' || unit == '\t' || is_lf_of_crlf) {
        after_carriage_return_ = false;
        return;
    }
    after_carriage_return_ = unit == '\r';
    if (unit == '\r') unit = '\n';
    if (line_at_[position_] != 0) emit_hash();
    if (at_line_start_) {
        at_line_start_ = false;
        line_at_[position_] = ++current_line_;
    }
    if (unit == '\n') at_line_start_ = true;
    roll(unit);
}

void LineHasher::emit_hash() {
    const std::size_t count = ++occurrences_[hash_];
    formatted_.clear();
    fmt::format_to(std::back_inserter(formatted_), "{:x}:{}", hash_, count);
    const std::size_t line = std::exchange(line_at_[position_], 0);
    sink_(line, formatted_);
}

void LineHasher::roll(std::uint32_t unit) {
    const std::uint32_t leaving = std::exchange(window_[position_], unit);
    hash_ = hash_ * kBase + unit - kLeavingWeight * leaving;
    position_ = (position_ + 1) % kBlockSize;
}

std::vector<std::string> line_hashes(std::string_view source) {
    std::vector<std::string> hashes;
    LineHasher hasher([&hashes](std::size_t, std::string_view hash) { hashes.emplace_back(hash); });
    hasher.feed(source);
    hasher.finish();
    return hashes;
}

std::optional<std::string> primary_location_line_hash(std::string_view source, int line) {
    std::optional<std::string> found;
    if (line < 1) return found;
    const auto wanted = static_cast<std::size_t>(line);
    LineHasher hasher([&found, wanted](std::size_t hashed_line, std::string_view hash) {
        if (hashed_line == wanted) found.emplace(hash);
    });
    hasher.feed(source);
    hasher.finish();
    return found;
}

}  // namespace gantry
