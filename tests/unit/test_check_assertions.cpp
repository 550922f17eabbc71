#include <doctest/doctest.h>

#include "gantry/checks/check_assertions.hpp"
#include "gantry/checks/check_file.hpp"

using namespace gantry::checks;
using gantry::http::HttpResponse;

namespace {

Check inline_check(const std::string& text) { return parse_inline_check(text, 1, Variables(), CheckDefaults{}); }

HttpResponse json_response(long status, std::string body) {
    HttpResponse response;
    response.status = status;
    response.headers = {{"content-type", "application/json; charset=utf-8"}, {"x-id", "7"}};
    response.body = std::move(body);
    response.timings = {.dns_us = 1000, .connect_us = 3000, .tls_us = 0, .first_byte_us = 150000, .total_us = 152000};
    return response;
}

}  // namespace

TEST_CASE("assertions: a matching response passes") {
    const Check check = inline_check(
        "GET http://x/ 200 json:/status==ok json:/n>=2 json:/n<=3 json:/items:array json:/items/0==1 json:/v!=\"2\" "
        "body~ok header:Content-Type~json header:X-Id=7 <200ms ttfb<160ms");
    const AttemptVerdict verdict = evaluate_attempt(check, json_response(200, R"({"status":"ok","n":2.0,"items":[1],"v":"1"})"));
    CHECK(verdict.passed);
    CHECK(verdict.failures.empty());
    CHECK_FALSE(verdict.failure);
}

TEST_CASE("assertions: every failure is listed with what was expected and found") {
    const Check check = inline_check(
        "GET http://x/ 200 json:/status==ok json:/n>=5 json:/missing json:/items:object body~ready body!~status "
        "header:Content-Type=text/plain header:X-Absent <100ms ttfb<100ms");
    const AttemptVerdict verdict = evaluate_attempt(check, json_response(404, R"({"status":"degraded","n":2,"items":[]})"));
    CHECK_FALSE(verdict.passed);
    CHECK(verdict.failure == FailureKind::Assertion);
    CHECK(verdict.failures == std::vector<std::string>{
                                  "status 404, expected 200",
                                  "header Content-Type: expected \"text/plain\", found \"application/json; charset=utf-8\"",
                                  "header X-Absent: missing",
                                  "body: does not contain \"ready\"",
                                  "body: contains \"status\"",
                                  "json /status: expected \"ok\", found \"degraded\"",
                                  "json /n: expected >= 5.0, found 2",
                                  "json /missing: no such value",
                                  "json /items: expected object, found array",
                                  "time 152 ms > limit 100 ms",
                                  "time to first byte 150 ms > limit 100 ms",
                              });
}

TEST_CASE("assertions: 5xx and 429 are server errors (retryable), a body that is not JSON is an assertion") {
    const Check check = inline_check("GET http://x/ 200 json:/status==ok");
    CHECK(evaluate_attempt(check, json_response(503, "{}")).failure == FailureKind::ServerError);
    CHECK(evaluate_attempt(check, json_response(429, "{}")).failure == FailureKind::ServerError);
    const auto not_json = evaluate_attempt(check, json_response(200, "<html>oops</html>"));
    CHECK(not_json.failure == FailureKind::Assertion);
    CHECK(not_json.failures == std::vector<std::string>{"body is not JSON: \"<html>oops</html>\""});
}

TEST_CASE("assertions: transport failures keep libcurl's message and kind") {
    const Check check = inline_check("GET http://x/");
    HttpResponse refused;
    refused.failure = gantry::http::TransportFailure::Refused;
    refused.transport_error = "Failed to connect to x port 80";
    const auto verdict = evaluate_attempt(check, refused);
    CHECK(verdict.failure == FailureKind::Refused);
    CHECK(verdict.failures == std::vector<std::string>{"Failed to connect to x port 80"});
    HttpResponse certificate;
    certificate.failure = gantry::http::TransportFailure::Certificate;
    CHECK(evaluate_attempt(check, certificate).failure == FailureKind::Tls);
}

TEST_CASE("assertions: TLS expectations") {
    const Check check = inline_check("GET https://x/ tls-days>=30 tls>=1.3 tls-hostname");
    HttpResponse response = json_response(200, "{}");
    auto verdict = evaluate_attempt(check, response);
    CHECK(verdict.failures == std::vector<std::string>{"tls: no certificate seen (is the URL https://?)"});
    response.tls = {.present = true, .version = "TLSv1.2", .days_left = 4, .not_after = "2030-01-05T00:00:00Z",
                    .subject = "/CN=wrong", .hostname_matches = false};
    verdict = evaluate_attempt(check, response);
    CHECK(verdict.failure == FailureKind::Tls);
    CHECK(verdict.failures == std::vector<std::string>{
                                  "certificate expires in 4 days (on 2030-01-05T00:00:00Z), expected at least 30",
                                  "tls: negotiated TLSv1.2, expected at least TLSv1.3",
                                  "certificate /CN=wrong does not match the host name"});
    response.tls = {.present = true, .version = "TLSv1.3", .days_left = 400, .hostname_matches = true};
    CHECK(evaluate_attempt(check, response).passed);
}

TEST_CASE("assertions: tcp checks only look at the connection and its time") {
    const Check check = inline_check("tcp db:5432 connect<10ms");
    HttpResponse response;
    response.timings = {.dns_us = 1000, .connect_us = 25000, .total_us = 25000};
    const auto verdict = evaluate_attempt(check, response);
    CHECK(verdict.failures == std::vector<std::string>{"connect 24 ms > limit 10 ms"});
}

TEST_CASE("assertions: regexes and contains see the whole body") {
    HttpResponse response = json_response(200, std::string(4 * 1024 * 1024, 'x') + "needle");
    CHECK(evaluate_attempt(inline_check("GET http://x/ body~needle"), response).passed);
    CHECK(evaluate_attempt(inline_check("GET http://x/ body=~ne+dle$"), response).passed);
    CHECK(evaluate_attempt(inline_check("GET http://x/ body=~^x+needle$"), response).passed);
    const auto missing = evaluate_attempt(inline_check("GET http://x/ body=~ne+dles"), response);
    CHECK(missing.failures == std::vector<std::string>{"body: does not match /ne+dles/"});
}

TEST_CASE("assertions: a pathological regex on a large body fails the assertion and says why") {
    // A group repeated once per character: std::regex recursed on the stack for each one.
    std::string body;
    for (int i = 0; i < 4 * 1024 * 1024; ++i) body += i % 2 ? 'a' : 'b';
    body += 'c';
    const auto repeated = evaluate_attempt(inline_check("GET http://x/ body=~(a|b)*c"), json_response(200, body));
    CHECK_FALSE(repeated.passed);
    CHECK(repeated.failure == FailureKind::Assertion);
    REQUIRE(repeated.failures.size() == 1);
    CHECK(repeated.failures[0].find("body: /(a|b)*c/: matching gave up at its 64 MiB memory limit") == 0);

    HttpResponse response = json_response(200, "{}");
    response.headers.emplace_back("x-trace", std::string(40, 'a') + "!");
    Check check = inline_check("GET http://x/");
    check.headers.push_back({.name = "x-trace", .match = TextMatch::Regex, .value = "^(a+)+$"});  // built by hand
    const auto nested = evaluate_attempt(check, response);
    CHECK(nested.failures == std::vector<std::string>{
                                 "header x-trace: /^(a+)+$/: matching gave up after 10000000 backtracking steps (match "
                                 "limit exceeded): the pattern backtracks too much on this text"});
}

TEST_CASE("assertions: body_bytes_read is what the assertions read of a body: all of it once any assertion reads it") {
    CHECK(body_bytes_read(inline_check("GET http://x/ 200")) == 0);
    CHECK(body_bytes_read(inline_check("GET http://x/ 200 header:x-id=7 <500ms")) == 0);
    Check regex = inline_check("GET http://x/ 200 body=~ne+dle");
    CHECK(body_bytes_read(regex) == regex.request.body_limit);
    Check contains = inline_check("GET http://x/ body=~ne+dle body~needle");
    CHECK(body_bytes_read(contains) == contains.request.body_limit);
    Check json = inline_check("GET http://x/ json:/status==ok");
    CHECK(body_bytes_read(json) == json.request.body_limit);
    json.request.body_limit = 100;
    CHECK(body_bytes_read(json) == 100);
    Check small_regex = inline_check("GET http://x/ body=~ok");
    small_regex.request.body_limit = 10;
    CHECK(body_bytes_read(small_regex) == 10);
    CHECK(body_bytes_read(inline_check("TCP x:1")) == 0);

    // No assertion on the body: an empty one (nothing kept) passes as the whole one does.
    const Check status_only = inline_check("GET http://x/ 200");
    CHECK(evaluate_attempt(status_only, json_response(200, "")).passed);
}
