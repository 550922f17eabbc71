#include "gantry/json/json_indenting_output.hpp"

#include <array>
#include <cstddef>
#include <streambuf>
#include <string>

namespace gantry {

// Takes text in through a fixed put area, lays each filled area out into `out_`, and hands `out_` to
// the sink whenever it passes kSinkChunk, so memory stays at the two buffers. The layout state
// (inside a string or not, after a backslash, nesting depth, an opening bracket whose next token is
// not known yet) carries over between areas, so a token may be split anywhere.
class JsonIndentingOutput::Buffer : public std::streambuf {
public:
    explicit Buffer(std::ostream& sink) : sink_(sink) {
        out_.reserve(kSinkChunk + kSinkChunk / 4);
        setp(input_.data(), input_.data() + input_.size());
    }

    bool finish() {
        if (!finished_) {
            lay_out_input();
            hand_to_sink();
            if (!failed_) sink_.flush();
            failed_ = failed_ || !sink_;
            finished_ = true;
        }
        return !failed_;
    }

protected:
    int_type overflow(int_type c) override {
        if (finished_ || failed_) return traits_type::eof();
        lay_out_input();
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return failed_ ? traits_type::eof() : traits_type::not_eof(c);
    }
    // Layout state spans writes, so flushing the ostream only lays out what is there; the sink gets
    // it at the next full chunk or at finish().
    int sync() override { return failed_ ? -1 : 0; }

private:
    static constexpr std::size_t kInputSize = std::size_t{64} << 10;
    static constexpr std::size_t kSinkChunk = std::size_t{64} << 10;
    static constexpr std::size_t kIndentWidth = 2;

    void lay_out_input() {
        lay_out(pbase(), pptr());
        setp(input_.data(), input_.data() + input_.size());
    }

    void lay_out(const char* at, const char* end) {
        while (at < end) {
            if (in_string_) {
                at = copy_string_bytes(at, end);
                continue;
            }
            const char c = *at++;
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
            if (open_pending_) {
                open_pending_ = false;
                if (c == '}' || c == ']') {  // an empty object or array stays on its line: {} or []
                    if (depth_ > 0) --depth_;
                    out_ += c;
                    continue;
                }
                new_line();
            }
            switch (c) {
            case '{':
            case '[':
                out_ += c;
                ++depth_;
                open_pending_ = true;
                break;
            case '}':
            case ']':
                if (depth_ > 0) --depth_;
                new_line();
                out_ += c;
                break;
            case ',':
                out_ += ',';
                new_line();
                break;
            case ':': out_ += ": "; break;
            case '"':
                out_ += c;
                in_string_ = true;
                break;
            default: out_ += c;
            }
        }
        if (out_.size() >= kSinkChunk) hand_to_sink();
    }

    // String contents go through unchanged: copies up to the closing quote (or the end of the area).
    const char* copy_string_bytes(const char* at, const char* end) {
        if (escaped_) {
            out_ += *at++;
            escaped_ = false;
            return at;
        }
        const char* stop = at;
        while (stop < end && *stop != '"' && *stop != '\\') ++stop;
        out_.append(at, stop);
        if (stop == end) return stop;
        out_ += *stop;
        if (*stop == '"') {
            in_string_ = false;
        } else {
            escaped_ = true;
        }
        return stop + 1;
    }

    void new_line() {
        out_ += '\n';
        out_.append(depth_ * kIndentWidth, ' ');
        if (out_.size() >= kSinkChunk) hand_to_sink();
    }

    void hand_to_sink() {
        if (!failed_ && !out_.empty()) {
            sink_.write(out_.data(), static_cast<std::streamsize>(out_.size()));
            failed_ = !sink_;
        }
        out_.clear();
    }

    std::ostream& sink_;
    std::array<char, kInputSize> input_{};
    std::string out_;
    std::size_t depth_ = 0;
    bool in_string_ = false;
    bool escaped_ = false;
    bool open_pending_ = false;
    bool finished_ = false;
    bool failed_ = false;
};

JsonIndentingOutput::JsonIndentingOutput(std::ostream& sink)
    : std::ostream(nullptr), buffer_(std::make_unique<Buffer>(sink)) {
    rdbuf(buffer_.get());
}

JsonIndentingOutput::~JsonIndentingOutput() = default;

void JsonIndentingOutput::finish() {
    if (!buffer_->finish()) setstate(std::ios::badbit);
}

}  // namespace gantry
