// The named points between the steps of a switch, and the debug stop that lets a test kill the tool
// at exactly one of them.
//
// A switch passes, in order: after-lock (inputs read, lock held, nothing changed), after-pending (the
// state file marks the switch as in progress), after-provider-write (the provider wrote the change
// but the load balancer may not use it yet: nginx's upstream file renamed before `nginx -t` and the
// reload, HAProxy's map file rewritten before `set map`, the first of HAProxy's server commands; where
// a provider has no such intermediate point it is passed right after the change), after-reload (the
// load balancer runs the change) and after-state-write (the state file records the new colour, before
// draining and the final audit line). Weighted steps pass the provider boundaries once per step.
//
// BLUEGREEN_SWITCH_STOP_AT=<boundary> (a documented debug setting, read once from the environment)
// makes the tool stop itself with SIGSTOP the first time it reaches that boundary, so that a crash
// test can `kill -9` it there without depending on timing. An unknown name is a UsageError.
#pragma once

#include <optional>
#include <string_view>

namespace bluegreen_switch {

enum class Boundary { AfterLock, AfterPending, AfterProviderWrite, AfterReload, AfterStateWrite };

std::string_view to_string(Boundary boundary);
// "after-lock" ... "after-state-write"; nullopt for anything else.
std::optional<Boundary> parse_boundary(std::string_view text);

// The environment variable that names the boundary to stop at.
inline constexpr std::string_view kStopAtVariable = "BLUEGREEN_SWITCH_STOP_AT";

// Stops the process (SIGSTOP) the first time `reached` is called with the configured boundary; does
// nothing when none is configured. SIGCONT resumes it.
class BoundaryStop {
public:
    explicit BoundaryStop(std::optional<Boundary> stop_at) : stop_at_(stop_at) {}
    void reached(Boundary boundary);

private:
    std::optional<Boundary> stop_at_;
    bool stopped_ = false;
};

}  // namespace bluegreen_switch
