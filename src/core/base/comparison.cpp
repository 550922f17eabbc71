#include "gantry/base/comparison.hpp"

#include <cctype>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace gantry {

namespace {

// The characters an operator is written with, and the ones written by mistake (`~`, `=>`, `<>`): the
// whole run is read, so a mistake is named whole. Signs, points and brackets belong to the operands.
bool is_operator_character(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return std::ispunct(byte) && c != '.' && c != '+' && c != '-' && c != '(' && c != ')' && c != '%' && c != '_';
}

std::string_view operator_run(std::string_view text) {
    std::size_t length = 0;
    while (length < text.size() && is_operator_character(text[length])) ++length;
    return text.substr(0, length);
}

}  // namespace

std::optional<ComparisonAt> parse_comparison(std::string_view text) {
    static constexpr std::pair<std::string_view, Comparison> kOperators[] = {
        {"<", Comparison::Less},          {"<=", Comparison::LessOrEqual}, {">", Comparison::Greater},
        {">=", Comparison::GreaterOrEqual}, {"==", Comparison::Equal},      {"===", Comparison::Equal},
        {"!=", Comparison::NotEqual}};
    const std::string_view run = operator_run(text);
    for (const auto& [spelling, comparison] : kOperators) {
        if (run == spelling) return ComparisonAt{comparison, spelling.size()};
    }
    return std::nullopt;
}

std::string unknown_comparison(std::string_view text, std::string_view operand) {
    const std::string_view run = operator_run(text);
    if (!run.empty()) return fmt::format("unknown operator '{}' after '{}': expected one of {}", run, operand, kAcceptedComparisons);
    std::size_t word = 0;
    while (word < text.size() && text[word] != ' ' && text[word] != '\t') ++word;
    return fmt::format("expected an operator after '{}' (one of {}), found {}", operand, kAcceptedComparisons,
                       word == 0 ? std::string("nothing") : fmt::format("'{}'", text.substr(0, word)));
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

bool holds(Comparison comparison, double observed, double limit) {
    if (std::isnan(observed)) return false;
    switch (comparison) {
        case Comparison::Less: return observed < limit;
        case Comparison::LessOrEqual: return observed <= limit;
        case Comparison::Greater: return observed > limit;
        case Comparison::GreaterOrEqual: return observed >= limit;
        case Comparison::Equal: return observed == limit;
        case Comparison::NotEqual: return observed != limit;
    }
    return false;
}

}  // namespace gantry
