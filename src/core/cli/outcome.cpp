// deliver() and report_error(): the only code that prints a tool's result and writes its files.
#include "gantry/cli/outcome.hpp"

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <new>
#include <optional>
#include <random>
#include <stdexcept>
#include <system_error>

#include "gantry/base/atomic_file.hpp"
#include "gantry/platform/clock.hpp"
#include "gantry/platform/log_text.hpp"

namespace gantry {

namespace {

std::string with_final_newline(std::string text) {
    if (!text.empty() && text.back() != '\n') text += '\n';
    return text;
}

// Each write is tried even when an earlier one failed: a missing summary is no reason to also lose
// the outputs a later job depends on.
class WriteLog {
public:
    WriteLog(std::string tool, std::ostream& err, CiPlatform runner) : tool_(std::move(tool)), err_(err), runner_(runner) {}
    template <typename Write>
    void attempt(Write&& write) {
        try {
            write();
        } catch (const std::exception& error) {
            err_ << neutralize_runner_commands(tool_ + ": error: " + error.what(), runner_) << "\n";
            failed_ = true;
        }
    }
    bool failed() const { return failed_; }

private:
    std::string tool_;
    std::ostream& err_;
    CiPlatform runner_;
    bool failed_ = false;
};

// Who reads the log: the platform the format was chosen for, else the one the tool runs on (a
// runner reads workflow commands whatever format the user asked for).
CiPlatform log_reader(OutputFormat format, CiPlatform platform) {
    switch (format) {
        case OutputFormat::Github: return CiPlatform::GithubActions;
        case OutputFormat::Gitlab: return CiPlatform::GitlabCi;
        case OutputFormat::Text:
        case OutputFormat::Json: break;
    }
    return platform;
}

std::optional<std::string> non_empty(const std::optional<std::string>& value) {
    if (value && !value->empty()) return value;
    return std::nullopt;
}

}  // namespace

bool machine_verdict_wanted(const CommandLine& command_line) {
    return command_line.format == OutputFormat::Json || non_empty(command_line.inputs.get("json")).has_value();
}

int deliver(const Outcome& outcome, const CommandLine& command_line, const Environment& environment) {
    return deliver(outcome, command_line, environment, std::cout, std::cerr);
}

int deliver(const Outcome& outcome, const CommandLine& command_line, const Environment& environment,
            std::ostream& out, std::ostream& err) {
    const auto mask = [&outcome](std::string_view text) { return mask_secrets(text, outcome.secrets); };
    const std::string& tool = outcome.outputs.tool_name();
    const CiPlatform platform = detect_platform(environment);
    const Inputs& inputs = command_line.inputs;
    const bool quiet = command_line.verbosity == Verbosity::Quiet;

    Outputs outputs(tool);
    for (const auto& [name, value] : outcome.outputs.values()) outputs.set(name, mask(value));
    std::vector<std::string> warnings;
    for (const auto& warning : outcome.warnings) warnings.push_back(mask(warning));

    // Computed before printing so that what the dotenv report leaves out is warned about with the rest.
    const auto dotenv_path = non_empty(inputs.get("dotenv-file"));
    std::string dotenv_text;
    if (dotenv_path) {
        auto [text, left_out] = outputs.gitlab_dotenv_text();
        dotenv_text = std::move(text);
        warnings.insert(warnings.end(), left_out.begin(), left_out.end());
    }

    // Everything printed except the tool's own commands passes this guard: input-derived text that
    // a renderer let through must still not become a command for the runner reading the log.
    const CiPlatform reader = log_reader(command_line.format, platform);
    const auto guard = [reader](std::string_view text) { return neutralize_runner_commands(text, reader); };
    const std::string headline = guard(with_final_newline(mask(outcome.headline)));
    const std::string body = quiet ? headline : guard(with_final_newline(mask(outcome.text)));
    switch (command_line.format) {
        case OutputFormat::Text:
            out << body;
            for (const auto& warning : warnings) err << guard(tool + ": warning: " + warning) << "\n";
            break;
        case OutputFormat::Json:  // machine_verdict_wanted() says yes
            out << guard(mask(outcome.json.dump(2))) << "\n";
            for (const auto& warning : warnings) err << guard(tool + ": warning: " + warning) << "\n";
            break;
        case OutputFormat::Github:
            // Masks first: the runner hides a value only in what it prints after ::add-mask::.
            for (const auto& secret : outcome.secrets) out << github_add_mask(secret);
            out << body;
            for (const auto& warning : warnings) out << "::warning::" << escape_workflow_data(warning) << "\n";
            for (Annotation annotation : outcome.annotations) {
                annotation.message = mask(annotation.message);
                annotation.title = mask(annotation.title);
                annotation.file = mask(annotation.file);
                out << github_annotation(annotation);
            }
            break;
        case OutputFormat::Gitlab:
            if (quiet || outcome.text.empty()) {
                out << headline;
            } else {
                // The headline stays visible as the section's title; the details fold away.
                const std::int64_t time = stamp_time(environment);
                out << group_start(CiPlatform::GitlabCi, tool, mask(outcome.headline), time) << body
                    << group_end(CiPlatform::GitlabCi, tool, time);
            }
            for (const auto& warning : warnings) out << guard("warning: " + warning) << "\n";
            break;
    }
    out.flush();

    const bool printed = static_cast<bool>(out);

    WriteLog log(tool, err, reader);
    for (const auto& file : outcome.files) {
        log.attempt([&] { write_file_atomically(file.path, mask(file.content)); });
    }
    if (const auto path = non_empty(inputs.get("json"))) {  // machine_verdict_wanted() says yes
        log.attempt([&] {
            nlohmann::json verdict = outcome.json.is_object() ? outcome.json : nlohmann::json{{"result", outcome.json}};
            verdict["outputs"] = outputs.to_json();
            write_file_atomically(*path, mask(verdict.dump(2) + "\n"));
        });
    }
    if (const auto path = non_empty(inputs.get("summary-file"))) {
        // The runner's own summary file collects every step's summary: append. A file the user
        // named is ours alone: replace it whole.
        const bool runner_file =
            inputs.source("summary-file") == InputSource::Default && platform == CiPlatform::GithubActions;
        const std::string markdown = mask(outcome.summary_markdown);
        if (runner_file) {
            if (!markdown.empty()) log.attempt([&] { append_to_file(*path, with_final_newline(markdown)); });
        } else {
            log.attempt([&] { write_file_atomically(*path, markdown); });
        }
    }
    if (platform == CiPlatform::GithubActions && environment.has("GITHUB_OUTPUT") && !outputs.values().empty()) {
        log.attempt([&] {
            std::random_device entropy;
            append_to_file(*environment.get("GITHUB_OUTPUT"), outputs.github_output_text(entropy()));
        });
    }
    if (dotenv_path) {
        log.attempt([&] { write_file_atomically(*dotenv_path, dotenv_text); });
    }
    if (!printed) log.attempt([] { throw std::runtime_error("cannot write to standard output"); });
    return log.failed() ? to_int(ExitCode::Environment) : to_int(outcome.exit_code);
}

int report_error(const ToolSpec& spec, const std::exception& error, const CommandLine* command_line,
                 const Environment& environment) {
    return report_error(spec, error, command_line, environment, std::cerr);
}

int report_error(const ToolSpec& spec, const std::exception& error, const CommandLine* /*command_line*/,
                 const Environment& environment, std::ostream& err) {
    ExitCode code = ExitCode::BadInput;
    if (const auto* known = dynamic_cast<const Error*>(&error)) {
        code = known->code();
    } else if (dynamic_cast<const std::bad_alloc*>(&error) != nullptr ||
               dynamic_cast<const std::system_error*>(&error) != nullptr) {
        // filesystem_error derives from system_error.
        code = ExitCode::Environment;
    }
    const std::string tool = spec.name.empty() ? std::string("gantry") : spec.name;
    const std::string message = error.what();
    const CiPlatform platform = detect_platform(environment);
    err << neutralize_runner_commands(tool + ": error: " + message, platform) << "\n";
    if (dynamic_cast<const UsageError*>(&error) != nullptr && message.find("--help") == std::string::npos) {
        err << "Try '" << tool << " --help' for more information.\n";
    }
    // On stderr too: the runner reads workflow commands from both streams, and stdout may be JSON.
    if (platform == CiPlatform::GithubActions) {
        err << "::error title=" << escape_workflow_property(tool) << "::" << escape_workflow_data(message) << "\n";
    }
    err.flush();
    return to_int(code);
}

}  // namespace gantry
