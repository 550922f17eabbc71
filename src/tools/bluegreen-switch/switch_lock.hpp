// The lock that keeps two switches of the same pair from running at once.
//
// SwitchLock takes an exclusive, non-blocking flock() on the lock file (created if missing) and writes
// who holds it (pid, host, start time) into it. The kernel drops the lock when the process dies, even
// by kill -9, so a crashed switch never leaves a stale lock behind. When another process holds it,
// the constructor throws gantry::Error with ExitCode::Failed naming the holder; a lock file that
// cannot be created is an EnvironmentError.
#pragma once

#include <filesystem>

namespace bluegreen_switch {

class SwitchLock {
public:
    explicit SwitchLock(const std::filesystem::path& path);
    ~SwitchLock();
    SwitchLock(const SwitchLock&) = delete;
    SwitchLock& operator=(const SwitchLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace bluegreen_switch
