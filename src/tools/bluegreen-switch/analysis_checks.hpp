// The check files of an analysis's `kind: checks` metrics (analysis_file.hpp), read before any
// traffic moves and run against the new colour at each of the metric's intervals.
//
// load_analysis_checks() reads every checks metric's file as --verify's is read (color_checks.hpp:
// ${COLOR}, ${TARGET} and the environment's variables, for both colours): a file that is not there
// is an InputError at the analysis file's `file:` line; a malformed one an InputError at the check
// file's own line:column (exit 2 either way). The result maps each checks metric's name to its
// checks; the switch inputs keep them (their secrets mask the output) and the analysis runs them.
#pragma once

#include <map>
#include <string>

#include "bluegreen-switch/analysis_file.hpp"
#include "bluegreen-switch/color_checks.hpp"
#include "bluegreen-switch/provider_settings.hpp"
#include "gantry/platform/environment.hpp"

namespace bluegreen_switch {

using AnalysisChecks = std::map<std::string, ColorChecks>;

AnalysisChecks load_analysis_checks(const AnalysisSpec& spec, const ProviderSettings& provider, const std::string& ca_file,
                                    const gantry::Environment& environment);

}  // namespace bluegreen_switch
