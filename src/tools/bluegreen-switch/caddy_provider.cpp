#include "bluegreen-switch/caddy_provider.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/http/http_client.hpp"

namespace bluegreen_switch {

namespace {

using gantry::http::HttpRequest;
using gantry::http::HttpResponse;

HttpRequest request_to(const char* method, const std::string& url) {
    HttpRequest request;
    request.method = method;
    request.url = url;
    return request;
}

bool succeeded(const HttpResponse& response) { return response.status >= 200 && response.status < 300; }

nlohmann::json parse_body(const std::string& url, const HttpResponse& response) {
    try {
        return nlohmann::json::parse(response.body);
    } catch (const nlohmann::json::parse_error& error) {
        throw gantry::InputError(gantry::SourcePosition{url, 0, 0, {}},
                                 fmt::format("expected JSON from Caddy's admin API: {}", error.what()));
    }
}

}  // namespace

CaddyProvider::CaddyProvider(const ProviderSettings& settings) : settings_(settings), admin_(settings.caddy_admin) {
    if (settings_.blue.empty()) throw gantry::UsageError("--blue (the blue upstream, host:port) is required with --provider caddy");
    if (settings_.green.empty()) throw gantry::UsageError("--green (the green upstream, host:port) is required with --provider caddy");
    if (settings_.blue == settings_.green) {
        throw gantry::UsageError("--blue and --green must be different upstreams, both are " + settings_.blue);
    }
    if (admin_.empty()) throw gantry::UsageError("--caddy-admin is required with --provider caddy");
    if (settings_.caddy_id.empty()) throw gantry::UsageError("--caddy-id is required with --provider caddy");
    while (!admin_.empty() && admin_.back() == '/') admin_.pop_back();
}

std::string CaddyProvider::upstreams_url() const { return fmt::format("{}/id/{}/upstreams", admin_, settings_.caddy_id); }

std::string CaddyProvider::body_for(Color target) const {
    return nlohmann::json::array({{{"dial", target == Color::Blue ? settings_.blue : settings_.green}}}).dump();
}

HttpResponse CaddyProvider::send(HttpRequest request) const {
    request.timeout = settings_.timeout;
    const HttpResponse response = settings_.send ? settings_.send(request) : gantry::http::perform(request);
    if (response.failure != gantry::http::TransportFailure::None) {
        throw gantry::EnvironmentError(fmt::format("Caddy's admin API at {} cannot be reached: {}", admin_,
                                                   response.transport_error));
    }
    return response;
}

void CaddyProvider::check_percent(Color target, int percent) const {
    if (percent != 100) {
        throw gantry::UsageError(fmt::format(
            "Caddy 2.6 has no weighted load balancing policy; it cannot send {} percent to {}, only all of it",
            percent, to_string(target)));
    }
}

ProviderReading CaddyProvider::read() {
    const std::string url = upstreams_url();
    const HttpResponse response = send(request_to("GET", url));
    if (!succeeded(response)) {
        throw gantry::EnvironmentError(fmt::format("GET {} answered {}: {}", url, response.status, response.body.substr(0, 200)));
    }
    etag_ = response.header("etag");
    const nlohmann::json upstreams = parse_body(url, response);
    if (!upstreams.is_array() || upstreams.empty()) {
        throw gantry::InputError(gantry::SourcePosition{url, 0, 0, {}},
                                 fmt::format("expected a non-empty list of upstreams ({{\"dial\": ...}}), found {}",
                                             upstreams.dump().substr(0, 200)));
    }
    int green = 0;
    std::string dials;
    for (std::size_t i = 0; i < upstreams.size(); ++i) {
        const nlohmann::json& upstream = upstreams[i];
        const std::string pointer = fmt::format("/{}/dial", i);
        if (!upstream.is_object() || !upstream.contains("dial") || !upstream["dial"].is_string()) {
            throw gantry::InputError(gantry::SourcePosition{url, 0, 0, pointer}, "expected a string \"dial\" (host:port)");
        }
        const std::string dial = upstream["dial"].get<std::string>();
        if (dial != settings_.blue && dial != settings_.green) {
            throw gantry::InputError(gantry::SourcePosition{url, 0, 0, pointer},
                                     fmt::format("upstream {} is neither --blue ({}) nor --green ({})", dial,
                                                 settings_.blue, settings_.green));
        }
        green += dial == settings_.green ? 1 : 0;
        dials += (dials.empty() ? "" : ", ") + dial;
    }
    const int total = static_cast<int>(upstreams.size());
    ProviderReading reading;
    reading.green_percent = (green * 100 + total / 2) / total;
    if (green == 0) reading.live = Color::Blue;
    if (green == total) reading.live = Color::Green;
    reading.detail = fmt::format("Caddy {} upstreams: {}", settings_.caddy_id, dials);
    return reading;
}

std::vector<std::string> CaddyProvider::plan(Color target, int percent) {
    check_percent(target, percent);
    return {fmt::format("PATCH {} (Content-Type: application/json, If-Match: the Etag read just before) {}",
                        upstreams_url(), body_for(target))};
}

void CaddyProvider::apply(Color target, int percent) {
    check_percent(target, percent);
    const std::string url = upstreams_url();
    if (!etag_) read();
    for (int attempt = 1;; ++attempt) {
        HttpRequest request = request_to("PATCH", url);
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body_for(target);
        if (etag_) request.headers.emplace_back("If-Match", *etag_);
        const HttpResponse response = send(request);
        if (succeeded(response)) {
            // The old tag no longer matches; a newer Caddy returns the new one.
            etag_ = response.header("etag");
            return;
        }
        if (response.status == 412 && attempt == 1) {
            read();
            continue;
        }
        if (response.status == 412) {
            throw gantry::EnvironmentError(fmt::format(
                "someone else changed Caddy's config: PATCH {} was refused twice because the upstreams changed "
                "between reading and writing them (412 Precondition Failed)", url));
        }
        throw gantry::EnvironmentError(fmt::format("PATCH {} answered {}: {}", url, response.status, response.body.substr(0, 200)));
    }
}

std::optional<long> CaddyProvider::in_flight(Color color) {
    const std::string url = admin_ + "/reverse_proxy/upstreams";
    const HttpResponse response = send(request_to("GET", url));
    if (!succeeded(response)) {
        throw gantry::EnvironmentError(fmt::format("GET {} answered {}: {}", url, response.status, response.body.substr(0, 200)));
    }
    const nlohmann::json upstreams = parse_body(url, response);
    if (!upstreams.is_array()) {
        throw gantry::InputError(gantry::SourcePosition{url, 0, 0, {}}, "expected a list of upstreams");
    }
    const std::string& dial = color == Color::Blue ? settings_.blue : settings_.green;
    for (std::size_t i = 0; i < upstreams.size(); ++i) {
        const nlohmann::json& upstream = upstreams[i];
        if (!upstream.is_object() || upstream.value("address", nlohmann::json()) != dial) continue;
        const auto count = upstream.find("num_requests");
        if (count == upstream.end() || !count->is_number_integer()) {
            throw gantry::InputError(gantry::SourcePosition{url, 0, 0, fmt::format("/{}/num_requests", i)},
                                     "expected a whole number of requests");
        }
        return count->get<long>();
    }
    // Caddy drops an upstream from this list once no configuration uses it: nothing is in flight.
    return 0;
}

}  // namespace bluegreen_switch
