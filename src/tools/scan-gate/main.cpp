// scan-gate: parse options, run the gate, deliver the verdict, exit.
#include "gantry/cli/outcome.hpp"
#include "gantry/cli/tool_main.hpp"
#include "scan-gate/scan_gate.hpp"
#include "scan-gate/scan_gate_spec.hpp"

int main(int argc, char** argv) {
    return gantry::tool_main(scan_gate::spec(), argc, argv,
                             [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                 const auto color = command_line.color ? scan_gate::Color::On : scan_gate::Color::Off;
                                 scan_gate::Options options = scan_gate::options_from_inputs(command_line.inputs, color);
                                 if (!gantry::machine_verdict_wanted(command_line))
                                     options.json_verdict = scan_gate::JsonVerdict::Skipped;
                                 return scan_gate::run(options, environment);
                             });
}
