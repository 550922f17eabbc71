// What every traffic provider (nginx, HAProxy, Caddy, Kubernetes, user commands) offers the switch.
//
// A Provider reads which colour the load balancer sends traffic to, describes a change without
// making it (dry run), makes it, and tells how many requests are still in flight on a colour (for
// draining). apply(target, percent) sends `percent` of the traffic to `target` and the rest to the
// other colour; 100 moves everything. Providers without weights accept only 100 and say why in
// why_all_at_once(); weights() may narrow to AllOrNothing once read() has seen the load balancer's
// configuration (Caddy's selection policy), so the flow checks --steps again after reading. apply()
// returns once the load balancer has taken the change (reload finished, API answered) and is
// idempotent: applying the live state again is harmless, which is what makes a rerun after an
// interrupted switch safe.
// Errors: InputError when the provider rejects the configuration or its files are unreadable (nginx -t
// failed: nothing was reloaded; exit 2), EnvironmentError when it cannot be reached (exit 3). Nothing
// is printed; secrets (tokens) never appear in plan lines or messages. A provider whose change has a
// point where it is written but not yet in use (nginx: the file renamed, not reloaded) reports
// Boundary::AfterProviderWrite there through the hook the flow sets (switch_boundary.hpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bluegreen-switch/color.hpp"
#include "bluegreen-switch/provider_settings.hpp"
#include "bluegreen-switch/switch_boundary.hpp"

namespace bluegreen_switch {

enum class WeightSupport { AllOrNothing, Weighted };

struct ProviderReading {
    // The colour receiving all traffic; nullopt when traffic is split or the provider cannot tell.
    std::optional<Color> live;
    int green_percent = 0;  // share of green traffic, 0..100, when known
    std::string detail;     // what was read, one line: "upstream file: server 127.0.0.1:9001;"
};

class Provider {
public:
    virtual ~Provider() = default;
    virtual std::string_view name() const = 0;  // "nginx", "haproxy", ...
    virtual WeightSupport weights() const = 0;
    // Why weights() is AllOrNothing, as a clause for the refusal of weighted --steps.
    virtual std::string why_all_at_once() const { return "it has no weights here"; }
    virtual ProviderReading read() = 0;
    // Exactly what apply(target, percent) would do, one step per line: a unified diff of a file,
    // an API call with its body, a command's argv. Changes nothing.
    virtual std::vector<std::string> plan(Color target, int percent) = 0;
    virtual void apply(Color target, int percent) = 0;
    // Requests or sessions still in flight on `color`; nullopt when the provider cannot tell.
    virtual std::optional<long> in_flight(Color color) = 0;

    void set_boundary_hook(std::function<void(Boundary)> hook) { boundary_hook_ = std::move(hook); }

protected:
    void reached(Boundary boundary) const {
        if (boundary_hook_) boundary_hook_(boundary);
    }

private:
    std::function<void(Boundary)> boundary_hook_;
};

// The provider named by settings.kind, checked for the settings it needs (UsageError otherwise).
std::unique_ptr<Provider> make_provider(const ProviderSettings& settings);

}  // namespace bluegreen_switch
