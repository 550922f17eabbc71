// Caddy through its admin API: the reverse_proxy handler tagged with "@id" (--caddy-id, default
// bg_proxy) proxies to the colours' upstreams, and a switch replaces its upstream list.
//
//   read:      GET   {admin}/id/{id}                  -> {"handler": "reverse_proxy", "upstreams": [...],
//                                                         "load_balancing": {"selection_policy": {...}}}  (+ Etag)
//   apply:     PATCH {admin}/id/{id}/upstreams        <- [{"dial": ...}, ...]   If-Match: that Etag
//   in-flight: GET   {admin}/reverse_proxy/upstreams  -> [{"address": ..., "num_requests": N, ...}]
//
// Dials are mapped to colours by --blue/--green (host:port, required); a dial that is neither is an
// InputError. Caddy 2.6 has no weighted policy, so a share is written by repetition
// (caddy_upstream_share.hpp): 5% green is 1 green entry among 19 blue, 33% is 33 of 100; 0 and 100
// percent are a list of one. Repetition is a share only under the `random` (Caddy's default) and
// `round_robin` selection policies, so read() notes the handler's policy and, under any other, weights()
// becomes AllOrNothing and a share other than 0 or 100 is refused (UsageError, exit 2) naming the policy
// and why. The provider refuses rather than setting the policy: the policy belongs to the user's
// configuration (an ip_hash or cookie policy keeps sessions on one upstream, first is a fail-over),
// replacing it would change how their traffic is balanced after the switch, and a rollback of the
// upstreams would not restore it. plan() states the share as Caddy will apply it. The Etag (Caddy 2.6
// sends it as an HTTP trailer on GET) covers the whole handler, and Caddy checks If-Match against the
// path the Etag names, so a 412 means someone else changed the upstreams or the policy between our
// read and our write: the provider reads again (the policy included) and retries once, then gives up
// with an EnvironmentError. An unreachable admin API or a non-2xx answer is an EnvironmentError
// (status and the start of the body). Requests go through settings.send when set (tests), else
// gantry::http::perform. Caddy reloads its config on every API change, which closes keep-alive
// connections; --flag-file (FlagFileProvider) avoids that.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/caddy_upstream_share.hpp"
#include "bluegreen-switch/provider.hpp"

namespace bluegreen_switch {

class CaddyProvider : public Provider {
public:
    explicit CaddyProvider(const ProviderSettings& settings);

    std::string_view name() const override { return "caddy"; }
    // Weighted until read() finds a selection policy under which repetition is no share.
    WeightSupport weights() const override;
    std::string why_all_at_once() const override;
    ProviderReading read() override;
    std::vector<std::string> plan(Color target, int percent) override;
    void apply(Color target, int percent) override;
    std::optional<long> in_flight(Color color) override;

private:
    gantry::http::HttpResponse send(gantry::http::HttpRequest request) const;
    std::string handler_url() const;
    std::string upstreams_url() const;
    std::string body_for(UpstreamShare share) const;
    // The list for `percent` to `target`; UsageError when the policy read last ignores repetition.
    UpstreamShare share(Color target, int percent) const;
    std::string describe(UpstreamShare share) const;

    ProviderSettings settings_;
    std::string admin_;  // without a trailing '/'
    std::optional<std::string> etag_;
    std::optional<SelectionPolicy> policy_;  // the handler's, as last read
};

}  // namespace bluegreen_switch
