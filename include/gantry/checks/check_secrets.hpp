// The values a check run must never show: the credentials its requests send (Authorization and
// Proxy-Authorization values and the token after their scheme, Cookie values and each cookie's value)
// and, after the run, the cookies servers set. Tools add them to Outcome::secrets, so every output
// masks them. Values shorter than 3 characters are dropped: they would mask unrelated text everywhere
// and are not credentials.
#pragma once

#include <string>
#include <vector>

#include "gantry/checks/check.hpp"

namespace gantry::checks {

void collect_credentials(const Check& check, std::vector<std::string>& secrets);
// Drops too-short values, sorts, removes repeats.
void normalise_secrets(std::vector<std::string>& secrets);

}  // namespace gantry::checks
