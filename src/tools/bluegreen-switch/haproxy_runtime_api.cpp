#include "bluegreen-switch/haproxy_runtime_api.hpp"

#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace bluegreen_switch {

namespace {

using Clock = std::chrono::steady_clock;

// Closes the descriptor on every path out of exchange().
class SocketHandle {
public:
    explicit SocketHandle(int fd) : fd_(fd) {}
    ~SocketHandle() {
        if (fd_ >= 0) ::close(fd_);
    }
    SocketHandle(const SocketHandle&) = delete;
    SocketHandle& operator=(const SocketHandle&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::string strip_prefix(std::string_view address, std::string_view prefix) {
    if (address.substr(0, prefix.size()) == prefix) address.remove_prefix(prefix.size());
    return std::string(address);
}

bool is_unix_address(std::string_view address) {
    if (address.substr(0, 5) == "unix@") return true;
    if (address.substr(0, 5) == "ipv4@" || address.substr(0, 5) == "ipv6@") return false;
    return address.find('/') != std::string_view::npos || address.find(':') == std::string_view::npos;
}

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

// Waits for `events` on fd until the deadline; false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    pollfd entry{fd, events, 0};
    while (true) {
        int ready = ::poll(&entry, 1, remaining_ms(deadline));
        if (ready > 0) return true;
        if (ready == 0) return false;
        if (errno != EINTR) return false;
    }
}

[[noreturn]] void unreachable(const std::string& address, const std::string& reason) {
    throw gantry::EnvironmentError(fmt::format("HAProxy's runtime API at {} cannot be reached: {}", address, reason));
}

// Connects a non-blocking socket to `target`, bounded by the deadline; the reason it could not, or "".
std::string connect_until(int fd, const sockaddr* target, socklen_t length, Clock::time_point deadline) {
    if (::connect(fd, target, length) == 0) return "";
    if (errno != EINPROGRESS && errno != EAGAIN) return std::strerror(errno);
    if (!wait_for(fd, POLLOUT, deadline)) return "timed out connecting";
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
    return error == 0 ? "" : std::strerror(error);
}

int open_unix(const std::string& address, Clock::time_point deadline) {
    std::string path = strip_prefix(address, "unix@");
    sockaddr_un target{};
    target.sun_family = AF_UNIX;
    if (path.size() >= sizeof target.sun_path) unreachable(address, "the socket path is too long");
    std::memcpy(target.sun_path, path.c_str(), path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) unreachable(address, std::strerror(errno));
    std::string failure = connect_until(fd, reinterpret_cast<const sockaddr*>(&target), sizeof target, deadline);
    if (!failure.empty()) {
        ::close(fd);
        unreachable(address, failure);
    }
    return fd;
}

int open_tcp(const std::string& address, Clock::time_point deadline) {
    std::string hostport = strip_prefix(strip_prefix(address, "ipv4@"), "ipv6@");
    auto colon = hostport.rfind(':');
    if (colon == std::string::npos || colon + 1 == hostport.size()) {
        throw gantry::UsageError(fmt::format("--haproxy-socket {}: expected a unix socket path or host:port", address));
    }
    std::string host = hostport.substr(0, colon);
    std::string port = hostport.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int status = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); status != 0) {
        unreachable(address, ::gai_strerror(status));
    }
    std::string last_error = "no address";
    for (addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
        int fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, candidate->ai_protocol);
        if (fd < 0) {
            last_error = std::strerror(errno);
            continue;
        }
        last_error = connect_until(fd, candidate->ai_addr, candidate->ai_addrlen, deadline);
        if (last_error.empty()) {
            ::freeaddrinfo(found);
            return fd;
        }
        ::close(fd);
    }
    ::freeaddrinfo(found);
    unreachable(address, last_error);
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

bool starts_with(const std::string& text, std::string_view prefix) {
    return std::string_view(text).substr(0, prefix.size()) == prefix;
}

}  // namespace

HaproxyRuntimeApi::HaproxyRuntimeApi(std::string address, std::chrono::milliseconds timeout)
    : address_(std::move(address)), timeout_(timeout) {
    if (address_.empty()) throw gantry::UsageError("the haproxy provider needs --haproxy-socket (a unix socket path or host:port)");
}

std::string HaproxyRuntimeApi::send(const std::string& command) const {
    auto deadline = Clock::now() + timeout_;
    SocketHandle socket(is_unix_address(address_) ? open_unix(address_, deadline) : open_tcp(address_, deadline));
    std::string request = command + "\n";
    std::size_t sent = 0;
    while (sent < request.size()) {
        ssize_t written = ::send(socket.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (written > 0) {
            sent += static_cast<std::size_t>(written);
        } else if (written < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!wait_for(socket.get(), POLLOUT, deadline)) unreachable(address_, "timed out sending a command");
        } else {
            unreachable(address_, std::strerror(errno));
        }
    }
    std::string answer;
    char buffer[16384];
    while (true) {
        ssize_t got = ::recv(socket.get(), buffer, sizeof buffer, 0);
        if (got > 0) {
            answer.append(buffer, static_cast<std::size_t>(got));
        } else if (got == 0) {
            break;
        } else if (errno == EAGAIN || errno == EINTR) {
            if (!wait_for(socket.get(), POLLIN, deadline)) {
                throw gantry::EnvironmentError(fmt::format("HAProxy's runtime API at {} did not answer '{}' within {} ms",
                                                           address_, command, timeout_.count()));
            }
        } else {
            unreachable(address_, std::strerror(errno));
        }
    }
    while (!answer.empty() && (answer.back() == '\n' || answer.back() == '\r')) answer.pop_back();
    return answer;
}

std::string HaproxyRuntimeApi::execute(const std::string& command) const {
    std::string answer = send(command);
    check_runtime_answer(address_, command, answer);
    return answer;
}

void check_runtime_answer(const std::string& address, const std::string& command, const std::string& answer) {
    std::string line = first_line(answer);
    if (starts_with(line, "Unknown command")) {
        throw gantry::EnvironmentError(fmt::format(
            "HAProxy's runtime API at {} does not know '{}' (HAProxy 2.0 or later is needed): {}", address, command, line));
    }
    for (std::string_view prefix : {"Permission denied", "Require "}) {
        if (starts_with(line, prefix)) {
            throw gantry::EnvironmentError(fmt::format(
                "HAProxy's runtime API at {} refused '{}': {} (the stats socket needs `level admin`)", address, command, line));
        }
    }
    for (std::string_view prefix : {"No such ", "Unknown map identifier", "Can't find ", "Unknown backend", "Unknown server"}) {
        if (starts_with(line, prefix)) {
            throw gantry::InputError(fmt::format("HAProxy rejected '{}': {}", command, line));
        }
    }
}

}  // namespace bluegreen_switch
