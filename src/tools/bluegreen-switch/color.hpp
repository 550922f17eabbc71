// The two colours of a blue-green deployment, and the words users type for them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bluegreen_switch {

enum class Color { Blue, Green };

constexpr Color other(Color color) { return color == Color::Blue ? Color::Green : Color::Blue; }
constexpr std::string_view to_string(Color color) { return color == Color::Blue ? "blue" : "green"; }
// "blue" / "green" (case-insensitive); nullopt otherwise.
std::optional<Color> parse_color(std::string_view text);
// "blue" / "green", or `none` when there is no colour (unknown, or traffic split).
std::string color_name(const std::optional<Color>& color, std::string_view none = "unknown");

}  // namespace bluegreen_switch
