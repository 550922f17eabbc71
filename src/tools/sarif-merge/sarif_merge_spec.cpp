#include "sarif-merge/sarif_merge_spec.hpp"

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
        "Results with the same rule and partialFingerprints - or, without fingerprints, the same rule, "
        "primary location and message - are written once; the summary says how many were removed. With "
        "--source-root, file:// URIs under it become repository-relative and missing "
        "primaryLocationLineHash fingerprints are computed from the sources the way GitHub's upload "
        "action does.\n\n"
        "Results are streamed through temporary files, so memory stays far below the size of the input. "
        "The output is minified unless --pretty is given and is written atomically. --to gitlab-sast "
        "writes a GitLab SAST report instead.";
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
         .short_flag = 'o'},
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
        {.name = "pretty",
         .type = InputType::Boolean,
         .description = "Indent the output (it is held in memory to do so; leave it off for large inputs)."},
    };
    s.outputs = {
        {"sarif-file", "Path of the merged file"},
        {"runs", "Runs in the merged file"},
        {"results", "Results in the merged file"},
        {"duplicates-removed", "Duplicate results left out"},
    };
    s.examples = {
        {"Merge every SARIF file under reports/ for one upload",
         "sarif-merge -o merged.sarif reports/"},
        {"Merge, make paths repository-relative and add GitHub's fingerprints",
         "sarif-merge --source-root \"$GITHUB_WORKSPACE\" -o merged.sarif codeql/*.sarif semgrep.sarif"},
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

}  // namespace sarif_merge
