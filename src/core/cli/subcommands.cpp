// Choosing a command, and folding a tool's commands into the one spec a CI runner is given.
#include "gantry/cli/subcommands.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "gantry/base/error.hpp"
#include "gantry/cli/generate.hpp"
#include "gantry/cli/inputs.hpp"

namespace gantry {

namespace {

struct Command {
    std::string name;
    const ToolSpec* spec;
};

std::vector<Command> commands_of(const CommandSet& set) {
    std::vector<Command> commands{{set.default_command, set.tool}};
    for (const auto& subcommand : set.subcommands) commands.push_back({subcommand.name, subcommand.spec});
    return commands;
}

std::vector<std::string> words_of(const std::string& name) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < name.size()) {
        auto end = name.find(' ', start);
        if (end == std::string::npos) end = name.size();
        if (end > start) words.push_back(name.substr(start, end - start));
        start = end + 1;
    }
    return words;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Output descriptions are phrases; a sentence follows them here.
std::string sentence(const std::string& text) { return text.empty() || text.back() == '.' ? text : text + "."; }

std::string command_list(const std::vector<std::string>& names) { return fmt::format("{}", fmt::join(names, ", ")); }

// One meaning of an input or output: the commands that give it this description (and default).
struct Meaning {
    std::string description;
    std::string default_value;
    std::vector<std::string> commands;
};

template <class Item, class Key>
std::vector<Meaning> meanings_of(const std::vector<std::pair<std::string, const Item*>>& uses, Key key) {
    std::vector<Meaning> meanings;
    for (const auto& [command, item] : uses) {
        const std::pair<std::string, std::string> meaning = key(*item);
        auto found = std::find_if(meanings.begin(), meanings.end(), [&](const Meaning& m) {
            return m.description == meaning.first && m.default_value == meaning.second;
        });
        if (found == meanings.end()) {
            meanings.push_back({meaning.first, meaning.second, {command}});
        } else {
            found->commands.push_back(command);
        }
    }
    return meanings;
}

// "Used by ..." only when not every command uses it; "load: ... check: ..." when meanings differ.
std::string folded_description(const std::vector<Meaning>& meanings, const std::vector<std::string>& users,
                               std::size_t command_count, std::string_view used_by) {
    if (meanings.size() == 1) {
        if (users.size() == command_count) return meanings.front().description;
        return fmt::format("{} {} command{}: {}.", sentence(meanings.front().description), used_by, users.size() > 1 ? "s" : "",
                           command_list(users));
    }
    const bool same_default = std::all_of(meanings.begin(), meanings.end(), [&](const Meaning& m) {
        return m.default_value == meanings.front().default_value;
    });
    std::vector<std::string> parts;
    for (const auto& meaning : meanings) {
        std::string part = fmt::format("With command {}: {}", command_list(meaning.commands), sentence(meaning.description));
        if (!same_default && !meaning.default_value.empty()) part += fmt::format(" Default: {}.", meaning.default_value);
        parts.push_back(std::move(part));
    }
    return fmt::format("{}", fmt::join(parts, " "));
}

}  // namespace

CommandChoice choose_command(const CommandSet& set, int argc, const char* const* argv, const Environment& environment) {
    // The longest match first: "load merge" before "load".
    std::vector<const Subcommand*> by_length;
    for (const auto& subcommand : set.subcommands) by_length.push_back(&subcommand);
    std::stable_sort(by_length.begin(), by_length.end(), [](const Subcommand* a, const Subcommand* b) {
        return words_of(a->name).size() > words_of(b->name).size();
    });
    for (const Subcommand* subcommand : by_length) {
        const auto words = words_of(subcommand->name);
        if (static_cast<int>(words.size()) >= argc) continue;
        bool matches = true;
        for (std::size_t i = 0; i < words.size() && matches; ++i) matches = argv[i + 1] != nullptr && words[i] == argv[i + 1];
        if (matches) return {subcommand->spec, subcommand->name, static_cast<int>(words.size())};
    }
    const std::string variable = github_input_variable("command");
    const std::string value = trimmed(environment.get(variable).value_or(""));
    if (!value.empty() && value != set.default_command) {
        for (const auto& subcommand : set.subcommands) {
            if (subcommand.name == value) return {subcommand.spec, subcommand.name, 0};
        }
        std::vector<std::string> names;
        for (const auto& command : commands_of(set)) names.push_back(command.name);
        throw UsageError(fmt::format("invalid value \"{}\" for the command input, given by {}: expected one of {}", value,
                                     variable, command_list(names)));
    }
    return {set.tool, set.default_command, 0};
}

InputSpec command_input(const CommandSet& set) {
    InputSpec input{.name = "command", .type = InputType::String, .default_value = set.default_command, .value_name = "COMMAND"};
    std::vector<std::string> parts;
    for (const auto& command : commands_of(set)) {
        input.choices.push_back(command.name);
        parts.push_back(fmt::format("{} (`{}`)", command.name, command.spec->name));
    }
    input.description = fmt::format("What to run: {} or {}. Inputs that not every command reads name the commands they apply to.",
                                    fmt::join(parts.begin(), parts.end() - 1, ", "), parts.back());
    return input;
}

ToolSpec runner_spec(const CommandSet& set) {
    const ToolSpec& spec = *set.tool;
    const auto commands = commands_of(set);

    std::vector<std::string> input_order;
    std::vector<std::vector<std::pair<std::string, const InputSpec*>>> input_uses;
    std::vector<std::string> output_order;
    std::vector<std::vector<std::pair<std::string, const OutputSpec*>>> output_uses;
    for (const auto& command : commands) {
        for (const auto& input : command.spec->inputs) {
            auto at = std::find(input_order.begin(), input_order.end(), input.name);
            if (at == input_order.end()) {
                input_order.push_back(input.name);
                input_uses.emplace_back();
                at = input_order.end() - 1;
            }
            input_uses[static_cast<std::size_t>(at - input_order.begin())].emplace_back(command.name, &input);
        }
        for (const auto& output : command.spec->outputs) {
            auto at = std::find(output_order.begin(), output_order.end(), output.name);
            if (at == output_order.end()) {
                output_order.push_back(output.name);
                output_uses.emplace_back();
                at = output_order.end() - 1;
            }
            output_uses[static_cast<std::size_t>(at - output_order.begin())].emplace_back(command.name, &output);
        }
    }

    ToolSpec runner = spec;
    runner.inputs = {command_input(set)};
    runner.outputs.clear();
    for (const auto& uses : input_uses) {
        InputSpec input = *uses.front().second;
        if (input.name == "command") throw std::logic_error(spec.name + ": an input named 'command' hides the subcommands");
        std::vector<std::string> users;
        bool every_use_required = uses.size() == commands.size();
        for (const auto& [command, use] : uses) {
            if (use->type != input.type) {
                throw std::logic_error(fmt::format("{}: input '{}' has different types in {} and {}", spec.name, input.name,
                                                   uses.front().first, command));
            }
            users.push_back(command);
            every_use_required = every_use_required && use->requirement == Requirement::Required;
            if (input.component_default.empty()) input.component_default = use->component_default;
            if (input.artifact == Artifact::None) input.artifact = use->artifact;
            if (use->exposure == Exposure::Everywhere) input.exposure = Exposure::Everywhere;
        }
        const auto meanings = meanings_of(uses, [](const InputSpec& i) { return std::pair{i.description, i.default_value}; });
        const bool same_default = std::all_of(meanings.begin(), meanings.end(), [&](const Meaning& m) {
            return m.default_value == meanings.front().default_value;
        });
        input.description = folded_description(meanings, users, commands.size(), "Used by");
        // One variable reaches every command: a default some command does not share would override its own.
        input.default_value = same_default ? meanings.front().default_value : "";
        input.requirement = every_use_required ? Requirement::Required : Requirement::Optional;
        input.positional = Positional::No;
        runner.inputs.push_back(std::move(input));
    }
    for (std::size_t i = 0; i < output_uses.size(); ++i) {
        const auto& uses = output_uses[i];
        std::vector<std::string> users;
        for (const auto& use : uses) users.push_back(use.first);
        const auto meanings = meanings_of(uses, [](const OutputSpec& o) { return std::pair{o.description, std::string()}; });
        runner.outputs.push_back({output_order[i], folded_description(meanings, users, commands.size(), "Set by")});
    }
    return runner;
}

std::string render_generated(const CommandSet& set, const std::string& what) {
    if (what != "readme") return render_generated(runner_spec(set), what);
    const ToolSpec& spec = *set.tool;
    std::vector<InputSpec> inputs{command_input(set)};
    for (const auto& input : all_inputs(spec)) {
        if (input.exposure == Exposure::Everywhere) inputs.push_back(input);
    }
    std::string text = "#### Inputs\n\n" + render_input_table(inputs);
    if (!spec.outputs.empty()) text += "\n#### Outputs\n\n" + render_output_table(spec.outputs);
    // A subcommand's own inputs, as that command reads them; the common inputs apply to every command.
    std::vector<std::string> common;
    for (const auto& input : common_inputs()) {
        if (input.exposure == Exposure::Everywhere) common.push_back("`" + input.name + "`");
    }
    for (const auto& subcommand : set.subcommands) {
        std::vector<InputSpec> own;
        for (const auto& input : subcommand.spec->inputs) {
            if (input.exposure == Exposure::Everywhere) own.push_back(input);
        }
        text += fmt::format("\n#### Inputs with `command: {}` (`{}`)\n\n", subcommand.name, subcommand.spec->name);
        text += render_input_table(own);
        if (!common.empty()) {
            text += fmt::format("\nThe common inputs {} and {} apply too.\n", fmt::join(common.begin(), common.end() - 1, ", "),
                                common.back());
        }
        if (!subcommand.spec->outputs.empty()) {
            text += fmt::format("\n#### Outputs with `command: {}`\n\n", subcommand.name) +
                    render_output_table(subcommand.spec->outputs);
        }
    }
    return text;
}

}  // namespace gantry
