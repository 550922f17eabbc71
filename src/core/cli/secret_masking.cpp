#include <algorithm>

#include <nlohmann/json.hpp>

#include "gantry/cli/outcome.hpp"

namespace gantry {

namespace {

void add_pattern(std::vector<std::string>& patterns, std::string_view value) {
    if (value.empty()) return;
    patterns.emplace_back(value);
    // The same secret inside JSON output is escaped ("a\"b"); it must be hidden there too.
    const std::string escaped = nlohmann::json(std::string(value)).dump();
    const std::string_view inner = std::string_view(escaped).substr(1, escaped.size() - 2);
    if (inner != value) patterns.emplace_back(inner);
}

}  // namespace

std::string mask_secrets(std::string_view text, const std::vector<std::string>& secrets) {
    std::vector<std::string> patterns;
    for (const auto& secret : secrets) {
        add_pattern(patterns, secret);
        std::size_t start = 0;
        while (start < secret.size()) {
            std::size_t end = secret.find('\n', start);
            if (end == std::string::npos) end = secret.size();
            std::string_view line = std::string_view(secret).substr(start, end - start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            add_pattern(patterns, line);
            start = end + 1;
        }
    }
    // Longest first: a secret that contains another must be hidden whole, not around the shorter one.
    std::sort(patterns.begin(), patterns.end(),
              [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
    patterns.erase(std::unique(patterns.begin(), patterns.end()), patterns.end());

    std::string masked(text);
    for (const auto& pattern : patterns) {
        std::size_t position = 0;
        while ((position = masked.find(pattern, position)) != std::string::npos) {
            masked.replace(position, pattern.size(), "***");
            position += 3;
        }
    }
    return masked;
}

}  // namespace gantry
