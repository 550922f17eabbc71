// What the tests against real servers on loopback (nginx, HAProxy, Caddy, python3 http.server) share:
// a free port, whether a program is installed, a server process started in the background and
// stopped (SIGTERM, then waited for) when the test ends, a plain GET, and waiting for readiness.
// Tests wait for a condition (`eventually`), never for a fixed time: the condition is what they rely on.
#pragma once

#include <doctest/doctest.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gantry/base/process.hpp"
#include "gantry/http/http_client.hpp"

extern char** environ;

namespace gantry::testing {

// A loopback port nobody listens on right now (the kernel's choice for an ephemeral bind). Another
// process could take it before the server does; with ports from the ephemeral range that is rare.
inline int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    REQUIRE(bound);
    return ntohs(address.sin_port);
}

// A socket listening on a loopback port the kernel chose, for a server the test scripts itself; the
// test closes `fd` when done.
struct LoopbackListener {
    int fd = -1;
    int port = 0;
};
inline LoopbackListener listen_on_loopback() {
    LoopbackListener listener;
    listener.fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener.fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    REQUIRE(::bind(listener.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener.fd, 16) == 0);
    REQUIRE(::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    listener.port = ntohs(address.sin_port);
    return listener;
}

// True when `program` is found in PATH (or is an executable path).
inline bool installed(const std::string& program) {
    return gantry::run_process({"/bin/sh", "-c", "command -v \"$0\"", program}, std::chrono::seconds(10)).exit_code == 0;
}

// Polls `ready` every 50 ms, at most `attempts` times (10 s by default); true once it holds.
template <typename Predicate>
bool eventually(Predicate ready, int attempts = 200) {
    for (int attempt = 0; attempt < attempts; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (ready()) return true;
    }
    return false;
}

inline gantry::http::HttpResponse http_get(const std::string& url,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    gantry::http::HttpRequest request;
    request.url = url;
    request.timeout = timeout;
    return gantry::http::perform(request);
}

// A server in the foreground of its own process (caddy run, haproxy -db, python3 -m http.server):
// stdin from /dev/null, stdout and stderr into `log_file`, and either this process's environment
// or exactly `environment` ("NAME=value"). running() says whether it could be started at all.
class BackgroundProcess {
public:
    explicit BackgroundProcess(std::vector<std::string> argv, const std::string& log_file = "/dev/null",
                               std::optional<std::vector<std::string>> environment = std::nullopt) {
        std::vector<char*> arguments;
        for (std::string& argument : argv) arguments.push_back(argument.data());
        arguments.push_back(nullptr);
        std::vector<char*> variables;
        if (environment) {
            for (std::string& variable : *environment) variables.push_back(variable.data());
            variables.push_back(nullptr);
        }
        posix_spawn_file_actions_t actions;
        ::posix_spawn_file_actions_init(&actions);
        ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        ::posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::posix_spawn_file_actions_adddup2(&actions, 1, 2);
        const int spawned = ::posix_spawnp(&pid_, arguments[0], &actions, nullptr, arguments.data(),
                                           environment ? variables.data() : environ);
        ::posix_spawn_file_actions_destroy(&actions);
        if (spawned != 0) pid_ = -1;
    }
    ~BackgroundProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;

    bool running() const { return pid_ > 0; }

private:
    pid_t pid_ = -1;
};

}  // namespace gantry::testing
