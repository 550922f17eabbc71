#include "sarif-merge/sarif_merge_spec.hpp"
#include "sarif-merge/sarif_validate_spec.hpp"

namespace sarif_merge {

namespace {

gantry::ToolSpec make_spec() {
    using gantry::InputType;
    gantry::ToolSpec s;
    s.name = "sarif-merge";
    s.summary = "Merge SARIF files into one file that GitHub code scanning accepts";
    s.description =
        "sarif-merge reads SARIF 2.1.0 files, directories (searched for *.sarif and *.json) and glob "
        "patterns and writes one SARIF log. Runs of the same tool (driver name) and category become one "
        "run; different tools stay separate runs. Every index the merge moves is rewritten (ruleIndex, "
        "rule.index with tool extensions, artifactLocation.index), rules no result uses are dropped, and "
        "each run gets a unique automationDetails.id, so the upload never meets \"multiple runs with the "
        "same category\".\n\n"
        "Results with one identity are written once per run; the summary says how many were removed. "
        "The identity (scan-gate counts SARIF results by it too) is the rule and fingerprints, else the "
        "rule, the artifact and partialFingerprints, else the rule, the message as stated (text, "
        "markdown, or id and arguments) and the primary location's artifact and region. With "
        "--source-root, file:// URIs under it become repository-relative and missing "
        "primaryLocationLineHash fingerprints are computed from the sources the way GitHub's upload "
        "action does.\n\n"
        "Filters keep what matters: --min-level, --min-security-severity, --include and --exclude (path "
        "globs on the primary location; `*` stays within a directory, `**` crosses them, a pattern without "
        "\"/\" matches any path segment), --rules and --exclude-rules (globs on rule ids). Results without "
        "source - container image findings, package URLs, files missing under --source-root - get a "
        "stable fingerprint from rule, artifact and package instead of a line hash.\n\n"
        "--for github (the default inside GitHub Actions) makes the output fit code scanning: at most 1,000 "
        "locations and 10,000 thread-flow locations per result, 20 tags per rule, the 25,000 most severe "
        "results per run; over 10 MB gzipped, snippets, context regions and extra code flows are dropped; "
        "still too large, or more than 20 runs, and the output is split into merged.1.sarif, "
        "merged.2.sarif, ... beside -o, each run with its own category. Every such change is listed in "
        "the text output, the step summary and --json.\n\n"
        "Results are streamed through temporary files, so memory stays far below the size of the input. "
        "Inputs may be gzip-compressed. The output is minified unless --pretty is given, gzip-compressed "
        "with --gzip, and written atomically. --to gitlab-sast writes a GitLab SAST report instead.\n\n"
        "`sarif-merge validate FILE...` checks files against the SARIF structure GitHub relies on and its "
        "limits, and names every problem by JSON pointer (see `sarif-merge validate --help`).";
    s.inputs = {
        {.name = "sarif",
         .type = InputType::List,
         .description = "SARIF files, directories or glob patterns to merge. One per line when given as an "
                        "action input.",
         .value_name = "FILE",
         .requirement = gantry::Requirement::Required,
         .positional = gantry::Positional::Yes},
        {.name = "output",
         .type = InputType::String,
         .description = "Where to write the merged file.",
         .default_value = "merged.sarif",
         .value_name = "FILE",
         .short_flag = 'o',
         .artifact = gantry::Artifact::File},
        {.name = "category",
         .type = InputType::String,
         .description = "Category for every merged run (automationDetails.id); by default each run keeps "
                        "its own, or one derived from the tool name.",
         .value_name = "CATEGORY"},
        {.name = "source-root",
         .type = InputType::String,
         .description = "The repository checkout: file:// URIs under it become relative, and missing "
                        "primaryLocationLineHash fingerprints are computed from its files.",
         .value_name = "DIR"},
        {.name = "to",
         .type = InputType::String,
         .description = "Output format: sarif, or gitlab-sast for a GitLab SAST report (schema 15.2.1).",
         .default_value = "sarif",
         .value_name = "FORMAT",
         .choices = {"sarif", "gitlab-sast"}},
        {.name = "for",
         .type = InputType::String,
         .description = "Fit the output to an upload target: github (GitHub code scanning's limits; the "
                        "default inside GitHub Actions) or none.",
         .value_name = "TARGET",
         .choices = {"github", "none"}},
        {.name = "min-level",
         .type = InputType::String,
         .description = "Leave out results below this level (none, note, warning, error); a result's "
                        "level defaults to its rule's, else warning.",
         .value_name = "LEVEL",
         .choices = {"none", "note", "warning", "error"}},
        {.name = "min-security-severity",
         .type = InputType::Number,
         .description = "Leave out results whose security-severity (result or rule property) is below "
                        "this number, and results without one (9.0 critical, 7.0 high, 4.0 medium).",
         .value_name = "SCORE"},
        {.name = "include",
         .type = InputType::List,
         .description = "Keep only results whose primary location matches one of these path globs.",
         .value_name = "GLOB"},
        {.name = "exclude",
         .type = InputType::List,
         .description = "Leave out results whose primary location matches one of these path globs.",
         .value_name = "GLOB"},
        {.name = "rules",
         .type = InputType::List,
         .description = "Keep only results of rules whose id matches one of these globs.",
         .value_name = "GLOB"},
        {.name = "exclude-rules",
         .type = InputType::List,
         .description = "Leave out results of rules whose id matches one of these globs.",
         .value_name = "GLOB"},
        {.name = "pretty",
         .type = InputType::Boolean,
         .description = "Indent the output, two spaces per level (streamed to the file like the minified output)."},
        {.name = "gzip",
         .type = InputType::Boolean,
         .description = "Write the output gzip-compressed (name it .sarif.gz)."},
    };
    s.outputs = {
        {"sarif-file", "Path of the merged file"},
        {"runs", "Runs in the merged file"},
        {"results", "Results in the merged file"},
        {"duplicates-removed", "Duplicate results left out"},
        {"filtered", "Results left out by the filters"},
        {"files", "Every file written, one per line (more than one when --for github had to split)"},
    };
    s.examples = {
        {"Merge every SARIF file under reports/ for one upload",
         "sarif-merge -o merged.sarif reports/"},
        {"Merge, make paths repository-relative and add GitHub's fingerprints",
         "sarif-merge --source-root \"$GITHUB_WORKSPACE\" -o merged.sarif codeql/*.sarif semgrep.sarif"},
        {"Only high and critical security alerts, without vendored code, fit for GitHub",
         "sarif-merge --for github --min-security-severity 7 --exclude 'vendor/**' -o merged.sarif scans/"},
        {"Check a file before uploading it",
         "sarif-merge validate merged.sarif"},
        {"Turn SARIF from several scanners into a GitLab SAST report",
         "sarif-merge --to gitlab-sast -o gl-sast-report.json 'scans/**/*.sarif'"},
    };
    s.branding_icon = "layers";
    s.branding_color = "blue";
    return s;
}

}  // namespace

const gantry::ToolSpec& spec() {
    static const gantry::ToolSpec instance = make_spec();
    return instance;
}

const gantry::CommandSet& commands() {
    static const gantry::CommandSet instance{&spec(), "merge", {{"validate", &validate_spec()}}};
    return instance;
}

}  // namespace sarif_merge
