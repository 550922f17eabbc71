// nginx in upstream-file mode: the configuration includes one file holding only the live
// "server ADDR;" lines, and a switch rewrites that file, tests the configuration and reloads.
//
//     upstream app { include /etc/nginx/app-upstream.conf; keepalive 16; }
//
// The file is generated whole (a comment header saying bluegreen-switch manages it, then one line per
// server: `server BLUE;`, or `server BLUE weight=9;` + `server GREEN weight=1;` for a split). read()
// accepts any file of `server ADDR [weight=N] [other parameters];` statements whose addresses are
// --blue or --green; anything else is an InputError with file:line. apply() writes the new file
// atomically (temporary file + rename, the old content kept in memory), runs the test command and,
// only if it passes, the reload command; a rejected configuration puts the old file back and is an
// InputError quoting nginx ("nothing was reloaded"), a failed reload puts it back too and is an
// EnvironmentError. The test and reload run even when the file is unchanged: a rerun after a switch
// interrupted between the rename and the reload must still reach nginx. A reload closes keep-alive
// connections (a few client errors under load): --flag-file (FlagFileProvider) avoids reloads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/provider.hpp"

namespace bluegreen_switch {

class NginxProvider : public Provider {
public:
    explicit NginxProvider(const ProviderSettings& settings);

    std::string_view name() const override { return "nginx"; }
    WeightSupport weights() const override { return WeightSupport::Weighted; }
    ProviderReading read() override;
    std::vector<std::string> plan(Color target, int percent) override;
    void apply(Color target, int percent) override;
    std::optional<long> in_flight(Color) override { return std::nullopt; }

    // The whole upstream file that sends `percent` of the traffic to `target` (exposed for tests).
    std::string render(Color target, int percent) const;

private:
    std::optional<std::string> current_content() const;

    ProviderSettings settings_;
};

}  // namespace bluegreen_switch
