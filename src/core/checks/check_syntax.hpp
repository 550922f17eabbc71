// Pieces of check syntax shared by the check-file reader and the inline parser (internal).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/base/error.hpp"

#include "gantry/text/regex.hpp"
#include "gantry/checks/check.hpp"
#include "gantry/checks/check_file.hpp"

namespace gantry::checks::detail {

bool is_method(std::string_view text);
std::string lower(std::string_view text);
bool parse_int(std::string_view text, long long& value);
// --attempts / --retry-on over a check's own retry policy; attempts cover a wait-mode streak.
void apply_overrides(const CheckDefaults& defaults, RetryPolicy& retry);
// A check's regex, compiled once when the check is read. Throws RegexSyntaxError.
std::shared_ptr<const Regex> compile_regex(const std::string& pattern);
// Throws InputError at the first invalid UTF-8 sequence.
void require_utf8(std::string_view text, const std::string& file, bool inline_check);
// "refused", "5xx", "all"... Throws gantry::ValueError.
std::vector<FailureKind> parse_failure_kinds(std::string_view name);
// "host:port" (a "tcp://" prefix is dropped). Throws gantry::ValueError.
std::string tcp_address(std::string_view text);

}  // namespace gantry::checks::detail
