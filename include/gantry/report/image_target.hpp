// Reading an image and its operating system out of a scan target.
//
// Trivy names the OS-package result of an image scan "<image> (<os> <version>)", e.g.
// "alpine:3.19 (alpine 3.19.1)"; report writers want the two parts separately (GitLab's
// location.image / operating_system, a SARIF artifact location without spaces). Other targets
// (lock files, directories, "Node.js") give nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gantry {

struct ImageTarget {
    std::string image;             // "alpine:3.19"
    std::string operating_system;  // "alpine 3.19.1"
};

std::optional<ImageTarget> split_image_target(std::string_view target);

}  // namespace gantry
