// Weighted traffic on Caddy without a weighted policy: a colour's share is how often its dial is
// repeated in the reverse_proxy handler's upstream list.
//
// Caddy 2.6 (Debian 12 ships 2.6.2) has the selection policies random (the default when the handler
// names none), random_choose, least_conn, round_robin, first, ip_hash, uri_hash, header and cookie;
// weighted_round_robin only came later. Each list entry is its own candidate while the in-flight
// counts and health are kept per address, so repetition is a share only where a policy picks among
// entries without looking at the address: `random` (a uniform pick over the available entries: the
// share holds on average) and `round_robin` (the entries in turn: the share holds exactly over each
// pass of the list). The others ignore it: `first` always takes the first available entry,
// least_conn and random_choose prefer the address with fewer requests in flight, the hash policies
// hash the dial with the request's key (a repeated dial hashes the same), and weighted_round_robin
// pairs its own weights with the entries by position. share_for() gives the shortest exact list
// (the percentages reduced: at most 100 entries); upstream_dials() spreads the green entries evenly
// so that round_robin does not send a burst to one colour. Pure functions, no I/O.
#pragma once

#include <string>
#include <vector>

namespace bluegreen_switch {

// `green` of `total` list entries are green; 0 and total are whole switches.
struct UpstreamShare {
    int green = 0;
    int total = 1;

    int green_percent() const { return green * 100 / total; }  // exact: total divides 100
};

// The shortest list with exactly `green_percent` (0..100) green entries: 5 -> 1 of 20, 25 -> 1 of 4,
// 50 -> 1 of 2, 33 -> 33 of 100, 0 and 100 -> a list of one. UsageError outside 0..100.
UpstreamShare share_for(int green_percent);

// The list's dials, green entries spread evenly among the blue ones.
std::vector<std::string> upstream_dials(UpstreamShare share, const std::string& blue, const std::string& green);

enum class Repetition { IsAShare, Ignored };

struct SelectionPolicy {
    std::string name;        // as the handler's load_balancing.selection_policy.policy names it
    Repetition repetition;
    std::string how;         // how it picks an entry, as a clause: "picked at random per request"
};

// What Caddy does with repeated upstreams under policy `name` (an unknown name is Ignored).
SelectionPolicy selection_policy(const std::string& name);

}  // namespace bluegreen_switch
