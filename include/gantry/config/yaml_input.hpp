// Reading user-written YAML (policies, waiver files) with messages that point at the mistake.
//
// YamlInput wraps yaml-cpp: parse() turns syntax errors into InputErrors with file:line:column, and
// the typed accessors check a node's type and throw InputErrors of the form
// "policy.yaml:4:9: max.high: expected a whole number >= 0, found 'five'". `key` is the dotted path of
// the value being read, used in messages only.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace gantry {

class YamlInput {
public:
    explicit YamlInput(std::string name) : name_(std::move(name)) {}

    YAML::Node parse(const std::string& text) const;

    [[noreturn]] void fail(const YAML::Node& node, const std::string& key, const std::string& reason) const;
    void expect_map(const YAML::Node& node, const std::string& key) const;
    std::string scalar(const YAML::Node& node, const std::string& key) const;
    bool boolean(const YAML::Node& node, const std::string& key) const;
    double number(const YAML::Node& node, const std::string& key) const;
    long long integer(const YAML::Node& node, const std::string& key, long long minimum) const;
    // A sequence of scalars, or one scalar (a list of one).
    std::vector<std::string> string_list(const YAML::Node& node, const std::string& key) const;

    // Reads a mapping whose keys are known in advance: calls the handler of each key present with the
    // value and its dotted path ("<where>.<key>"); any other key is an InputError listing the known
    // ones. `where` may be empty for the document root.
    using FieldHandler = std::function<void(const YAML::Node& value, const std::string& path)>;
    void read_fields(const YAML::Node& map, const std::string& where,
                     const std::vector<std::pair<std::string_view, FieldHandler>>& fields) const;

    const std::string& name() const { return name_; }

private:
    std::string name_;
};

}  // namespace gantry
