#include "bluegreen-switch/switch_state.hpp"

#include <system_error>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"

namespace bluegreen_switch {

namespace {

[[noreturn]] void malformed(const std::filesystem::path& path, const std::string& pointer, const std::string& reason) {
    throw gantry::InputError({.file = path.string(), .pointer = pointer},
                             reason + "; run with --repair-state to rewrite it from what the load balancer serves, or "
                                      "remove " + path.string() + " (the next switch then records a new one)");
}

std::optional<Color> color_field(const nlohmann::json& document, const char* key, const std::filesystem::path& path) {
    const auto found = document.find(key);
    if (found == document.end() || found->is_null()) return std::nullopt;
    const auto color = found->is_string() ? parse_color(found->get<std::string>()) : std::nullopt;
    if (!color) malformed(path, std::string("/") + key, "expected \"blue\" or \"green\", got " + found->dump());
    return color;
}

std::string text_field(const nlohmann::json& document, const char* key, const std::filesystem::path& path) {
    const auto found = document.find(key);
    if (found == document.end() || found->is_null()) return {};
    if (!found->is_string()) malformed(path, std::string("/") + key, "expected a string");
    return found->get<std::string>();
}

SwitchState parse_switch_state(const std::string& text, const std::filesystem::path& path) {
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        malformed(path, "", "the state file is not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    if (!document.is_object()) malformed(path, "", "expected a JSON object");
    SwitchState state;
    state.live = color_field(document, "live", path);
    state.previous = color_field(document, "previous", path);
    state.pending = color_field(document, "pending", path);
    state.provider = text_field(document, "provider", path);
    state.version = text_field(document, "version", path);
    state.switched_at = text_field(document, "switched-at", path);
    return state;
}


}  // namespace

StateSnapshot take_state_snapshot(const std::filesystem::path& path) {
    StateSnapshot snapshot;
    snapshot.path = path;
    std::error_code error;
    if (!std::filesystem::exists(path, error)) return snapshot;
    snapshot.bytes = gantry::read_file(path);
    snapshot.state = parse_switch_state(*snapshot.bytes, path);
    return snapshot;
}

std::optional<SwitchState> read_switch_state(const std::filesystem::path& path) { return take_state_snapshot(path).state; }

void restore_state_snapshot(const StateSnapshot& snapshot) {
    if (snapshot.bytes) {
        gantry::write_file_atomically(snapshot.path, *snapshot.bytes);
        return;
    }
    std::error_code error;
    std::filesystem::remove(snapshot.path, error);
    if (error) throw gantry::EnvironmentError("cannot remove " + snapshot.path.string() + ": " + error.message());
}

void write_switch_state(const std::filesystem::path& path, const SwitchState& state) {
    nlohmann::json document = nlohmann::json::object();
    const auto put = [&](const char* key, const std::optional<Color>& color) {
        if (color) document[key] = std::string(to_string(*color));
    };
    put("live", state.live);
    put("previous", state.previous);
    put("pending", state.pending);
    if (!state.provider.empty()) document["provider"] = state.provider;
    if (!state.version.empty()) document["version"] = state.version;
    if (!state.switched_at.empty()) document["switched-at"] = state.switched_at;
    gantry::write_file_atomically(path, document.dump(2) + "\n");
}

std::string describe_state(const SwitchState& state) {
    return "live " + color_name(state.live) + ", previous " + color_name(state.previous) +
           (state.version.empty() ? "" : ", version " + state.version) +
           (state.switched_at.empty() ? "" : ", switched at " + state.switched_at) +
           (state.pending ? ", a switch to " + color_name(state.pending) + " was interrupted" : "");
}

}  // namespace bluegreen_switch
