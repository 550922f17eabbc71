#include "sarif-merge/sarif_merge.hpp"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/gzip.hpp"
#include "gantry/base/error.hpp"
#include "gantry/base/plural.hpp"
#include "gantry/findings/report_formats.hpp"
#include "gantry/findings/report_reader.hpp"
#include "gantry/json/json_stream.hpp"
#include "gantry/platform/clock.hpp"
#include "gantry/platform/log_text.hpp"
#include "gantry/report/gitlab_sast_report.hpp"
#include "gantry/report/markdown.hpp"
#include "gantry/report/summary_headline.hpp"
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
    options.layout = inputs.flag("pretty") ? gantry::SarifLayout::Pretty : gantry::SarifLayout::Minified;
    options.compression = inputs.flag("gzip") ? gantry::Compression::Gzip : gantry::Compression::None;
    if (const std::string target = inputs.get_or("for", ""); !target.empty()) {
        options.target = target == "github" ? gantry::UploadTarget::Github : gantry::UploadTarget::Any;
    }
    if (const std::string level = inputs.get_or("min-level", ""); !level.empty()) {
        options.filter.min_level = gantry::parse_sarif_level(level);
    }
    options.filter.min_security_severity = inputs.number("min-security-severity");
    options.filter.include_paths = inputs.list("include");
    options.filter.exclude_paths = inputs.list("exclude");
    options.filter.rules = inputs.list("rules");
    options.filter.exclude_rules = inputs.list("exclude-rules");
    return options;
}

namespace {

// --to gitlab-sast reads the merged log back as findings. It goes to a private temporary folder and is
// read through a JsonStream, one result at a time, so the log is never held whole, as text or as a
// document: memory is the findings (the report's scan block and ids need them all) and the buffer.
gantry::Report merged_findings(gantry::SarifMerger& merger, const std::string& name) {
    std::string pattern = (std::filesystem::temp_directory_path() / "gantry-sarif-merge-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw gantry::EnvironmentError(fmt::format("cannot create a temporary folder in {} for the merged log",
                                                   std::filesystem::temp_directory_path().string()));
    }
    const std::filesystem::path folder = pattern;
    struct RemoveFolder {
        const std::filesystem::path& folder;
        ~RemoveFolder() {
            std::error_code ignored;
            std::filesystem::remove_all(folder, ignored);
        }
    } remove_folder{folder};
    const auto written = merger.write_files(folder / "merged.sarif", gantry::Compression::None);
    gantry::JsonStream stream(gantry::open_plain_file(written.front().path, name), name);
    return gantry::read_sarif_report(stream);
}

using gantry::plural;

// GitHub's limit is 10 MB gzipped; a small file is shown in KB rather than as "0.0 MB".
std::string gzipped_size(std::size_t bytes) {
    if (bytes == 0) return "-";  // not measured (only --for github measures it)
    if (bytes < 1'000'000) return fmt::format("{:.1f} KB", static_cast<double>(bytes) / 1e3);
    return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

// "Merged 3 files (4 runs, 120 results) into `merged.sarif`: 3 runs, 100 results. **20** duplicate
// results removed, **5** left out by the filters." with file names as code and the prose as prose.
std::string summary_why(const gantry::SarifMergeStats& stats, const std::vector<gantry::SarifOutputFile>& files,
                        std::size_t runs_out, std::size_t results_out) {
    using gantry::MarkdownContext;
    std::string into = gantry::markdown_escape(files.front().path.string(), MarkdownContext::InlineCode);
    if (files.size() > 1) into = fmt::format("{} upload files ({}, ...)", files.size(), into);
    std::string why = fmt::format("Merged {} ({}, {}) into {}: {}, {}. **{}** duplicate result{} removed",
                                  plural(stats.files, "file"), plural(stats.runs_read, "run"),
                                  plural(stats.results_read, "result"), into, plural(runs_out, "run"),
                                  plural(results_out, "result"), stats.duplicates_removed,
                                  stats.duplicates_removed == 1 ? "" : "s");
    if (stats.filtered) why += fmt::format(", **{}** left out by the filters", stats.filtered);
    return why + ".";
}

// One line per kind of change for the terminal, summed over runs (--json and the summary keep runs).
std::vector<std::string> change_lines(const std::vector<gantry::SarifChange>& changes) {
    struct Total {
        std::size_t count = 0;
        std::vector<std::string> runs;
    };
    std::vector<std::pair<std::string, Total>> totals;
    for (const auto& change : changes) {
        const std::string key = change.kind + (change.detail.empty() ? "" : " (" + change.detail + ")");
        auto it = std::find_if(totals.begin(), totals.end(), [&](const auto& t) { return t.first == key; });
        if (it == totals.end()) it = totals.insert(totals.end(), {key, {}});
        it->second.count += change.count;
        if (!change.run.empty()) it->second.runs.push_back(change.run);
    }
    std::vector<std::string> lines;
    for (const auto& [key, total] : totals) {
        std::string line = fmt::format("{}: {}", key, total.count);
        if (total.runs.size() == 1) line += " in " + total.runs.front();
        if (total.runs.size() > 1) line += fmt::format(" in {} runs", total.runs.size());
        lines.push_back(gantry::log_text(line));
    }
    return lines;
}

}  // namespace

gantry::Outcome run(const Options& options, const gantry::Environment& environment) {
    const std::string started_at = gantry::utc_timestamp_without_zone(gantry::stamp_time(environment));
    const auto paths = gantry::expand_report_paths(options.inputs);
    const gantry::UploadTarget target = options.target.value_or(
        gantry::detect_platform(environment) == gantry::CiPlatform::GithubActions ? gantry::UploadTarget::Github
                                                                                : gantry::UploadTarget::Any);
    gantry::SarifMerger merger({.category = options.category,
                                .source_root = options.source_root,
                                .filter = options.filter,
                                .target = options.format == OutputFormat::Sarif ? target : gantry::UploadTarget::Any});
    for (const auto& path : paths) merger.add_file(path);

    std::vector<gantry::SarifOutputFile> files;
    std::size_t results_out = 0;
    if (options.format == OutputFormat::GitlabSast) {
        const gantry::Report report = merged_findings(merger, options.output);
        gantry::GitlabReportOptions gitlab;
        gitlab.analyzer_name = "gantry sarif-merge";
        gitlab.analyzer_version = gantry::build_info::kVersion;
        gitlab.start_time = started_at;
        gitlab.end_time = gantry::utc_timestamp_without_zone(gantry::stamp_time(environment));
        gantry::write_file_atomically(options.output,
                                      [&](std::ostream& out) { gantry::write_gitlab_sast(out, report.findings, gitlab); });
        results_out = report.findings.size();
        files.push_back({.path = options.output, .runs = merger.stats().runs_written, .results = results_out});
    } else {
        files = merger.write_files(options.output, options.compression, options.layout);
        results_out = merger.stats().results_written;
    }
    const gantry::SarifMergeStats& stats = merger.stats();
    const std::size_t runs_out = stats.runs_written;

    gantry::Outcome outcome("sarif-merge");
    const std::string destination =
        files.size() == 1 ? options.output : fmt::format("{} files ({} ...)", files.size(), files.front().path.string());
    outcome.headline = fmt::format("sarif-merge: {} ({} runs, {} results) -> {}: {} runs, {} results, {} removed",
                                   plural(stats.files, "file"), stats.runs_read, stats.results_read, gantry::log_text(destination), runs_out,
                                   results_out, plural(stats.duplicates_removed, "duplicate"));
    outcome.text = outcome.headline + "\n";
    if (stats.filtered) outcome.text += fmt::format("filters left out {}\n", plural(stats.filtered, "result"));
    if (stats.fingerprints_added || stats.uris_rebased) {
        outcome.text += fmt::format("source root {}: {} fingerprints added, {} URIs made relative\n",
                                    gantry::log_text(options.source_root), stats.fingerprints_added, stats.uris_rebased);
    }
    if (stats.synthetic_fingerprints) {
        outcome.text += fmt::format("{} without source got a fingerprint from rule, artifact and package\n",
                                    plural(stats.synthetic_fingerprints, "result"));
    }
    if (stats.results_repaired || stats.invalid_dropped) {
        outcome.text += fmt::format("{} not valid SARIF 2.1.0: {} repaired, {} left out\n",
                                    plural(stats.results_repaired + stats.invalid_dropped, "result"), stats.results_repaired,
                                    stats.invalid_dropped);
    }
    if (stats.external_files_read || stats.external_files_missing) {
        outcome.text += fmt::format("external property files: {} read, {} not found beside their log\n",
                                    stats.external_files_read, stats.external_files_missing);
    }
    for (const auto& line : change_lines(stats.changes)) outcome.text += line + "\n";
    if (files.size() > 1) {
        for (const auto& file : files) {
            outcome.text += fmt::format("  {}: {}, {}\n", gantry::log_text(file.path.string()), plural(file.runs, "run"),
                                        plural(file.results, "result"));
        }
    }
    outcome.warnings = stats.warnings;

    nlohmann::json changes = nlohmann::json::array();
    for (const auto& change : stats.changes) {
        changes.push_back({{"kind", change.kind}, {"run", change.run}, {"count", change.count}, {"detail", change.detail}});
    }
    nlohmann::json file_list = nlohmann::json::array();
    for (const auto& file : files) {
        nlohmann::json entry = {{"path", file.path.string()}, {"runs", file.runs}, {"results", file.results},
                                {"bytes", file.bytes}, {"categories", file.categories}};
        if (file.gzipped_bytes) entry["gzipped-bytes"] = file.gzipped_bytes;
        file_list.push_back(std::move(entry));
    }
    outcome.json = {{"tool", "sarif-merge"},
                    {"version", gantry::build_info::kVersion},
                    {"output", options.output},
                    {"format", options.format == OutputFormat::Sarif ? "sarif" : "gitlab-sast"},
                    {"for", target == gantry::UploadTarget::Github ? "github" : "none"},
                    {"files", stats.files},
                    {"runs-read", stats.runs_read},
                    {"results-read", stats.results_read},
                    {"runs", runs_out},
                    {"results", results_out},
                    {"duplicates-removed", stats.duplicates_removed},
                    {"filtered", stats.filtered},
                    {"fingerprints-added", stats.fingerprints_added},
                    {"synthetic-fingerprints", stats.synthetic_fingerprints},
                    {"uris-rebased", stats.uris_rebased},
                    {"results-repaired", stats.results_repaired},
                    {"invalid-dropped", stats.invalid_dropped},
                    {"external-files-read", stats.external_files_read},
                    {"external-files-missing", stats.external_files_missing},
                    {"changes", std::move(changes)},
                    {"written", std::move(file_list)},
                    {"warnings", stats.warnings}};

    gantry::MarkdownTable table({"", "Files", "Runs", "Results"});
    table.add_row({"Read", std::to_string(stats.files), std::to_string(stats.runs_read), std::to_string(stats.results_read)});
    table.add_row({"Written", std::to_string(files.size()), std::to_string(runs_out), std::to_string(results_out)});
    outcome.summary_markdown = gantry::summary_headline("sarif-merge", gantry::SummaryVerdict::Passed,
                                                        summary_why(stats, files, runs_out, results_out)) +
                               table.render() + "\n";
    if (!stats.changes.empty()) {
        gantry::MarkdownTable change_table({"Change", "Run", "Count", "Detail"});
        for (const auto& change : stats.changes) {
            change_table.add_row({change.kind, change.run.empty() ? "all" : change.run, std::to_string(change.count), change.detail});
        }
        outcome.summary_markdown += "### What was filtered, trimmed and split\n\n" + change_table.render() + "\n";
    }
    if (files.size() > 1) {
        gantry::MarkdownTable file_table({"File", "Runs", "Results", "Gzipped", "Categories"});
        for (const auto& file : files) {
            std::string categories;
            for (const auto& category : file.categories) categories += (categories.empty() ? "" : ", ") + category;
            file_table.add_raw_row({gantry::markdown_escape(file.path.string(), gantry::MarkdownContext::InlineCodeInTableCell),
                                    std::to_string(file.runs), std::to_string(file.results), gzipped_size(file.gzipped_bytes),
                                    gantry::markdown_escape(categories)});
        }
        outcome.summary_markdown += "### Upload files\n\n" + file_table.render() + "\n";
    }
    if (!stats.warnings.empty()) {
        std::string list;
        for (const auto& w : stats.warnings) list += "- " + gantry::markdown_escape(w, gantry::MarkdownContext::ListItem) + "\n";
        outcome.summary_markdown += gantry::markdown_details(fmt::format("Accepted quirks ({})", stats.warnings.size()), list);
    }
    std::string file_names;
    for (const auto& file : files) file_names += (file_names.empty() ? "" : "\n") + file.path.string();
    outcome.outputs.set("sarif-file", files.front().path.string());
    outcome.outputs.set("runs", static_cast<long long>(runs_out));
    outcome.outputs.set("results", static_cast<long long>(results_out));
    outcome.outputs.set("duplicates-removed", static_cast<long long>(stats.duplicates_removed));
    outcome.outputs.set("filtered", static_cast<long long>(stats.filtered));
    outcome.outputs.set("files", file_names);
    return outcome;
}

}  // namespace sarif_merge
