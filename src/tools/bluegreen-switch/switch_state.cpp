#include "bluegreen-switch/switch_state.hpp"

#include <system_error>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"

namespace bluegreen_switch {

namespace {

std::optional<Color> color_field(const nlohmann::json& document, const char* key, const std::filesystem::path& path) {
    const auto found = document.find(key);
    if (found == document.end() || found->is_null()) return std::nullopt;
    const auto color = found->is_string() ? parse_color(found->get<std::string>()) : std::nullopt;
    if (!color) {
        throw gantry::InputError({.file = path.string(), .pointer = std::string("/") + key},
                                 "expected \"blue\" or \"green\", got " + found->dump());
    }
    return color;
}

std::string text_field(const nlohmann::json& document, const char* key, const std::filesystem::path& path) {
    const auto found = document.find(key);
    if (found == document.end() || found->is_null()) return {};
    if (!found->is_string()) {
        throw gantry::InputError({.file = path.string(), .pointer = std::string("/") + key}, "expected a string");
    }
    return found->get<std::string>();
}

}  // namespace

std::optional<SwitchState> read_switch_state(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) return std::nullopt;
    const std::string text = gantry::read_file(path);
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw gantry::InputError({.file = path.string()},
                                 "the state file is not valid JSON (byte " + std::to_string(e.byte) +
                                     "); fix or remove it and run with --force");
    }
    if (!document.is_object()) throw gantry::InputError({.file = path.string()}, "expected a JSON object");
    SwitchState state;
    state.live = color_field(document, "live", path);
    state.previous = color_field(document, "previous", path);
    state.pending = color_field(document, "pending", path);
    state.provider = text_field(document, "provider", path);
    state.version = text_field(document, "version", path);
    state.switched_at = text_field(document, "switched-at", path);
    return state;
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

}  // namespace bluegreen_switch
