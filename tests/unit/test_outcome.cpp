#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/cli/outcome.hpp"
#include "scratch_dir.hpp"

namespace fs = std::filesystem;
using gantry::CommandLine;
using gantry::Environment;
using gantry::InputSource;
using gantry::Outcome;
using gantry::OutputFormat;
using gantry::testing::ScratchDir;

namespace {

Outcome sample_outcome() {
    Outcome outcome("demo-tool");
    outcome.exit_code = gantry::ExitCode::Failed;
    outcome.headline = "demo-tool: FAILED - 2 findings";
    outcome.text = "demo-tool: FAILED - 2 findings\nCVE-1 in libfoo\n";
    outcome.json = {{"passed", false}, {"counted", 2}};
    outcome.summary_markdown = "## demo-tool\n\nFAILED\n";
    outcome.warnings = {"waiver W1 expires in 3 days"};
    gantry::Annotation annotation;
    annotation.message = "CVE-1 in libfoo";
    annotation.file = "go.sum";
    annotation.line = 4;
    outcome.annotations = {annotation};
    outcome.outputs.set("passed", false);
    outcome.outputs.set("counted", 2LL);
    return outcome;
}

CommandLine command_line_with(OutputFormat format, std::map<std::string, std::string> inputs = {}) {
    CommandLine line;
    line.format = format;
    for (const auto& [name, value] : inputs) line.inputs.put(name, {value}, InputSource::CommandLine);
    return line;
}

struct Delivered {
    int code;
    std::string out;
    std::string err;
};

Delivered deliver_to_strings(const Outcome& outcome, const CommandLine& line, const Environment& environment) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = gantry::deliver(outcome, line, environment, out, err);
    return {code, out.str(), err.str()};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A brace list alone would be ambiguous between Environment's map and copy constructors.
Environment outcome_environment(const std::map<std::string, std::string>& variables) { return Environment(variables); }

}  // namespace

TEST_SUITE("outcome") {
    TEST_CASE("the JSON verdict is wanted exactly when --format json or --json FILE asks for it") {
        CHECK(gantry::machine_verdict_wanted(command_line_with(OutputFormat::Json)));
        CHECK(gantry::machine_verdict_wanted(command_line_with(OutputFormat::Text, {{"json", "verdict.json"}})));
        CHECK(gantry::machine_verdict_wanted(command_line_with(OutputFormat::Github, {{"json", "verdict.json"}})));
        CHECK_FALSE(gantry::machine_verdict_wanted(command_line_with(OutputFormat::Text)));
        CHECK_FALSE(gantry::machine_verdict_wanted(command_line_with(OutputFormat::Gitlab)));
        CHECK_FALSE(gantry::machine_verdict_wanted(command_line_with(OutputFormat::Github, {{"json", ""}})));
    }

    TEST_CASE("text: the report on stdout, warnings on stderr, the outcome's exit code") {
        const auto result = deliver_to_strings(sample_outcome(), command_line_with(OutputFormat::Text), Environment());
        CHECK(result.code == 1);
        CHECK(result.out == "demo-tool: FAILED - 2 findings\nCVE-1 in libfoo\n");
        CHECK(result.err == "demo-tool: warning: waiver W1 expires in 3 days\n");
    }

    TEST_CASE("text with --quiet prints the headline only") {
        auto line = command_line_with(OutputFormat::Text);
        line.verbosity = gantry::Verbosity::Quiet;
        CHECK(deliver_to_strings(sample_outcome(), line, Environment()).out == "demo-tool: FAILED - 2 findings\n");
    }

    TEST_CASE("json: the verdict pretty-printed and nothing else on stdout") {
        const auto result = deliver_to_strings(sample_outcome(), command_line_with(OutputFormat::Json), Environment());
        CHECK(nlohmann::json::parse(result.out) == sample_outcome().json);
        CHECK(contains(result.out, "\n  \"counted\": 2"));
        CHECK(contains(result.err, "warning"));
    }

    TEST_CASE("github: masks first, then the report, warnings and annotations as commands") {
        Outcome outcome = sample_outcome();
        outcome.secrets = {"hunter2"};
        outcome.text += "token hunter2 leaked\n";
        const auto result = deliver_to_strings(outcome, command_line_with(OutputFormat::Github), Environment());
        CHECK(result.out.rfind("::add-mask::hunter2\n", 0) == 0);
        CHECK(contains(result.out, "token *** leaked\n"));
        CHECK(contains(result.out, "::warning::waiver W1 expires in 3 days\n"));
        CHECK(contains(result.out, "::error file=go.sum,line=4::CVE-1 in libfoo\n"));
        CHECK(result.out.find("hunter2", 20) == std::string::npos);  // only in the mask command
    }

    TEST_CASE("gitlab: the report in a collapsible section titled by the headline") {
        const auto result = deliver_to_strings(sample_outcome(), command_line_with(OutputFormat::Gitlab), Environment());
        CHECK(result.out.rfind("\x1b[0Ksection_start:", 0) == 0);
        CHECK(contains(result.out, ":demo-tool[collapsed=true]\r\x1b[0Kdemo-tool: FAILED - 2 findings\n"));
        CHECK(contains(result.out, "CVE-1 in libfoo\n\x1b[0Ksection_end:"));
        CHECK(contains(result.out, "warning: waiver W1 expires in 3 days\n"));
    }

    TEST_CASE("github: no line of the report can become a command; only the tool's own commands start with ::") {
        Outcome outcome = sample_outcome();
        outcome.headline = "demo-tool: FAILED\n::stop-commands::T";
        outcome.text = "report\n::stop-commands::T\n  ::error::forged\nx\r::warning::cr ##[error]legacy\n";
        outcome.warnings = {"w\n::error::in a warning"};
        const auto result = deliver_to_strings(outcome, command_line_with(OutputFormat::Github), Environment());
        CHECK(contains(result.out, "report\n\\u003a:stop-commands::T\n  \\u003a:error::forged\n"
                                   "x\\r::warning::cr \\u0023#[error]legacy\n"));
        CHECK(contains(result.out, "::warning::w%0A::error::in a warning\n"));
        std::istringstream lines(result.out);
        for (std::string line; std::getline(lines, line);) {
            if (line.starts_with("::")) CHECK((line.starts_with("::warning::") || line.starts_with("::error file=")));
        }
    }

    TEST_CASE("text and json on a GitHub runner are guarded too; stderr as well") {
        Outcome outcome = sample_outcome();
        outcome.text = "::error::forged\n";
        outcome.json = {{"name", "##[stop-commands]T"}};
        outcome.warnings = {"w\n::error::forged"};
        const Environment github = outcome_environment({{"GITHUB_ACTIONS", "true"}});
        const auto text = deliver_to_strings(outcome, command_line_with(OutputFormat::Text), github);
        CHECK(text.out == "\\u003a:error::forged\n");
        CHECK(text.err == "demo-tool: warning: w\n\\u003a:error::forged\n");
        const auto json = deliver_to_strings(outcome, command_line_with(OutputFormat::Json), github);
        CHECK(nlohmann::json::parse(json.out) == outcome.json);
        CHECK_FALSE(contains(json.out, "##["));
        // On a plain shell nobody interprets the text: it is printed as it is.
        CHECK(deliver_to_strings(outcome, command_line_with(OutputFormat::Text), Environment()).out == "::error::forged\n");
    }

    TEST_CASE("gitlab: text cannot close the section or open another one") {
        Outcome outcome = sample_outcome();
        outcome.headline = "demo-tool: FAILED \x1b[0Ksection_end:1:demo-tool\r\x1b[0K";
        outcome.text = "x\r\x1b[0Ksection_end:1:demo-tool\r\x1b[0K\n";
        const auto result = deliver_to_strings(outcome, command_line_with(OutputFormat::Gitlab),
                                               outcome_environment({{"SOURCE_DATE_EPOCH", "5"}}));
        CHECK(result.out == "\x1b[0Ksection_start:5:demo-tool[collapsed=true]\r\x1b[0K"
                            "demo-tool: FAILED \\u001b[0Ksection_end:1:demo-tool\\r\\u001b[0K\n"
                            "x\\r\x1b[0Ksection_end:1:demo-tool\\r\x1b[0K\n"
                            "\x1b[0Ksection_end:5:demo-tool\r\x1b[0K\n"
                            "warning: waiver W1 expires in 3 days\n");
    }

    TEST_CASE("gitlab: SOURCE_DATE_EPOCH pins the section time") {
        const auto result = deliver_to_strings(sample_outcome(), command_line_with(OutputFormat::Gitlab),
                                               outcome_environment({{"SOURCE_DATE_EPOCH", "1700000000"}}));
        CHECK(result.out.rfind("\x1b[0Ksection_start:1700000000:demo-tool[collapsed=true]\r", 0) == 0);
        CHECK(contains(result.out, "\x1b[0Ksection_end:1700000000:demo-tool\r\x1b[0K\n"));
    }

    TEST_CASE("secrets are masked in files, the JSON verdict and outputs, also in JSON-escaped form") {
        ScratchDir scratch;
        Outcome outcome = sample_outcome();
        outcome.secrets = {"pa\"ss\nword2"};
        outcome.json["token"] = "pa\"ss";
        outcome.files = {{scratch.path() / "out.txt", "x pa\"ss y word2 z"}};
        outcome.outputs.set("token", std::string("pa\"ss"));
        const auto line = command_line_with(OutputFormat::Json, {{"json", scratch / "verdict.json"}});
        const auto result = deliver_to_strings(outcome, line, Environment());
        CHECK_FALSE(contains(result.out, "pa\\\"ss"));
        CHECK(gantry::read_file(scratch.path() / "out.txt") == "x *** y *** z");
        const auto verdict = nlohmann::json::parse(gantry::read_file(scratch.path() / "verdict.json"));
        CHECK(verdict["token"] == "***");
        CHECK(verdict["outputs"]["token"] == "***");
        CHECK(gantry::mask_secrets("abcabc", {"abc", "abcabc"}) == "***");
        CHECK(gantry::mask_secrets("keep", {""}) == "keep");
    }

    TEST_CASE("writes files, the --json verdict with outputs, and an explicit summary file atomically") {
        ScratchDir scratch;
        Outcome outcome = sample_outcome();
        outcome.files = {{scratch.path() / "sub" / "scan.sarif", "{}"}};
        gantry::write_file_atomically(scratch.path() / "summary.md", "old summary");
        const auto line = command_line_with(OutputFormat::Text, {{"json", scratch / "verdict.json"},
                                                                 {"summary-file", scratch / "summary.md"}});
        const auto result = deliver_to_strings(outcome, line, Environment());
        CHECK(result.code == 1);
        CHECK(gantry::read_file(scratch.path() / "sub" / "scan.sarif") == "{}");
        const auto verdict = nlohmann::json::parse(gantry::read_file(scratch.path() / "verdict.json"));
        CHECK(verdict["passed"] == false);
        CHECK(verdict["outputs"] == nlohmann::json{{"passed", "false"}, {"counted", "2"}});
        CHECK(gantry::read_file(scratch.path() / "summary.md") == "## demo-tool\n\nFAILED\n");
    }

    TEST_CASE("on GitHub: outputs and the runner's summary file are appended to") {
        ScratchDir scratch;
        gantry::write_file_atomically(scratch.path() / "github_output", "earlier=1\n");
        gantry::write_file_atomically(scratch.path() / "step_summary", "# earlier step\n");
        const Environment environment({{"GITHUB_ACTIONS", "true"},
                                       {"GITHUB_OUTPUT", scratch / "github_output"},
                                       {"GITHUB_STEP_SUMMARY", scratch / "step_summary"}});
        CommandLine line = command_line_with(OutputFormat::Github);
        line.inputs.put("summary-file", {scratch / "step_summary"}, InputSource::Default);
        const auto result = deliver_to_strings(sample_outcome(), line, environment);
        CHECK(result.code == 1);
        CHECK(gantry::read_file(scratch.path() / "github_output") == "earlier=1\npassed=false\ncounted=2\n");
        CHECK(gantry::read_file(scratch.path() / "step_summary") == "# earlier step\n## demo-tool\n\nFAILED\n");
    }

    TEST_CASE("dotenv report when asked (GitLab's default), with what does not fit warned about") {
        ScratchDir scratch;
        Outcome outcome = sample_outcome();
        outcome.outputs.set("details", std::string("two\nlines"));
        const auto line = command_line_with(OutputFormat::Gitlab, {{"dotenv-file", scratch / "gantry.env"}});
        const auto result = deliver_to_strings(outcome, line, outcome_environment({{"GITLAB_CI", "true"}}));
        CHECK(gantry::read_file(scratch.path() / "gantry.env") == "DEMO_TOOL_PASSED=false\nDEMO_TOOL_COUNTED=2\n");
        CHECK(contains(result.out, "warning: output details is left out of the GitLab dotenv report"));
    }

    TEST_CASE("a write failure is reported on stderr, the other writes still happen, exit 3") {
        ScratchDir scratch;
        gantry::write_file_atomically(scratch.path() / "a-file", "x");
        Outcome outcome = sample_outcome();
        outcome.exit_code = gantry::ExitCode::Success;
        outcome.files = {{scratch.path() / "a-file" / "cannot.txt", "y"}, {scratch.path() / "fine.txt", "z"}};
        const auto result = deliver_to_strings(outcome, command_line_with(OutputFormat::Text), Environment());
        CHECK(result.code == 3);
        CHECK(contains(result.err, "demo-tool: error: "));
        CHECK(contains(result.err, "cannot.txt"));
        CHECK(gantry::read_file(scratch.path() / "fine.txt") == "z");
    }

    TEST_CASE("report_error: message, hint for usage errors, ::error:: on GitHub, exit code by error type") {
        gantry::ToolSpec spec;
        spec.name = "demo-tool";
        std::ostringstream err;
        CHECK(gantry::report_error(spec, gantry::UsageError("--top expects a number"), nullptr, Environment(), err) == 2);
        CHECK(err.str() == "demo-tool: error: --top expects a number\nTry 'demo-tool --help' for more information.\n");

        err.str("");
        CHECK(gantry::report_error(spec, gantry::EnvironmentError("out.json: cannot write: No space"), nullptr,
                                   outcome_environment({{"GITHUB_ACTIONS", "true"}}), err) == 3);
        CHECK(contains(err.str(), "demo-tool: error: out.json: cannot write: No space\n"));
        CHECK(contains(err.str(), "::error title=demo-tool::out.json: cannot write: No space\n"));

        err.str("");
        err.str("");
        CHECK(gantry::report_error(spec, gantry::InputError("a\n::stop-commands::T.json: bad"), nullptr,
                                   outcome_environment({{"GITHUB_ACTIONS", "true"}}), err) == 2);
        CHECK(err.str() == "demo-tool: error: a\n\\u003a:stop-commands::T.json: bad\n"
                           "::error title=demo-tool::a%0A::stop-commands::T.json: bad\n");

        err.str("");
        CHECK(gantry::report_error(spec, gantry::InputError("a.json: bad"), nullptr, Environment(), err) == 2);
        CHECK(err.str() == "demo-tool: error: a.json: bad\n");
        CHECK(gantry::report_error(spec, std::bad_alloc(), nullptr, Environment(), err) == 3);
        CHECK(gantry::report_error(spec, std::runtime_error("odd"), nullptr, Environment(), err) == 2);
    }
}
