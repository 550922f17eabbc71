// A step's named outputs, delivered where the CI platform looks for them.
//
// Names are kebab-case ("previous-version"). On GitHub they are appended to $GITHUB_OUTPUT
// (name=value, or name<<DELIMITER ... DELIMITER with a random delimiter that does not occur in the
// value, for multi-line values). On GitLab they are written as a dotenv report: keys are the tool and
// output names in upper snake case (SCAN_GATE_PASSED), values must be single-line, at most 20
// variables and 5 KB in all; what does not fit is left out and reported back as a warning. Every
// platform can also have them as a JSON object.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace gantry {

class Outputs {
public:
    // GitLab's limits for a dotenv report (larger reports are rejected whole at upload).
    static constexpr std::size_t kDotenvMaxVariables = 20;
    static constexpr std::size_t kDotenvMaxBytes = 5 * 1024;

    explicit Outputs(std::string tool_name) : tool_(std::move(tool_name)) {}

    const std::string& tool_name() const { return tool_; }
    // Setting a name again replaces its value and keeps its place.
    void set(const std::string& name, std::string value);
    // Without this a string literal would pick the bool overload and become "true".
    void set(const std::string& name, const char* value) { set(name, std::string(value)); }
    void set(const std::string& name, bool value) { set(name, std::string(value ? "true" : "false")); }
    void set(const std::string& name, long long value) { set(name, std::to_string(value)); }
    const std::vector<std::pair<std::string, std::string>>& values() const { return values_; }

    // Text for $GITHUB_OUTPUT. `delimiter_seed` makes the random delimiter reproducible in tests.
    std::string github_output_text(unsigned delimiter_seed) const;
    // Text of a GitLab dotenv report, and the warnings for what was left out.
    std::pair<std::string, std::vector<std::string>> gitlab_dotenv_text() const;
    // The dotenv key of an output: "passed" of scan-gate -> "SCAN_GATE_PASSED".
    std::string dotenv_key(const std::string& name) const;
    nlohmann::json to_json() const;

private:
    std::string tool_;
    std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace gantry
