// A whole file in memory the way simdjson reads it: its bytes followed by simdjson's padding.
//
// PaddedFile::read() is what the report readers read a file with (through JsonDocument). A file of
// 2 MiB or more goes into one buffer aligned to 2 MiB and advised for transparent huge pages
// (madvise MADV_HUGEPAGE) before the first byte is written: on a paravirtualised VM each page fault
// is expensive, and a 170 MB report then costs about 90 faults instead of 43,000 (figures in
// bench/scan-gate/where-the-time-goes.md). A smaller file gets a plain allocation (a huge page would
// be zeroed whole for a few KB). Where huge pages are off the advice is ignored and the buffer is an
// ordinary one. The file is read with read(2), never mapped, so a file truncated while it is read
// gives a short text (and a JSON error), never SIGBUS. Pipes and other files without a size are read
// to their end. Throws InputError naming the file ("cannot read: <reason>") when it cannot be read.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace gantry {

class PaddedFile {
public:
    // `name` is the file as messages show it.
    static PaddedFile read(const std::filesystem::path& path, const std::string& name);

    std::string_view text() const { return {data_.get(), size_}; }
    // SIMDJSON_PADDING zeroed bytes follow the text.
    simdjson::padded_string_view padded() const {
        return simdjson::padded_string_view(data_.get(), size_, size_ + simdjson::SIMDJSON_PADDING);
    }

private:
    struct Free {
        void operator()(char* data) const { std::free(data); }
    };

    std::unique_ptr<char, Free> data_;
    std::size_t size_ = 0;
};

}  // namespace gantry
