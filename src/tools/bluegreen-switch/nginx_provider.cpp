#include "bluegreen-switch/nginx_provider.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <string>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/base/process.hpp"

namespace bluegreen_switch {

namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        lines.emplace_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

// A line diff (longest common subsequence) shown as one unified hunk: upstream files are a few lines.
std::vector<std::string> unified_diff(const std::string& path, std::string_view before, std::string_view after) {
    const std::vector<std::string> a = split_lines(before);
    const std::vector<std::string> b = split_lines(after);
    std::vector<std::vector<std::size_t>> common(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
    for (std::size_t i = a.size(); i-- > 0;) {
        for (std::size_t j = b.size(); j-- > 0;) {
            common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : std::max(common[i + 1][j], common[i][j + 1]);
        }
    }
    std::vector<std::string> diff{"--- " + path, "+++ " + path,
                                  fmt::format("@@ -{},{} +{},{} @@", a.empty() ? 0 : 1, a.size(), b.empty() ? 0 : 1, b.size())};
    // Within a changed block (the lines between two unchanged ones) every removal comes before every
    // addition, as in diff and git: collected per block, so this holds whatever order the walk takes.
    std::vector<std::string> removed;
    std::vector<std::string> added;
    const auto close_block = [&] {
        for (std::string& line : removed) diff.push_back("-" + std::move(line));
        for (std::string& line : added) diff.push_back("+" + std::move(line));
        removed.clear();
        added.clear();
    };
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() || j < b.size()) {
        if (i < a.size() && j < b.size() && a[i] == b[j]) {
            close_block();
            diff.push_back(" " + a[i++]);
            ++j;
        } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
            removed.push_back(a[i++]);
        } else {
            added.push_back(b[j++]);
        }
    }
    close_block();
    return diff;
}

void check_percent(int percent) {
    if (percent < 0 || percent > 100) {
        throw gantry::UsageError(fmt::format("a traffic share must be between 0 and 100 percent, not {}", percent));
    }
}

std::string last_words(std::string_view output) {
    std::string text(output);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
    return text.empty() ? "(no output)" : text;
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::size_t position = 0;
    while (true) {
        position = text.find_first_not_of(" \t\r\n", position);
        if (position == std::string_view::npos) break;
        const std::size_t end = text.find_first_of(" \t\r\n", position);
        words.emplace_back(text.substr(position, end == std::string_view::npos ? end : end - position));
        position = end;
    }
    return words;
}

struct ServerLine {
    Color color;
    long weight = 1;
};

}  // namespace

NginxProvider::NginxProvider(const ProviderSettings& settings) : settings_(settings) {
    if (settings_.nginx_upstream_file.empty()) {
        throw gantry::UsageError("--nginx-upstream-file is required with --provider nginx");
    }
    if (settings_.blue.empty()) throw gantry::UsageError("--blue (the blue upstream, host:port) is required with --provider nginx");
    if (settings_.green.empty()) throw gantry::UsageError("--green (the green upstream, host:port) is required with --provider nginx");
    if (settings_.blue == settings_.green) {
        throw gantry::UsageError("--blue and --green must be different upstreams, both are " + settings_.blue);
    }
    if (settings_.nginx_test_command.empty()) throw gantry::UsageError("--nginx-test-command must not be empty");
    if (settings_.nginx_reload_command.empty()) throw gantry::UsageError("--nginx-reload-command must not be empty");
}

std::string NginxProvider::render(Color target, int percent) const {
    check_percent(percent);
    const std::string& target_address = target == Color::Blue ? settings_.blue : settings_.green;
    const std::string& other_address = target == Color::Blue ? settings_.green : settings_.blue;
    std::string text = fmt::format(
        "# Managed by bluegreen-switch (blue {}, green {}): rewritten on every switch, edits are lost.\n",
        settings_.blue, settings_.green);
    if (percent == 100 || percent == 0) {
        return text + fmt::format("server {};\n", percent == 100 ? target_address : other_address);
    }
    // The smallest weights with the same ratio: 10% is 9:1, not 90:10.
    const int divisor = std::gcd(percent, 100 - percent);
    const int target_weight = percent / divisor;
    const int other_weight = (100 - percent) / divisor;
    // Blue first whatever the target, so that the file does not churn when the split moves.
    const bool blue_is_target = target == Color::Blue;
    text += fmt::format("server {} weight={};\n", settings_.blue, blue_is_target ? target_weight : other_weight);
    text += fmt::format("server {} weight={};\n", settings_.green, blue_is_target ? other_weight : target_weight);
    return text;
}

std::optional<std::string> NginxProvider::current_content() const {
    std::error_code error;
    if (!fs::exists(settings_.nginx_upstream_file, error)) return std::nullopt;
    return gantry::read_file(settings_.nginx_upstream_file);
}

ProviderReading NginxProvider::read() {
    const std::string& path = settings_.nginx_upstream_file;
    const std::string content = gantry::read_file(path);
    std::vector<ServerLine> servers;
    std::string detail;
    int line = 1;
    std::size_t position = 0;
    // Statements end with ';' and may share or span lines; '#' starts a comment up to the line end.
    while (position < content.size()) {
        const char c = content[position];
        if (c == '\n') {
            ++line;
            ++position;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            ++position;
            continue;
        }
        if (c == '#') {
            position = content.find('\n', position);
            if (position == std::string::npos) break;
            continue;
        }
        const int statement_line = line;
        const std::size_t end = content.find(';', position);
        std::string statement = content.substr(position, end == std::string::npos ? std::string::npos : end - position);
        if (end == std::string::npos) {
            throw gantry::InputError(gantry::SourcePosition{path, statement_line, 0, {}},
                                     "expected a statement ending with ';' (server ADDRESS;)");
        }
        for (const char s : statement) line += s == '\n' ? 1 : 0;
        position = end + 1;

        const std::vector<std::string> words = split_words(statement);
        if (words.empty() || words[0] != "server" || words.size() < 2) {
            throw gantry::InputError(gantry::SourcePosition{path, statement_line, 0, {}},
                                     fmt::format("expected 'server ADDRESS;' lines only, found '{}'", statement));
        }
        const std::string& address = words[1];
        std::optional<Color> color;
        if (address == settings_.blue) color = Color::Blue;
        if (address == settings_.green) color = Color::Green;
        if (!color) {
            throw gantry::InputError(
                gantry::SourcePosition{path, statement_line, 0, {}},
                fmt::format("server {} is neither --blue ({}) nor --green ({})", address, settings_.blue, settings_.green));
        }
        ServerLine server{*color, 1};
        bool down = false;
        for (std::size_t k = 2; k < words.size(); ++k) {
            if (words[k].rfind("weight=", 0) == 0) {
                const std::string_view value = std::string_view(words[k]).substr(7);
                const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), server.weight);
                if (error != std::errc() || end != value.data() + value.size() || server.weight < 1) {
                    throw gantry::InputError(gantry::SourcePosition{path, statement_line, 0, {}},
                                             fmt::format("expected a positive whole number in '{}'", words[k]));
                }
            } else if (words[k] == "down" || words[k] == "backup") {
                down = true;  // receives no traffic while the others are up
            }
        }
        if (!down) servers.push_back(server);
        detail += fmt::format("{}{};", detail.empty() ? "" : " ", fmt::join(words, " "));
    }
    if (servers.empty()) {
        throw gantry::InputError(gantry::SourcePosition{path, 0, 0, {}},
                                 "expected at least one 'server ADDRESS;' line receiving traffic, found none");
    }
    // Summed as floating point: nginx takes any weight, and whole numbers could overflow.
    double blue_weight = 0;
    double green_weight = 0;
    for (const ServerLine& server : servers) {
        (server.color == Color::Blue ? blue_weight : green_weight) += static_cast<double>(server.weight);
    }

    ProviderReading reading;
    reading.green_percent = static_cast<int>(std::lround(100 * green_weight / (blue_weight + green_weight)));
    if (green_weight == 0) reading.live = Color::Blue;
    if (blue_weight == 0) reading.live = Color::Green;
    reading.detail = "upstream file " + path + ": " + detail;
    return reading;
}

std::vector<std::string> NginxProvider::plan(Color target, int percent) {
    const std::string after = render(target, percent);
    const std::optional<std::string> before = current_content();
    std::vector<std::string> steps;
    if (before && *before == after) {
        steps.push_back(settings_.nginx_upstream_file + " already has this content (tested and reloaded anyway)");
    } else {
        steps = unified_diff(settings_.nginx_upstream_file, before.value_or(""), after);
    }
    steps.push_back("run: " + gantry::describe_command(settings_.nginx_test_command));
    steps.push_back("run: " + gantry::describe_command(settings_.nginx_reload_command));
    return steps;
}

void NginxProvider::apply(Color target, int percent) {
    const fs::path path = settings_.nginx_upstream_file;
    const std::string after = render(target, percent);
    const std::optional<std::string> before = current_content();
    const auto restore = [&] {
        if (before) {
            gantry::write_file_atomically(path, *before);
        } else {
            std::error_code ignored;
            fs::remove(path, ignored);
        }
    };
    if (!before || *before != after) gantry::write_file_atomically(path, after);
    reached(Boundary::AfterProviderWrite);

    // Runs a command; when it fails or cannot start, the old file goes back. Returns why it failed.
    const auto run_or_restore = [&](const std::vector<std::string>& command) -> std::optional<std::string> {
        gantry::ProcessResult result;
        try {
            result = gantry::run_process(command, settings_.timeout);
        } catch (...) {
            restore();
            throw;
        }
        if (result.exit_code == 0 && !result.timed_out) return std::nullopt;
        restore();
        return result.timed_out ? fmt::format("no answer within {} ms", settings_.timeout.count()) : last_words(result.output);
    };
    if (const std::optional<std::string> why = run_or_restore(settings_.nginx_test_command)) {
        throw gantry::InputError(fmt::format("{} rejected the configuration; nothing was reloaded and {} was put back: {}",
                                             gantry::describe_command(settings_.nginx_test_command), path.string(), *why));
    }
    if (const std::optional<std::string> why = run_or_restore(settings_.nginx_reload_command)) {
        throw gantry::EnvironmentError(fmt::format("{} failed, so nginx still routes as before ({} was put back): {}",
                                                   gantry::describe_command(settings_.nginx_reload_command),
                                                   path.string(), *why));
    }
}

}  // namespace bluegreen_switch
