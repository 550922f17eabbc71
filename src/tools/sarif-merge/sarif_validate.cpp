#include "sarif-merge/sarif_validate.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/base/plural.hpp"
#include "gantry/findings/report_reader.hpp"
#include "gantry/platform/log_text.hpp"
#include "gantry/report/markdown.hpp"
#include "gantry/report/summary_headline.hpp"
#include "gantry/version.hpp"

namespace sarif_merge {

namespace {

using gantry::SarifProblem;
using gantry::SarifProblemSeverity;
using gantry::SarifValidation;

// Enough to point at the first problems of each file; more only buries them (GitHub shows 10 of each level).
constexpr std::size_t kAnnotationLimit = 50;

using gantry::plural;

std::string counts(std::size_t errors, std::size_t warnings) {
    return warnings == 0 ? plural(errors, "error") : fmt::format("{}, {}", plural(errors, "error"), plural(warnings, "warning"));
}

// "FILE:LINE:COLUMN: /pointer: message", leaving out what is unknown.
std::string problem_line(const SarifValidation& validation, const SarifProblem& problem) {
    std::string line = validation.file;
    if (problem.line > 0) line += fmt::format(":{}:{}", problem.line, problem.column);
    line += ": ";
    if (!problem.pointer.empty()) line += problem.pointer + ": ";
    if (problem.severity == SarifProblemSeverity::Warning) line += "warning: ";
    return gantry::log_text(line + problem.message);
}

std::string file_status(const SarifValidation& validation) {
    const std::string size = fmt::format("{}, {}", plural(validation.runs, "run"), plural(validation.results, "result"));
    if (validation.valid()) {
        return validation.warnings == 0 ? fmt::format("valid ({})", size)
                                        : fmt::format("valid, {} ({})", plural(validation.warnings, "warning"), size);
    }
    return fmt::format("invalid - {} ({})", counts(validation.errors, validation.warnings), size);
}

nlohmann::json problem_json(const SarifProblem& problem) {
    const auto position = [](int value) { return value > 0 ? nlohmann::json(value) : nlohmann::json(nullptr); };
    return {{"pointer", problem.pointer},
            {"line", position(problem.line)},
            {"column", position(problem.column)},
            {"message", problem.message}};
}

nlohmann::json file_json(const SarifValidation& validation) {
    nlohmann::json errors = nlohmann::json::array();
    nlohmann::json warnings = nlohmann::json::array();
    for (const SarifProblem& problem : validation.problems) {
        (problem.severity == SarifProblemSeverity::Error ? errors : warnings).push_back(problem_json(problem));
    }
    return {{"file", validation.file},
            {"valid", validation.valid()},
            {"errors", std::move(errors)},
            {"warnings", std::move(warnings)},
            {"error-count", validation.errors},
            {"warning-count", validation.warnings},
            {"problems-left-out", validation.problems_left_out()},
            {"runs", validation.runs},
            {"results", validation.results}};
}

std::string file_details_markdown(const SarifValidation& validation) {
    std::string list;
    for (const SarifProblem& problem : validation.problems) {
        std::string where = problem.line > 0 ? fmt::format("{}:{} ", problem.line, problem.column) : "";
        if (!problem.pointer.empty()) where += problem.pointer + ": ";
        list += fmt::format("- {}{}{}\n", problem.severity == SarifProblemSeverity::Warning ? "**warning** " : "",
                            gantry::markdown_escape(where, gantry::MarkdownContext::ListItem),
                            gantry::markdown_escape(problem.message, gantry::MarkdownContext::ListItem));
    }
    if (validation.problems_left_out() > 0) list += fmt::format("- ... and {} more\n", validation.problems_left_out());
    return gantry::markdown_details(fmt::format("{}: {}", validation.file, counts(validation.errors, validation.warnings)),
                                    list);
}

}  // namespace

ValidateOptions validate_options_from_inputs(const gantry::Inputs& inputs) {
    ValidateOptions options;
    options.inputs = inputs.list("sarif");
    if (options.inputs.empty()) {
        throw gantry::UsageError("no SARIF files given: pass files, directories or globs as arguments "
                                 "(or the `sarif` input, INPUT_SARIF)");
    }
    options.limits = inputs.get_or("for", "github") == "none" ? gantry::SarifLimits::None : gantry::SarifLimits::Github;
    return options;
}

gantry::Outcome run_validate(const ValidateOptions& options, const gantry::Environment& /*environment*/) {
    const gantry::SarifValidator validator({.limits = options.limits});
    std::vector<SarifValidation> validations;
    for (const auto& path : gantry::expand_report_paths(options.inputs)) validations.push_back(validator.validate_file(path));
    return validation_outcome(validations, options.limits);
}

gantry::Outcome validation_outcome(const std::vector<SarifValidation>& validations, gantry::SarifLimits limits) {
    std::size_t errors = 0;
    std::size_t warnings = 0;
    std::size_t invalid_files = 0;
    std::size_t runs = 0;
    std::size_t results = 0;
    for (const SarifValidation& validation : validations) {
        errors += validation.errors;
        warnings += validation.warnings;
        invalid_files += validation.valid() ? 0 : 1;
        runs += validation.runs;
        results += validation.results;
    }
    const bool valid = invalid_files == 0;

    gantry::Outcome outcome("sarif-merge validate");
    outcome.exit_code = valid ? gantry::ExitCode::Success : gantry::ExitCode::Failed;
    const std::string verdict =
        valid ? fmt::format("VALID - {} ({}, {}){}", plural(validations.size(), "file"), plural(runs, "run"),
                            plural(results, "result"), warnings == 0 ? "" : ", " + plural(warnings, "warning"))
              : fmt::format("INVALID - {} of {} {} errors ({})", invalid_files, plural(validations.size(), "file"),
                            invalid_files == 1 ? "has" : "have", counts(errors, warnings));
    outcome.headline = "sarif-merge validate: " + verdict;

    outcome.text = outcome.headline + "\n";
    for (const SarifValidation& validation : validations) {
        outcome.text += fmt::format("{}: {}\n", gantry::log_text(validation.file), file_status(validation));
        for (const SarifProblem& problem : validation.problems) {
            outcome.text += problem_line(validation, problem) + "\n";
            if (outcome.annotations.size() < kAnnotationLimit) {
                outcome.annotations.push_back(
                    {.level = problem.severity == SarifProblemSeverity::Error ? gantry::AnnotationLevel::Error
                                                                              : gantry::AnnotationLevel::Warning,
                     .message = problem.pointer.empty() ? problem.message : problem.pointer + ": " + problem.message,
                     .title = "Invalid SARIF",
                     .file = validation.file,
                     .line = problem.line,
                     .column = problem.column});
            }
        }
        if (validation.problems_left_out() > 0) {
            outcome.text += fmt::format("{}: ... and {} more\n", gantry::log_text(validation.file), validation.problems_left_out());
        }
    }

    nlohmann::json files = nlohmann::json::array();
    for (const SarifValidation& validation : validations) files.push_back(file_json(validation));
    outcome.json = {{"tool", "sarif-merge validate"},
                    {"version", gantry::build_info::kVersion},
                    {"for", limits == gantry::SarifLimits::Github ? "github" : "none"},
                    {"valid", valid},
                    {"error-count", errors},
                    {"warning-count", warnings},
                    {"files", std::move(files)}};

    gantry::MarkdownTable table({"File", "Result", "Errors", "Warnings", "Runs", "Results"});
    std::string details;
    for (const SarifValidation& validation : validations) {
        table.add_raw_row({gantry::markdown_escape(validation.file, gantry::MarkdownContext::InlineCodeInTableCell),
                           validation.valid() ? "valid" : "invalid", std::to_string(validation.errors),
                           std::to_string(validation.warnings), std::to_string(validation.runs),
                           std::to_string(validation.results)});
        if (!validation.problems.empty()) details += file_details_markdown(validation);
    }
    const std::string why =
        valid ? fmt::format("{} valid ({}, {}){}.", plural(validations.size(), "file"), plural(runs, "run"),
                            plural(results, "result"), warnings == 0 ? "" : ", " + plural(warnings, "warning"))
              : fmt::format("**{}** of {} {} errors ({}).", invalid_files, plural(validations.size(), "file"),
                            invalid_files == 1 ? "has" : "have", counts(errors, warnings));
    outcome.summary_markdown = gantry::truncate_summary(
        gantry::summary_headline("sarif-merge validate", valid ? gantry::SummaryVerdict::Passed : gantry::SummaryVerdict::Failed,
                                 why) +
        table.render() + "\n" + details);

    outcome.outputs.set("valid", valid);
    outcome.outputs.set("errors", static_cast<long long>(errors));
    return outcome;
}

}  // namespace sarif_merge
