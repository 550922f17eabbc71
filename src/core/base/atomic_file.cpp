#include "gantry/base/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <ostream>
#include <streambuf>
#include <random>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace gantry {

namespace {

namespace fs = std::filesystem;

std::string reason(int error_number) { return std::strerror(error_number); }

[[noreturn]] void fail(const fs::path& path, const std::string& what, int error_number) {
    throw EnvironmentError(fmt::format("{}: cannot {}: {}", path.string(), what, reason(error_number)));
}

// Writes all of `content`, retrying short writes and EINTR. Returns 0 or the errno of the failure.
int write_all(int fd, std::string_view content) {
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    return 0;
}

// Closes a descriptor and removes the temporary file unless release() was called, so that every
// early exit leaves nothing behind.
class TemporaryFile {
public:
    TemporaryFile(int fd, fs::path path) : fd_(fd), path_(std::move(path)) {}
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    ~TemporaryFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!released_) ::unlink(path_.c_str());
    }
    int fd() const { return fd_; }
    const fs::path& path() const { return path_; }
    // Closes the descriptor; returns 0 or errno (a failed close can mean lost data on NFS).
    int close() {
        const int result = ::close(fd_);
        fd_ = -1;
        return result == 0 ? 0 : errno;
    }
    void release() { released_ = true; }

private:
    int fd_;
    fs::path path_;
    bool released_ = false;
};

// O_EXCL with a random name instead of mkstemp: the file gets mode 0666 minus the umask, as any
// file the user's shell would create, rather than mkstemp's 0600.
TemporaryFile create_temporary_next_to(const fs::path& target) {
    std::random_device entropy;
    std::mt19937_64 generator(entropy());
    const fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    // Shortened so that a target name near the 255-byte limit still leaves room for the suffix.
    const std::string stem = target.filename().string().substr(0, 100);
    for (int attempt = 0; attempt < 100; ++attempt) {
        const fs::path candidate = directory / fmt::format(".{}.{:016x}.tmp", stem, generator());
        const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) return TemporaryFile(fd, candidate);
        if (errno != EEXIST) fail(target, "create a temporary file in " + directory.string(), errno);
    }
    fail(target, "create a temporary file in " + directory.string(), EEXIST);
}

// Checks the target name, creates missing parent directories and refuses a directory at the target.
void prepare_target(const fs::path& path) {
    if (path.empty()) throw EnvironmentError("cannot write a file with an empty name");
    if (path.filename().empty() || path.filename() == "." || path.filename() == "..") {
        throw EnvironmentError(fmt::format("{}: cannot write: not a file name", path.string()));
    }
    if (const fs::path parent = path.parent_path(); !parent.empty()) {
        std::error_code error;
        fs::create_directories(parent, error);
        if (error) {
            throw EnvironmentError(
                fmt::format("{}: cannot create directory {}: {}", path.string(), parent.string(), error.message()));
        }
    }
    // A directory at the target would otherwise only fail at rename(), after the whole write.
    if (struct stat status{}; ::stat(path.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) {
        fail(path, "write", EISDIR);
    }
}

// Flushes the temporary file to disk and renames it over the target.
void commit(TemporaryFile& temporary, const fs::path& path) {
    // Without fsync before rename, a crash can leave the new name pointing at an empty file.
    if (::fsync(temporary.fd()) != 0) fail(path, "flush to disk", errno);
    if (const int error = temporary.close()) fail(path, "write", error);
    if (::rename(temporary.path().c_str(), path.c_str()) != 0) fail(path, "replace", errno);
    temporary.release();
}

// An output stream over the temporary file's descriptor, so large outputs never sit in memory.
class DescriptorBuffer : public std::streambuf {
public:
    explicit DescriptorBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
    int error() const { return error_; }

protected:
    int overflow(int c) override {
        if (sync() != 0) return traits_type::eof();
        if (c != traits_type::eof()) {
            *pptr() = static_cast<char>(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override {
        if (error_ == 0) error_ = write_all(fd_, std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())));
        setp(buffer_, buffer_ + sizeof buffer_);
        return error_ == 0 ? 0 : -1;
    }

private:
    int fd_;
    int error_ = 0;
    char buffer_[1 << 16];
};

}  // namespace

void write_file_atomically(const fs::path& path, std::string_view content) {
    prepare_target(path);
    TemporaryFile temporary = create_temporary_next_to(path);
    if (const int error = write_all(temporary.fd(), content)) fail(path, "write", error);
    commit(temporary, path);
}

void write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& writer) {
    prepare_target(path);
    TemporaryFile temporary = create_temporary_next_to(path);
    {
        DescriptorBuffer buffer(temporary.fd());
        std::ostream out(&buffer);
        writer(out);  // an exception leaves the target untouched: ~TemporaryFile removes the file
        out.flush();
        if (buffer.error() != 0) fail(path, "write", buffer.error());
    }
    commit(temporary, path);
}

void append_to_file(const fs::path& path, std::string_view content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) fail(path, "open for appending", errno);
    const int write_error = write_all(fd, content);
    const int close_error = ::close(fd) == 0 ? 0 : errno;
    if (write_error) fail(path, "append", write_error);
    if (close_error) fail(path, "append", close_error);
}

std::string read_file(const fs::path& path) {
    const auto cannot_read = [&](int error_number) {
        return InputError(SourcePosition{.file = path.string()}, "cannot read: " + reason(error_number));
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw cannot_read(errno);
    std::string content;
    if (struct stat status{}; ::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && status.st_size > 0) {
        content.reserve(static_cast<std::size_t>(status.st_size));
    }
    char buffer[1 << 16];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got == 0) break;
        if (got < 0) {
            if (errno == EINTR) continue;
            const int error_number = errno;
            ::close(fd);
            throw cannot_read(error_number);
        }
        content.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(fd);
    return content;
}

}  // namespace gantry
