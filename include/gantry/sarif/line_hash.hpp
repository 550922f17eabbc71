// GitHub's primaryLocationLineHash: the per-line hash its upload action puts in a SARIF result's
// partialFingerprints when the tool left it out.
//
// The value must be bit-for-bit what github/codeql-action (src/fingerprints.ts) computes, or GitHub
// sees every alert as new after switching uploaders. Its algorithm: the source is decoded as UTF-8
// (invalid sequences become U+FFFD as in the WHATWG decoder, a BOM is kept) into UTF-16 code units;
// spaces and tabs are dropped; CR, LF and CRLF all count as one LF; the code unit 0xFFFF marks the end
// of the text, which is then padded with zeros. The hash of a line is a polynomial rolling hash
// (base 37, arithmetic modulo 2^64) of the 100 code units starting at the first kept unit of that
// line, so it also depends on the following lines. It reads "<hex>:<n>": lowercase hex without
// leading zeros, and n counts how many lines so far (this one included) had the same hex value.
// Every text has at least one line: the empty text has one, and a text ending in a newline has an
// extra last line. Only the line of a location matters; its column does not change the hash.
// Nothing here throws on any input bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gantry {

// The hashes of every line of `source`: index 0 is line 1.
std::vector<std::string> line_hashes(std::string_view source);

// The hash of 1-based `line` of `source`, or nullopt when the text has no such line (line < 1 or
// past the last line).
std::optional<std::string> primary_location_line_hash(std::string_view source, int line);

// The same hashes computed while the source is read in chunks of any size (a UTF-8 sequence may be
// split between chunks), so that a large file never has to be held in memory. Each line's hash is
// handed to the sink as soon as it is known, in line order; the last lines arrive from finish().
class LineHasher {
public:
    using Sink = std::function<void(std::size_t line, std::string_view hash)>;

    explicit LineHasher(Sink sink);

    void feed(std::string_view utf8_bytes);
    // Ends the text; feed() and finish() must not be called afterwards.
    void finish();

    static constexpr std::size_t kBlockSize = 100;

private:
    void decode_byte(unsigned char byte);
    void process_code_point(char32_t code_point);
    void process_code_unit(std::uint32_t unit);
    void emit_hash();
    void roll(std::uint32_t unit);

    Sink sink_;

    // UTF-8 decoder state (WHATWG "UTF-8 decode").
    char32_t partial_code_point_ = 0;
    int bytes_needed_ = 0;
    int bytes_seen_ = 0;
    unsigned char lower_boundary_ = 0x80;
    unsigned char upper_boundary_ = 0xBF;

    // Rolling hash over the last kBlockSize kept code units; line_at_ says which of them began a line
    // (0 = none), so that line's hash is emitted once the window has moved a whole block past it.
    std::uint32_t window_[kBlockSize] = {};
    std::size_t line_at_[kBlockSize] = {};
    std::size_t position_ = 0;
    std::uint64_t hash_ = 0;
    std::size_t current_line_ = 0;
    bool at_line_start_ = true;
    bool after_carriage_return_ = false;
    std::unordered_map<std::uint64_t, std::size_t> occurrences_;
    std::string formatted_;
};

}  // namespace gantry
