#include "gantry/checks/variables.hpp"

#include <cctype>

#include "gantry/base/error.hpp"

namespace gantry::checks {

namespace {

bool valid_name(std::string_view name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
    for (const char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    }
    return true;
}

}  // namespace

void Variables::define(std::string_view assignment) {
    const auto equals = assignment.find('=');
    if (equals == std::string_view::npos || !valid_name(assignment.substr(0, equals))) {
        throw UsageError("--var expects NAME=VALUE with NAME made of letters, digits and _, got '" +
                         std::string(assignment) + "'");
    }
    defined_[std::string(assignment.substr(0, equals))] = std::string(assignment.substr(equals + 1));
}

std::optional<std::string> Variables::lookup(std::string_view name) const {
    if (const auto it = defined_.find(name); it != defined_.end()) return it->second;
    return environment_.get(name);
}

std::string Variables::expand(std::string_view text) const {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '$' && text.substr(i, 3) == "$${") {
            out += "${";
            i += 2;
            continue;
        }
        if (text[i] != '$' || i + 1 >= text.size() || text[i + 1] != '{') {
            out += text[i];
            continue;
        }
        const auto close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            throw gantry::ValueError("unterminated '${' (expected ${NAME}; write $${ for a literal ${)");
        }
        std::string_view inner = text.substr(i + 2, close - i - 2);
        std::optional<std::string> fallback;
        if (const auto dash = inner.find(":-"); dash != std::string_view::npos) {
            fallback = std::string(inner.substr(dash + 2));
            inner = inner.substr(0, dash);
        }
        if (!valid_name(inner)) {
            throw gantry::ValueError("'${" + std::string(inner) + "}' is not a variable name (letters, digits and _)");
        }
        auto value = lookup(inner);
        if (!value || (value->empty() && fallback)) value = fallback;
        if (!value) {
            throw gantry::ValueError("variable " + std::string(inner) +
                                        " is not set (set it in the environment, pass --var " + std::string(inner) +
                                        "=VALUE, or write ${" + std::string(inner) + ":-default})");
        }
        out += *value;
        i = close;
    }
    return out;
}

std::vector<std::string> Variables::secrets() const {
    std::vector<std::string> values;
    for (const auto& name : secret_names_) {
        if (auto value = lookup(name); value && !value->empty()) values.push_back(std::move(*value));
    }
    return values;
}

}  // namespace gantry::checks
