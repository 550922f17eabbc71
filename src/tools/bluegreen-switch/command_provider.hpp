// The user's own commands as a provider, for load balancers gantry has no provider for.
//
// Each command is an argv vector run directly (never through a shell): in every argument, {target}
// becomes the colour's name as --blue/--green give it (default "blue"/"green"), {color} becomes
// "blue" or "green" and {percent} the share of traffic for the target. The switch command is
// required; it can split traffic when one of its arguments contains {percent}, otherwise only whole
// switches are accepted. The read command prints the live colour ("blue"/"green" or the --blue/--green
// value; anything else is an InputError quoting it); without one the live colour is unknown. The
// in-flight command ({color}/{target} of the colour asked about) prints a whole number. A command that
// fails or times out is an EnvironmentError with its argv and the last 20 lines it printed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/provider.hpp"

namespace bluegreen_switch {

class CommandProvider : public Provider {
public:
    explicit CommandProvider(const ProviderSettings& settings);

    std::string_view name() const override { return "command"; }
    WeightSupport weights() const override;
    std::string why_all_at_once() const override { return "--switch-command has no {percent} argument"; }
    ProviderReading read() override;
    std::vector<std::string> plan(Color target, int percent) override;
    void apply(Color target, int percent) override;
    std::optional<long> in_flight(Color color) override;

    // argv with {target}, {color} and {percent} replaced (exposed for tests).
    std::vector<std::string> substitute(const std::vector<std::string>& argv, Color color, int percent) const;

private:
    std::string run(const std::vector<std::string>& argv) const;
    void check_percent(Color target, int percent) const;

    ProviderSettings settings_;
};

}  // namespace bluegreen_switch
