#include "gantry/platform/environment.hpp"

extern char** environ;  // NOLINT: POSIX provides no declaration in a header

namespace gantry {

Environment Environment::from_process() {
    Environment environment;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto equals = text.find('=');
        if (equals == std::string_view::npos || equals == 0) continue;
        environment.set(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
    }
    return environment;
}

std::optional<std::string> Environment::get(std::string_view name) const {
    if (const auto found = variables_.find(name); found != variables_.end()) return found->second;
    return std::nullopt;
}

bool Environment::has(std::string_view name) const {
    const auto found = variables_.find(name);
    return found != variables_.end() && !found->second.empty();
}

CiPlatform detect_platform(const Environment& environment) {
    if (environment.get("GITHUB_ACTIONS") == "true") return CiPlatform::GithubActions;
    if (environment.get("GITLAB_CI") == "true") return CiPlatform::GitlabCi;
    return CiPlatform::Shell;
}

std::string_view to_string(CiPlatform platform) {
    switch (platform) {
        case CiPlatform::GithubActions: return "github";
        case CiPlatform::GitlabCi: return "gitlab";
        case CiPlatform::Shell: break;
    }
    return "shell";
}

}  // namespace gantry
