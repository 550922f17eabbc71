#include "bluegreen-switch/live_reading.hpp"

#include <fmt/format.h>

namespace bluegreen_switch {

namespace {

constexpr int kSamples = 4;


}  // namespace

std::string_view to_string(ReadSource source) { return source == ReadSource::Entrypoint ? "entrypoint" : "load balancer"; }

LiveReading read_live(Provider& provider, const std::optional<EntrypointProbe>& entrypoint) {
    LiveReading reading;
    reading.configured = provider.read();
    reading.live = reading.configured.live;
    reading.green_percent = reading.configured.green_percent;
    reading.detail = reading.configured.detail;
    if (!entrypoint) return reading;

    reading.served = read_served(*entrypoint, kSamples);
    const ServedReading& served = *reading.served;
    const std::string through = fmt::format("{}: {}", served.url, served.describe());
    if (!reading.configured.live) {
        reading.detail += fmt::format("; served through {}", through);
        return reading;
    }
    const Color configured = *reading.configured.live;
    if (const auto color = served.unanimous()) {
        reading.source = ReadSource::Entrypoint;
        reading.live = color;
        reading.green_percent = *color == Color::Green ? 100 : 0;
        reading.configuration_differs = *color != configured;
        reading.detail = reading.configuration_differs
                             ? fmt::format("{} serves {} ({}), but its configuration says {} ({}): changed and not "
                                           "loaded, or not what the load balancer reads",
                                           provider.name(), to_string(*color), through, to_string(configured),
                                           reading.configured.detail)
                             : fmt::format("{} serves {} ({}; {})", provider.name(), to_string(*color), through,
                                           reading.configured.detail);
        return reading;
    }
    if (served.blue > 0 && served.green > 0) {
        reading.source = ReadSource::Entrypoint;
        reading.live.reset();
        reading.green_percent = 100 * served.green / (served.blue + served.green);
        reading.configuration_differs = true;
        reading.detail = fmt::format("{} serves both colours ({}), but its configuration says {} ({})", provider.name(),
                                     through, color_name(configured, "a split"), reading.configured.detail);
        return reading;
    }
    reading.detail += fmt::format("; not confirmed through the entrypoint ({})", through);
    return reading;
}

}  // namespace bluegreen_switch
