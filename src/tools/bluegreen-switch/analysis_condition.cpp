#include "bluegreen-switch/analysis_condition.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace bluegreen_switch {

namespace {

constexpr std::string_view kExpected = "expected 'result <op> number' with <op> one of <, <=, >, >=, ==, != (e.g. 'result < 0.01')";

void skip_spaces(std::string_view& text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
}

const char* symbol(Comparison comparison) {
    switch (comparison) {
        case Comparison::Less: return "<";
        case Comparison::LessOrEqual: return "<=";
        case Comparison::Greater: return ">";
        case Comparison::GreaterOrEqual: return ">=";
        case Comparison::Equal: return "==";
        case Comparison::NotEqual: return "!=";
    }
    return "?";
}

}  // namespace

bool Condition::holds(double result) const {
    if (std::isnan(result)) return false;
    switch (comparison) {
        case Comparison::Less: return result < threshold;
        case Comparison::LessOrEqual: return result <= threshold;
        case Comparison::Greater: return result > threshold;
        case Comparison::GreaterOrEqual: return result >= threshold;
        case Comparison::Equal: return result == threshold;
        case Comparison::NotEqual: return result != threshold;
    }
    return false;
}

std::string Condition::text() const { return fmt::format("result {} {}", symbol(comparison), threshold); }

Condition parse_condition(std::string_view text) {
    const std::string original(text);
    const auto bad = [&](std::string_view why) {
        return std::invalid_argument(fmt::format("condition '{}': {}; {}", original, why, kExpected));
    };
    skip_spaces(text);
    if (text.substr(0, 6) != "result") throw bad("it does not start with 'result'");
    text.remove_prefix(6);
    skip_spaces(text);
    Condition condition;
    static constexpr std::pair<std::string_view, Comparison> kOperators[] = {
        {"<=", Comparison::LessOrEqual}, {">=", Comparison::GreaterOrEqual}, {"==", Comparison::Equal},
        {"!=", Comparison::NotEqual},    {"<", Comparison::Less},            {">", Comparison::Greater}};
    bool found = false;
    for (const auto& [op, comparison] : kOperators) {
        if (text.substr(0, op.size()) == op) {
            condition.comparison = comparison;
            text.remove_prefix(op.size());
            found = true;
            break;
        }
    }
    if (!found) throw bad("no comparison operator after 'result'");
    skip_spaces(text);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), condition.threshold);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(condition.threshold)) {
        throw bad("the right-hand side is not a finite number");
    }
    return condition;
}

}  // namespace bluegreen_switch
