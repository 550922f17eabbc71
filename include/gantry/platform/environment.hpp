// The process environment as a value, so that run() functions and tests never read globals.
//
// Environment::from_process() snapshots environ once in main(); tests build one from a map.
// The CI platform is detected from it: GITHUB_ACTIONS=true -> GitHub Actions, GITLAB_CI=true ->
// GitLab CI, otherwise a plain shell.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gantry {

class Environment {
public:
    Environment() = default;
    explicit Environment(const std::map<std::string, std::string>& variables) : variables_(variables.begin(), variables.end()) {}
    static Environment from_process();

    std::optional<std::string> get(std::string_view name) const;
    // Set and non-empty.
    bool has(std::string_view name) const;
    void set(std::string name, std::string value) { variables_[std::move(name)] = std::move(value); }
    const std::map<std::string, std::string, std::less<>>& variables() const { return variables_; }

private:
    std::map<std::string, std::string, std::less<>> variables_;
};

enum class CiPlatform { Shell, GithubActions, GitlabCi };
CiPlatform detect_platform(const Environment& environment);
std::string_view to_string(CiPlatform platform);  // "shell", "github", "gitlab"

}  // namespace gantry
