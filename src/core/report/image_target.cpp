#include "gantry/report/image_target.hpp"

namespace gantry {

std::optional<ImageTarget> split_image_target(std::string_view target) {
    const auto open = target.rfind(" (");
    if (open == std::string_view::npos || open == 0 || !target.ends_with(')')) return std::nullopt;
    ImageTarget parts{std::string(target.substr(0, open)),
                      std::string(target.substr(open + 2, target.size() - open - 3))};
    if (parts.operating_system.empty() || parts.image.find_first_not_of(' ') == std::string::npos) return std::nullopt;
    return parts;
}

}  // namespace gantry
