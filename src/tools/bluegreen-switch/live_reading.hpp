// Which colour is live: what the load balancer's configuration or API says, and - when a URL through
// it is known - what it really serves, and which of the two the answer came from.
//
// read_live() reads the provider and, with an entrypoint, sends a few requests on new connections.
// The served colour wins when every answer named the same colour: an nginx upstream file edited but
// not reloaded, or a flag file nobody's configuration tests, says one colour while the other answers.
// A split configuration (weights) stays a split whatever a few samples say. When the entrypoint gives
// no usable answer (down, or no colour in its answers) the configuration is the answer, and the
// detail says so. configuration_differs is set when the configuration names one colour and the
// entrypoint serves another (or both): the state the load balancer would fall into at its next reload
// is not the one it serves.
#pragma once

#include <optional>
#include <string>

#include "bluegreen-switch/entrypoint_probe.hpp"
#include "bluegreen-switch/provider.hpp"

namespace bluegreen_switch {

enum class ReadSource { LoadBalancer, Entrypoint };

struct LiveReading {
    std::optional<Color> live;  // all traffic goes to it; nullopt: split or unknown
    int green_percent = 0;
    ReadSource source = ReadSource::LoadBalancer;
    bool configuration_differs = false;
    ProviderReading configured;
    std::optional<ServedReading> served;
    std::string detail;  // one line
};

std::string_view to_string(ReadSource source);

LiveReading read_live(Provider& provider, const std::optional<EntrypointProbe>& entrypoint);

}  // namespace bluegreen_switch
