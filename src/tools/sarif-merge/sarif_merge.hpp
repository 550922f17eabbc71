// sarif-merge's testable entry point: merge the inputs, write the output file, describe what happened.
//
// run() writes the merged file itself (atomically, streamed from the merger's spool files, so a large
// merge never sits in memory as one string) and returns an Outcome with the text, JSON, summary and
// outputs for main() to deliver. Bad input throws InputError (exit 2); a file that cannot be written
// throws EnvironmentError (exit 3).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gantry/cli/inputs.hpp"
#include "gantry/cli/outcome.hpp"
#include "gantry/platform/environment.hpp"
#include "gantry/sarif/sarif_merger.hpp"

namespace sarif_merge {

enum class OutputFormat { Sarif, GitlabSast };

struct Options {
    std::vector<std::string> inputs;
    std::string output = "merged.sarif";
    std::string category;
    std::string source_root;
    OutputFormat format = OutputFormat::Sarif;
    gantry::SarifLayout layout = gantry::SarifLayout::Minified;
    gantry::Compression compression = gantry::Compression::None;
    std::optional<gantry::UploadTarget> target;  // unset: github inside GitHub Actions, else none
    gantry::SarifFilter filter;
};

Options options_from_inputs(const gantry::Inputs& inputs);
gantry::Outcome run(const Options& options, const gantry::Environment& environment);

}  // namespace sarif_merge
