// Zero-error switching for nginx and Caddy: both colours stay configured, and the load balancer sends
// each request to green when a flag file exists and to blue when it does not. A switch creates the
// file (temporary file + rename, content "green\n") or removes it (already missing is fine); nothing
// is reloaded and no connection is closed. Only whole switches (100 percent) exist in this mode.
// name() is "nginx" or "caddy" after --provider; in-flight counts are not known (nullopt). The load
// balancer's workers (nginx runs them as nobody) must be allowed to look into the flag's folder, which
// must exist: a missing folder is a UsageError (it is a path the load balancer does not test).
//
// nginx (checks the file on every request; keep-alive to both upstreams):
//     upstream bg_blue  { server BLUE;  keepalive 16; }
//     upstream bg_green { server GREEN; keepalive 16; }
//     server { listen ...;
//       location / { set $bg bg_blue; if (-f FLAG) { set $bg bg_green; }
//                    proxy_pass http://$bg; proxy_http_version 1.1; proxy_set_header Connection ""; } }
//
// Caddy (JSON config; the first route matches while DIR/NAME exists, FLAG = DIR/NAME):
//     "routes": [
//       {"match": [{"file": {"root": "DIR", "try_files": ["/NAME"]}}],
//        "handle": [{"handler": "reverse_proxy", "upstreams": [{"dial": "GREEN"}]}], "terminal": true},
//       {"handle": [{"handler": "reverse_proxy", "upstreams": [{"dial": "BLUE"}]}]}]
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/provider.hpp"

namespace bluegreen_switch {

class FlagFileProvider : public Provider {
public:
    explicit FlagFileProvider(const ProviderSettings& settings);

    std::string_view name() const override { return kind_; }
    WeightSupport weights() const override { return WeightSupport::AllOrNothing; }
    std::string why_all_at_once() const override { return "--flag-file routes everything by whether the file exists"; }
    ProviderReading read() override;
    std::vector<std::string> plan(Color target, int percent) override;
    void apply(Color target, int percent) override;
    std::optional<long> in_flight(Color) override { return std::nullopt; }

private:
    std::string kind_;
    std::string flag_file_;
};

}  // namespace bluegreen_switch
