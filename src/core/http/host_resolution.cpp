#include "gantry/http/host_resolution.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <cstring>

#include <ares.h>

namespace gantry::http {

namespace {

struct LookupState {
    bool done = false;
    int status = ARES_SUCCESS;
    ResolvedHost* into = nullptr;
};

void on_addresses(void* arg, int status, int /*timeouts*/, ares_addrinfo* result) {
    auto* state = static_cast<LookupState*>(arg);
    state->done = true;
    state->status = status;
    if (status == ARES_SUCCESS && result) {
        for (const ares_addrinfo_node* node = result->nodes; node; node = node->ai_next) {
            if (!node->ai_addr || node->ai_addrlen > sizeof(sockaddr_storage)) continue;
            sockaddr_storage address{};
            std::memcpy(&address, node->ai_addr, node->ai_addrlen);
            state->into->addresses.emplace_back(address, static_cast<socklen_t>(node->ai_addrlen));
        }
    }
    if (result) ares_freeaddrinfo(result);
}

// An IPv4 or IPv6 literal as an address, without a lookup.
bool literal_address(const std::string& name, std::uint16_t port, ResolvedHost& into) {
    sockaddr_storage address{};
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    if (::inet_pton(AF_INET, name.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        into.addresses.emplace_back(address, static_cast<socklen_t>(sizeof(sockaddr_in)));
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (::inet_pton(AF_INET6, name.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        into.addresses.emplace_back(address, static_cast<socklen_t>(sizeof(sockaddr_in6)));
        return true;
    }
    return false;
}

}  // namespace

ResolvedHost resolve_host(const std::string& name, const std::string& port, std::chrono::milliseconds timeout) {
    ResolvedHost resolved;
    const unsigned long port_number = std::strtoul(port.c_str(), nullptr, 10);
    if (port_number == 0 || port_number > 65535) {
        resolved.error = "Bad port number: " + port;
        return resolved;
    }
    if (literal_address(name, static_cast<std::uint16_t>(port_number), resolved)) return resolved;

    // libcurl has initialised c-ares (curl_global_init) in any process that links it; the count is
    // kept by c-ares, so this is harmless and makes the call stand on its own.
    ares_library_init(ARES_LIB_INIT_ALL);
    ares_channel channel = nullptr;
    ares_options options{};
    if (const int status = ares_init_options(&channel, &options, 0); status != ARES_SUCCESS) {
        resolved.error = "Could not resolve host: " + name + " (" + ares_strerror(status) + ")";
        ares_library_cleanup();
        return resolved;
    }
    LookupState state;
    state.into = &resolved;
    ares_addrinfo_hints hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = ARES_AI_NUMERICSERV;
    ares_getaddrinfo(channel, name.c_str(), port.c_str(), &hints, &on_addresses, &state);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!state.done && std::chrono::steady_clock::now() < deadline) {
        ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
        const int bits = ares_getsock(channel, sockets, ARES_GETSOCK_MAXNUM);
        std::vector<pollfd> watched;
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
            short events = 0;
            if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
            if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
            if (events) watched.push_back({sockets[i], events, 0});
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        timeval most{static_cast<time_t>(left.count() / 1000), static_cast<suseconds_t>((left.count() % 1000) * 1000)};
        timeval wait{};
        const timeval* chosen = ares_timeout(channel, &most, &wait);
        const int wait_ms = chosen ? static_cast<int>(chosen->tv_sec * 1000 + chosen->tv_usec / 1000) : 100;
        const int ready = ::poll(watched.data(), watched.size(), std::max(wait_ms, 1));
        if (ready <= 0) {
            ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts and retries
            continue;
        }
        for (const pollfd& entry : watched) {
            if (!entry.revents) continue;
            ares_process_fd(channel, (entry.revents & (POLLIN | POLLERR | POLLHUP)) ? entry.fd : ARES_SOCKET_BAD,
                            (entry.revents & POLLOUT) ? entry.fd : ARES_SOCKET_BAD);
        }
    }
    const bool answered = state.done;
    ares_destroy(channel);  // a lookup still pending is answered here (ARES_EDESTRUCTION)
    ares_library_cleanup();
    if (!answered) {
        resolved.addresses.clear();
        resolved.error = "Could not resolve host: " + name + " (no answer within " + std::to_string(timeout.count()) + " ms)";
    } else if (resolved.addresses.empty()) {
        resolved.error = "Could not resolve host: " + name + " (" + ares_strerror(state.status) + ")";
    }
    return resolved;
}

}  // namespace gantry::http
