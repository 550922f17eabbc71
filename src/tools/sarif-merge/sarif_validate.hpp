// `sarif-merge validate`'s testable entry point: check every SARIF file, describe what is wrong.
//
// run_validate() validates each file with gantry::SarifValidator and returns an Outcome for main()
// to deliver: one line per problem ("FILE:LINE:COLUMN: /pointer: message", at most 50 per file, then
// how many more), the --json verdict (per file: valid, errors and warnings with pointer, line,
// column and message, counts, runs, results), a step summary table, annotations on GitHub, and the
// outputs `valid` and `errors`. Exit code 1 when any file has an error (warnings do not fail); a file
// that cannot be read or is not JSON throws InputError (exit 2).
#pragma once

#include <string>
#include <vector>

#include "gantry/cli/inputs.hpp"
#include "gantry/cli/outcome.hpp"
#include "gantry/platform/environment.hpp"
#include "gantry/sarif/sarif_validator.hpp"

namespace sarif_merge {

struct ValidateOptions {
    std::vector<std::string> inputs;
    gantry::SarifLimits limits = gantry::SarifLimits::Github;
};

ValidateOptions validate_options_from_inputs(const gantry::Inputs& inputs);
gantry::Outcome run_validate(const ValidateOptions& options, const gantry::Environment& environment);
// The Outcome for validations already made (run_validate's second half, for tests).
gantry::Outcome validation_outcome(const std::vector<gantry::SarifValidation>& validations, gantry::SarifLimits limits);

}  // namespace sarif_merge
