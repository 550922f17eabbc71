// Caddy through its admin API: the reverse_proxy handler tagged with "@id" (--caddy-id, default
// bg_proxy) proxies to one upstream, and a switch replaces its upstream list.
//
//   read:      GET   {admin}/id/{id}/upstreams        -> [{"dial": "127.0.0.1:9001"}]  (+ Etag)
//   apply:     PATCH {admin}/id/{id}/upstreams        <- [{"dial": TARGET}]   If-Match: that Etag
//   in-flight: GET   {admin}/reverse_proxy/upstreams  -> [{"address": ..., "num_requests": N, ...}]
//
// Dials are mapped to colours by --blue/--green (host:port, required); a dial that is neither is an
// InputError. The Etag (Caddy 2.6 sends it as an HTTP trailer on GET) covers only the upstreams, so
// a 412 means someone else changed them between our read and our write: the provider reads again and
// retries once, then gives up with an EnvironmentError. Caddy 2.6 has no weighted policy, so only
// whole switches exist. An unreachable admin API or a non-2xx answer is an EnvironmentError (status
// and the start of the body). Requests go through settings.send when set (tests), else
// gantry::http::perform. Caddy reloads its config on every API change, which closes keep-alive
// connections; --flag-file (FlagFileProvider) avoids that.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/provider.hpp"

namespace bluegreen_switch {

class CaddyProvider : public Provider {
public:
    explicit CaddyProvider(const ProviderSettings& settings);

    std::string_view name() const override { return "caddy"; }
    WeightSupport weights() const override { return WeightSupport::AllOrNothing; }
    ProviderReading read() override;
    std::vector<std::string> plan(Color target, int percent) override;
    void apply(Color target, int percent) override;
    std::optional<long> in_flight(Color color) override;

private:
    gantry::http::HttpResponse send(gantry::http::HttpRequest request) const;
    std::string upstreams_url() const;
    std::string body_for(Color target) const;
    void check_percent(Color target, int percent) const;

    ProviderSettings settings_;
    std::string admin_;  // without a trailing '/'
    std::optional<std::string> etag_;
};

}  // namespace bluegreen_switch
