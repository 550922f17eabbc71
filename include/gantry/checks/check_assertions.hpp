// Judging one attempt of a check: a response (or a transport failure) against the check's
// expectations.
//
// evaluate_attempt() never throws on what the server sent: a body that is not JSON, a missing
// header or a non-numeric value are failed assertions with a message ("json /status: expected
// \"ok\", found \"degraded\""). The first failure decides the attempt's FailureKind, which the
// retry policy looks at: no answer -> refused/dns/timeout/tls, a 5xx or 429 status -> 5xx, anything
// else -> assertion. Every failed assertion is listed, in the check's order: status, headers, body,
// JSON, times, TLS. Body assertions, regexes included, see the whole body the client kept (up to the
// request's body_limit); a regex whose matcher gives up at its limits (gantry/text/regex.hpp: a
// pattern that backtracks catastrophically on this body) is a failed assertion that says so.
// body_bytes_read() says how much of a body that is, so a caller can keep no more.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "gantry/checks/check.hpp"
#include "gantry/http/http_exchange.hpp"

namespace gantry::checks {

struct AttemptVerdict {
    bool passed = true;
    std::optional<FailureKind> failure;  // set when !passed
    std::vector<std::string> failures;   // one message per failed assertion
};

AttemptVerdict evaluate_attempt(const Check& check, const http::HttpResponse& response);

// How much of a response body evaluate_attempt() reads for `check`: nothing when no body or JSON
// assertion is declared, else the whole body up to the request's body_limit. A client that sends the check many times (smoke-test load) keeps no
// more than this of each answer.
std::size_t body_bytes_read(const Check& check);

}  // namespace gantry::checks
