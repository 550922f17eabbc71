#include "gantry/cli/inputs.hpp"

#include <charconv>
#include <cmath>

namespace gantry {

namespace {

std::string upper(std::string_view text) {
    std::string result(text);
    for (char& c : result) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return result;
}

}  // namespace

std::string github_input_variable(std::string_view input_name) {
    // The runner upper-cases the name and turns spaces, not hyphens, into underscores.
    std::string name = upper(input_name);
    for (char& c : name) {
        if (c == ' ') c = '_';
    }
    return "INPUT_" + name;
}

std::string portable_input_variable(std::string_view input_name) {
    std::string name = upper(input_name);
    for (char& c : name) {
        if (c == ' ' || c == '-') c = '_';
    }
    return "INPUT_" + name;
}

std::string_view to_string(OutputFormat format) {
    switch (format) {
        case OutputFormat::Json: return "json";
        case OutputFormat::Github: return "github";
        case OutputFormat::Gitlab: return "gitlab";
        case OutputFormat::Text: break;
    }
    return "text";
}

std::optional<std::string> Inputs::get(const std::string& name) const {
    const auto found = values_.find(name);
    if (found == values_.end() || found->second.values.empty()) return std::nullopt;
    return found->second.values.back();
}

std::string Inputs::get_or(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
}

std::vector<std::string> Inputs::comma_list(const std::string& name) const {
    std::vector<std::string> items;
    for (const auto& value : list(name)) {
        std::size_t start = 0;
        while (start <= value.size()) {
            const auto comma = value.find(',', start);
            const std::string item = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            const auto first = item.find_first_not_of(" \t");
            const auto last = item.find_last_not_of(" \t");
            if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return items;
}

std::vector<std::string> Inputs::list(const std::string& name) const {
    const auto found = values_.find(name);
    return found == values_.end() ? std::vector<std::string>{} : found->second.values;
}

bool Inputs::flag(const std::string& name) const { return get(name) == "true"; }

std::optional<double> Inputs::number(const std::string& name) const {
    const auto text = get(name);
    if (!text) return std::nullopt;
    double value = 0;
    const char* end = text->data() + text->size();
    const auto [stop, error] = std::from_chars(text->data(), end, value);
    if (error != std::errc() || stop != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

InputSource Inputs::source(const std::string& name) const {
    const auto found = values_.find(name);
    return found == values_.end() ? InputSource::Default : found->second.source;
}

void Inputs::put(const std::string& name, std::vector<std::string> values, InputSource source) {
    values_[name] = Value{std::move(values), source};
}

}  // namespace gantry
