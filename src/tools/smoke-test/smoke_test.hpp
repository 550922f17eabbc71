// smoke-test's testable entry point: read the checks, run them, describe the result.
//
// options_from_inputs() validates the command line (bad values are UsageErrors, exit 2). run() reads
// the check file and inline checks (InputError with file:line:column, exit 2), runs them with the
// check engine (gantry/checks) and returns an Outcome with the text, JSON, step summary, annotations,
// outputs, the JUnit file and the secrets to mask; exit 1 when a check failed (or was flaky with
// --fail-on-flaky). Progress lines go to `progress` as checks finish, masked; the caller picks the
// stream (stderr) and whether it is a live line (a TTY) or plain lines (CI).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "gantry/checks/check.hpp"
#include "gantry/cli/inputs.hpp"
#include "gantry/cli/outcome.hpp"
#include "gantry/platform/environment.hpp"
#include "smoke-test/shard.hpp"

namespace smoke_test {

using gantry::checks::Milliseconds;


enum class FlakyPolicy { Pass, Fail };

struct Options {
    std::string check_file;
    std::vector<std::string> inline_checks;
    std::vector<std::string> variables;         // NAME=VALUE
    std::vector<std::string> secret_variables;  // names
    std::string base_url;
    std::string ca_file;
    Milliseconds timeout{10000};
    std::optional<int> attempts;                // set: overrides the file
    std::optional<std::vector<std::string>> retry_on;
    Milliseconds retry_delay{500};
    Milliseconds max_retry_delay{10000};
    std::optional<Milliseconds> deadline;
    int consecutive = 1;
    FlakyPolicy flaky = FlakyPolicy::Pass;
    int concurrency = 10;
    int host_connections = 10;                  // options_from_inputs: --host-connections, else concurrency
    Shard shard;
    std::string junit_file;
    gantry::Verbosity verbosity = gantry::Verbosity::Normal;
};

enum class ProgressStyle { None, LiveLine, PlainLines };
struct Progress {
    ProgressStyle style = ProgressStyle::None;
    std::ostream* out = nullptr;
};

Options options_from_inputs(const gantry::CommandLine& command_line);
// Reads the inputs that say which checks to run (file, check, var, secret-var, base-url, cacert,
// timeout) into `options`; shared by the plain run and the load test.
void read_check_source_inputs(const gantry::Inputs& inputs, Options& options);

// The checks of the file and the inline checks, names made unique, with the warnings about them and
// every secret they hold. InputError / UsageError on bad input.
struct CheckSet {
    std::vector<gantry::checks::Check> checks;
    std::vector<std::string> warnings;
    std::vector<std::string> secrets;
};
CheckSet read_checks(const Options& options, const gantry::Environment& environment);
gantry::Outcome run(const Options& options, const gantry::Environment& environment, const Progress& progress = {});

// A whole-number input (>= minimum, at most 1,000,000), `fallback` when not given. Throws UsageError.
long long whole_number(const gantry::Inputs& inputs, const std::string& name, long long minimum, long long fallback);
// "2/4" -> {2, 4}. Throws UsageError.
Shard parse_shard(const std::string& text);
// Nearest-rank percentile of the values (0 when empty).
long long percentile(std::vector<long long> values, double percent);

}  // namespace smoke_test
