// Many HTTP(S) requests at once over libcurl's multi interface.
//
// HttpClient owns one curl multi handle per 256 connections a host may get (one unless
// max_host_connections is larger; requests go to them in turn), so connections (and HTTP/2 streams,
// offered by ALPN on TLS) are shared and reused by the requests it runs. start() queues a request;
// poll() waits (epoll, at most `wait`) and returns the requests that finished, each with its
// identifier. libcurl is driven through curl_multi_socket_action, so a poll runs only the transfers
// whose socket is ready or whose timeout came, however many are in flight (the client owns one
// epoll descriptor). At most `max_host_connections` connections go to one host
// (CURLMOPT_MAX_HOST_CONNECTIONS, shared out between the multi handles); the caller bounds how many
// requests are in flight. A request sent over and over (a load test) is prepared once:
// start(PreparedRequest) re-uses an idle libcurl handle already configured for it, so a repetition
// costs no handle set-up. A handle's c-ares resolver channel is made only when the handle looks a
// name up (lazy_resolver_channel.cpp): most never do, as the multi handle's DNS cache answers them.
// Nothing is printed; errors of libcurl setup throw EnvironmentError. Not thread-safe: one client
// per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gantry/http/http_exchange.hpp"

namespace gantry::http {

struct HttpClientOptions {
    long max_host_connections = 6;
    long max_total_connections = 0;  // 0 = no limit
    // Per request in flight, libcurl holds a receive buffer (CURLOPT_BUFFERSIZE, 16 KB unless told,
    // at least 1 KB) and, once it has sent over TLS, an upload buffer (CURLOPT_UPLOAD_BUFFERSIZE,
    // 64 KB unless told, at least 16 KB). Smaller buffers cost more reads on large answers, never a
    // different answer: a client with thousands of requests in flight trades them for memory.
    std::optional<long> receive_buffer_bytes;
    std::optional<long> upload_buffer_bytes;
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    using Id = std::uint64_t;
    // Starts the request; its answer comes back from poll() under the returned identifier.
    Id start(const HttpRequest& request);

    // A request registered with prepare(), to be started many times.
    struct PreparedRequest {
        std::size_t index = 0;
    };
    PreparedRequest prepare(HttpRequest request);
    // Starts one more sending of a prepared request, on an idle handle set up for it when there is one.
    Id start(PreparedRequest prepared);
    // Requests started and not yet returned by poll().
    std::size_t in_flight() const;
    // Drives the transfers, waiting up to `wait` for activity (to the microsecond where the kernel
    // allows); returns those that completed.
    std::vector<std::pair<Id, HttpResponse>> poll(std::chrono::microseconds wait);

    // The libcurl version string (for --version and reports).
    static std::string curl_version();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Runs one request to completion (tests, one-off probes).
HttpResponse perform(const HttpRequest& request);

// `text` percent-encoded for a URL's query or path segment (libcurl's curl_easy_escape).
std::string url_encode(std::string_view text);

}  // namespace gantry::http
