// scan-gate: parse options, run the gate, deliver the verdict, exit.
#include "gantry/cli/tool_main.hpp"
#include "scan-gate/scan_gate.hpp"
#include "scan-gate/scan_gate_spec.hpp"

int main(int argc, char** argv) {
    return gantry::tool_main(scan_gate::spec(), argc, argv,
                             [](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                 const auto color = command_line.color ? scan_gate::Color::On : scan_gate::Color::Off;
                                 return scan_gate::run(scan_gate::options_from_inputs(command_line.inputs, color),
                                                       environment);
                             });
}
