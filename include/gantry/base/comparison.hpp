// The comparison operators the tools accept in their conditions: smoke-test's load thresholds
// (`p95<500ms`) and bluegreen-switch's canary conditions (`result < 0.01`), read and judged one way.
//
// parse_comparison() reads the operator at the front of a text (no spaces skipped): the whole run of
// operator characters there must be one of < <= > >= == != (k6's `===` reads as ==), so `=<`, `=>`,
// `<>` and `~` are refused rather than half-read; it returns the comparison and how many characters
// it took, or nullopt. unknown_comparison() words the refusal: what was found and what is accepted.
// holds() is false when the observed value is NaN, so a figure that divides by zero passes nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gantry {

enum class Comparison { Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual };

struct ComparisonAt {
    Comparison comparison = Comparison::Less;
    std::size_t length = 0;  // characters of `text` the operator took
};

// "< <= > >= == !=", the operators accepted, for messages.
inline constexpr std::string_view kAcceptedComparisons = "<, <=, >, >=, ==, !=";

std::optional<ComparisonAt> parse_comparison(std::string_view text);
// Why parse_comparison(text) refused `text`, which follows `operand` (for the message):
// "unknown operator '=<' after 'p95': expected one of <, <=, >, >=, ==, !=", or, when `text` does not
// start with operator characters, "expected an operator after 'p95' (one of ...), found 'abc'".
std::string unknown_comparison(std::string_view text, std::string_view operand);
const char* symbol(Comparison comparison);
bool holds(Comparison comparison, double observed, double limit);

}  // namespace gantry
