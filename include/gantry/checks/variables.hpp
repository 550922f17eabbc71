// ${NAME} substitution in check files and inline checks.
//
// Values come from --var K=V (which win) and the environment. A variable is secret when the check
// file or the command line marks it so; its value is then reported by secrets() so that every
// output masks it. `$${` writes a literal "${". An unknown variable, or an unterminated "${", is an
// error naming it (the caller adds the position): checks silently sent to "https:///" would hide
// the mistake. Names are [A-Za-z_][A-Za-z0-9_]*; "${NAME:-default}" gives a default.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/base/error.hpp"

#include "gantry/platform/environment.hpp"

namespace gantry::checks {

class Variables {
public:
    Variables() = default;
    explicit Variables(const Environment& environment) : environment_(environment) {}

    // "K=V" from the command line; throws UsageError when there is no '='.
    void define(std::string_view assignment);
    void set(const std::string& name, std::string value) { defined_[name] = std::move(value); }
    void mark_secret(const std::string& name) { secret_names_.insert(name); }

    std::optional<std::string> lookup(std::string_view name) const;
    // The text with every ${NAME} replaced. Throws gantry::ValueError with a message on an
    // unknown variable or bad syntax (the readers turn it into an InputError with the position).
    std::string expand(std::string_view text) const;
    // Values of the secret variables that are defined (non-empty), for masking.
    std::vector<std::string> secrets() const;

private:
    Environment environment_;
    std::map<std::string, std::string, std::less<>> defined_;
    std::set<std::string, std::less<>> secret_names_;
};

}  // namespace gantry::checks
