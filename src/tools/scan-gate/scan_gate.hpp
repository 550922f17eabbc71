// scan-gate's testable entry point: read the reports, judge them, and describe the verdict.
//
// run() performs no printing: it returns an Outcome (text, JSON verdict, step summary, annotations,
// outputs and the converted files) that main() hands to gantry::deliver(). Bad reports, policies or
// waiver files throw InputError (exit 2); a failed policy is ExitCode::Failed (exit 1).
#pragma once

#include "gantry/cli/outcome.hpp"
#include "gantry/platform/environment.hpp"
#include "scan-gate/options.hpp"

namespace scan_gate {

gantry::Outcome run(const Options& options, const gantry::Environment& environment);

}  // namespace scan_gate
