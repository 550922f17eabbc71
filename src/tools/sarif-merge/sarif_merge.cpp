#include "sarif-merge/sarif_merge.hpp"

#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"
#include "gantry/report/gitlab_sast_report.hpp"
#include "gantry/report/markdown.hpp"
#include "gantry/sarif/sarif_merger.hpp"
#include "gantry/version.hpp"

namespace sarif_merge {

Options options_from_inputs(const gantry::Inputs& inputs) {
    Options options;
    options.inputs = inputs.list("sarif");
    if (options.inputs.empty()) {
        throw gantry::UsageError("no SARIF files given: pass files, directories or globs as arguments "
                                 "(or the `sarif` input, INPUT_SARIF)");
    }
    options.output = inputs.get_or("output", "merged.sarif");
    if (options.output.empty()) throw gantry::UsageError("--output needs a file name");
    options.category = inputs.get_or("category", "");
    options.source_root = inputs.get_or("source-root", "");
    options.format = inputs.get_or("to", "sarif") == "gitlab-sast" ? OutputFormat::GitlabSast : OutputFormat::Sarif;
    options.layout = inputs.flag("pretty") ? Layout::Pretty : Layout::Minified;
    return options;
}

namespace {

std::string merged_text(gantry::SarifMerger& merger) {
    std::ostringstream out;
    merger.write(out);
    return std::move(out).str();
}

}  // namespace

gantry::Outcome run(const Options& options, const gantry::Environment& /*environment*/) {
    const auto paths = gantry::expand_report_paths(options.inputs);
    gantry::SarifMerger merger({.category = options.category, .source_root = options.source_root});
    for (const auto& path : paths) merger.add_file(path);

    std::size_t runs_out = 0;
    std::size_t results_out = 0;
    if (options.format == OutputFormat::GitlabSast) {
        const gantry::Report report = gantry::read_report_text(merged_text(merger), options.output);
        gantry::GitlabReportOptions gitlab;
        gitlab.analyzer_name = "gantry sarif-merge";
        gitlab.analyzer_version = gantry::build_info::kVersion;
        gantry::write_file_atomically(options.output, gantry::render_gitlab_sast(report.findings, gitlab));
        results_out = report.findings.size();
    } else if (options.layout == Layout::Pretty) {
        const auto log = nlohmann::json::parse(merged_text(merger));
        gantry::write_file_atomically(options.output, log.dump(2) + "\n");
    } else {
        gantry::write_file_atomically(options.output, [&](std::ostream& out) { merger.write(out); });
    }
    const gantry::SarifMergeStats& stats = merger.stats();
    runs_out = stats.runs_written;
    if (options.format == OutputFormat::Sarif) results_out = stats.results_written;

    gantry::Outcome outcome("sarif-merge");
    outcome.headline = fmt::format("sarif-merge: {} file{} ({} runs, {} results) -> {}: {} runs, {} results, {} "
                                   "duplicate{} removed",
                                   stats.files, stats.files == 1 ? "" : "s", stats.runs_read, stats.results_read,
                                   options.output, runs_out, results_out, stats.duplicates_removed,
                                   stats.duplicates_removed == 1 ? "" : "s");
    outcome.text = outcome.headline + "\n";
    if (stats.fingerprints_added || stats.uris_rebased) {
        outcome.text += fmt::format("source root {}: {} fingerprints added, {} URIs made relative\n",
                                    options.source_root, stats.fingerprints_added, stats.uris_rebased);
    }
    outcome.warnings = stats.warnings;
    outcome.json = {{"tool", "sarif-merge"},
                    {"version", gantry::build_info::kVersion},
                    {"output", options.output},
                    {"format", options.format == OutputFormat::Sarif ? "sarif" : "gitlab-sast"},
                    {"files", stats.files},
                    {"runs-read", stats.runs_read},
                    {"results-read", stats.results_read},
                    {"runs", runs_out},
                    {"results", results_out},
                    {"duplicates-removed", stats.duplicates_removed},
                    {"fingerprints-added", stats.fingerprints_added},
                    {"uris-rebased", stats.uris_rebased},
                    {"warnings", stats.warnings}};

    gantry::MarkdownTable table({"", "Files", "Runs", "Results"});
    table.add_row({"Read", std::to_string(stats.files), std::to_string(stats.runs_read), std::to_string(stats.results_read)});
    table.add_row({"Written", "1", std::to_string(runs_out), std::to_string(results_out)});
    outcome.summary_markdown = fmt::format("## sarif-merge\n\nMerged into `{}`: **{}** duplicate result{} removed.\n\n{}\n",
                                           options.output, stats.duplicates_removed,
                                           stats.duplicates_removed == 1 ? "" : "s", table.render());
    if (!stats.warnings.empty()) {
        std::string list;
        for (const auto& w : stats.warnings) list += "- " + gantry::markdown_escape(w) + "\n";
        outcome.summary_markdown += gantry::markdown_details(fmt::format("Accepted quirks ({})", stats.warnings.size()), list);
    }
    outcome.outputs.set("sarif-file", options.output);
    outcome.outputs.set("runs", static_cast<long long>(runs_out));
    outcome.outputs.set("results", static_cast<long long>(results_out));
    outcome.outputs.set("duplicates-removed", static_cast<long long>(stats.duplicates_removed));
    return outcome;
}

}  // namespace sarif_merge
