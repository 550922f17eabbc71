#include "gantry/platform/outputs.hpp"

#include <algorithm>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace gantry {

namespace {

bool is_multi_line(const std::string& value) { return value.find_first_of("\r\n") != std::string::npos; }

}  // namespace

void Outputs::set(const std::string& name, std::string value) {
    const auto existing =
        std::find_if(values_.begin(), values_.end(), [&name](const auto& entry) { return entry.first == name; });
    if (existing != values_.end()) {
        existing->second = std::move(value);
    } else {
        values_.emplace_back(name, std::move(value));
    }
}

std::string Outputs::github_output_text(unsigned delimiter_seed) const {
    std::mt19937_64 generator(delimiter_seed);
    std::string text;
    for (const auto& [name, value] : values_) {
        if (!is_multi_line(value)) {
            text += name + "=" + value + "\n";
            continue;
        }
        // The runner reads up to the first line equal to the delimiter: it must not occur in the
        // value, or the value would be cut there and the rest read as further outputs.
        std::string delimiter;
        do {
            delimiter = fmt::format("ghadelimiter_{:016x}{:016x}", generator(), generator());
        } while (value.find(delimiter) != std::string::npos);
        text += name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
    }
    return text;
}

std::string Outputs::dotenv_key(const std::string& name) const {
    std::string key = tool_ + "_" + name;
    for (char& c : key) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
            c = '_';
        }
    }
    return key;
}

std::pair<std::string, std::vector<std::string>> Outputs::gitlab_dotenv_text() const {
    std::string text;
    std::vector<std::string> warnings;
    std::size_t variables = 0;
    for (const auto& [name, value] : values_) {
        const std::string key = dotenv_key(name);
        if (is_multi_line(value)) {
            warnings.push_back(fmt::format("output {} is left out of the GitLab dotenv report ({}): GitLab accepts "
                                           "only single-line values",
                                           name, key));
            continue;
        }
        const std::string line = key + "=" + value + "\n";
        if (variables + 1 > kDotenvMaxVariables) {
            warnings.push_back(fmt::format("output {} is left out of the GitLab dotenv report ({}): GitLab accepts "
                                           "at most {} variables",
                                           name, key, kDotenvMaxVariables));
            continue;
        }
        if (text.size() + line.size() > kDotenvMaxBytes) {
            warnings.push_back(fmt::format("output {} is left out of the GitLab dotenv report ({}): GitLab accepts "
                                           "at most {} bytes in all",
                                           name, key, kDotenvMaxBytes));
            continue;
        }
        text += line;
        ++variables;
    }
    return {text, warnings};
}

nlohmann::json Outputs::to_json() const {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [name, value] : values_) object[name] = value;
    return object;
}

}  // namespace gantry
