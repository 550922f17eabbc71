// How fast can a whole report file be brought into memory where simdjson can read it? One strategy per
// process, so that /usr/bin/time -v and perf stat count its page faults alone.
//
//   g++ -O2 -std=c++20 -o read_strategies bench/scan-gate/read_strategies.cpp
//   read_strategies STRATEGY FILE [FILES...]
//
// Strategies (each ends by reading every byte, as a parser would, so that no strategy wins by not
// touching the memory):
//   malloc          a fresh buffer of the file's size + 64 bytes of padding per file, read() into it
//                   (what simdjson::padded_string::load does)
//   hugepage        the same, 2 MiB-aligned, with madvise(MADV_HUGEPAGE) before the read
//   mmap            a read-only private mapping of the file (pages faulted in as they are read)
//   mmap-populate   the same with MAP_POPULATE (the kernel maps every page up front)
//   reuse           one buffer for all files, grown when a file is larger (read() into it); give the
//                   same file several times to see the cost of the second and later files
// It prints the strategy, the bytes read and a checksum (the same for every strategy).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

constexpr std::size_t kPadding = 64;  // simdjson::SIMDJSON_PADDING
constexpr std::size_t kHugePage = 2u << 20;

[[noreturn]] void die(const char* what, const char* file) {
    std::fprintf(stderr, "%s: %s: %s\n", file, what, std::strerror(errno));
    std::exit(3);
}

std::uint64_t touch(const char* data, std::size_t size) {
    // One load per 8 bytes: cheaper than a parser, so the faults stay the larger share.
    std::uint64_t sum = 0;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, 8);
        sum += word;
    }
    for (; i < size; ++i) sum += static_cast<unsigned char>(data[i]);
    return sum;
}

std::size_t file_size(int fd, const char* file) {
    struct stat st {};
    if (fstat(fd, &st) != 0) die("fstat", file);
    return static_cast<std::size_t>(st.st_size);
}

void read_all(int fd, char* buffer, std::size_t size, const char* file) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = read(fd, buffer + done, size - done);
        if (n < 0) die("read", file);
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
}

struct Reused {
    char* data = nullptr;
    std::size_t capacity = 0;
};

std::uint64_t read_one(std::string_view strategy, const char* file, Reused& reused) {
    const int fd = open(file, O_RDONLY);
    if (fd < 0) die("open", file);
    const std::size_t size = file_size(fd, file);
    std::uint64_t sum = 0;
    if (strategy == "malloc") {
        char* buffer = static_cast<char*>(std::malloc(size + kPadding));
        if (!buffer) die("malloc", file);
        read_all(fd, buffer, size, file);
        std::memset(buffer + size, 0, kPadding);
        sum = touch(buffer, size);
        std::free(buffer);
    } else if (strategy == "hugepage") {
        const std::size_t rounded = (size + kPadding + kHugePage - 1) / kHugePage * kHugePage;
        void* memory = nullptr;
        if (posix_memalign(&memory, kHugePage, rounded) != 0) die("posix_memalign", file);
        madvise(memory, rounded, MADV_HUGEPAGE);
        char* buffer = static_cast<char*>(memory);
        read_all(fd, buffer, size, file);
        std::memset(buffer + size, 0, kPadding);
        sum = touch(buffer, size);
        std::free(memory);
    } else if (strategy == "mmap" || strategy == "mmap-populate") {
        const int flags = MAP_PRIVATE | (strategy == "mmap-populate" ? MAP_POPULATE : 0);
        void* mapped = mmap(nullptr, size, PROT_READ, flags, fd, 0);
        if (mapped == MAP_FAILED) die("mmap", file);
        sum = touch(static_cast<const char*>(mapped), size);
        munmap(mapped, size);
    } else if (strategy == "reuse") {
        if (reused.capacity < size + kPadding) {
            std::free(reused.data);
            reused.capacity = size + kPadding;
            reused.data = static_cast<char*>(std::malloc(reused.capacity));
            if (!reused.data) die("malloc", file);
        }
        read_all(fd, reused.data, size, file);
        std::memset(reused.data + size, 0, kPadding);
        sum = touch(reused.data, size);
    } else {
        std::fprintf(stderr, "unknown strategy %.*s\n", static_cast<int>(strategy.size()), strategy.data());
        std::exit(2);
    }
    close(fd);
    return sum + size;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s malloc|hugepage|mmap|mmap-populate|reuse FILE...\n", argv[0]);
        return 2;
    }
    const std::string_view strategy = argv[1];
    Reused reused;
    std::uint64_t sum = 0;
    for (int i = 2; i < argc; ++i) sum += read_one(strategy, argv[i], reused);
    std::printf("%.*s %llu\n", static_cast<int>(strategy.size()), strategy.data(), static_cast<unsigned long long>(sum));
    std::free(reused.data);
    return 0;
}
