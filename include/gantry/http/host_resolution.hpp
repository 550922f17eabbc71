// A host name's addresses, looked up once, the way libcurl looks them up.
//
// resolve_host() answers an IP literal at once (no lookup) and looks a name up with c-ares (the
// hosts file, then DNS per resolv.conf), the resolver libcurl uses in gantry's static build - not
// glibc's getaddrinfo, which in a static binary needs NSS modules a FROM-scratch image does not
// have. The addresses come in c-ares' order (IPv6 and IPv4 alike: a caller tries them in turn, as
// libcurl's happy eyeballs does); `error` says why there are none. Waits at most `timeout`.
// Blocking; for a client's set-up (a load test's hosts before the first request), not per request.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace gantry::http {

struct ResolvedHost {
    std::vector<std::pair<sockaddr_storage, socklen_t>> addresses;  // with the port set
    std::string error;  // "Could not resolve host: api.example (Domain name not found)" when none
};

ResolvedHost resolve_host(const std::string& name, const std::string& port, std::chrono::milliseconds timeout);

}  // namespace gantry::http
