// The recorded state of a blue-green pair: which colour is live, which was before, when and with what
// version, and - while a switch runs - which colour it is moving to.
//
// The file is JSON, written atomically, so a reader or a crash never sees half of it:
//   {"live": "green", "previous": "blue", "provider": "nginx", "version": "1.4.2",
//    "switched-at": "2026-11-22T10:00:00Z", "pending": "green"}
// `pending` is written before the load balancer is touched and removed when the switch is complete
// (or rolled back); a file still holding it after a kill tells the next run that the load balancer
// may be half-way and must be set again, whatever it reads. A missing file is no state (first run);
// anything unreadable is an InputError with the file and JSON pointer.
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

}  // namespace bluegreen_switch
