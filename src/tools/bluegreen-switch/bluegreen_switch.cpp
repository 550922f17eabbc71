#include "bluegreen-switch/bluegreen_switch.hpp"

#include "bluegreen-switch/switch_flow.hpp"
#include "bluegreen-switch/switch_report.hpp"

namespace bluegreen_switch {

gantry::Outcome run(const Options& options, const gantry::Environment& environment, const Progress& progress) {
    gantry::Outcome outcome("bluegreen-switch");
    Flow flow(options, environment, progress);
    outcome.exit_code = flow.run();
    outcome.secrets = flow.secrets();
    outcome.warnings = flow.warnings();
    describe(flow.record(), options, outcome);
    return outcome;
}

}  // namespace bluegreen_switch
