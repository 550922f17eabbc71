// parse_command_line(): CLI11 reads argv; the environment fallbacks, defaults and all validation
// are done here so that a value is checked the same way wherever it came from.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/cli/inputs.hpp"

namespace gantry {

namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(kWhitespace);
    if (first == std::string_view::npos) return "";
    const auto last = text.find_last_not_of(kWhitespace);
    return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> non_empty_lines(std::string_view text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find('\n', start);
        std::string item = trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (!item.empty()) items.push_back(std::move(item));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return items;
}

// GitLab writes an array input into a variable as ["a", "b"]. Anything that is not such an array
// (a glob like "[ab]*.json" on one line) is read as lines.
std::optional<std::vector<std::string>> json_string_array(const std::string& text) {
    if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
    const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_array()) return std::nullopt;
    std::vector<std::string> items;
    for (const auto& element : parsed) {
        if (element.is_string()) {
            if (std::string item = trim(element.get<std::string>()); !item.empty()) items.push_back(std::move(item));
        } else if (element.is_number() || element.is_boolean()) {
            items.push_back(element.dump());
        } else {
            return std::nullopt;
        }
    }
    return items;
}

std::vector<std::string> list_from_environment(const std::string& raw) {
    const std::string text = trim(raw);
    if (auto items = json_string_array(text)) return *items;
    return non_empty_lines(text);
}

std::string json_quoted(const std::string& value) { return nlohmann::json(value).dump(); }

// "--fail-on (INPUT_FAIL-ON)" or "--fail-on (INPUT_FAIL-ON or INPUT_FAIL_ON)": every message about
// an input names all the ways to set it, because the user may not know which one a CI system used.
std::string input_names(const InputSpec& input) {
    const std::string github = github_input_variable(input.name);
    const std::string portable = portable_input_variable(input.name);
    std::string names = "--" + input.name + " (" + github;
    if (portable != github) names += " or " + portable;
    return names + ")";
}

// `given_by` is "the command line" or the variable's name.
[[noreturn]] void invalid(const InputSpec& input, std::string_view given_by, const std::string& value,
                          const std::string& expected) {
    throw UsageError(fmt::format("invalid value {} for {}, given by {}: expected {}", json_quoted(value),
                                 input_names(input), given_by, expected));
}

bool is_number(const std::string& text) {
    double value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    return error == std::errc() && stop == end && std::isfinite(value);
}

// Checks each value and returns it in canonical form (booleans as "true"/"false").
std::vector<std::string> validated(const InputSpec& input, std::vector<std::string> values, std::string_view given_by) {
    for (auto& value : values) {
        switch (input.type) {
            case InputType::Boolean:
                // YAML 1.2's spellings, which is what a GitHub or GitLab boolean input becomes.
                if (value == "true" || value == "True" || value == "TRUE") {
                    value = "true";
                } else if (value == "false" || value == "False" || value == "FALSE") {
                    value = "false";
                } else {
                    invalid(input, given_by, value, "true or false");
                }
                break;
            case InputType::Number:
                if (!is_number(value)) invalid(input, given_by, value, "a number");
                break;
            case InputType::String:
            case InputType::List: break;
        }
        if (!input.choices.empty() && std::find(input.choices.begin(), input.choices.end(), value) == input.choices.end()) {
            invalid(input, given_by, value, fmt::format("one of {}", fmt::join(input.choices, ", ")));
        }
    }
    return values;
}

std::string program_name(const ToolSpec& spec) { return spec.name.empty() ? std::string("gantry") : spec.name; }

// Before CLI11 sees argv: --help and --version win over everything else on the line, including
// arguments CLI11 would reject.
std::optional<Action> informational_action(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i] == nullptr ? "" : argv[i];
        if (argument == "--") break;
        if (argument == "-h" || argument == "--help") return Action::Help;
        if (argument == "--version") return Action::Version;
    }
    return std::nullopt;
}

OutputFormat resolve_format(const std::string& name, CiPlatform platform) {
    if (name == "text") return OutputFormat::Text;
    if (name == "json") return OutputFormat::Json;
    if (name == "github") return OutputFormat::Github;
    if (name == "gitlab") return OutputFormat::Gitlab;
    switch (platform) {
        case CiPlatform::GithubActions: return OutputFormat::Github;
        case CiPlatform::GitlabCi: return OutputFormat::Gitlab;
        case CiPlatform::Shell: break;
    }
    return OutputFormat::Text;
}

}  // namespace

CommandLine parse_command_line(const ToolSpec& spec, int argc, const char* const* argv,
                               const Environment& environment) {
    CommandLine result;
    if (const auto action = informational_action(argc, argv)) {
        result.action = *action;
        return result;
    }

    const std::vector<InputSpec> inputs = all_inputs(spec);
    CLI::App app(spec.summary, program_name(spec));
    app.set_help_flag();  // --help is handled above and rendered from the spec
    // CLI11 only collects the strings; a deque keeps the bound vectors where CLI11 was told they are.
    std::deque<std::vector<std::string>> storage;
    std::map<std::string, CLI::Option*> options;
    for (const auto& input : inputs) {
        std::string names = "--" + input.name;
        if (input.short_flag != 0) names = std::string("-") + input.short_flag + "," + names;
        if (input.type == InputType::Boolean) {
            options[input.name] = app.add_flag(names);
            continue;
        }
        if (input.positional == Positional::Yes) names = input.name + "," + names;
        CLI::Option* option = app.add_option(names, storage.emplace_back());
        // One value per occurrence: "--waivers a b" must not swallow the positional "b". CLI11 gives
        // a positional option more than one argument only with extra args allowed; "--reports a b"
        // then takes both, which is the same input anyway.
        option->allow_extra_args(input.positional == Positional::Yes && input.type == InputType::List);
        option->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        if (!input.value_name.empty()) option->type_name(input.value_name);
        options[input.name] = option;
    }
    std::string generate_what;
    CLI::Option* generate = app.add_option("--generate", generate_what)->group("");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        throw UsageError(fmt::format("{}; see '{} --help'", error.what(), program_name(spec)));
    }

    if (generate->count() > 0) {
        static const std::vector<std::string> kinds = {"github-action", "gitlab-component", "readme"};
        if (std::find(kinds.begin(), kinds.end(), generate_what) == kinds.end()) {
            throw UsageError(fmt::format("invalid value {} for --generate: expected one of {}", json_quoted(generate_what),
                                         fmt::join(kinds, ", ")));
        }
        // Generating files depends on the spec alone: inputs, even broken ones, do not matter.
        result.action = Action::Generate;
        result.generate_what = generate_what;
        return result;
    }

    const CiPlatform platform = detect_platform(environment);
    std::vector<std::string> missing;
    for (const auto& input : inputs) {
        const CLI::Option* option = options.at(input.name);
        if (option->count() > 0) {
            std::vector<std::string> values = option->results();
            if (input.type != InputType::List && values.size() > 1) values.erase(values.begin(), values.end() - 1);
            result.inputs.put(input.name, validated(input, std::move(values), "the command line"),
                              InputSource::CommandLine);
            continue;
        }
        std::optional<std::string> variable;
        for (const std::string& name : {github_input_variable(input.name), portable_input_variable(input.name)}) {
            if (environment.has(name)) {
                variable = name;
                break;
            }
        }
        if (variable) {
            const std::string raw = *environment.get(*variable);
            std::vector<std::string> values =
                input.type == InputType::List ? list_from_environment(raw) : std::vector<std::string>{trim(raw)};
            // A list of only blank lines, or a blank scalar, is as good as unset.
            if (!values.empty() && !(values.size() == 1 && values.front().empty())) {
                result.inputs.put(input.name, validated(input, std::move(values), *variable),
                                  InputSource::Environment);
                continue;
            }
        }
        if (!input.default_value.empty()) {
            std::vector<std::string> values = input.type == InputType::List ? non_empty_lines(input.default_value)
                                                                            : std::vector<std::string>{input.default_value};
            result.inputs.put(input.name, std::move(values), InputSource::Default);
        } else if (input.requirement == Requirement::Required) {
            missing.push_back(input_names(input));
        }
    }
    if (!missing.empty()) {
        throw UsageError(fmt::format("missing required input{}: {}; see '{} --help'", missing.size() > 1 ? "s" : "",
                                     fmt::join(missing, ", "), program_name(spec)));
    }

    // Platform defaults: they are where the runner looks, so a tool sees the effective value.
    if (!result.inputs.get("summary-file") && platform == CiPlatform::GithubActions &&
        environment.has("GITHUB_STEP_SUMMARY")) {
        result.inputs.put("summary-file", {*environment.get("GITHUB_STEP_SUMMARY")}, InputSource::Default);
    }
    if (!result.inputs.get("dotenv-file") && platform == CiPlatform::GitlabCi) {
        result.inputs.put("dotenv-file", {"gantry.env"}, InputSource::Default);
    }

    result.format = resolve_format(result.inputs.get_or("format", "auto"), platform);
    const bool quiet = result.inputs.flag("quiet");
    const bool verbose = result.inputs.flag("verbose");
    if (quiet && verbose) {
        throw UsageError(fmt::format("--quiet ({}) and --verbose ({}) cannot both be set", github_input_variable("quiet"),
                                     github_input_variable("verbose")));
    }
    result.verbosity = quiet ? Verbosity::Quiet : verbose ? Verbosity::Verbose : Verbosity::Normal;
    result.color = ::isatty(STDOUT_FILENO) == 1 && !environment.has("NO_COLOR");
    return result;
}

}  // namespace gantry
