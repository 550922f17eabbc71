#include "bluegreen-switch/caddy_upstream_share.hpp"

#include <numeric>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace bluegreen_switch {

UpstreamShare share_for(int green_percent) {
    if (green_percent < 0 || green_percent > 100) {
        throw gantry::UsageError(fmt::format("a traffic share must be between 0 and 100 percent, not {}", green_percent));
    }
    if (green_percent == 0) return {0, 1};
    if (green_percent == 100) return {1, 1};
    const int divisor = std::gcd(green_percent, 100);
    return {green_percent / divisor, 100 / divisor};
}

std::vector<std::string> upstream_dials(UpstreamShare share, const std::string& blue, const std::string& green) {
    std::vector<std::string> dials;
    dials.reserve(static_cast<std::size_t>(share.total));
    // Entry i is green when the running count of green entries, i * green / total, steps up at i: the
    // green entries land evenly, the last entry green when there are any.
    for (int i = 0; i < share.total; ++i) {
        const bool is_green = (i + 1) * share.green / share.total != i * share.green / share.total;
        dials.push_back(is_green ? green : blue);
    }
    return dials;
}

SelectionPolicy selection_policy(const std::string& name) {
    if (name == "random") return {name, Repetition::IsAShare, "each request picks one of the entries at random"};
    if (name == "round_robin") return {name, Repetition::IsAShare, "the entries take the requests in turn"};
    if (name == "first") return {name, Repetition::Ignored, "every request goes to the first available entry"};
    if (name == "least_conn" || name == "random_choose") {
        return {name, Repetition::Ignored,
                "it prefers the address with fewer requests in flight, however often that address is listed"};
    }
    if (name == "ip_hash" || name == "client_ip_hash" || name == "uri_hash" || name == "header" || name == "cookie" ||
        name == "query") {
        return {name, Repetition::Ignored,
                "it hashes each dial with the request's key, and a repeated dial hashes the same, so repeating it "
                "adds no weight"};
    }
    if (name == "weighted_round_robin") {
        return {name, Repetition::Ignored,
                "it pairs its own weights with the upstreams by position, and a longer list would no longer match them"};
    }
    return {name, Repetition::Ignored, "this tool does not know how it treats repeated upstreams"};
}

}  // namespace bluegreen_switch
