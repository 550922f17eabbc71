// Switching traffic on HAProxy through its runtime API, persisted so that a reload keeps the switch.
//
// Map mode (--haproxy-map): the frontend picks its backend from a map entry (`use_backend
// %[str(active),map(/etc/haproxy/bg.map)]`); the switch is "set map FILE KEY BACKEND" ("add map" when
// the key is missing) and the map file is rewritten atomically with only that key's value changed.
// --blue/--green are backend names (default be_blue/be_green); all or nothing.
// Server mode (--haproxy-backend): one backend holds a server per colour (--blue/--green are server
// names, default blue/green). A server serves when its admin state is ready (not maintenance, not
// drain) and its weight is above 0. 100% puts the target ready at weight 100 and the old colour in
// drain (existing sessions finish, no new ones; maint would cut them); a split sets both ready with
// weights N and 100-N. With --haproxy-state-file, "show servers state" is saved there atomically (the
// server-state-file format `load-server-state-from-file` reads). in_flight() is the current sessions
// (scur of "show stat") of the colour's server, or of its backend in map mode.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/haproxy_runtime_api.hpp"
#include "bluegreen-switch/provider.hpp"

namespace bluegreen_switch {

class HaproxyProvider : public Provider {
public:
    explicit HaproxyProvider(const ProviderSettings& settings);
    // Tests answer the runtime API commands themselves.
    HaproxyProvider(const ProviderSettings& settings, RuntimeCommandSender send);

    std::string_view name() const override { return "haproxy"; }
    WeightSupport weights() const override;
    ProviderReading read() override;
    std::vector<std::string> plan(Color target, int percent) override;
    void apply(Color target, int percent) override;
    std::optional<long> in_flight(Color color) override;

private:
    enum class Mode { Map, Server };
    struct Step {
        std::string line;     // what plan() shows
        std::string command;  // runtime API command; empty for a file rewrite
    };

    std::string run(const std::string& command) const;
    const std::string& named(Color color) const { return color == Color::Blue ? blue_ : green_; }
    std::vector<Step> steps(Color target, int percent) const;
    std::optional<std::string> runtime_map_value() const;
    std::string rewritten_map_file(const std::string& value, std::string& old_value) const;

    Mode mode_;
    std::string address_;
    RuntimeCommandSender send_;
    std::string map_file_;
    std::string map_key_;
    std::string backend_;
    std::string state_file_;
    std::string blue_;
    std::string green_;
};

}  // namespace bluegreen_switch
