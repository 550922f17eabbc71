#include "scan-gate/scan_gate_spec.hpp"

namespace scan_gate {

using gantry::Exposure;
using gantry::InputSpec;
using gantry::InputType;
using gantry::Positional;

namespace {

gantry::ToolSpec make_spec() {
    gantry::ToolSpec s;
    s.name = "scan-gate";
    s.summary = "Enforce a vulnerability policy on Trivy, Grype, SARIF and GitLab security reports";
    s.description =
        "scan-gate reads any number of scanner reports (Trivy JSON, also of trivy k8s, Grype JSON, SARIF "
        "2.1.0 and 2.0.0, GitLab container- and dependency-scanning reports, CycloneDX 1.4-1.6 with "
        "vulnerabilities, OSV-Scanner JSON, npm audit JSON; the format is detected from the content), "
        "merges them into one set of findings (the same vulnerability reported by two scanners for "
        "the same package and version counts once; SARIF results of one tool with the identity "
        "sarif-merge dedupes by count once) and decides whether they pass a policy.\n\n"
        "The policy combines severity budgets (--max high=5), a severity threshold (--fail-on), "
        "fixed-only counting, a minimum CVSS score, kinds and target/package scopes. Waivers need a "
        "reason and an expiry date; an expired waiver stops applying and is reported, and waivers "
        "about to expire are warned about. .trivyignore, .trivyignore.yaml and .grype.yaml files are "
        "read as they are. VEX documents (--vex: OpenVEX, CycloneDX VEX) waive what they state not_affected, "
        "fixed, false_positive or resolved, with the statement's justification; the policy's vex-max-age "
        "expires old statements. With --baseline, only findings absent from the baseline reports count.\n\n"
        "Every finding lands in exactly one column: ignored (outside the policy's scope), waived, "
        "not fixable (with --fixed-only), baseline (already present before), or counted. Only counted "
        "findings can fail the gate. The verdict explains which rule tripped and lists the top "
        "findings; on CI it also writes a step summary, annotations and outputs.";

    s.inputs = {
        {.name = "reports",
         .type = InputType::List,
         .description = "Report files, directories (searched for *.json and *.sarif) or glob patterns. "
                        "One per line when given as an action input.",
         .value_name = "REPORT",
         .requirement = gantry::Requirement::Required,
         .positional = Positional::Yes},
        {.name = "policy",
         .type = InputType::String,
         .description = "A YAML policy file (keys: fail-on, max, fixed-only, min-cvss, kinds, scope, "
                        "allow-permanent-waivers, expiry-warning-days, vex-max-age). Flags override its values.",
         .value_name = "FILE"},
        {.name = "fail-on",
         .type = InputType::String,
         .description = "Fail when any counted finding is at or above this severity; `none` disables "
                        "the threshold. Defaults to high when neither a budget nor a policy file sets one.",
         .value_name = "SEVERITY",
         .choices = {"critical", "high", "medium", "low", "unknown", "none"}},
        {.name = "max",
         .type = InputType::List,
         .description = "Severity budget: at most N counted findings of that severity, as SEVERITY=N "
                        "(repeatable; also comma-separated: critical=0,high=5).",
         .value_name = "SEVERITY=N"},
        {.name = "fixed-only",
         .type = InputType::Boolean,
         .description = "Count only findings for which a fix is available (the others are listed as "
                        "not fixable)."},
        {.name = "min-cvss",
         .type = InputType::Number,
         .description = "Ignore findings whose CVSS score is below this (findings without a score are kept).",
         .value_name = "SCORE"},
        {.name = "kinds",
         .type = InputType::List,
         .description = "Kinds of finding to include: vulnerability, misconfiguration, secret, code, license "
                        "(repeatable or comma-separated). Default: all.",
         .value_name = "KIND"},
        {.name = "include-target",
         .type = InputType::List,
         .description = "Only findings whose target or file matches one of these globs.",
         .value_name = "GLOB"},
        {.name = "exclude-target",
         .type = InputType::List,
         .description = "Ignore findings whose target or file matches one of these globs.",
         .value_name = "GLOB"},
        {.name = "include-package",
         .type = InputType::List,
         .description = "Only findings whose package name or purl matches one of these globs.",
         .value_name = "GLOB"},
        {.name = "exclude-package",
         .type = InputType::List,
         .description = "Ignore findings whose package name or purl matches one of these globs.",
         .value_name = "GLOB"},
        {.name = "waivers",
         .type = InputType::List,
         .description = "Waiver files: gantry YAML (id, reason, expires, optional purl, path, owner), "
                        ".trivyignore, .trivyignore.yaml or .grype.yaml, told apart by content.",
         .value_name = "FILE"},
        {.name = "vex",
         .type = InputType::List,
         .description = "VEX documents (OpenVEX 0.2, or a CycloneDX BOM whose vulnerabilities carry analysis.state), "
                        "like Trivy's --vex: a not_affected, fixed, false_positive or resolved statement waives the "
                        "findings with its vulnerability id (or alias) and package purl, explained by its "
                        "justification. Repeatable.",
         .value_name = "FILE"},
        {.name = "allow-permanent-waivers",
         .type = InputType::Boolean,
         .description = "Accept waivers without an expiry date in gantry waiver files."},
        {.name = "expiry-warning-days",
         .type = InputType::Number,
         .description = "Warn about waivers that expire within this many days.",
         .default_value = "14",
         .value_name = "DAYS"},
        {.name = "baseline",
         .type = InputType::List,
         .description = "Baseline reports (e.g. from the default branch): findings present there (same "
                        "id, package, version and target) do not count against the policy.",
         .value_name = "REPORT"},
        {.name = "sarif-out",
         .type = InputType::String,
         .description = "Also write the findings (all but ignored and waived) as SARIF 2.1.0 for code "
                        "scanning.",
         .value_name = "FILE",
         .artifact = gantry::Artifact::File,
         .component_default = "gantry-scan-gate.sarif"},
        {.name = "gitlab-out",
         .type = InputType::String,
         .description = "Also write the findings (all but ignored and waived) as a GitLab "
                        "container-scanning report (schema 15.2.1); with gitlab-dependency-out, all but "
                        "the dependencies that report takes.",
         .value_name = "FILE",
         .artifact = gantry::Artifact::ContainerScanningReport,
         .component_default = "gl-container-scanning-report.json"},
        {.name = "gitlab-dependency-out",
         .type = InputType::String,
         .description = "Also write the findings of packages from a lock file, manifest or SBOM (npm audit, "
                        "OSV-Scanner, CycloneDX components other than an image's OS packages, Trivy "
                        "lang-pkgs and Grype outside image scans) as a GitLab dependency-scanning report "
                        "(schema 15.2.1).",
         .value_name = "FILE",
         .artifact = gantry::Artifact::DependencyScanningReport,
         .component_default = "gl-dependency-scanning-report.json"},
        {.name = "top",
         .type = InputType::Number,
         .description = "How many of the most severe counted findings to list.",
         .default_value = "10",
         .value_name = "N"},
        {.name = "today",
         .type = InputType::String,
         .description = "Evaluate waiver expiry as of this date (YYYY-MM-DD) instead of today (UTC).",
         .value_name = "DATE",
         .exposure = Exposure::CommandLineOnly},
    };

    s.outputs = {
        {"passed", "true when the policy passed, else false"},
        {"critical", "Counted critical findings"},
        {"high", "Counted high findings"},
        {"medium", "Counted medium findings"},
        {"low", "Counted low findings"},
        {"counted", "All counted findings (every severity, unknown included)"},
        {"total", "All findings read, after de-duplication"},
    };

    s.examples = {
        {"Fail on any fixable critical or high vulnerability in a Trivy image scan",
         "scan-gate --fail-on high --fixed-only trivy-image.json"},
        {"Budgets per severity over several scanners at once, with waivers",
         "scan-gate --max critical=0 --max high=5 --waivers security/waivers.yaml reports/"},
        {"Only findings that are new compared with the default branch count",
         "scan-gate --baseline main/trivy.json --fail-on medium trivy.json grype.json"},
        {"A CycloneDX report and an OSV-Scanner report, with the team's OpenVEX decisions as waivers",
         "scan-gate --fail-on high --vex security/app.openvex.json sbom.cdx.json osv.json"},
        {"Write a JSON verdict and a SARIF file for code scanning",
         "scan-gate --json verdict.json --sarif-out scan.sarif 'reports/**/*.json'"},
        {"GitLab's security widget: image findings as container scanning, lock-file findings as dependency scanning",
         "scan-gate --fail-on critical --gitlab-out gl-container-scanning-report.json "
         "--gitlab-dependency-out gl-dependency-scanning-report.json trivy-image.json npm-audit.json"},
    };
    s.branding_icon = "shield";
    s.branding_color = "red";
    return s;
}

}  // namespace

const gantry::ToolSpec& spec() {
    static const gantry::ToolSpec instance = make_spec();
    return instance;
}

}  // namespace scan_gate
