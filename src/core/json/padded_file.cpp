#include "gantry/json/padded_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace gantry {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kFirstChunk = std::size_t{64} << 10;  // a pipe: grown by doubling from here

// Room for `capacity` bytes; null when memory runs out.
char* allocate(std::size_t capacity) {
    if (capacity < kHugePage) return static_cast<char*>(std::malloc(capacity));
    const std::size_t rounded = (capacity + kHugePage - 1) / kHugePage * kHugePage;
    void* memory = nullptr;
    if (posix_memalign(&memory, kHugePage, rounded) != 0) return nullptr;
    // Before the first write, so that the kernel backs it with huge pages from the first fault on.
    // Advice only: where transparent huge pages are off it fails and changes nothing.
    (void)madvise(memory, rounded, MADV_HUGEPAGE);
    return static_cast<char*>(memory);
}

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
    file.data_.reset(allocate(capacity + simdjson::SIMDJSON_PADDING));
    if (!file.data_) throw memory_error();
    while (true) {
        if (file.size_ == capacity) {
            if (sized) break;
            std::unique_ptr<char, Free> larger(allocate(2 * capacity + simdjson::SIMDJSON_PADDING));
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
