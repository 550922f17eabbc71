#include "bluegreen-switch/color.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace bluegreen_switch {

std::optional<Color> parse_color(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "blue") return Color::Blue;
    if (lower == "green") return Color::Green;
    return std::nullopt;
}

std::string color_name(const std::optional<Color>& color, std::string_view none) {
    return std::string(color ? to_string(*color) : none);
}

}  // namespace bluegreen_switch
