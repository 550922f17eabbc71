#include "gantry/checks/check_secrets.hpp"

#include <algorithm>
#include <cctype>

namespace gantry::checks {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

void collect_credentials(const Check& check, std::vector<std::string>& secrets) {
    for (const auto& [name, value] : check.request.headers) {
        const std::string key = lower(name);
        if (key == "authorization" || key == "proxy-authorization") {
            secrets.push_back(value);
            if (const auto space = value.find(' '); space != std::string::npos && space + 1 < value.size()) {
                secrets.push_back(value.substr(space + 1));
            }
        } else if (key == "cookie") {
            secrets.push_back(value);
            std::size_t start = 0;
            while (start < value.size()) {
                const auto end = value.find(';', start);
                const std::string pair = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
                if (const auto equals = pair.find('='); equals != std::string::npos && equals + 1 < pair.size()) {
                    secrets.push_back(pair.substr(equals + 1));
                }
                if (end == std::string::npos) break;
                start = end + 1;
            }
        }
    }
}

void normalise_secrets(std::vector<std::string>& secrets) {
    // Very short values would mask unrelated text everywhere ("1", "a"); they are not credentials.
    std::erase_if(secrets, [](const std::string& s) { return s.size() < 3; });
    std::sort(secrets.begin(), secrets.end());
    secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
}

}  // namespace gantry::checks
