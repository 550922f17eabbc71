// Turning the results of a run into everything a user sees: the text, the JSON verdict, the step
// summary, annotations, outputs and the JUnit file (one test case per check, unique names).
//
// Reports list checks in input order. Times are milliseconds; p50/p95 are nearest-rank over the
// last attempt of every check that got an answer. Secrets are not handled here: deliver() masks the
// whole Outcome with outcome.secrets, which run() fills.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gantry/checks/check.hpp"
#include "gantry/checks/check_runner.hpp"
#include "gantry/cli/outcome.hpp"
#include "smoke-test/smoke_test.hpp"

namespace smoke_test {

struct RunReport {
    const std::vector<gantry::checks::Check>& checks;
    const std::vector<gantry::checks::CheckResult>& results;
    std::vector<std::string> warnings;
    std::chrono::milliseconds elapsed{0};
};

gantry::Outcome render_outcome(const RunReport& report, const Options& options);

// One line about a finished check, for progress and the text report: "PASS  name  200  35 ms".
std::string describe_result(const gantry::checks::Check& check, const gantry::checks::CheckResult& result);

}  // namespace smoke_test
