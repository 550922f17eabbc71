#include "epoll_waiter.hpp"

#include <algorithm>
#include <cerrno>
#include <ctime>

namespace gantry::http {

int EpollWaiter::wait(int epoll, epoll_event* events, int capacity, std::chrono::microseconds timeout) {
    const long long micros = std::clamp<long long>(timeout.count(), 0, 60'000'000);
    if (call_ == Call::Pwait2) {
        const timespec limit{static_cast<time_t>(micros / 1'000'000), static_cast<long>(micros % 1'000'000) * 1000};
        const int ready = ::epoll_pwait2(epoll, events, capacity, &limit, nullptr);
        if (ready >= 0 || (errno != ENOSYS && errno != EPERM)) return ready;
        call_ = Call::WaitInMilliseconds;
    }
    return ::epoll_wait(epoll, events, capacity, static_cast<int>((micros + 999) / 1000));
}

}  // namespace gantry::http
