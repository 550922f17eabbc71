// semver-tag: parse options, plan the release, tag it (or, as `semver-tag explain`, say why), deliver, exit.
#include <string_view>

#include "gantry/cli/tool_main.hpp"
#include "semver-tag/semver_tag.hpp"
#include "semver-tag/semver_tag_spec.hpp"

int main(int argc, char** argv) {
    // `explain` takes the same inputs and never writes: it shifts argv and switches the mode.
    const bool explain = argc > 1 && std::string_view(argv[1]) == "explain";
    const semver_tag::Mode mode = explain ? semver_tag::Mode::Explain : semver_tag::Mode::Release;
    return gantry::tool_main(semver_tag::spec(), explain ? argc - 1 : argc, explain ? argv + 1 : argv,
                             [mode](const gantry::CommandLine& command_line, const gantry::Environment& environment) {
                                 return semver_tag::run(semver_tag::options_from_inputs(command_line.inputs, mode),
                                                        environment);
                             });
}
