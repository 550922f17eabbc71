#include "bluegreen-switch/switch_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include "gantry/base/error.hpp"

namespace bluegreen_switch {

SwitchLock::SwitchLock(const std::filesystem::path& path) {
    std::error_code ignored;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ignored);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw gantry::EnvironmentError("cannot open the lock file " + path.string() + ": " + std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        std::string holder(256, '\0');
        const ssize_t got = ::pread(fd_, holder.data(), holder.size(), 0);
        holder.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
        while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
        ::close(fd_);
        fd_ = -1;
        if (error != EWOULDBLOCK) {
            throw gantry::EnvironmentError("cannot lock " + path.string() + ": " + std::strerror(error));
        }
        throw gantry::Error(gantry::ExitCode::Failed,
                            "another switch is running: the lock " + path.string() + " is held" +
                                (holder.empty() ? "" : " by " + holder) + "; nothing was changed");
    }
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    char when[32] = {};
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    ::gmtime_r(&now, &parts);
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &parts);
    const std::string holder = "pid " + std::to_string(::getpid()) + " on " + host + " since " + when + "\n";
    if (::ftruncate(fd_, 0) == 0) {
        [[maybe_unused]] const ssize_t written = ::pwrite(fd_, holder.data(), holder.size(), 0);
    }
}

SwitchLock::~SwitchLock() {
    if (fd_ >= 0) {
        [[maybe_unused]] const int truncated = ::ftruncate(fd_, 0);
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
}

}  // namespace bluegreen_switch
