// --help and --version, rendered from the ToolSpec in the layout of a man page.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "gantry/cli/inputs.hpp"
#include "gantry/cli/outcome.hpp"
#include "gantry/platform/outputs.hpp"
#include "gantry/version.hpp"

namespace gantry {

namespace {

constexpr std::size_t kWidth = 80;
constexpr std::size_t kSectionIndent = 4;
constexpr std::size_t kBodyIndent = 8;

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    for (const char c : text) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

// Fills lines up to kWidth columns. A word longer than a line (a URL) gets a line of its own rather
// than being broken. `hanging` indents the lines after the first (list items).
std::string wrap(std::string_view text, std::size_t indent, std::size_t hanging = 0) {
    std::string out;
    std::string line;
    std::size_t line_indent = indent;
    for (const auto& word : words_of(text)) {
        if (!line.empty() && line_indent + line.size() + 1 + word.size() > kWidth) {
            out += std::string(line_indent, ' ') + line + "\n";
            line.clear();
            line_indent = indent + hanging;
        }
        if (!line.empty()) line += ' ';
        line += word;
    }
    if (!line.empty()) out += std::string(line_indent, ' ') + line + "\n";
    return out;
}

// Paragraphs are separated by blank lines; within one, lines starting with "- " are list items.
std::string wrap_paragraphs(std::string_view text, std::size_t indent) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find("\n\n", start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view paragraph = text.substr(start, end - start);
        start = end + 2;
        if (paragraph.find_first_not_of(" \n") == std::string_view::npos) continue;
        if (!out.empty()) out += "\n";

        std::vector<std::string> items{""};
        std::size_t line_start = 0;
        while (line_start <= paragraph.size()) {
            auto line_end = paragraph.find('\n', line_start);
            if (line_end == std::string_view::npos) line_end = paragraph.size();
            const std::string_view line = paragraph.substr(line_start, line_end - line_start);
            line_start = line_end + 1;
            const auto first = line.find_first_not_of(' ');
            const bool starts_item = first != std::string_view::npos && line.substr(first).starts_with("- ");
            if (starts_item && !items.back().empty()) items.emplace_back();
            items.back() += ' ';
            items.back() += line;
        }
        for (const auto& item : items) {
            const auto first = item.find_first_not_of(' ');
            const bool is_item = first != std::string::npos && std::string_view(item).substr(first).starts_with("- ");
            out += wrap(item, indent, is_item ? 2 : 0);
        }
    }
    return out;
}

// "0   Success." with the text wrapped beside the term, as man pages list exit codes.
std::string term_entry(std::string_view term, std::string_view text) {
    constexpr std::size_t kTermWidth = 4;
    std::string out = wrap(text, kSectionIndent + kTermWidth);
    out.replace(kSectionIndent, std::min(term.size(), kTermWidth - 1), term.substr(0, kTermWidth - 1));
    return out;
}

// Splits a shell command at spaces outside quotes, so that a continued line stays the same command.
std::vector<std::string> shell_words(std::string_view command) {
    std::vector<std::string> words;
    std::string word;
    char quote = 0;
    for (const char c : command) {
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == ' ') {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
            continue;
        }
        word += c;
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

// "$ command", continued with " \" on further lines when it does not fit.
std::string example_command(std::string_view command) {
    const std::string first_prefix = std::string(kBodyIndent, ' ') + "$ ";
    const std::string next_prefix = std::string(kBodyIndent + 4, ' ');
    std::string out;
    std::string line = first_prefix;
    bool line_has_word = false;
    for (const auto& word : shell_words(command)) {
        if (line_has_word && line.size() + 1 + word.size() + 2 > kWidth) {
            out += line + " \\\n";
            line = next_prefix;
            line_has_word = false;
        }
        if (line_has_word) line += ' ';
        line += word;
        line_has_word = true;
    }
    return out + line + "\n";
}

std::string value_name(const InputSpec& input) {
    if (!input.value_name.empty()) return input.value_name;
    return input.type == InputType::Number ? "NUMBER" : "VALUE";
}

std::string synopsis(const ToolSpec& spec, const std::vector<InputSpec>& inputs) {
    std::string line = spec.name + " [OPTIONS]";
    for (const auto& input : inputs) {
        if (input.requirement != Requirement::Required || input.positional == Positional::Yes) continue;
        line += " --" + input.name + " " + value_name(input);
    }
    for (const auto& input : inputs) {
        if (input.positional != Positional::Yes) continue;
        std::string argument = value_name(input) + (input.type == InputType::List ? "..." : "");
        line += input.requirement == Requirement::Required ? " " + argument : " [" + argument + "]";
    }
    return wrap(line, kSectionIndent, 4) + wrap(spec.name + " --help | --version", kSectionIndent);
}

std::string option_entry(const InputSpec& input) {
    std::string header;
    if (input.short_flag != 0) header += std::string("-") + input.short_flag + ", ";
    header += "--" + input.name;
    if (input.type != InputType::Boolean) header += " " + value_name(input);
    if (input.positional == Positional::Yes) {
        header += ", " + value_name(input) + (input.type == InputType::List ? "..." : "");
    }

    std::string details;
    if (input.requirement == Requirement::Required) details += "Required. ";
    if (input.positional == Positional::Yes) details += "Also taken from the arguments. ";
    if (input.type == InputType::List) details += "Repeatable; from the environment one item per line. ";
    if (!input.choices.empty()) details += fmt::format("One of: {}. ", fmt::join(input.choices, ", "));
    if (!input.default_value.empty()) details += "Default: " + input.default_value + ". ";
    const std::string github = github_input_variable(input.name);
    const std::string portable = portable_input_variable(input.name);
    details += "Environment: " + github + (portable != github ? " or " + portable : "") + ".";

    return wrap(header, kSectionIndent) + wrap(input.description, kBodyIndent) + wrap(details, kBodyIndent);
}

}  // namespace

std::string render_help(const ToolSpec& spec) {
    const std::vector<InputSpec> inputs = all_inputs(spec);
    const Outputs outputs(spec.name);
    std::string text;

    text += "NAME\n" + wrap(spec.name + " - " + spec.summary, kSectionIndent);
    text += "\nSYNOPSIS\n" + synopsis(spec, inputs);
    if (!spec.description.empty()) text += "\nDESCRIPTION\n" + wrap_paragraphs(spec.description, kSectionIndent);

    text += "\nOPTIONS\n";
    for (const auto& input : inputs) text += option_entry(input);
    text += wrap("-h, --help", kSectionIndent) + wrap("Print this help and exit.", kBodyIndent);
    text += wrap("--version", kSectionIndent) + wrap("Print the version and the libraries' versions and exit.", kBodyIndent);

    if (!spec.outputs.empty()) {
        text += "\nOUTPUTS\n";
        text += wrap("On GitHub Actions the outputs are appended to $GITHUB_OUTPUT (steps.<id>.outputs.<name>); "
                     "on GitLab CI they are written to the dotenv report under the names shown; --json FILE has "
                     "them under \"outputs\".",
                     kSectionIndent);
        for (const auto& output : spec.outputs) {
            text += wrap(output.name + " (" + outputs.dotenv_key(output.name) + ")", kSectionIndent);
            text += wrap(output.description, kBodyIndent);
        }
    }

    text += "\nEXIT STATUS\n";
    text += term_entry("0", "Success.");
    text += term_entry("1", "The gate or a check failed.");
    text += term_entry("2", "Bad usage or bad input (unknown option, invalid value, unreadable or malformed file).");
    text += term_entry("3", "Environment or network failure (an output cannot be written, a service cannot be "
                            "reached).");

    text += "\nENVIRONMENT\n";
    text += wrap("INPUT_<NAME>", kSectionIndent);
    text += wrap("Every option can be set by an environment variable, the option's name upper-cased with "
                 "hyphens kept (INPUT_FAIL-ON, as GitHub Actions sets it) or turned into underscores "
                 "(INPUT_FAIL_ON). Command-line flags take precedence over the environment, which takes "
                 "precedence over defaults. An empty value counts as unset. Lists hold one item per line.",
                 kBodyIndent);
    text += wrap("GITHUB_ACTIONS, GITLAB_CI", kSectionIndent);
    text += wrap("\"true\" selects the GitHub Actions or GitLab CI conventions for --format auto, the step "
                 "summary and the outputs.",
                 kBodyIndent);
    text += wrap("GITHUB_OUTPUT, GITHUB_STEP_SUMMARY", kSectionIndent);
    text += wrap("Files the runner reads the outputs and the step summary from; both are appended to.", kBodyIndent);
    text += wrap("SOURCE_DATE_EPOCH", kSectionIndent);
    text += wrap("When set, the time stamped on GitLab log sections, so that output is reproducible.", kBodyIndent);
    text += wrap("NO_COLOR", kSectionIndent);
    text += wrap("When set and not empty, output has no colour. Colour is used only on a terminal.", kBodyIndent);

    if (!spec.examples.empty()) {
        text += "\nEXAMPLES\n";
        bool first = true;
        for (const auto& example : spec.examples) {
            if (!first) text += "\n";
            first = false;
            text += wrap(example.description, kSectionIndent);
            text += example_command(example.command);
        }
    }
    return text;
}

std::string render_version(const ToolSpec& spec) {
    namespace info = build_info;
    return fmt::format("{} {} (commit {})\nsimdjson {}, yaml-cpp {}, nlohmann/json {}, CLI11 {}, fmt {}\n", spec.name,
                       info::kVersion, info::kCommit, info::kSimdjsonVersion, info::kYamlCppVersion,
                       info::kNlohmannJsonVersion, info::kCli11Version, info::kFmtVersion);
}

}  // namespace gantry
