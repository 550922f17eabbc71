// gzip in and out: compressed SARIF inputs, `--gzip` outputs, and GitHub's "10 MB gzipped" limit.
//
// is_gzip() recognises the gzip magic bytes. gunzip() inflates a whole gzip member (or several
// concatenated ones, as `cat a.gz b.gz` makes) and throws InputError naming `name` when the data is
// corrupt or truncated, or when it would inflate past `max_size` (a zip bomb is bad input, not a
// crash). GzipOutput is a std::ostream that deflates into another stream as it is written (level 6,
// what gzip(1) and GitHub's upload action use) and counts the compressed bytes; finish() writes the
// trailer and must be called before the underlying stream is closed. gzipped_size() counts without
// keeping the compressed bytes.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace gantry {

bool is_gzip(std::string_view data);
std::string gunzip(std::string_view data, const std::string& name, std::size_t max_size = std::size_t(8) << 30);

class GzipOutput : public std::ostream {
public:
    // `sink` may be null: then only the compressed size is counted.
    explicit GzipOutput(std::ostream* sink);
    ~GzipOutput() override;
    GzipOutput(const GzipOutput&) = delete;
    GzipOutput& operator=(const GzipOutput&) = delete;

    // Flushes the compressor and writes the gzip trailer. Idempotent.
    void finish();
    std::size_t compressed_bytes() const;
    std::size_t uncompressed_bytes() const;

private:
    class Buffer;
    std::unique_ptr<Buffer> buffer_;
};

std::size_t gzipped_size(std::string_view data);

}  // namespace gantry
