// Reading checks: the YAML check file (-f checks.yml) and inline --check specifications.
//
// Check file:
//   base-url: https://staging.example.com      # relative check URLs are resolved against it
//   secrets: [API_TOKEN]                       # variables whose values are masked everywhere
//   defaults: {timeout: 10s, retry: {...}, headers: {...}, insecure: false, redirects: false}
//   checks:
//     - name: health                           # default "METHOD URL"; duplicates get " (2)"
//       url: /healthz                          # or `get: /healthz`, `post: ...`, or `tcp: host:port`
//       method: GET
//       headers: {Authorization: "Bearer ${API_TOKEN}"}
//       body: "raw text"                       # or json: {any: yaml}
//       redirects: true                        # follow redirects (default off)
//       insecure: true                         # skip certificate verification (a warning)
//       timeout: 5s
//       status: [200, 3xx, 500-503]
//       expect:
//         headers: {content-type: {contains: json}}   # a string = equals; contains/regex/exists/absent
//         body: {contains: ok, not-contains: error, regex: "v[0-9]+"}  # each a string or a list
//         json: [{pointer: /status, equals: ok}, {pointer: /n, ">=": 2}, {pointer: /a, type: array}]
//         time: 500ms                          # also dns, connect, tls, ttfb
//         tls: {min-days: 14, min-version: "1.2", hostname: true}
//       retry: {attempts: 5, on: [refused, timeout, 5xx, assertion], delay: 500ms, max-delay: 10s,
//               consecutive: 3}
//       weight: 3                              # share of a load test's requests (smoke-test load)
//
// Inline: "[METHOD] URL [STATUS...] [json:/p==v|!=|<|<=|>|>=|~=] [json:/p] [body~TEXT] [header:N=V]
// [<500ms] [tls-days>=14] [weight=N]" and "tcp host:port [<200ms]"; tokens are separated by blanks.
// Regexes (body `regex:`, header `{regex: R}`, inline body=~R) are searched for anywhere in the whole
// body or header value: PCRE2 syntax read as ECMAScript reads it (\uXXXX escapes, `$` only at the
// end, `.` stops at \r and \n; gantry/text/regex.hpp). Each is compiled once, when the check is read:
// a pattern PCRE2 refuses is an error there, with PCRE2's message and the offset in the pattern.
// Every problem is an InputError with file:line:column (or "--check #N") and what was expected.
// Durations: "250ms", "2s", "1.5s", "1m", or a bare number of milliseconds.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/base/error.hpp"

#include "gantry/checks/check.hpp"
#include "gantry/checks/variables.hpp"
#include "gantry/cli/inputs.hpp"

namespace gantry::checks {

// What the command line sets for every check unless the check says otherwise.
struct CheckDefaults {
    std::string base_url;               // --base-url (wins over the file's base-url)
    Milliseconds timeout{10000};
    RetryPolicy retry;
    std::string ca_file;                // --cacert
    // --attempts / --retry-on: when given they win over what the file says, field by field.
    std::optional<int> attempts_override;
    std::optional<std::set<FailureKind>> retry_on_override;
};

struct CheckSuite {
    std::vector<Check> checks;
    std::vector<std::string> warnings;  // e.g. "checks.yml:7:5: check 'x' skips TLS verification"
};

// `variables` may gain secret marks from the file's `secrets:` list.
CheckSuite read_check_file(std::string_view text, const std::string& file_name, Variables& variables,
                           const CheckDefaults& defaults);
// `index` is 1-based, for messages ("--check #2").
Check parse_inline_check(std::string_view text, int index, const Variables& variables, const CheckDefaults& defaults);

// "500ms" -> 500 ms. Throws gantry::ValueError with a reason.
Milliseconds parse_duration(std::string_view text);
// The duration input `name` (--name / INPUT_NAME), else `fallback`; a bad value is a UsageError naming
// the flag. Shared by the tools whose options take durations (smoke-test, bluegreen-switch).
Milliseconds duration_input(const Inputs& inputs, const std::string& name, const std::string& fallback);
// "200" / "2xx" / "500-503". Throws gantry::ValueError.
StatusRange parse_status_range(std::string_view text);
// URL resolved against a base: absolute URLs stay; "/x" and "x" join the base.
std::string resolve_url(std::string_view base, std::string_view url);
// Suffixes " (2)", " (3)" to repeated names, in order.
void make_names_unique(std::vector<Check>& checks);

}  // namespace gantry::checks

namespace gantry::checks {
// "refused", "dns", "timeout", "5xx", "assertion", "tls", "all" -> kinds. Throws gantry::ValueError.
std::set<FailureKind> parse_retry_on(const std::vector<std::string>& names);
// The part after "json:" of an inline assertion: "/status==ok", "/n>=3", "/a:array", "/x".
JsonAssertion parse_inline_json(std::string_view spec);
}  // namespace gantry::checks
