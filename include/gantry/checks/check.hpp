// The check model: what one post-deployment check sends and what it expects back.
//
// A Check is either an HTTP(S) request with assertions or a plain TCP connect. Expectations are
// data (statuses as ranges, header/body/JSON assertions, time limits, TLS certificate demands);
// evaluate_check() in check_assertions.hpp applies them to a response. Each check remembers where
// it was declared (file:line:column, or "--check #2") so that reports and errors can point at it.
// Names are unique within a suite (the reader makes them so). A RetryPolicy says how often and on
// which failures an attempt is repeated while a service comes up; `consecutive` > 1 is the wait mode
// (pass only after that many successes in a row). bluegreen-switch reuses this model as is.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gantry/base/error.hpp"
#include "gantry/http/http_exchange.hpp"

namespace gantry {
class Regex;
}

namespace gantry::checks {

using Milliseconds = std::chrono::milliseconds;

// An inclusive range of HTTP status codes: 200 is {200,200}, 2xx is {200,299}.
struct StatusRange {
    int low = 200;
    int high = 299;
    bool contains(long status) const { return status >= low && status <= high; }
    std::string describe() const;  // "200", "2xx", "500-503"
    friend bool operator==(const StatusRange&, const StatusRange&) = default;
};

enum class TextMatch { Equals, Contains, Regex, Exists, Absent };

struct HeaderAssertion {
    std::string name;  // compared case-insensitively
    TextMatch match = TextMatch::Equals;
    std::string value;
    // TextMatch::Regex: `value` compiled once by the check readers (shared by copies of the check).
    // An assertion built by hand without it has `value` compiled when it is evaluated.
    std::shared_ptr<const Regex> regex;
};

enum class BodyMatch { Contains, NotContains, Regex };
struct BodyAssertion {
    BodyMatch match = BodyMatch::Contains;
    std::string value;
    std::shared_ptr<const Regex> regex;  // BodyMatch::Regex: as HeaderAssertion::regex
};

enum class JsonOperator { Equals, NotEquals, Exists, Absent, Type, Less, LessOrEqual, Greater, GreaterOrEqual, Contains };
struct JsonAssertion {
    std::string pointer;  // RFC 6901
    JsonOperator op = JsonOperator::Exists;
    // For Equals/NotEquals: the expected JSON value (a YAML/inline scalar "ok" is the string "ok",
    // 3 the number 3, true the boolean). For Type: "string", "number", "integer", "boolean",
    // "array", "object", "null". For comparisons: a number. For Contains: a substring.
    std::string expected_json;
};

// Limits on libcurl's phase timings; unset = no limit.
struct TimeLimits {
    std::optional<Milliseconds> total;
    std::optional<Milliseconds> dns;
    std::optional<Milliseconds> connect;
    std::optional<Milliseconds> tls;
    std::optional<Milliseconds> first_byte;
};

struct TlsExpectations {
    std::optional<long long> min_days;     // certificate must stay valid at least this many days
    std::optional<std::string> min_version;  // "1.2" or "1.3"
    bool hostname = false;                   // checked explicitly even when insecure
};

// What can make an attempt fail, for deciding whether to retry it.
enum class FailureKind { Refused, Dns, Timeout, ServerError, Assertion, Tls, Other };
const char* to_string(FailureKind kind);

struct RetryPolicy {
    int attempts = 1;                        // total attempts, >= 1
    std::set<FailureKind> retry_on{FailureKind::Refused, FailureKind::Timeout, FailureKind::ServerError};
    Milliseconds base_delay{500};            // full jitter: sleep uniform(0, min(cap, base * 2^n))
    Milliseconds max_delay{10000};
    int consecutive = 1;                     // wait mode: successes in a row needed to pass
};

enum class CheckKind { Http, Tcp };

struct Check {
    std::string name;
    SourcePosition declared_at;
    CheckKind kind = CheckKind::Http;
    http::HttpRequest request;  // url already resolved against the base URL; for Tcp "host:port"
    std::vector<StatusRange> statuses{StatusRange{200, 399}};
    std::vector<HeaderAssertion> headers;
    std::vector<BodyAssertion> body;
    std::vector<JsonAssertion> json;
    TimeLimits limits;
    TlsExpectations tls;
    RetryPolicy retry;
    // Relative share of the requests a load test (smoke-test load) sends with this check; a plain
    // run of the checks ignores it.
    int weight = 1;
};

}  // namespace gantry::checks
