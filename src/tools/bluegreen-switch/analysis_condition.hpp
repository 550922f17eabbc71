// A canary metric's condition: `result <op> number`, e.g. `result < 0.01` or `result >= 0.99`.
//
// parse_condition() reads exactly that shape (spaces optional, op one of gantry::Comparison's
// < <= > >= == !=, the number a plain decimal or exponent form) and nothing else: no shell, no
// expression evaluator, so an analysis file cannot run anything. It returns the condition, or the
// reason the text is not one (naming what was found and what is expected); the analysis-file reader
// turns a reason into an InputError at the condition's line. holds() is false for NaN, so a query
// that divides by zero does not pass by accident.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gantry/base/comparison.hpp"

namespace bluegreen_switch {

using gantry::Comparison;

struct Condition {
    Comparison comparison = Comparison::Less;
    double threshold = 0;

    bool holds(double result) const;
    std::string text() const;  // "result < 0.01"
};

struct ParsedCondition {
    std::optional<Condition> condition;  // nullopt: `problem` says why
    std::string problem;                 // "condition 'result => 3': unknown operator '=>' after 'result': ..."
};

ParsedCondition parse_condition(std::string_view text);

}  // namespace bluegreen_switch
