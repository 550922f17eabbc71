#include "smoke-test/open_files.hpp"

#include <sys/resource.h>

#include <algorithm>

#include <fmt/format.h>

namespace smoke_test::load {

namespace {

std::uint64_t as_count(rlim_t value) {
    return value == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(value);
}

}  // namespace

OpenFilesLimit raise_open_files_limit(std::uint64_t wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
    if (as_count(limit.rlim_cur) < wanted) {
        rlimit raised = limit;
        raised.rlim_cur = as_count(limit.rlim_max) < wanted ? limit.rlim_max : static_cast<rlim_t>(wanted);
        // A failure leaves the soft limit as it was, which is what is then reported.
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    return {as_count(limit.rlim_cur), as_count(limit.rlim_max)};
}

std::size_t in_flight_within(const OpenFilesLimit& limit, std::size_t wanted) {
    if (limit.soft == 0) return wanted;  // the limit could not be read: nothing to go by
    const std::uint64_t room = limit.soft > kFilesBesideRequests ? limit.soft - kFilesBesideRequests : 1;
    return static_cast<std::size_t>(std::min<std::uint64_t>(wanted, room));
}

std::optional<std::string> open_files_warning(const OpenFilesLimit& limit, std::size_t wanted) {
    const std::size_t possible = in_flight_within(limit, wanted);
    if (possible >= wanted) return std::nullopt;
    return fmt::format(
        "at most {} requests are in flight at once, not {}: each holds a socket and the open-file hard limit is {} "
        "(ulimit -Hn); raise it to at least {} (as root: ulimit -Hn; docker run --ulimit nofile=N:N; LimitNOFILE= "
        "in systemd) to send them all at once",
        possible, wanted, limit.hard, wanted + kFilesBesideRequests);
}

}  // namespace smoke_test::load
