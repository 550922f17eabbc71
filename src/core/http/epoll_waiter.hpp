// Waits on an epoll set for up to a timeout given in microseconds, not milliseconds. An open-model
// load test sends each request at its intended time and counts its latency from that time: a wait
// rounded up to the next millisecond sent requests up to 1 ms late, which a fast service's
// percentiles then showed as its own latency. epoll_pwait2 (Linux 5.11) takes a timespec; where the
// kernel or a container's seccomp filter refuses it (ENOSYS, EPERM), the wait falls back for good to
// epoll_wait, rounded up to whole milliseconds as before. Not thread-safe; one per epoll set.
#pragma once

#include <chrono>

#include <sys/epoll.h>

namespace gantry::http {

class EpollWaiter {
public:
    // epoll_wait's result: the number of ready events written to `events`, 0 on timeout, -1 on error.
    // A negative timeout is 0; one over a minute is a minute (callers wait in a loop).
    int wait(int epoll, epoll_event* events, int capacity, std::chrono::microseconds timeout);

private:
    enum class Call { Pwait2, WaitInMilliseconds };
    Call call_ = Call::Pwait2;
};

}  // namespace gantry::http
