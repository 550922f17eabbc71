#include "gantry/json/padded_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/base/huge_page_memory.hpp"

namespace gantry {
namespace {

constexpr std::size_t kFirstChunk = std::size_t{64} << 10;  // a pipe: grown by doubling from here

class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() { ::close(fd_); }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

PaddedFile PaddedFile::read(const std::filesystem::path& path, const std::string& name) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw unreadable_input(name, errno);
    const Descriptor descriptor(fd);
    struct stat status {};
    if (::fstat(fd, &status) != 0) throw unreadable_input(name, errno);
    // A regular file is read up to the size it has now (as simdjson's own loader does); anything
    // else (a pipe, /dev/stdin) to its end.
    const bool sized = S_ISREG(status.st_mode);
    std::size_t capacity = sized ? static_cast<std::size_t>(status.st_size) : kFirstChunk;
    const auto memory_error = [&] { return InputError(SourcePosition{name}, "cannot read: not enough memory"); };

    PaddedFile file;
    file.data_.reset(allocate_huge_page_memory(capacity + simdjson::SIMDJSON_PADDING));
    if (!file.data_) throw memory_error();
    while (true) {
        if (file.size_ == capacity) {
            if (sized) break;
            std::unique_ptr<char, Free> larger(allocate_huge_page_memory(2 * capacity + simdjson::SIMDJSON_PADDING));
            if (!larger) throw memory_error();
            std::memcpy(larger.get(), file.data_.get(), file.size_);
            file.data_ = std::move(larger);
            capacity *= 2;
        }
        const ssize_t got = ::read(fd, file.data_.get() + file.size_, capacity - file.size_);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw unreadable_input(name, errno);
        }
        if (got == 0) break;
        file.size_ += static_cast<std::size_t>(got);
    }
    std::memset(file.data_.get() + file.size_, 0, simdjson::SIMDJSON_PADDING);
    return file;
}

}  // namespace gantry
