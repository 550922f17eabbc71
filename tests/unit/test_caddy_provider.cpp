#include <deque>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bluegreen-switch/bluegreen_switch.hpp"
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
// "Concurrent config changes" with Etag/If-Match, GET /reverse_proxy/upstreams; the reverse_proxy
// handler's JSON: upstreams, load_balancing.selection_policy.policy) and from caddy 2.6.2 here, which
// sends the Etag of a GET as an HTTP trailer naming the path it covers (GET /id/bg_proxy answered
// "/config/apps/http/servers/bg/routes/0/handle/0 d6559ab5"), checks an If-Match against that path
// whatever path is written, and answers a stale one with
// 412 {"error":"If-Match header did not match current config hash"}.
const char* const kEtag = R"("/config/apps/http/servers/bg/routes/0/handle/0 d6559ab5")";
const char* const kNewEtag = R"("/config/apps/http/servers/bg/routes/0/handle/0 0c1d2e3f")";
const char* const kBlue = "10.0.0.1:80";
const char* const kGreen = "10.0.0.2:80";

// GET /id/bg_proxy as caddy 2.6.2 answers it: the handler with its dials, and load_balancing only when
// the configuration sets a policy.
std::string handler(const std::vector<std::string>& dials, const std::string& policy = "") {
    nlohmann::json body = {{"@id", "bg_proxy"}, {"handler", "reverse_proxy"}, {"upstreams", nlohmann::json::array()}};
    for (const auto& dial : dials) body["upstreams"].push_back({{"dial", dial}});
    if (!policy.empty()) body["load_balancing"] = {{"selection_policy", {{"policy", policy}}}};
    return body.dump();
}

// The dials of a PATCH body, counted: {green entries, all entries}.
std::pair<int, int> green_of(const std::string& body) {
    const nlohmann::json upstreams = nlohmann::json::parse(body);
    int green = 0;
    for (const auto& upstream : upstreams) green += upstream.at("dial") == kGreen ? 1 : 0;
    return {green, static_cast<int>(upstreams.size())};
}

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
    // The routes of the switching tests: everything to blue through the reverse proxy with @id
    // bg_proxy, whose upstreams the provider rewrites.
    std::string blue_behind_proxy() const {
        return fmt::format(R"([{{"handle": [{}]}}])", proxy_to(blue(), "bg_proxy"));
    }
    ProviderSettings settings() const {
        ProviderSettings result;
        result.kind = "caddy";
        result.blue = blue();
        result.green = green();
        result.caddy_admin = admin();
        return result;
    }
};

// The front answers `body` once the switch has taken effect. Caddy applies an admin API change by
// starting the new server on the shared listening socket before the old one stops accepting, so a
// connection opened right after the PATCH returns can still reach the old routes (seen once in a
// few thousand runs); what the provider promises is that the new routes win, not the instant.
bool front_answers(LabCaddy& lab, const std::string& body) {
    return gantry::testing::eventually([&] { return get(lab.front_url()).body == body; }, 20);
}

// Both colours answer through the front: once the step applies, each request goes to green with
// probability 1/2, so 200 requests (the bound) all reaching one colour has the chance 2^-199.
bool front_answers_both(LabCaddy& lab) {
    std::set<std::string> seen;
    return gantry::testing::eventually(
        [&] {
            for (int i = 0; i < 10; ++i) seen.insert(get(lab.front_url()).body);
            return seen.count("blue\n") == 1 && seen.count("green\n") == 1;
        },
        20);
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
    api.answers.push_back(answer(200, handler({kBlue}), {{"content-type", "application/json"}, {"etag", kEtag}}));
    api.answers.push_back(answer(200, handler({kGreen})));
    api.answers.push_back(answer(200, handler({kBlue, kGreen})));
    api.answers.push_back(answer(200, handler({kBlue, kBlue, kBlue, kGreen}, "round_robin")));
    CaddyProvider provider(caddy_settings(api));

    ProviderReading reading = provider.read();
    REQUIRE(api.requests.size() == 1);
    CHECK(api.requests[0].method == "GET");
    CHECK(api.requests[0].url == "http://127.0.0.1:2019/id/bg_proxy");
    CHECK(reading.live == Color::Blue);
    CHECK(reading.green_percent == 0);
    CHECK(reading.detail == "Caddy bg_proxy upstreams: 10.0.0.1:80");

    reading = provider.read();
    CHECK(reading.live == Color::Green);
    CHECK(reading.green_percent == 100);

    reading = provider.read();
    CHECK_FALSE(reading.live.has_value());
    CHECK(reading.green_percent == 50);
    CHECK(reading.detail ==
          "Caddy bg_proxy upstreams: 1 of 2 green 10.0.0.2:80 (50%), the others blue 10.0.0.1:80, picked by the random policy");

    reading = provider.read();
    CHECK(reading.green_percent == 25);
    CHECK(reading.detail.find("1 of 4 green") != std::string::npos);
    CHECK(reading.detail.find("round_robin policy") != std::string::npos);
    CHECK(provider.weights() == WeightSupport::Weighted);
}

TEST_CASE("recorded-API: unexpected handlers and upstream lists are InputErrors with a JSON pointer") {
    RecordedApi api;
    api.answers.push_back(answer(200, handler({kBlue, "10.9.9.9:80"})));
    api.answers.push_back(answer(200, R"({"handler":"reverse_proxy","upstreams":[{"dial":42}]})"));
    api.answers.push_back(answer(200, handler({})));
    api.answers.push_back(answer(200, R"({"handler":)"));
    api.answers.push_back(answer(200, R"({"handler":"static_response","body":"hi"})"));
    api.answers.push_back(answer(200, R"({"handler":"reverse_proxy","upstreams":[{"dial":"10.0.0.1:80"}],)"
                                      R"("load_balancing":{"selection_policy":{"policy":7}}})"));
    CaddyProvider provider(caddy_settings(api));
    CHECK_THROWS_WITH_AS(provider.read(),
                         "http://127.0.0.1:2019/id/bg_proxy (at /upstreams/1/dial): upstream 10.9.9.9:80 is neither "
                         "--blue (10.0.0.1:80) nor --green (10.0.0.2:80)",
                         gantry::InputError);
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains("/upstreams/0/dial"), gantry::InputError);
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains("(at /upstreams): expected a non-empty list"), gantry::InputError);
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains("expected JSON"), gantry::InputError);
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains("expected the reverse_proxy handler tagged \"@id\": \"bg_proxy\""),
                         gantry::InputError);
    CHECK_THROWS_WITH_AS(provider.read(),
                         "http://127.0.0.1:2019/id/bg_proxy (at /load_balancing/selection_policy/policy): expected the "
                         "name of a selection policy",
                         gantry::InputError);
}

TEST_CASE("recorded-API: apply PATCHes the upstreams with If-Match set to the Etag just read") {
    RecordedApi api;
    api.answers.push_back(answer(200, handler({kBlue}), {{"etag", kEtag}}));
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

    // A weighted step under the default (random) policy: green repeated in the reduced ratio. Caddy
    // 2.6 answered the PATCH without a new Etag, so the handler is read again first.
    api.answers.push_back(answer(200, handler({kGreen}), {{"etag", kNewEtag}}));
    api.answers.push_back(answer(200, ""));
    provider.apply(Color::Green, 25);
    REQUIRE(api.requests.size() == 4);
    CHECK(api.requests[2].method == "GET");
    CHECK(header_of(api.requests[3], "If-Match") == kNewEtag);
    CHECK(api.requests[3].body == R"([{"dial":"10.0.0.1:80"},{"dial":"10.0.0.1:80"},{"dial":"10.0.0.1:80"},{"dial":"10.0.0.2:80"}])");
    CHECK(provider.weights() == WeightSupport::Weighted);
    CHECK_THROWS_AS(provider.apply(Color::Green, 101), gantry::UsageError);
    CHECK(api.requests.size() == 4);
}

TEST_CASE("recorded-API: a 412 is read again and retried once, then someone else changed the config") {
    RecordedApi api;
    const auto stale = answer(412, R"({"error":"If-Match header did not match current config hash"})");
    api.answers.push_back(answer(200, handler({kBlue}), {{"etag", kEtag}}));
    api.answers.push_back(stale);
    api.answers.push_back(answer(200, handler({kBlue}), {{"etag", kNewEtag}}));
    api.answers.push_back(answer(200, ""));
    CaddyProvider provider(caddy_settings(api));
    provider.read();
    provider.apply(Color::Green, 100);
    REQUIRE(api.requests.size() == 4);
    CHECK(header_of(api.requests[1], "If-Match") == kEtag);
    CHECK(api.requests[2].method == "GET");
    CHECK(header_of(api.requests[3], "If-Match") == kNewEtag);

    api.answers.push_back(answer(200, handler({kGreen}), {{"etag", kEtag}}));
    api.answers.push_back(stale);
    api.answers.push_back(answer(200, handler({kGreen}), {{"etag", kNewEtag}}));
    api.answers.push_back(stale);
    CHECK_THROWS_WITH_AS(provider.apply(Color::Blue, 100), doctest::Contains("someone else changed Caddy's config"),
                         gantry::EnvironmentError);
    CHECK(api.answers.empty());
}

TEST_CASE("recorded-API: a policy under which repetition is no share refuses weighted steps, not whole switches") {
    for (const char* policy : {"first", "least_conn", "random_choose", "ip_hash", "uri_hash", "header", "cookie"}) {
        CAPTURE(policy);
        RecordedApi api;
        api.answers.push_back(answer(200, handler({kBlue}, policy), {{"etag", kEtag}}));
        CaddyProvider provider(caddy_settings(api));
        CHECK(provider.weights() == WeightSupport::Weighted);  // nothing read yet
        provider.read();
        CHECK(provider.weights() == WeightSupport::AllOrNothing);
        CHECK(provider.why_all_at_once().find(fmt::format("by the {} policy", policy)) != std::string::npos);
        CHECK_THROWS_WITH_AS(provider.plan(Color::Green, 50),
                             doctest::Contains("cannot send 50 percent to green: Caddy 2.6 has no weighted policy"),
                             gantry::UsageError);
        CHECK_THROWS_AS(provider.apply(Color::Green, 5), gantry::UsageError);
        CHECK(api.requests.size() == 1);  // refused before anything was sent
        api.answers.push_back(answer(200, ""));
        provider.apply(Color::Green, 100);
        CHECK(api.requests.back().body == R"([{"dial":"10.0.0.2:80"}])");
        api.answers.push_back(answer(200, handler({kGreen}, policy), {{"etag", kNewEtag}}));
        api.answers.push_back(answer(200, ""));
        provider.apply(Color::Green, 0);  // all to blue: a list of one, fine under any policy
        CHECK(api.requests.back().body == R"([{"dial":"10.0.0.1:80"}])");
    }
    // The policy changed between our read and our write: the 412 re-read finds it and refuses.
    RecordedApi api;
    api.answers.push_back(answer(200, handler({kBlue}), {{"etag", kEtag}}));
    api.answers.push_back(answer(412, R"({"error":"If-Match header did not match current config hash"})"));
    api.answers.push_back(answer(200, handler({kBlue}, "first"), {{"etag", kNewEtag}}));
    CaddyProvider provider(caddy_settings(api));
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 50), doctest::Contains("the first policy"), gantry::UsageError);
    CHECK(api.requests.size() == 3);
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
                         R"(GET http://127.0.0.1:2019/id/bg_proxy answered 404: {"error":"unknown object ID 'bg_proxy'"})",
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

TEST_CASE("recorded-API: plan writes a share as the two dials repeated in the reduced ratio and states it") {
    RecordedApi api;
    api.answers.push_back(answer(200, handler({kBlue}), {{"etag", kEtag}}));
    CaddyProvider provider(caddy_settings(api));
    provider.read();
    const std::string prefix = "PATCH http://127.0.0.1:2019/id/bg_proxy/upstreams (Content-Type: application/json, If-Match: "
                               "the Etag read just before) ";
    // {percent to green, green entries, all entries}: the percentages over 100, reduced by hand.
    struct Expected {
        int percent, green, total;
    };
    for (const Expected expected : {Expected{5, 1, 20}, Expected{25, 1, 4}, Expected{50, 1, 2}, Expected{33, 33, 100},
                                    Expected{10, 1, 10}, Expected{99, 99, 100}, Expected{60, 3, 5}}) {
        CAPTURE(expected.percent);
        const std::vector<std::string> lines = provider.plan(Color::Green, expected.percent);
        REQUIRE(lines.size() == 2);
        CHECK(lines[0] == fmt::format("Caddy: {} of {} upstreams {} green ({}%), picked by the random policy: each request "
                                      "picks one of the entries at random",
                                      expected.green, expected.total, expected.green == 1 ? "is" : "are", expected.percent));
        REQUIRE(lines[1].rfind(prefix, 0) == 0);
        CHECK(green_of(lines[1].substr(prefix.size())) == std::pair{expected.green, expected.total});
    }
    // A share of blue is the rest for green: 5% to blue is 19 green entries of 20.
    const std::vector<std::string> lines = provider.plan(Color::Blue, 5);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].rfind("Caddy: 19 of 20 upstreams are green (95%)", 0) == 0);
    CHECK(green_of(lines[1].substr(prefix.size())) == std::pair{19, 20});
    // 0% to green is all of it to blue: a list of one.
    CHECK(provider.plan(Color::Green, 0) == std::vector<std::string>{prefix + R"([{"dial":"10.0.0.1:80"}])"});
    CHECK(api.requests.size() == 1);
}

TEST_CASE("caddy upstream share: the green entries are spread evenly, so that round_robin alternates") {
    CHECK(upstream_dials(share_for(50), "b", "g") == std::vector<std::string>{"b", "g"});
    CHECK(upstream_dials(share_for(40), "b", "g") == std::vector<std::string>{"b", "b", "g", "b", "g"});
    CHECK(upstream_dials(share_for(75), "b", "g") == std::vector<std::string>{"b", "g", "g", "g"});
    const std::vector<std::string> dials = upstream_dials(share_for(33), "b", "g");
    int longest_blue_run = 0;
    for (int run = 0; const auto& dial : dials) {
        run = dial == "b" ? run + 1 : 0;
        longest_blue_run = std::max(longest_blue_run, run);
    }
    CHECK(longest_blue_run <= 3);  // 67 blue among 33 green: never more than ceil(67/33) in a row
    CHECK_THROWS_AS(share_for(-1), gantry::UsageError);
}

TEST_CASE("recorded-API: a switch in steps is refused after the read, before anything changes, under the first policy") {
    RecordedApi api;
    api.answers.push_back(answer(200, handler({kBlue}, "first"), {{"etag", kEtag}}));
    gantry::testing::ScratchDir dir("gantry-caddy-flow");
    Options options;
    options.mode = Mode::Switch;
    options.to = Color::Green;
    options.provider = caddy_settings(api);
    options.steps = {5, 50, 100};
    options.state_file = dir / "state.json";
    options.audit_log = dir / "audit.jsonl";
    options.lock_file = dir / "state.lock";
    const gantry::Outcome outcome = run(options, gantry::Environment(std::map<std::string, std::string>{}));
    CHECK(outcome.exit_code == gantry::ExitCode::BadInput);
    const std::string reason = outcome.json["reason"].get<std::string>();
    CHECK(reason.find("--steps 5,50,100: caddy moves all traffic at once") != std::string::npos);
    CHECK(reason.find("picks them by the first policy") != std::string::npos);
    CHECK(reason.find("only --steps 100") != std::string::npos);
    REQUIRE(api.requests.size() == 1);  // the read, nothing written
    CHECK(api.requests[0].method == "GET");
    CHECK_FALSE(fs::exists(dir / "state.json"));

    // Under the default policy the dry run states each step's share.
    api.answers.push_back(answer(200, handler({kBlue}), {{"etag", kEtag}}));
    options.execution = Execution::DryRun;
    const gantry::Outcome planned = run(options, gantry::Environment(std::map<std::string, std::string>{}));
    CHECK(planned.exit_code == gantry::ExitCode::Success);
    const std::string plan = planned.json["plan"].dump();
    CHECK(plan.find("Caddy: 1 of 20 upstreams is green (5%), picked by the random policy") != std::string::npos);
    CHECK(plan.find("Caddy: 1 of 2 upstreams is green (50%)") != std::string::npos);
    CHECK(api.requests.size() == 2);
}

TEST_CASE("caddy (real caddy): read, switch through the admin API with If-Match, in-flight counts") {
    if (!gantry::testing::installed("caddy")) {
        MESSAGE("skipped: caddy is not installed");
        return;
    }
    LabCaddy lab;
    REQUIRE_MESSAGE(lab.start(lab.blue_behind_proxy()), lab.log());
    CaddyProvider provider(lab.settings());

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

TEST_CASE("caddy (real caddy): a 50% step answers both colours through the front, then 100%; first is refused") {
    if (!gantry::testing::installed("caddy")) {
        MESSAGE("skipped: caddy is not installed");
        return;
    }
    LabCaddy lab;
    REQUIRE_MESSAGE(lab.start(lab.blue_behind_proxy()), lab.log());
    CaddyProvider provider(lab.settings());

    CHECK(provider.read().live == Color::Blue);
    CHECK(provider.weights() == WeightSupport::Weighted);  // no load_balancing: Caddy's random
    provider.apply(Color::Green, 50);
    CHECK(front_answers_both(lab));
    ProviderReading reading = provider.read();
    CHECK_FALSE(reading.live.has_value());
    CHECK(reading.green_percent == 50);
    provider.apply(Color::Green, 100);
    CHECK(front_answers(lab, "green\n"));
    CHECK(provider.read().live == Color::Green);

    // The handler set to the first policy: a share would all go to the first entry, so it is refused
    // and nothing changes; a whole switch still works.
    HttpRequest policy;
    policy.method = "POST";
    policy.url = lab.admin() + "/id/bg_proxy/load_balancing";
    policy.headers = {{"Content-Type", "application/json"}};
    policy.body = R"({"selection_policy": {"policy": "first"}})";
    REQUIRE(gantry::http::perform(policy).status == 200);
    CHECK(provider.read().live == Color::Green);
    CHECK(provider.weights() == WeightSupport::AllOrNothing);
    CHECK_THROWS_WITH_AS(provider.apply(Color::Blue, 50), doctest::Contains("the first policy"), gantry::UsageError);
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
