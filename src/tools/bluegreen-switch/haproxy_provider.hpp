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
//
// HAProxy's own view of health comes first: before any traffic moves to the target, its server
// (server mode: srv_op_state of "show servers state" running or starting) or its backend (map mode:
// the BACKEND row of "show stat" UP) must be up in HAProxy's checks. A server in maintenance runs no
// checks, so it is first put in drain (checks run, no new traffic). The wait is bounded by the
// timeout; a target that stays down is gantry::Error with ExitCode::Failed naming HAProxy's last check
// result, after the server's admin state is put back: nothing moved. In map mode the map file is
// rewritten first (Boundary::AfterProviderWrite) and put back when `set map` is refused; in server
// mode that boundary is passed after the first command that gives the target traffic.
#pragma once

#include <chrono>
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
    std::string why_all_at_once() const override {
        return "map mode points the map entry at one backend; server mode (--haproxy-backend) has weights";
    }
    ProviderReading read() override;
    std::vector<std::string> plan(Color target, int percent) override;
    void apply(Color target, int percent) override;
    std::optional<long> in_flight(Color color) override;

private:
    enum class Mode { Map, Server };
    enum class StepKind { Command, WaitUntilUp, RewriteMap, SaveServerState };
    struct Step {
        StepKind kind = StepKind::Command;
        std::string line;     // what plan() shows
        std::string command;  // the runtime API command of a Command step
    };

    std::string run(const std::string& command) const;
    void run_change(const std::string& command) const;
    const std::string& named(Color color) const { return color == Color::Blue ? blue_ : green_; }
    std::vector<Step> steps(Color target, int percent) const;
    std::optional<std::string> runtime_map_value() const;
    std::string rewritten_map_file(const std::string& value, std::string& old_value) const;
    void wait_until_up(Color target) const;
    void wait_until_server_up(const std::string& server) const;
    void wait_until_backend_up(const std::string& backend) const;

    Mode mode_;
    std::string address_;
    RuntimeCommandSender send_;
    std::string map_file_;
    std::string map_key_;
    std::string backend_;
    std::string state_file_;
    std::string blue_;
    std::string green_;
    std::chrono::milliseconds timeout_;
};

}  // namespace bluegreen_switch
