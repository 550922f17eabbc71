#include "bluegreen-switch/command_provider.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/base/process.hpp"

namespace bluegreen_switch {

namespace {

std::string_view trimmed(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string last_lines(std::string_view output, int count) {
    output = trimmed(output);
    std::size_t start = output.size();
    for (int lines = 0; start > 0; --start) {
        if (output[start - 1] == '\n' && ++lines == count) break;
    }
    return std::string(output.substr(start));
}

}  // namespace

CommandProvider::CommandProvider(const ProviderSettings& settings) : settings_(settings) {
    if (settings_.switch_command.empty()) throw gantry::UsageError("--switch-command is required with --provider command");
    if (settings_.blue.empty()) settings_.blue = "blue";
    if (settings_.green.empty()) settings_.green = "green";
}

WeightSupport CommandProvider::weights() const {
    const bool takes_percent = std::any_of(settings_.switch_command.begin(), settings_.switch_command.end(),
                                           [](const std::string& argument) { return argument.find("{percent}") != std::string::npos; });
    return takes_percent ? WeightSupport::Weighted : WeightSupport::AllOrNothing;
}

std::vector<std::string> CommandProvider::substitute(const std::vector<std::string>& argv, Color color, int percent) const {
    std::vector<std::string> result = argv;
    for (std::string& argument : result) {
        // One pass per placeholder over the original text would re-expand a value that contains a
        // placeholder; values are substituted left to right instead.
        std::string expanded;
        for (std::size_t i = 0; i < argument.size();) {
            const std::string_view rest = std::string_view(argument).substr(i);
            if (rest.rfind("{target}", 0) == 0) {
                expanded += color == Color::Blue ? settings_.blue : settings_.green;
                i += 8;
            } else if (rest.rfind("{color}", 0) == 0) {
                expanded += to_string(color);
                i += 7;
            } else if (rest.rfind("{percent}", 0) == 0) {
                expanded += std::to_string(percent);
                i += 9;
            } else {
                expanded += argument[i++];
            }
        }
        argument = std::move(expanded);
    }
    return result;
}

std::string CommandProvider::run(const std::vector<std::string>& argv) const {
    const gantry::ProcessResult result = gantry::run_process(argv, settings_.timeout);
    if (result.timed_out) {
        throw gantry::EnvironmentError(fmt::format("{} did not finish within {} ms and was killed; its output: {}",
                                                   gantry::describe_command(argv), settings_.timeout.count(),
                                                   last_lines(result.output, 20)));
    }
    if (result.exit_code != 0) {
        const std::string output = last_lines(result.output, 20);
        throw gantry::EnvironmentError(fmt::format("{} failed ({}){}", gantry::describe_command(argv),
                                                   result.exit_code < 0 ? "killed by a signal" : fmt::format("exit code {}", result.exit_code),
                                                   output.empty() ? ", printing nothing" : ":\n" + output));
    }
    return result.output;
}

void CommandProvider::check_percent(Color target, int percent) const {
    if (percent < 0 || percent > 100) {
        throw gantry::UsageError(fmt::format("a traffic share must be between 0 and 100 percent, not {}", percent));
    }
    if (percent != 100 && weights() == WeightSupport::AllOrNothing) {
        throw gantry::UsageError(fmt::format(
            "--switch-command has no {{percent}} argument, so it cannot send {} percent to {}", percent, to_string(target)));
    }
}

ProviderReading CommandProvider::read() {
    ProviderReading reading;
    if (settings_.read_command.empty()) {
        reading.detail = "live colour unknown: no --read-command";
        return reading;
    }
    const std::string output = run(settings_.read_command);
    const std::string_view word = trimmed(output);
    std::optional<Color> live = parse_color(word);
    if (!live && word == settings_.blue) live = Color::Blue;
    if (!live && word == settings_.green) live = Color::Green;
    if (!live) {
        throw gantry::InputError(fmt::format("{} printed '{}'; expected blue or green ({} or {})",
                                             gantry::describe_command(settings_.read_command),
                                             word.substr(0, 200), settings_.blue, settings_.green));
    }
    reading.live = live;
    reading.green_percent = *live == Color::Green ? 100 : 0;
    reading.detail = fmt::format("{} printed {}", gantry::describe_command(settings_.read_command), word);
    return reading;
}

std::vector<std::string> CommandProvider::plan(Color target, int percent) {
    check_percent(target, percent);
    return {"run: " + gantry::describe_command(substitute(settings_.switch_command, target, percent))};
}

void CommandProvider::apply(Color target, int percent) {
    check_percent(target, percent);
    run(substitute(settings_.switch_command, target, percent));
}

std::optional<long> CommandProvider::in_flight(Color color) {
    if (settings_.in_flight_command.empty()) return std::nullopt;
    const std::vector<std::string> argv = substitute(settings_.in_flight_command, color, 100);
    const std::string output = run(argv);
    const std::string_view number = trimmed(output);
    long value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (number.empty() || error != std::errc() || end != number.data() + number.size() || value < 0) {
        throw gantry::InputError(fmt::format("{} printed '{}'; expected a whole number of requests in flight",
                                             gantry::describe_command(argv), number.substr(0, 200)));
    }
    return value;
}

}  // namespace bluegreen_switch
