// The libcurl multi wrapper against the loopback servers of tests/smoke/run.sh (suite "loopback":
// skipped unless that harness set GANTRY_LOOPBACK_*, which it checks ran).
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "gantry/http/http_client.hpp"

using namespace gantry::http;

namespace {

std::string loopback(const char* name) {
    const char* value = std::getenv(name);
    REQUIRE_MESSAGE(value != nullptr, name << " is not set: run tests/smoke/run.sh BUILD_DIR");
    return value;
}

HttpRequest get(const std::string& url) {
    HttpRequest request;
    request.url = url;
    return request;
}

}  // namespace

TEST_SUITE("loopback" * doctest::skip(std::getenv("GANTRY_LOOPBACK_HTTP") == nullptr)) {

TEST_CASE("http: a JSON answer with headers, body and phase timings") {
    const HttpResponse response = perform(get(loopback("GANTRY_LOOPBACK_HTTP") + "/json"));
    CHECK(response.failure == TransportFailure::None);
    CHECK(response.status == 200);
    CHECK(response.http_version == "1.1");
    CHECK(response.header("Content-Type") == "application/json");
    CHECK(response.header("x-request-id").has_value());
    CHECK(nlohmann::json::parse(response.body).at("status") == "ok");
    CHECK(response.timings.total_us > 0);
    CHECK(response.timings.first_byte_us <= response.timings.total_us);
    CHECK(response.timings.connect_us <= response.timings.first_byte_us);
    CHECK_FALSE(response.tls.present);
}

TEST_CASE("http: method, headers and body are sent as given") {
    HttpRequest request = get(loopback("GANTRY_LOOPBACK_HTTP") + "/echo");
    request.method = "PUT";
    request.body = R"({"a":1})";
    request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer abc"}};
    const HttpResponse echoed = perform(request);
    CHECK(echoed.status == 200);
    CHECK(echoed.body == R"({"a":1})");
    CHECK(echoed.header("content-type") == "application/json");
    request = get(loopback("GANTRY_LOOPBACK_HTTP") + "/headers");
    request.headers = {{"Authorization", "Bearer abc"}};
    const auto headers = nlohmann::json::parse(perform(request).body);
    CHECK(headers.at("authorization") == "Bearer abc");
    CHECK(headers.at("user-agent").get<std::string>().starts_with("gantry-smoke-test/"));
    request = get(loopback("GANTRY_LOOPBACK_HTTP") + "/json");
    request.method = "HEAD";
    const HttpResponse head = perform(request);
    CHECK(head.status == 200);
    CHECK(head.body.empty());
}

TEST_CASE("http: redirects are followed only when asked") {
    HttpRequest request = get(loopback("GANTRY_LOOPBACK_HTTP") + "/redirect");
    CHECK(perform(request).status == 302);
    request.redirects = Redirects::Follow;
    const HttpResponse followed = perform(request);
    CHECK(followed.status == 200);
    CHECK(followed.effective_url == loopback("GANTRY_LOOPBACK_HTTP") + "/json");
    CHECK(followed.header("location") == std::nullopt);  // headers of the last response only
}

TEST_CASE("http: refused, timed out and TCP connects") {
    const HttpResponse refused = perform(get("http://" + loopback("GANTRY_LOOPBACK_CLOSED") + "/"));
    CHECK(refused.failure == TransportFailure::Refused);
    CHECK_FALSE(refused.transport_error.empty());
    HttpRequest slow = get(loopback("GANTRY_LOOPBACK_HTTP") + "/slow/2000");
    slow.timeout = std::chrono::milliseconds(100);
    const HttpResponse timed_out = perform(slow);
    CHECK(timed_out.failure == TransportFailure::Timeout);
    CHECK(timed_out.status == 0);

    HttpRequest tcp;
    tcp.protocol = Protocol::Tcp;
    tcp.url = loopback("GANTRY_LOOPBACK_HTTP").substr(7);
    CHECK(perform(tcp).failure == TransportFailure::None);
    tcp.url = loopback("GANTRY_LOOPBACK_CLOSED");
    CHECK(perform(tcp).failure == TransportFailure::Refused);
}

TEST_CASE("https: certificate days left, hostname and version from a private CA") {
    HttpRequest request = get(loopback("GANTRY_LOOPBACK_TLS_GOOD") + "/json");
    request.ca_file = loopback("GANTRY_LOOPBACK_CA");
    const HttpResponse good = perform(request);
    CHECK(good.failure == TransportFailure::None);
    CHECK(good.status == 200);
    REQUIRE(good.tls.present);
    REQUIRE(good.tls.days_left.has_value());
    CHECK(*good.tls.days_left >= 398);
    CHECK(*good.tls.days_left <= 400);
    CHECK(good.tls.hostname_matches);
    CHECK(good.tls.version.starts_with("TLSv1."));
    CHECK(good.tls.subject == "/CN=good");
    CHECK(good.timings.tls_us >= good.timings.connect_us);

    request.url = loopback("GANTRY_LOOPBACK_TLS_EXPIRING") + "/json";
    const HttpResponse expiring = perform(request);
    REQUIRE(expiring.tls.days_left.has_value());
    CHECK(*expiring.tls.days_left >= 4);
    CHECK(*expiring.tls.days_left <= 5);
}

TEST_CASE("https: verification is on unless insecure; a wrong host name fails it") {
    HttpRequest request = get(loopback("GANTRY_LOOPBACK_TLS_GOOD") + "/json");
    CHECK(perform(request).failure == TransportFailure::Certificate);  // the test CA is not in the bundle
    request.url = loopback("GANTRY_LOOPBACK_TLS_WRONGHOST") + "/json";
    request.ca_file = loopback("GANTRY_LOOPBACK_CA");
    const HttpResponse wrong = perform(request);
    CHECK(wrong.failure == TransportFailure::Certificate);
    CHECK(wrong.transport_error.find("localhost") != std::string::npos);
    request.verification = TlsVerification::Insecure;
    const HttpResponse insecure = perform(request);
    CHECK(insecure.status == 200);
    CHECK(insecure.tls.present);
    CHECK_FALSE(insecure.tls.hostname_matches);
}

TEST_CASE("http: many requests at once on one client, each answer under its own id") {
    HttpClient client({.max_host_connections = 4, .max_total_connections = 8});
    std::map<HttpClient::Id, int> expected;
    for (int i = 0; i < 40; ++i) {
        const int code = 200 + (i % 7);
        expected[client.start(get(loopback("GANTRY_LOOPBACK_HTTP") + "/status/" + std::to_string(code)))] = code;
    }
    CHECK(client.in_flight() == 40);
    std::set<HttpClient::Id> seen;
    while (client.in_flight() > 0) {
        for (auto& [id, response] : client.poll(std::chrono::milliseconds(500))) {
            CHECK(response.status == expected.at(id));
            CHECK(seen.insert(id).second);
        }
    }
    CHECK(seen.size() == 40);
}

TEST_CASE("http: small receive buffers, no body and no headers kept still give the answer's status") {
    // What smoke-test load does with thousands of requests in flight and only a status to check.
    HttpClient client({.max_host_connections = 4, .receive_buffer_bytes = 1024, .upload_buffer_bytes = 16 * 1024});
    HttpRequest request = get(loopback("GANTRY_LOOPBACK_HTTP") + "/json");
    request.body_limit = 0;
    request.response_headers = ResponseHeaders::Skip;
    const auto prepared = client.prepare(request);
    for (int i = 0; i < 3; ++i) client.start(prepared);
    int answered = 0;
    while (client.in_flight() > 0) {
        for (auto& [id, response] : client.poll(std::chrono::milliseconds(500))) {
            CHECK(response.status == 200);
            CHECK(response.headers.empty());
            CHECK(response.body.empty());
            CHECK(response.body_truncated);
            ++answered;
        }
    }
    CHECK(answered == 3);
    // The same client keeps the whole body of a request that asks for it, read 1 KB at a time.
    HttpRequest echo = get(loopback("GANTRY_LOOPBACK_HTTP") + "/echo");
    echo.method = "POST";
    echo.body = std::string(100 * 1024, 'b');
    client.start(echo);
    std::optional<HttpResponse> echoed;
    while (!echoed) {
        for (auto& [id, response] : client.poll(std::chrono::milliseconds(500))) echoed = std::move(response);
    }
    CHECK(echoed->status == 200);
    CHECK(echoed->body == *echo.body);
    CHECK(echoed->header("content-type").has_value());
    CHECK_FALSE(echoed->body_truncated);
}

// libcurl answers "localhost" itself, without c-ares: test_lazy_resolver_channel.cpp has a lookup.
TEST_CASE("http: a host name (localhost) instead of an address") {
    std::string url = loopback("GANTRY_LOOPBACK_HTTP") + "/json";
    const auto at = url.find("127.0.0.1");
    REQUIRE(at != std::string::npos);
    url.replace(at, 9, "localhost");
    const HttpResponse response = perform(get(url));
    CHECK(response.failure == TransportFailure::None);
    CHECK(response.status == 200);
}

}  // TEST_SUITE
