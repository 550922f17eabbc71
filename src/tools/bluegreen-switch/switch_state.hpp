// The recorded state of a blue-green pair: which colour is live, which was before, when and with what
// version, and - while a switch runs - which colour it is moving to.
//
// The file is JSON, written atomically, so a reader or a crash never sees half of it:
//   {"live": "green", "previous": "blue", "provider": "nginx", "version": "1.4.2",
//    "switched-at": "2026-11-22T10:00:00Z", "pending": "green"}
//
// `pending` is the one mark of uncertainty. A run writes it (with `live` still the last confirmed
// colour) just before its first change to the load balancer, and removes it when the run ends with the
// load balancer in a known state: switched (live = target, previous = the old colour), or back on
// `live` after a rollback or a failed step, in which case the file is put back exactly as the run found
// it (restore_state_snapshot; no file if there was none). So a file that still holds `pending` after a
// run means that run stopped (killed, or the load balancer could not be confirmed back) while the load
// balancer may be anywhere between `live` and `pending`, and the next run does not trust its reading:
//   --to C        sets the load balancer to C again whatever it reads (completing the interrupted
//                 switch when C is `pending`, undoing it when C is `live`), then records live C;
//                 previous stays as recorded when C is `live` (the interrupted switch never happened)
//   --rollback    undoes it: back to `live`
//   --status      reports it and exits 1
//   --repair-state records what the load balancer serves and drops the mark
// A missing file is no state (first run). Anything unreadable is an InputError with the file and JSON
// pointer that says the way out: --repair-state, or the file to remove.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "bluegreen-switch/color.hpp"

namespace bluegreen_switch {

struct SwitchState {
    std::optional<Color> live;
    std::optional<Color> previous;
    std::optional<Color> pending;
    std::string provider;
    std::string version;
    std::string switched_at;  // ISO 8601 UTC
};

std::optional<SwitchState> read_switch_state(const std::filesystem::path& path);
void write_switch_state(const std::filesystem::path& path, const SwitchState& state);

// The state file as a run found it: its bytes, to put back exactly, and what they say.
struct StateSnapshot {
    std::filesystem::path path;
    std::optional<std::string> bytes;  // nullopt: there was no file
    std::optional<SwitchState> state;
};

StateSnapshot take_state_snapshot(const std::filesystem::path& path);
// Rewrites the bytes atomically, or removes the file when there was none.
void restore_state_snapshot(const StateSnapshot& snapshot);

// "live blue, previous green, version 1.2, switched at ..., a switch to green was interrupted"
std::string describe_state(const SwitchState& state);

}  // namespace bluegreen_switch
