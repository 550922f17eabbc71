#include "bluegreen-switch/analysis_condition.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace bluegreen_switch {

namespace {

constexpr std::string_view kExpected = "expected 'result <op> number' with <op> one of <, <=, >, >=, ==, != (e.g. 'result < 0.01')";

void skip_spaces(std::string_view& text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
}

}  // namespace

bool Condition::holds(double result) const { return gantry::holds(comparison, result, threshold); }

std::string Condition::text() const { return fmt::format("result {} {}", gantry::symbol(comparison), threshold); }

ParsedCondition parse_condition(std::string_view text) {
    const std::string original(text);
    const auto refused = [&](std::string_view why) {
        return ParsedCondition{.condition = std::nullopt, .problem = fmt::format("condition '{}': {}; {}", original, why, kExpected)};
    };
    skip_spaces(text);
    if (text.substr(0, 6) != "result") return refused("it does not start with 'result'");
    text.remove_prefix(6);
    skip_spaces(text);
    Condition condition;
    const auto comparison = gantry::parse_comparison(text);
    if (!comparison) {
        // The operator list is in the reason already: only the example follows.
        return ParsedCondition{.condition = std::nullopt,
                               .problem = fmt::format("condition '{}': {} (e.g. 'result < 0.01')", original,
                                                      gantry::unknown_comparison(text, "result"))};
    }
    condition.comparison = comparison->comparison;
    text.remove_prefix(comparison->length);
    skip_spaces(text);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), condition.threshold);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(condition.threshold)) {
        return refused("the right-hand side is not a finite number");
    }
    return ParsedCondition{.condition = condition, .problem = {}};
}

}  // namespace bluegreen_switch
