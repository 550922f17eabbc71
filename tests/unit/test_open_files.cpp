#include <doctest/doctest.h>

#include <sys/resource.h>

#include "smoke-test/open_files.hpp"

using namespace smoke_test::load;

TEST_CASE("open files: requests in flight fit within the soft limit, beside the files a process holds anyway") {
    CHECK(in_flight_within({.soft = 20000, .hard = 20000}, 10000) == 10000);
    CHECK(in_flight_within({.soft = 1024, .hard = 1024}, 10000) == 1024 - kFilesBesideRequests);
    CHECK(in_flight_within({.soft = 10, .hard = 10}, 10000) == 1);
    CHECK(in_flight_within({.soft = 0, .hard = 0}, 500) == 500);  // unknown: nothing to go by
    CHECK_FALSE(open_files_warning({.soft = 20000, .hard = 20000}, 10000));
    const auto warning = open_files_warning({.soft = 1024, .hard = 1024}, 10000);
    REQUIRE(warning);
    CHECK(warning->find("at most 960 requests are in flight at once, not 10000") != std::string::npos);
    CHECK(warning->find("hard limit is 1024") != std::string::npos);
    CHECK(warning->find("at least 10064") != std::string::npos);
}

TEST_CASE("open files: the soft limit is raised up to the hard limit, never lowered") {
    rlimit before{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &before) == 0);
    if (before.rlim_max != RLIM_INFINITY && before.rlim_max < 256) return;  // no room to try it in
    // The usual 1024-like soft limit under a higher hard one, then raised as a load test does.
    rlimit lowered = before;
    lowered.rlim_cur = 200;
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
    const OpenFilesLimit raised = raise_open_files_limit(250);
    CHECK(raised.soft == 250);
    CHECK(raise_open_files_limit(100).soft == 250);  // never lowered
    if (before.rlim_max != RLIM_INFINITY) {
        const OpenFilesLimit capped = raise_open_files_limit(static_cast<std::uint64_t>(before.rlim_max) + 1);
        CHECK(capped.soft == before.rlim_max);
        CHECK(capped.hard == before.rlim_max);
    }
    rlimit now{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &now) == 0);
    CHECK(now.rlim_max == before.rlim_max);
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &before) == 0);
}
