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

// The handler's selection policy; Caddy uses random when the handler names none.
std::string policy_name(const std::string& url, const nlohmann::json& handler) {
    const nlohmann::json none;
    const nlohmann::json& balancing = handler.contains("load_balancing") ? handler.at("load_balancing") : none;
    if (balancing.is_null()) return "random";
    const nlohmann::json& selection =
        balancing.is_object() && balancing.contains("selection_policy") ? balancing.at("selection_policy") : none;
    if (balancing.is_object() && selection.is_null()) return "random";
    if (selection.is_object() && selection.contains("policy") && selection.at("policy").is_string()) {
        return selection.at("policy").get<std::string>();
    }
    throw gantry::InputError(gantry::SourcePosition{url, 0, 0, "/load_balancing/selection_policy/policy"},
                             "expected the name of a selection policy");
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

std::string CaddyProvider::handler_url() const { return fmt::format("{}/id/{}", admin_, settings_.caddy_id); }

std::string CaddyProvider::upstreams_url() const { return handler_url() + "/upstreams"; }

std::string CaddyProvider::body_for(UpstreamShare share) const {
    nlohmann::json upstreams = nlohmann::json::array();
    for (const std::string& dial : upstream_dials(share, settings_.blue, settings_.green)) upstreams.push_back({{"dial", dial}});
    return upstreams.dump();
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

WeightSupport CaddyProvider::weights() const {
    return policy_ && policy_->repetition == Repetition::Ignored ? WeightSupport::AllOrNothing : WeightSupport::Weighted;
}

std::string CaddyProvider::why_all_at_once() const {
    const std::string policy = policy_ ? policy_->name : "?";
    return fmt::format("Caddy 2.6 has no weighted policy, so a share is written by repeating upstreams, but the {} handler "
                       "picks them by the {} policy: {}; weighted steps need the random policy (Caddy's default) or "
                       "round_robin",
                       settings_.caddy_id, policy, policy_ ? policy_->how : "not read yet");
}

UpstreamShare CaddyProvider::share(Color target, int percent) const {
    const UpstreamShare share = share_for(target == Color::Green ? percent : 100 - percent);
    if (share.total > 1 && weights() == WeightSupport::AllOrNothing) {
        throw gantry::UsageError(fmt::format("cannot send {} percent to {}: {}", percent, to_string(target), why_all_at_once()));
    }
    return share;
}

// "Caddy: 1 of 20 upstreams is green (5%), picked by the random policy: each request picks one ..."
std::string CaddyProvider::describe(UpstreamShare share) const {
    const std::string how = policy_ ? fmt::format("picked by the {} policy: {}", policy_->name, policy_->how)
                                    : "picked by the handler's selection policy (not read yet: random and round_robin "
                                      "pick in proportion, the others are refused)";
    return fmt::format("Caddy: {} of {} upstreams {} green ({}%), {}", share.green, share.total,
                       share.green == 1 ? "is" : "are", share.green_percent(), how);
}

ProviderReading CaddyProvider::read() {
    const std::string url = handler_url();
    const HttpResponse response = send(request_to("GET", url));
    if (!succeeded(response)) {
        throw gantry::EnvironmentError(fmt::format("GET {} answered {}: {}", url, response.status, response.body.substr(0, 200)));
    }
    const nlohmann::json handler = parse_body(url, response);
    if (!handler.is_object() || handler.value("handler", nlohmann::json()) != "reverse_proxy") {
        throw gantry::InputError(gantry::SourcePosition{url, 0, 0, {}},
                                 fmt::format("expected the reverse_proxy handler tagged \"@id\": \"{}\", found {}",
                                             settings_.caddy_id, handler.dump().substr(0, 200)));
    }
    const auto upstreams = handler.find("upstreams");
    if (upstreams == handler.end() || !upstreams->is_array() || upstreams->empty()) {
        throw gantry::InputError(gantry::SourcePosition{url, 0, 0, "/upstreams"},
                                 "expected a non-empty list of upstreams ({\"dial\": ...})");
    }
    int green = 0;
    for (std::size_t i = 0; i < upstreams->size(); ++i) {
        const nlohmann::json& upstream = (*upstreams)[i];
        const std::string pointer = fmt::format("/upstreams/{}/dial", i);
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
    }
    etag_ = response.header("etag");
    policy_ = selection_policy(policy_name(url, handler));
    const int total = static_cast<int>(upstreams->size());
    ProviderReading reading;
    reading.green_percent = (green * 100 + total / 2) / total;
    if (green == 0) reading.live = Color::Blue;
    if (green == total) reading.live = Color::Green;
    if (reading.live) {
        reading.detail = fmt::format("Caddy {} upstreams: {}", settings_.caddy_id,
                                     *reading.live == Color::Blue ? settings_.blue : settings_.green);
        if (total > 1) reading.detail += fmt::format(" ({} times)", total);
    } else {
        reading.detail = fmt::format("Caddy {} upstreams: {} of {} green {} ({}%), the others blue {}, picked by the {} policy{}",
                                     settings_.caddy_id, green, total, settings_.green, reading.green_percent,
                                     settings_.blue, policy_->name,
                                     policy_->repetition == Repetition::IsAShare ? "" : ": " + policy_->how);
    }
    return reading;
}

std::vector<std::string> CaddyProvider::plan(Color target, int percent) {
    const UpstreamShare list = share(target, percent);
    std::vector<std::string> lines;
    if (list.total > 1) lines.push_back(describe(list));
    lines.push_back(fmt::format("PATCH {} (Content-Type: application/json, If-Match: the Etag read just before) {}",
                                upstreams_url(), body_for(list)));
    return lines;
}

void CaddyProvider::apply(Color target, int percent) {
    share_for(percent);  // a share out of range is refused before anything is sent
    const std::string url = upstreams_url();
    if (!etag_) read();
    for (int attempt = 1;; ++attempt) {
        // Computed after each read: the policy read decides whether a share can be written at all.
        const UpstreamShare list = share(target, percent);
        HttpRequest request = request_to("PATCH", url);
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body_for(list);
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
                "someone else changed Caddy's config: PATCH {} was refused twice because the {} handler changed "
                "between reading and writing it (412 Precondition Failed)", url, settings_.caddy_id));
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
