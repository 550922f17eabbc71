// CVSS v3.x base score: the equations and weights of the v3.1 specification, section 7.1 and 7.4.
#include "gantry/findings/cvss.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace gantry {
namespace {

// Appendix A of the v3.1 specification: round up to one decimal, computed on integers so that a
// floating-point error (e.g. 4.000000001) never lifts a score by a tenth.
double round_up(double value) {
    const auto scaled = static_cast<std::int64_t>(std::llround(value * 100000.0));
    if (scaled % 10000 == 0) {
        return static_cast<double>(scaled) / 100000.0;
    }
    return static_cast<double>(scaled / 10000 + 1) / 10.0;
}

struct Metrics {
    // Index: AV, AC, PR, UI, S, C, I, A. Zero = not given.
    std::array<char, 8> values{};
};

constexpr std::array<std::string_view, 8> kNames = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};

std::optional<Metrics> parse(std::string_view vector) {
    if (!vector.starts_with("CVSS:3.0/") && !vector.starts_with("CVSS:3.1/")) {
        return std::nullopt;
    }
    vector.remove_prefix(9);
    if (vector.empty() || vector.back() == '/') {
        return std::nullopt;
    }
    Metrics metrics;
    while (!vector.empty()) {
        const std::size_t slash = vector.find('/');
        const std::string_view part = vector.substr(0, slash);
        vector = slash == std::string_view::npos ? std::string_view{} : vector.substr(slash + 1);
        const std::size_t colon = part.find(':');
        if (colon == std::string_view::npos || colon + 2 != part.size()) {
            // Temporal/environmental metrics have one-letter values too; a malformed part is an error.
            return std::nullopt;
        }
        const std::string_view name = part.substr(0, colon);
        const auto it = std::find(kNames.begin(), kNames.end(), name);
        if (it == kNames.end()) {
            continue;  // E, RL, RC, CR, MAV...: not part of the base score
        }
        char& slot = metrics.values[static_cast<std::size_t>(it - kNames.begin())];
        if (slot != 0) {
            return std::nullopt;
        }
        slot = part[colon + 1];
    }
    for (const char value : metrics.values) {
        if (value == 0) {
            return std::nullopt;
        }
    }
    return metrics;
}

std::optional<double> weight(char value, std::string_view letters, std::initializer_list<double> weights) {
    const std::size_t index = letters.find(value);
    if (index == std::string_view::npos) {
        return std::nullopt;
    }
    return *(weights.begin() + index);
}

}  // namespace

std::optional<double> cvss3_base_score(std::string_view vector) {
    const auto metrics = parse(vector);
    if (!metrics) {
        return std::nullopt;
    }
    const auto& v = metrics->values;
    const char scope = v[4];
    if (scope != 'U' && scope != 'C') {
        return std::nullopt;
    }
    const bool changed = scope == 'C';
    const auto attack_vector = weight(v[0], "NALP", {0.85, 0.62, 0.55, 0.2});
    const auto attack_complexity = weight(v[1], "LH", {0.77, 0.44});
    // Privileges required weigh more when the scope changes (specification, table 16).
    const auto privileges = changed ? weight(v[2], "NLH", {0.85, 0.68, 0.5}) : weight(v[2], "NLH", {0.85, 0.62, 0.27});
    const auto user_interaction = weight(v[3], "NR", {0.85, 0.62});
    const auto confidentiality = weight(v[5], "HLN", {0.56, 0.22, 0.0});
    const auto integrity = weight(v[6], "HLN", {0.56, 0.22, 0.0});
    const auto availability = weight(v[7], "HLN", {0.56, 0.22, 0.0});
    if (!attack_vector || !attack_complexity || !privileges || !user_interaction || !confidentiality || !integrity ||
        !availability) {
        return std::nullopt;
    }
    const double impact_subscore = 1.0 - (1.0 - *confidentiality) * (1.0 - *integrity) * (1.0 - *availability);
    const double impact = changed ? 7.52 * (impact_subscore - 0.029) - 3.25 * std::pow(impact_subscore - 0.02, 15.0)
                                  : 6.42 * impact_subscore;
    const double exploitability = 8.22 * *attack_vector * *attack_complexity * *privileges * *user_interaction;
    if (impact <= 0.0) {
        return 0.0;
    }
    return changed ? round_up(std::min(1.08 * (impact + exploitability), 10.0))
                   : round_up(std::min(impact + exploitability, 10.0));
}

}  // namespace gantry
