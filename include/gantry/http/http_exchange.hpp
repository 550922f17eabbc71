// One HTTP(S) request and what came back, as plain values (no libcurl types).
//
// An HttpRequest says what to send and how (redirects, TLS verification, timeouts); an
// HttpResponse carries the status, headers (names lower-cased, in arrival order, from the last
// response when redirects are followed), the body (cut at the request's body limit), libcurl's
// phase timings and what was learnt about the TLS session. `transport_error` is empty when an HTTP
// answer arrived; otherwise it says why not, and `failure` classifies it so callers can decide
// whether to retry. A TCP-only request (`Protocol::Tcp`) connects and closes without sending.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gantry::http {

enum class Protocol { Http, Tcp };
enum class Redirects { Follow, DoNotFollow };
enum class TlsVerification { Verify, Insecure };
// libcurl resends a request once, silently, when the reused keep-alive connection it went out on
// turns out closed by the server. Count: the response reports how often that happened, for callers
// that measure what a client without such a retry (wrk, most proxies' upstream side) would have seen.
enum class DeadConnectionRetries { Ignore, Count };
// Whether the response carries what the peer certificate says (TlsInfo): reading it costs a
// certificate parse per response, which a load test that asserts nothing about TLS does not pay.
enum class CertificateDetails { Read, Skip };
// Whether the response carries its headers: a load test whose checks assert no header judges its
// thousands of answers without them, and allocates nothing for them.
enum class ResponseHeaders { Keep, Skip };

struct HttpRequest {
    Protocol protocol = Protocol::Http;
    std::string method = "GET";
    std::string url;  // for Tcp: "host:port"
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<std::string> body;
    Redirects redirects = Redirects::DoNotFollow;
    TlsVerification verification = TlsVerification::Verify;
    std::string ca_file;  // private CA bundle (PEM); "" = the built-in bundle
    std::chrono::milliseconds timeout{10000};
    std::chrono::milliseconds connect_timeout{5000};
    std::size_t body_limit = 4 * 1024 * 1024;  // the body beyond is read and dropped (0: keep none)
    DeadConnectionRetries dead_connection_retries = DeadConnectionRetries::Ignore;
    CertificateDetails certificate_details = CertificateDetails::Read;
    ResponseHeaders response_headers = ResponseHeaders::Keep;
};

// Why no HTTP answer arrived (None when one did).
enum class TransportFailure { None, Dns, Refused, Timeout, Tls, Certificate, Other };
const char* to_string(TransportFailure failure);

// Microseconds since the request started, as libcurl measures them (CURLINFO_*_TIME_T). Phases
// that did not happen (no TLS, reused connection) are 0.
struct Timings {
    std::int64_t dns_us = 0;          // name lookup done
    std::int64_t connect_us = 0;      // TCP connected
    std::int64_t tls_us = 0;          // TLS handshake done (appconnect)
    std::int64_t first_byte_us = 0;   // first response byte (starttransfer)
    std::int64_t total_us = 0;

    // Durations of each phase alone.
    std::int64_t dns_phase_us() const { return dns_us; }
    std::int64_t connect_phase_us() const { return connect_us > dns_us ? connect_us - dns_us : 0; }
    std::int64_t tls_phase_us() const { return tls_us > connect_us ? tls_us - connect_us : 0; }
};

struct TlsInfo {
    bool present = false;         // the connection used TLS and the certificate was seen
    std::string version;          // "TLSv1.3"
    std::optional<long long> days_left;  // whole days until the leaf certificate's notAfter
    std::string not_after;        // ISO 8601 UTC
    std::string subject;
    bool hostname_matches = false;  // the leaf certificate is valid for the URL's host
};

struct HttpResponse {
    TransportFailure failure = TransportFailure::None;
    std::string transport_error;  // libcurl's message when failure != None
    long status = 0;
    std::string http_version;     // "1.1", "2"
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
    std::string body;
    bool body_truncated = false;
    std::string effective_url;
    Timings timings;
    TlsInfo tls;
    int dead_connection_retries = 0;  // counted only when the request asked for it
    long new_connections = 0;         // connections opened for this request (0: a kept-alive one was reused)

    // First value of a header (name compared case-insensitively), if present.
    std::optional<std::string> header(std::string_view name) const;
};

}  // namespace gantry::http
