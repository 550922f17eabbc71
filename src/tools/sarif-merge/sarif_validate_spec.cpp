#include "sarif-merge/sarif_validate_spec.hpp"

#include <cstddef>
#include <string>

#include <fmt/format.h>

#include "gantry/sarif/github_limits.hpp"
#include "gantry/sarif/sarif_validator.hpp"

namespace sarif_merge {

namespace {

namespace github_limits = gantry::github_limits;

// 25000 -> "25,000", as the help text writes numbers.
std::string grouped(std::size_t number) {
    std::string digits = std::to_string(number);
    for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
    return digits;
}

gantry::ToolSpec make_validate_spec() {
    using gantry::InputType;
    gantry::ToolSpec s;
    s.name = "sarif-merge validate";
    s.summary = "Check SARIF files against the SARIF 2.1.0 structure and GitHub code scanning's limits";
    s.description =
        "sarif-merge validate reads SARIF files, directories (searched for *.sarif and *.json) and glob "
        "patterns and reports every problem that would make GitHub code scanning, or another SARIF 2.1.0 "
        "consumer, reject or misread them. Each problem names the file, the line:column and JSON pointer "
        "of the value at fault (for a missing member, where it belongs) and says what was expected.\n\n"
        "Checked: a root object with version \"2.1.0\" (a missing version is only a warning) and an array "
        "of runs; a non-empty tool.driver.name; results that are objects with message.text, a level of "
        "none, note, warning or error and a kind from SARIF's list; ruleIndex and rule.index within the "
        "driver's rules, or the rules of the extension that rule.toolComponent.index names, and ruleId "
        "agreeing with the rule found there; locations and regions (lines and columns start at 1, endLine "
        "is not before startLine); artifactLocation.index within run.artifacts; string URIs, rule ids, "
        "fingerprints and automationDetails.id; security-severity from 0 to 10. A dangling ruleIndex beside "
        "a ruleId, or artifactLocation.index beside a uri, is only a warning: GitHub finds the rule and the "
        "file by those.\n\n" +
        fmt::format("With --for github (the default) GitHub's upload limits are checked too: {} runs per file, "
                    "{} results and {} rules per run, {} tool extensions per run, {} locations and {} thread-flow "
                    "locations per result, {} tags per rule, {} MiB gzipped, and no two runs with the same tool "
                    "and category (rejected since July 2025). --for none checks the structure only.\n\n",
                    grouped(github_limits::kRunsPerFile), grouped(github_limits::kResultsPerRun),
                    grouped(github_limits::kRulesPerRun), grouped(github_limits::kExtensionsPerRun),
                    grouped(github_limits::kLocationsPerResult),
                    grouped(github_limits::kThreadFlowLocationsPerResult), grouped(github_limits::kTagsPerRule),
                    github_limits::kGzippedBytes / (1024 * 1024)) +
        fmt::format("At most {} problems are listed per file, then how many more there are. Exit status: 0 "
                    "when every file is valid (warnings allowed), 1 when any file has errors, 2 when a file "
                    "cannot be read or is not JSON. Files are streamed and results checked one at a time, so "
                    "memory stays at a few MB whatever the size of the file; gzip-compressed files (.sarif.gz) "
                    "are read as they are.",
                    gantry::SarifValidationOptions{}.problems_kept);
    s.inputs = {
        {.name = "sarif",
         .type = InputType::List,
         .description = "SARIF files, directories or glob patterns to check. One per line when given as an "
                        "action input.",
         .value_name = "FILE",
         .requirement = gantry::Requirement::Required,
         .positional = gantry::Positional::Yes},
        {.name = "for",
         .type = InputType::String,
         .description = "Whose rules to check besides the SARIF 2.1.0 structure: github adds GitHub code "
                        "scanning's upload limits, none checks the structure only.",
         .default_value = "github",
         .value_name = "CONSUMER",
         .choices = {"github", "none"}},
    };
    s.outputs = {
        {"valid", "true when every file is valid (warnings allowed), else false"},
        {"errors", "Errors found in all files together"},
    };
    s.examples = {
        {"Check a file before uploading it to GitHub code scanning", "sarif-merge validate results.sarif"},
        {"Check every SARIF file under reports/ and keep the details as JSON",
         "sarif-merge validate --json validation.json reports/"},
        {"Check the structure only, for a consumer other than GitHub",
         "sarif-merge validate --for none 'scans/**/*.sarif'"},
    };
    s.branding_icon = "check-square";
    s.branding_color = "blue";
    return s;
}

}  // namespace

const gantry::ToolSpec& validate_spec() {
    static const gantry::ToolSpec instance = make_validate_spec();
    return instance;
}

}  // namespace sarif_merge
