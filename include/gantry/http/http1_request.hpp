// Whether a request can be sent as plain HTTP/1.1 by gantry's own client (http1_client.hpp) and be
// answered as libcurl would answer it, and the bytes it is sent as.
//
// http1_obstacle() names what only libcurl does for a request (TLS, a proxy the environment asks
// for, redirects to follow, credentials in the URL, a TCP-only check, content decoding the request
// asks for), or nothing when there is none. Proxy variables are read as libcurl reads them for an
// http:// URL: http_proxy (lower case only), then all_proxy/ALL_PROXY, unless no_proxy/NO_PROXY
// names the host ("*", the host, or a domain it ends in); a no_proxy entry libcurl might read
// differently (an address range) counts as "a proxy may apply". build_http1_request() writes the
// request once as libcurl sends it: request line, Host (with the port only when the URL gives one),
// User-Agent, Accept, the request's own headers (a header of the same name replaces the default;
// an empty value is sent empty), Content-Type application/x-www-form-urlencoded and Content-Length
// when there is a body and the request sets no Content-Type, then the body. No Accept-Encoding:
// answers come unencoded, which is what libcurl hands its caller after decoding.
#pragma once

#include <optional>
#include <string>

#include "gantry/http/http_exchange.hpp"
#include "gantry/platform/environment.hpp"

namespace gantry::http {

// Why `request` needs libcurl ("an https:// URL (TLS)"), or nothing when HTTP/1.1 over plain TCP fits it.
std::optional<std::string> http1_obstacle(const HttpRequest& request, const Environment& environment);

struct Http1Request {
    std::string host;          // as in the URL, without IPv6 brackets: for resolve_host()
    std::string port;          // "80" unless the URL says
    std::string bytes;         // the whole request, body included
    bool head = false;         // a HEAD request: the answer has no body whatever its headers say
};

// `request` as bytes on the wire; InputError when its URL cannot be parsed. Only for a request
// without an obstacle.
Http1Request build_http1_request(const HttpRequest& request);

}  // namespace gantry::http
