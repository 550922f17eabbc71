#include "bluegreen-switch/switch_boundary.hpp"

#include <csignal>

namespace bluegreen_switch {

namespace {

constexpr std::pair<Boundary, std::string_view> kNames[] = {
    {Boundary::AfterLock, "after-lock"},
    {Boundary::AfterPending, "after-pending"},
    {Boundary::AfterProviderWrite, "after-provider-write"},
    {Boundary::AfterReload, "after-reload"},
    {Boundary::AfterStateWrite, "after-state-write"},
};

}  // namespace

std::string_view to_string(Boundary boundary) {
    for (const auto& [value, name] : kNames) {
        if (value == boundary) return name;
    }
    return "?";
}

std::optional<Boundary> parse_boundary(std::string_view text) {
    for (const auto& [value, name] : kNames) {
        if (name == text) return value;
    }
    return std::nullopt;
}

void BoundaryStop::reached(Boundary boundary) {
    if (!stop_at_ || *stop_at_ != boundary || stopped_) return;
    stopped_ = true;
    std::raise(SIGSTOP);
}

}  // namespace bluegreen_switch
