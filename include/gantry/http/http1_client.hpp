// Many plain-HTTP/1.1 requests at once, without libcurl: a load test's transport.
//
// Http1Client sends requests that http1_obstacle() (http1_request.hpp) finds no obstacle to, over
// non-blocking TCP sockets watched by one epoll set, on kept-alive connections: at most
// `max_host_connections` per host, a request waiting for one when all are busy. prepare() writes a
// request's bytes once and resolves its host once (resolve_host: c-ares, as libcurl; a connection
// tries the addresses in turn from the last one that accepted, and a name that does not resolve
// fails every sending of it with TransportFailure::Dns); start() sends it again; poll()
// waits (at most `wait`) and returns what finished, like HttpClient's. Answers are framed by
// http-parser (chunked, Content-Length, HEAD/204/304 without a body, read until close, 1xx
// skipped); of each body only the request's body_limit is kept (body_truncated beyond), headers only
// when the request keeps them (names lower-cased). The response is the one HttpClient gives for the
// same exchange: status, http_version "1.1" (or "1.0"), timings (connect on a new connection, first
// byte, total), new_connections, and for no answer TransportFailure Refused (refused, reset, closed
// before an answer), Timeout (connect_timeout while connecting, timeout overall, waiting included)
// or Other (a malformed answer, one cut short) with a message. A kept-alive connection the server
// closed before any byte of the answer is retried once on a new connection, as libcurl does. All
// connections read into one shared buffer, so a connection costs its socket and a few hundred
// bytes. Nothing is printed; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "gantry/http/http_exchange.hpp"

namespace gantry::http {

struct Http1ClientOptions {
    long max_host_connections = 6;
};

class Http1Client {
public:
    explicit Http1Client(Http1ClientOptions options = {});
    ~Http1Client();
    Http1Client(const Http1Client&) = delete;
    Http1Client& operator=(const Http1Client&) = delete;

    using Id = std::uint64_t;
    struct PreparedRequest {
        std::size_t index = 0;
    };
    // Builds the request's bytes and resolves its host (once per host). InputError when its URL
    // cannot be read; the caller has checked http1_obstacle().
    PreparedRequest prepare(HttpRequest request);
    Id start(PreparedRequest prepared);
    std::size_t in_flight() const;
    // Waits up to `wait` (to the microsecond where the kernel allows) and returns the requests that finished.
    std::vector<std::pair<Id, HttpResponse>> poll(std::chrono::microseconds wait);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gantry::http
