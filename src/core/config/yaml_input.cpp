#include "gantry/config/yaml_input.hpp"

#include <algorithm>
#include <charconv>

#include "gantry/base/error.hpp"

namespace gantry {

namespace {

SourcePosition position_of(const std::string& file, const YAML::Mark& mark, const std::string& key) {
    SourcePosition position{.file = file, .pointer = key};
    if (!mark.is_null()) {
        position.line = mark.line + 1;
        position.column = mark.column + 1;
    }
    return position;
}

std::string describe_type(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null: return "nothing";
        case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Map: return "a mapping";
        default: return "an undefined value";
    }
}

}  // namespace

YAML::Node YamlInput::parse(const std::string& text) const {
    try {
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw InputError(position_of(name_, e.mark, ""), "invalid YAML: " + e.msg);
    }
}

void YamlInput::fail(const YAML::Node& node, const std::string& key, const std::string& reason) const {
    const SourcePosition position = position_of(name_, node.IsDefined() ? node.Mark() : YAML::Mark::null_mark(), "");
    throw InputError(position, key.empty() ? reason : key + ": " + reason);
}

void YamlInput::expect_map(const YAML::Node& node, const std::string& key) const {
    if (!node.IsMap()) fail(node, key, "expected a mapping of keys to values, found " + describe_type(node));
}

std::string YamlInput::scalar(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) fail(node, key, "expected a single value, found " + describe_type(node));
    return node.Scalar();
}

bool YamlInput::boolean(const YAML::Node& node, const std::string& key) const {
    const std::string text = scalar(node, key);
    if (text == "true" || text == "True" || text == "yes" || text == "on") return true;
    if (text == "false" || text == "False" || text == "no" || text == "off") return false;
    fail(node, key, "expected true or false, found '" + text + "'");
}

double YamlInput::number(const YAML::Node& node, const std::string& key) const {
    const std::string text = scalar(node, key);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        fail(node, key, "expected a number, found '" + text + "'");
    }
    return value;
}

long long YamlInput::integer(const YAML::Node& node, const std::string& key, long long minimum) const {
    const std::string text = scalar(node, key);
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < minimum) {
        fail(node, key, "expected a whole number >= " + std::to_string(minimum) + ", found '" + text + "'");
    }
    return value;
}

std::vector<std::string> YamlInput::string_list(const YAML::Node& node, const std::string& key) const {
    std::vector<std::string> items;
    if (node.IsScalar()) {
        items.push_back(node.Scalar());
        return items;
    }
    if (!node.IsSequence()) fail(node, key, "expected a list, found " + describe_type(node));
    for (const auto& item : node) items.push_back(scalar(item, key));
    return items;
}

void YamlInput::read_fields(const YAML::Node& map, const std::string& where,
                            const std::vector<std::pair<std::string_view, FieldHandler>>& fields) const {
    expect_map(map, where.empty() ? "document" : where);
    for (const auto& entry : map) {
        const std::string key = scalar(entry.first, where.empty() ? "key" : where + " key");
        const std::string path = where.empty() ? key : where + "." + key;
        const auto handler = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == key; });
        if (handler == fields.end()) {
            std::string known;
            for (std::size_t i = 0; i < fields.size(); ++i) {
                known += i == 0 ? "" : (i + 1 == fields.size() ? " or " : ", ");
                known += fields[i].first;
            }
            fail(entry.first, path, "unknown key (expected " + known + ")");
        }
        handler->second(entry.second, path);
    }
}

}  // namespace gantry
