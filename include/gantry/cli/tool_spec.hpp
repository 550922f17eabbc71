// The one declaration of a tool's interface.
//
// Each tool describes its inputs, outputs and examples once, as a ToolSpec. Everything a user reads
// or a runner consumes is derived from it: the command-line parser (flags are --<name>), the
// environment fallbacks (INPUT_<NAME>), --help, the GitHub action.yml, the GitLab CI/CD component
// and the README's input/output tables. A test regenerates the checked-in files and fails on drift.
// Input and output names are kebab-case.
#pragma once

#include <string>
#include <vector>

namespace gantry {

enum class InputType {
    String,   // one value
    Boolean,  // a flag: --name (true) / --no-name is not supported; env "true"/"false"
    Number,   // integer or decimal
    List,     // repeatable flag; from the environment one item per line
};

enum class Requirement { Optional, Required };

// Whether the input is also taken from positional command-line arguments (at most one per tool).
enum class Positional { No, Yes };

// Whether the input appears in action.yml / the GitLab component (some flags only make sense locally).
enum class Exposure { Everywhere, CommandLineOnly };

// A file input the GitLab component keeps after the job: as a plain artifact, or as one of GitLab's
// report artifacts (parsed into merge-request widgets and the security dashboard). Such an input gets
// `component_default` as its default in the component, so the file is always written there.
enum class Artifact { None, File, JunitReport, ContainerScanningReport, DependencyScanningReport, SastReport };

struct InputSpec {
    std::string name;           // kebab-case: "fail-on"
    InputType type = InputType::String;
    std::string description;    // one or two sentences; first sentence is the summary
    std::string default_value;  // as the user would write it; "" = none
    std::string value_name;     // placeholder in --help: "SEVERITY", "FILE"
    std::vector<std::string> choices;  // allowed values, when closed
    Requirement requirement = Requirement::Optional;
    Positional positional = Positional::No;
    Exposure exposure = Exposure::Everywhere;
    char short_flag = 0;        // e.g. 'o' for -o; 0 = none
    Artifact artifact = Artifact::None;
    std::string component_default;  // the GitLab component's default, when it differs from the tool's
};

struct OutputSpec {
    std::string name;  // kebab-case
    std::string description;
};

struct Example {
    std::string description;
    std::string command;  // a shell command line
};

// What kind of job the GitLab component makes. A deployment job runs in the deploy stage, names a GitLab
// environment (`environment:`, so deployments are tracked and can be protected) and takes a resource
// group (`resource_group:`), so two pipelines never switch the same traffic at once.
enum class GitlabJob { Plain, Deployment };

struct ToolSpec {
    std::string name;         // executable name: "scan-gate"
    std::string summary;      // one line, no final period
    std::string description;  // paragraphs separated by blank lines
    std::vector<InputSpec> inputs;   // the tool's own; common_inputs() are added by the framework
    std::vector<OutputSpec> outputs;
    std::vector<Example> examples;
    std::string branding_icon = "shield";  // GitHub Marketplace (feather icon name)
    std::string branding_color = "blue";
    GitlabJob gitlab_job = GitlabJob::Plain;
};

// Inputs every tool has, with identical meaning: format, json, summary-file, quiet, verbose.
const std::vector<InputSpec>& common_inputs();

// spec.inputs followed by common_inputs().
std::vector<InputSpec> all_inputs(const ToolSpec& spec);

}  // namespace gantry
