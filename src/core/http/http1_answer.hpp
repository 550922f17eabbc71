// One HTTP/1.1 answer read into an HttpResponse, framed by http-parser.
//
// An Http1Answer is begun for each request sent on a connection and fed the bytes read from it
// (nothing, once the server closed it). http-parser does the framing: Content-Length, chunked, no
// body for HEAD/204/304, a body read until the connection closes, interim 1xx answers skipped (their
// headers dropped). Of the body only `body_limit` bytes are kept (body_truncated beyond); header names
// are lower-cased and values trimmed, and headers are kept only when asked, trailers never. The
// answer fills status and http_version; the caller fills timings, failures and the rest. Bytes after
// a complete answer are not read: the answer is then not reusable() and the connection must close.
// The object may move between feeds (it lives in a growing table); http-parser is pointed at it on
// every feed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <http_parser.h>

#include "gantry/http/http_exchange.hpp"

namespace gantry::http {

enum class AnswerBody { Expected, None };  // None: the answer to a HEAD request

class Http1Answer {
public:
    enum class Progress { Incomplete, Complete, Malformed };

    // Ready for an answer; `response` keeps what the caller has put in it (timings, counts).
    void begin(AnswerBody body, ResponseHeaders headers, std::size_t body_limit);
    // Bytes read from the connection; `size` 0 when the server closed it.
    Progress feed(const char* data, std::size_t size);
    // Complete, the server keeps the connection open, and nothing came after the answer.
    bool reusable() const { return complete_ && keep_alive_ && !trailing_bytes_; }
    std::uint64_t bytes_received() const { return bytes_received_; }
    // What http-parser found wrong, after Progress::Malformed.
    std::string error() const;

    HttpResponse response;

private:
    static int on_header_field(http_parser* parser, const char* at, std::size_t length);
    static int on_header_value(http_parser* parser, const char* at, std::size_t length);
    static int on_headers_complete(http_parser* parser);
    static int on_body(http_parser* parser, const char* at, std::size_t length);
    static int on_message_complete(http_parser* parser);
    // Without the header callbacks when no header is kept: a load test's answers are framed without
    // a call per header line.
    static const http_parser_settings& settings(ResponseHeaders headers);

    http_parser parser_{};
    const http_parser_settings* settings_ = nullptr;  // set by begin(), which comes before any feed()
    std::size_t body_limit_ = 0;
    std::uint64_t bytes_received_ = 0;
    bool no_body_ = false;
    bool keep_headers_ = false;
    bool headers_done_ = false;
    bool header_value_last_ = false;
    bool complete_ = false;
    bool keep_alive_ = false;
    bool trailing_bytes_ = false;
};

}  // namespace gantry::http
