#include "gantry/base/gzip.hpp"

#include <array>
#include <streambuf>

#include <fmt/format.h>
#include <zlib.h>

#include "gantry/base/error.hpp"

namespace gantry {

namespace {

// windowBits 15 + 16: a gzip wrapper rather than raw zlib; + 32 on inflate: accept either.
constexpr int kGzipWindow = 15 + 16;
constexpr int kAutoWindow = 15 + 32;

}  // namespace

bool is_gzip(std::string_view data) {
    return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f && static_cast<unsigned char>(data[1]) == 0x8b;
}

std::string gunzip(std::string_view data, const std::string& name, std::size_t max_size) {
    std::string out;
    z_stream stream{};
    if (inflateInit2(&stream, kAutoWindow) != Z_OK) throw EnvironmentError("cannot start zlib's inflate");
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(std::min<std::size_t>(data.size(), UINT32_MAX));
    std::size_t fed = stream.avail_in;
    std::array<char, 1 << 16> chunk{};
    int status = Z_OK;
    while (true) {
        stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
        stream.avail_out = chunk.size();
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(chunk.data(), chunk.size() - stream.avail_out);
        if (out.size() > max_size) {
            inflateEnd(&stream);
            throw InputError(SourcePosition{name},
                             fmt::format("gzip data inflates to more than {} bytes; refusing to read it", max_size));
        }
        if (stream.avail_in == 0 && fed < data.size()) {
            const std::size_t more = std::min<std::size_t>(data.size() - fed, UINT32_MAX);
            stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
            stream.avail_in = static_cast<uInt>(more);
            fed += more;
        }
        if (status == Z_STREAM_END) {
            // Concatenated members are one file to gzip(1); anything else after the end is garbage.
            if (stream.avail_in == 0) break;
            if (!is_gzip(std::string_view(reinterpret_cast<const char*>(stream.next_in), stream.avail_in))) {
                inflateEnd(&stream);
                throw InputError(SourcePosition{name}, "unexpected data after the end of the gzip stream");
            }
            inflateReset(&stream);
            continue;
        }
        if (status != Z_OK) {
            const std::string reason = status == Z_BUF_ERROR ? "the gzip data is truncated"
                                                             : fmt::format("the gzip data is corrupt ({})",
                                                                           stream.msg ? stream.msg : "inflate failed");
            inflateEnd(&stream);
            throw InputError(SourcePosition{name}, reason);
        }
    }
    inflateEnd(&stream);
    return out;
}

class GzipOutput::Buffer : public std::streambuf {
public:
    explicit Buffer(std::ostream* sink) : sink_(sink) {
        if (deflateInit2(&stream_, 6, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            throw EnvironmentError("cannot start zlib's deflate");
        }
        setp(input_.data(), input_.data() + input_.size());
    }
    ~Buffer() override { deflateEnd(&stream_); }

    void finish() {
        if (finished_) return;
        compress(Z_FINISH);
        finished_ = true;
    }
    std::size_t compressed() const { return compressed_; }
    std::size_t uncompressed() const { return uncompressed_; }

protected:
    int_type overflow(int_type c) override {
        if (finished_) return traits_type::eof();
        compress(Z_NO_FLUSH);
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return 0; }

private:
    void compress(int flush) {
        const std::size_t pending = static_cast<std::size_t>(pptr() - pbase());
        uncompressed_ += pending;
        stream_.next_in = reinterpret_cast<Bytef*>(pbase());
        stream_.avail_in = static_cast<uInt>(pending);
        int status = Z_OK;
        do {
            stream_.next_out = reinterpret_cast<Bytef*>(output_.data());
            stream_.avail_out = output_.size();
            status = deflate(&stream_, flush);
            const std::size_t produced = output_.size() - stream_.avail_out;
            compressed_ += produced;
            if (sink_ && produced) sink_->write(output_.data(), static_cast<std::streamsize>(produced));
        } while (stream_.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END));
        setp(input_.data(), input_.data() + input_.size());
    }

    std::ostream* sink_;
    z_stream stream_{};
    std::array<char, 1 << 16> input_{};
    std::array<char, 1 << 16> output_{};
    std::size_t compressed_ = 0;
    std::size_t uncompressed_ = 0;
    bool finished_ = false;
};

GzipOutput::GzipOutput(std::ostream* sink) : std::ostream(nullptr), buffer_(std::make_unique<Buffer>(sink)) {
    rdbuf(buffer_.get());
}

GzipOutput::~GzipOutput() = default;

void GzipOutput::finish() { buffer_->finish(); }
std::size_t GzipOutput::compressed_bytes() const { return buffer_->compressed(); }
std::size_t GzipOutput::uncompressed_bytes() const { return buffer_->uncompressed(); }

std::size_t gzipped_size(std::string_view data) {
    GzipOutput out(nullptr);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.finish();
    return out.compressed_bytes();
}

}  // namespace gantry
