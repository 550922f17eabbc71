#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "bluegreen-switch/caddy_provider.hpp"
#include "bluegreen-switch/flag_file_provider.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/http/http_client.hpp"
#include "loopback_servers.hpp"
#include "scratch_dir.hpp"

using namespace bluegreen_switch;
namespace fs = std::filesystem;
using gantry::http::HttpRequest;
using gantry::http::HttpResponse;

namespace {

// Shapes from Caddy's admin API documentation (caddyserver.com/docs/api: "Using @id in JSON",
// "Concurrent config changes" with Etag/If-Match, GET /reverse_proxy/upstreams) and from caddy 2.6.2
// here, which sends the Etag of a GET as an HTTP trailer and answers a stale If-Match with
// 412 {"error":"If-Match header did not match current config hash"}.
const char* const kEtag = R"("/config/apps/http/servers/bg/routes/0/handle/0/upstreams bf97e520")";
const char* const kNewEtag = R"("/config/apps/http/servers/bg/routes/0/handle/0/upstreams 0c1d2e3f")";

HttpResponse answer(long status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    return response;
}

// Answers requests from a queue and keeps what was asked.
struct RecordedApi {
    std::deque<HttpResponse> answers;
    std::vector<HttpRequest> requests;

    HttpSender sender() {
        return [this](const HttpRequest& request) {
            requests.push_back(request);
            REQUIRE_FALSE(answers.empty());
            HttpResponse next = answers.front();
            answers.pop_front();
            return next;
        };
    }
};

ProviderSettings caddy_settings(RecordedApi& api) {
    ProviderSettings settings;
    settings.kind = "caddy";
    settings.blue = "10.0.0.1:80";
    settings.green = "10.0.0.2:80";
    settings.caddy_admin = "http://127.0.0.1:2019/";
    settings.send = api.sender();
    return settings;
}

std::optional<std::string> header_of(const HttpRequest& request, const std::string& name) {
    for (const auto& [key, value] : request.headers) {
        if (key == name) return value;
    }
    return std::nullopt;
}

HttpResponse get(const std::string& url) { return gantry::testing::http_get(url); }

// `caddy run` on free loopback ports in the background: an admin API, two backends answering "blue"
// and "green", and a front whose routes the test gives. Stopped (SIGTERM) at the end.
struct LabCaddy {
    gantry::testing::ScratchDir dir;
    int admin_port = gantry::testing::free_port();
    int blue_port = gantry::testing::free_port();
    int green_port = gantry::testing::free_port();
    int front_port = gantry::testing::free_port();
    std::optional<gantry::testing::BackgroundProcess> caddy;  // declared after dir: stopped before it is removed

    std::string admin() const { return fmt::format("http://127.0.0.1:{}", admin_port); }
    std::string blue() const { return fmt::format("127.0.0.1:{}", blue_port); }
    std::string green() const { return fmt::format("127.0.0.1:{}", green_port); }
    std::string front_url() const { return fmt::format("http://127.0.0.1:{}/", front_port); }
    std::string proxy_to(const std::string& dial, const std::string& id = "") const {
        return fmt::format(R"({{"handler": "reverse_proxy", {}"upstreams": [{{"dial": "{}"}}]}})",
                           id.empty() ? "" : fmt::format(R"("@id": "{}", )", id), dial);
    }

    // True once the admin API answers.
    bool start(const std::string& front_routes) {
        const std::string config = fmt::format(R"({{
  "admin": {{"listen": "127.0.0.1:{0}", "config": {{"persist": false}}}},
  "apps": {{"http": {{"servers": {{
    "blue":  {{"listen": ["127.0.0.1:{1}"], "automatic_https": {{"disable": true}},
               "routes": [{{"handle": [{{"handler": "static_response", "body": "blue\n"}}]}}]}},
    "green": {{"listen": ["127.0.0.1:{2}"], "automatic_https": {{"disable": true}},
               "routes": [{{"handle": [{{"handler": "static_response", "body": "green\n"}}]}}]}},
    "bg":    {{"listen": ["127.0.0.1:{3}"], "automatic_https": {{"disable": true}}, "routes": {4}}}
  }}}}}}
}})", admin_port, blue_port, green_port, front_port, front_routes);
        const std::string file = dir / "caddy.json";
        gantry::write_file_atomically(file, config);
        const std::string home = dir.path().string();
        caddy.emplace(std::vector<std::string>{"caddy", "run", "--config", file}, dir / "caddy.log",
                      std::vector<std::string>{"HOME=" + home, "XDG_DATA_HOME=" + home, "XDG_CONFIG_HOME=" + home});
        return caddy->running() && gantry::testing::eventually([&] { return get(admin() + "/config/").status == 200; });
    }
    std::string log() const { return gantry::read_file(dir / "caddy.log"); }
};

// The front answers `body` once the switch has taken effect. Caddy applies an admin API change by
// starting the new server on the shared listening socket before the old one stops accepting, so a
// connection opened right after the PATCH returns can still reach the old routes (seen once in a
// few thousand runs); what the provider promises is that the new routes win, not the instant.
bool front_answers(LabCaddy& lab, const std::string& body) {
    return gantry::testing::eventually([&] { return get(lab.front_url()).body == body; }, 20);
}

}  // namespace

TEST_SUITE("caddy provider") {

TEST_CASE("caddy: --blue and --green are required") {
    RecordedApi api;
    ProviderSettings settings = caddy_settings(api);
    settings.blue.clear();
    CHECK_THROWS_WITH_AS(CaddyProvider{settings}, doctest::Contains("--blue"), gantry::UsageError);
    settings = caddy_settings(api);
    settings.green = settings.blue;
    CHECK_THROWS_AS(CaddyProvider{settings}, gantry::UsageError);
}

TEST_CASE("recorded-API: read maps the handler's dials to colours and keeps the Etag") {
    RecordedApi api;
    api.answers.push_back(answer(200, R"([{"dial":"10.0.0.1:80"}])", {{"content-type", "application/json"}, {"etag", kEtag}}));
    api.answers.push_back(answer(200, R"([{"dial":"10.0.0.2:80"}])"));
    api.answers.push_back(answer(200, R"([{"dial":"10.0.0.1:80"},{"dial":"10.0.0.2:80"}])"));
    CaddyProvider provider(caddy_settings(api));

    ProviderReading reading = provider.read();
    REQUIRE(api.requests.size() == 1);
    CHECK(api.requests[0].method == "GET");
    CHECK(api.requests[0].url == "http://127.0.0.1:2019/id/bg_proxy/upstreams");
    CHECK(reading.live == Color::Blue);
    CHECK(reading.green_percent == 0);
    CHECK(reading.detail == "Caddy bg_proxy upstreams: 10.0.0.1:80");

    reading = provider.read();
    CHECK(reading.live == Color::Green);
    CHECK(reading.green_percent == 100);

    reading = provider.read();
    CHECK_FALSE(reading.live.has_value());
    CHECK(reading.green_percent == 50);
}

TEST_CASE("recorded-API: unexpected upstream lists are InputErrors with a JSON pointer") {
    RecordedApi api;
    api.answers.push_back(answer(200, R"([{"dial":"10.0.0.1:80"},{"dial":"10.9.9.9:80"}])"));
    api.answers.push_back(answer(200, R"([{"dial":42}])"));
    api.answers.push_back(answer(200, R"([])"));
    api.answers.push_back(answer(200, R"([{"dial":)"));
    CaddyProvider provider(caddy_settings(api));
    CHECK_THROWS_WITH_AS(provider.read(),
                         "http://127.0.0.1:2019/id/bg_proxy/upstreams (at /1/dial): upstream 10.9.9.9:80 is neither "
                         "--blue (10.0.0.1:80) nor --green (10.0.0.2:80)",
                         gantry::InputError);
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains("/0/dial"), gantry::InputError);
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains("non-empty list"), gantry::InputError);
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains("expected JSON"), gantry::InputError);
}

TEST_CASE("recorded-API: apply PATCHes the upstreams with If-Match set to the Etag just read") {
    RecordedApi api;
    api.answers.push_back(answer(200, R"([{"dial":"10.0.0.1:80"}])", {{"etag", kEtag}}));
    api.answers.push_back(answer(200, ""));
    CaddyProvider provider(caddy_settings(api));
    provider.apply(Color::Green, 100);  // nothing read yet: reads first for the Etag

    REQUIRE(api.requests.size() == 2);
    CHECK(api.requests[0].method == "GET");
    const HttpRequest& patch = api.requests[1];
    CHECK(patch.method == "PATCH");
    CHECK(patch.url == "http://127.0.0.1:2019/id/bg_proxy/upstreams");
    CHECK(header_of(patch, "Content-Type") == "application/json");
    CHECK(header_of(patch, "If-Match") == kEtag);
    CHECK(patch.body == R"([{"dial":"10.0.0.2:80"}])");

    CHECK_THROWS_AS(provider.apply(Color::Green, 50), gantry::UsageError);
    CHECK(provider.weights() == WeightSupport::AllOrNothing);
    CHECK(api.requests.size() == 2);
}

TEST_CASE("recorded-API: a 412 is read again and retried once, then someone else changed the config") {
    RecordedApi api;
    const auto stale = answer(412, R"({"error":"If-Match header did not match current config hash"})");
    api.answers.push_back(answer(200, R"([{"dial":"10.0.0.1:80"}])", {{"etag", kEtag}}));
    api.answers.push_back(stale);
    api.answers.push_back(answer(200, R"([{"dial":"10.0.0.1:80"}])", {{"etag", kNewEtag}}));
    api.answers.push_back(answer(200, ""));
    CaddyProvider provider(caddy_settings(api));
    provider.read();
    provider.apply(Color::Green, 100);
    REQUIRE(api.requests.size() == 4);
    CHECK(header_of(api.requests[1], "If-Match") == kEtag);
    CHECK(api.requests[2].method == "GET");
    CHECK(header_of(api.requests[3], "If-Match") == kNewEtag);

    api.answers.push_back(answer(200, R"([{"dial":"10.0.0.2:80"}])", {{"etag", kEtag}}));
    api.answers.push_back(stale);
    api.answers.push_back(answer(200, R"([{"dial":"10.0.0.2:80"}])", {{"etag", kNewEtag}}));
    api.answers.push_back(stale);
    CHECK_THROWS_WITH_AS(provider.apply(Color::Blue, 100), doctest::Contains("someone else changed Caddy's config"),
                         gantry::EnvironmentError);
    CHECK(api.answers.empty());
}

TEST_CASE("recorded-API: unreachable admin API and error answers are EnvironmentErrors") {
    RecordedApi api;
    HttpResponse refused;
    refused.failure = gantry::http::TransportFailure::Refused;
    refused.transport_error = "Failed to connect to 127.0.0.1 port 2019: Connection refused";
    api.answers.push_back(refused);
    api.answers.push_back(answer(404, R"({"error":"unknown object ID 'bg_proxy'"})"));
    api.answers.push_back(answer(500, std::string(300, 'x')));
    CaddyProvider provider(caddy_settings(api));
    CHECK_THROWS_WITH_AS(provider.read(),
                         "Caddy's admin API at http://127.0.0.1:2019 cannot be reached: Failed to connect to 127.0.0.1 "
                         "port 2019: Connection refused",
                         gantry::EnvironmentError);
    CHECK_THROWS_WITH_AS(provider.read(),
                         R"(GET http://127.0.0.1:2019/id/bg_proxy/upstreams answered 404: {"error":"unknown object ID 'bg_proxy'"})",
                         gantry::EnvironmentError);
    try {
        provider.read();
        FAIL("expected an error");
    } catch (const gantry::EnvironmentError& error) {
        CHECK(std::string(error.what()).find(std::string(200, 'x')) != std::string::npos);
        CHECK(std::string(error.what()).find(std::string(201, 'x')) == std::string::npos);
    }
}

TEST_CASE("recorded-API: in-flight requests come from /reverse_proxy/upstreams") {
    RecordedApi api;
    const std::string upstreams =
        R"([{"address":"10.0.0.1:80","num_requests":4,"fails":0},{"address":"10.0.0.2:80","num_requests":0,"fails":1}])";
    api.answers.push_back(answer(200, upstreams));
    api.answers.push_back(answer(200, upstreams));
    api.answers.push_back(answer(200, R"([{"address":"10.0.0.2:80","num_requests":0,"fails":0}])"));
    CaddyProvider provider(caddy_settings(api));
    CHECK(provider.in_flight(Color::Blue) == 4);
    CHECK(api.requests[0].url == "http://127.0.0.1:2019/reverse_proxy/upstreams");
    CHECK(provider.in_flight(Color::Green) == 0);
    CHECK(provider.in_flight(Color::Blue) == 0);  // no longer listed: nothing in flight
}

TEST_CASE("recorded-API: plan names the call and its body, and sends nothing") {
    RecordedApi api;
    CaddyProvider provider(caddy_settings(api));
    const std::vector<std::string> steps = provider.plan(Color::Green, 100);
    REQUIRE(steps.size() == 1);
    CHECK(steps[0] == R"(PATCH http://127.0.0.1:2019/id/bg_proxy/upstreams (Content-Type: application/json, If-Match: the Etag read just before) [{"dial":"10.0.0.2:80"}])");
    CHECK(api.requests.empty());
}

TEST_CASE("caddy (real caddy): read, switch through the admin API with If-Match, in-flight counts") {
    if (!gantry::testing::installed("caddy")) {
        MESSAGE("skipped: caddy is not installed");
        return;
    }
    LabCaddy lab;
    const std::string routes = fmt::format(R"([{{"handle": [{}]}}])", lab.proxy_to(lab.blue(), "bg_proxy"));
    REQUIRE_MESSAGE(lab.start(routes), lab.log());
    ProviderSettings settings;
    settings.kind = "caddy";
    settings.blue = lab.blue();
    settings.green = lab.green();
    settings.caddy_admin = lab.admin();
    CaddyProvider provider(settings);

    CHECK(get(lab.front_url()).body == "blue\n");
    CHECK(provider.read().live == Color::Blue);
    provider.apply(Color::Green, 100);
    CHECK(front_answers(lab, "green\n"));
    CHECK(provider.read().live == Color::Green);
    CHECK(provider.in_flight(Color::Green) == 0);
    CHECK(provider.in_flight(Color::Blue) == 0);

    // Someone else changes the upstreams after our read: our stale If-Match gets a 412, the provider
    // reads again and retries once.
    HttpRequest other;
    other.method = "PATCH";
    other.url = lab.admin() + "/id/bg_proxy/upstreams";
    other.headers = {{"Content-Type", "application/json"}};
    other.body = fmt::format(R"([{{"dial":"{}"}}])", lab.blue());
    CHECK(gantry::http::perform(other).status == 200);
    provider.apply(Color::Green, 100);
    CHECK(front_answers(lab, "green\n"));
    CHECK(provider.read().live == Color::Green);
    provider.apply(Color::Blue, 100);
    CHECK(front_answers(lab, "blue\n"));
}

TEST_CASE("caddy (real caddy): the flag-file reference configuration routes by the file, no API call") {
    if (!gantry::testing::installed("caddy")) {
        MESSAGE("skipped: caddy is not installed");
        return;
    }
    LabCaddy lab;
    const fs::path flags = lab.dir.path() / "flags";
    fs::create_directories(flags);
    // Exactly the configuration documented in flag_file_provider.hpp.
    const std::string routes = fmt::format(
        R"([{{"match": [{{"file": {{"root": "{}", "try_files": ["/green-live"]}}}}], "handle": [{}], "terminal": true}},
            {{"handle": [{}]}}])",
        flags.string(), lab.proxy_to(lab.green()), lab.proxy_to(lab.blue()));
    REQUIRE_MESSAGE(lab.start(routes), lab.log());
    ProviderSettings settings;
    settings.kind = "caddy";
    settings.flag_file = (flags / "green-live").string();
    FlagFileProvider provider(settings);
    CHECK(provider.name() == "caddy");

    CHECK(get(lab.front_url()).body == "blue\n");
    provider.apply(Color::Green, 100);
    CHECK(provider.read().live == Color::Green);
    CHECK(get(lab.front_url()).body == "green\n");
    provider.apply(Color::Blue, 100);
    CHECK(get(lab.front_url()).body == "blue\n");
}

}  // TEST_SUITE
