// The open-file limit of a load test. Each request in flight holds a socket, so 10,000 in flight need
// 10,000 descriptors, and the usual soft limit (ulimit -n, often 1024) would turn every request past
// it into a connect error that says nothing about the server. Like wrk's users expect, smoke-test
// load raises its own soft RLIMIT_NOFILE up to the hard limit (which needs no privilege); when even
// the hard limit is too low it sends fewer requests at once, and says so, rather than count the
// client's own shortage as the server's errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace smoke_test::load {

// Descriptors the process holds besides one socket per request: standard streams, libcurl's
// wake-up pair, resolver sockets, output files.
inline constexpr std::size_t kFilesBesideRequests = 64;

struct OpenFilesLimit {
    std::uint64_t soft = 0;  // in force now
    std::uint64_t hard = 0;
};

// Raises the soft limit to min(hard, wanted) when it is lower; the limits in force afterwards.
// Never lowers it.
OpenFilesLimit raise_open_files_limit(std::uint64_t wanted);

// How many requests can be in flight at once within `limit` (at least 1).
std::size_t in_flight_within(const OpenFilesLimit& limit, std::size_t wanted);

// The warning when `limit` holds fewer than `wanted` requests in flight; nullopt when it holds them.
std::optional<std::string> open_files_warning(const OpenFilesLimit& limit, std::size_t wanted);

}  // namespace smoke_test::load
