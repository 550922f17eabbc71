// scan-gate: parse options, run the gate, deliver the verdict, exit.
#include <cstdio>
#include <iostream>

#include "gantry/cli/generate.hpp"
#include "gantry/cli/outcome.hpp"
#include "scan-gate/scan_gate.hpp"
#include "scan-gate/scan_gate_spec.hpp"

int main(int argc, char** argv) {
    const gantry::Environment environment = gantry::Environment::from_process();
    const gantry::ToolSpec& spec = scan_gate::spec();
    gantry::CommandLine command_line;
    try {
        command_line = gantry::parse_command_line(spec, argc, argv, environment);
        switch (command_line.action) {
            case gantry::Action::Help: std::cout << gantry::render_help(spec); return 0;
            case gantry::Action::Version: std::cout << gantry::render_version(spec); return 0;
            case gantry::Action::Generate: std::cout << gantry::render_generated(spec, command_line.generate_what); return 0;
            case gantry::Action::Run: break;
        }
        const auto color = command_line.color ? scan_gate::Color::On : scan_gate::Color::Off;
        const scan_gate::Options options = scan_gate::options_from_inputs(command_line.inputs, color);
        return gantry::deliver(scan_gate::run(options, environment), command_line, environment);
    } catch (const std::exception& error) {
        return gantry::report_error(spec, error, &command_line, environment);
    }
}
