#include "gantry/sarif/sarif_schema.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>
#include <regex>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/base/gzip.hpp"
#include "gantry/json/json_pointer.hpp"

namespace gantry {

namespace sarif_schema_text {
extern const unsigned char kGzip[];
extern const std::size_t kGzipSize;
}  // namespace sarif_schema_text

namespace {

using Json = nlohmann::json;

enum class JsonKind { Object, Array, String, Integer, Number, Boolean, Null };

std::optional<JsonKind> parse_kind(std::string_view name) {
    if (name == "object") return JsonKind::Object;
    if (name == "array") return JsonKind::Array;
    if (name == "string") return JsonKind::String;
    if (name == "integer") return JsonKind::Integer;
    if (name == "number") return JsonKind::Number;
    if (name == "boolean") return JsonKind::Boolean;
    if (name == "null") return JsonKind::Null;
    return std::nullopt;
}

bool has_kind(const Json& value, JsonKind kind) {
    switch (kind) {
        case JsonKind::Object: return value.is_object();
        case JsonKind::Array: return value.is_array();
        case JsonKind::String: return value.is_string();
        case JsonKind::Integer: return value.is_number_integer();
        case JsonKind::Number: return value.is_number();
        case JsonKind::Boolean: return value.is_boolean();
        case JsonKind::Null: return value.is_null();
    }
    return false;
}

std::string_view kind_name(JsonKind kind) {
    switch (kind) {
        case JsonKind::Object: return "an object";
        case JsonKind::Array: return "an array";
        case JsonKind::String: return "a string";
        case JsonKind::Integer: return "an integer";
        case JsonKind::Number: return "a number";
        case JsonKind::Boolean: return "a boolean";
        case JsonKind::Null: return "null";
    }
    return "a value";
}

std::string describe(const Json& value) {
    if (value.is_object()) return "an object";
    if (value.is_array()) return "an array";
    std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (text.size() > 60) text = text.substr(0, 60) + "...";
    return text;
}

// libstdc++'s std::regex recurses once per character a repetition consumes: a 100 KB mimeType or
// date-time fraction in a hostile SARIF file overflowed the stack. Every string the built-in schema
// constrains (a GUID, a MIME type, a date-time) is far shorter than this, so a longer one fails the
// check without being matched. PCRE2 (gantry/text/regex.hpp) would lift the limit but costs 0.5 MB,
// which the offline tools' 4 MB images cannot take.
constexpr std::size_t kMaxPatternText = 1024;

// RFC 3339 date-time, as Python's rfc3339-validator reads it (jsonschema's "date-time" format).
bool is_date_time(const std::string& text) {
    if (text.size() > kMaxPatternText) return false;
    std::smatch match;
    static const std::regex pattern(R"(^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$)");
    if (!std::regex_match(text, match, pattern)) return false;
    const int year = std::stoi(match[1]);
    const int month = std::stoi(match[2]);
    const int day = std::stoi(match[3]);
    if (month < 1 || month > 12 || day < 1) return false;
    constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > kDays[month - 1] + (month == 2 && leap ? 1 : 0)) return false;
    if (std::stoi(match[4]) > 23 || std::stoi(match[5]) > 59 || std::stoi(match[6]) > 60) return false;
    if (match[9].matched && (std::stoi(match[9]) > 23 || std::stoi(match[10]) > 59)) return false;
    return true;
}

}  // namespace

// One schema object, compiled: its keywords as values, its $ref resolved to the definition's node.
struct SchemaNode {
    std::string definition;  // set on the nodes of definitions/<name>
    const SchemaNode* ref = nullptr;
    std::vector<JsonKind> kinds;  // empty: any
    std::unordered_map<std::string, const SchemaNode*> properties;
    std::vector<std::string> property_order;
    bool additional_allowed = true;
    const SchemaNode* additional = nullptr;
    const SchemaNode* items = nullptr;
    std::vector<std::string> required;
    std::vector<std::vector<std::string>> any_of_required;  // anyOf whose branches only require members
    std::vector<std::vector<std::string>> one_of_required;
    std::vector<Json> enumeration;
    std::optional<double> minimum;
    std::optional<double> maximum;
    std::optional<std::size_t> min_items;
    bool unique_items = false;
    std::optional<std::regex> pattern;
    std::string pattern_text;
    bool date_time = false;
    std::string description;

    const SchemaNode& resolved() const { return ref ? ref->resolved() : *this; }
};

struct SarifSchema::Compiled {
    std::deque<SchemaNode> nodes;  // stable addresses
    std::unordered_map<std::string, SchemaNode*> definitions;
    const SchemaNode* root = nullptr;
    std::vector<std::pair<SchemaNode*, std::string>> refs;  // resolved after every definition exists

    const SchemaNode& node_for(std::string_view definition) const {
        if (definition.empty()) return *root;
        const auto it = definitions.find(std::string(definition));
        if (it == definitions.end()) throw std::logic_error("no SARIF schema definition " + std::string(definition));
        return *it->second;
    }

    SchemaNode* compile(const Json& schema) {
        SchemaNode& node = nodes.emplace_back();
        if (!schema.is_object()) throw InputError(SourcePosition{"SARIF schema"}, "a schema must be an object");
        if (const auto it = schema.find("$ref"); it != schema.end() && it->is_string()) refs.emplace_back(&node, *it);
        if (const auto it = schema.find("type"); it != schema.end()) {
            const Json types = it->is_array() ? *it : Json::array({*it});
            for (const Json& type : types) {
                if (const auto kind = type.is_string() ? parse_kind(type.get<std::string>()) : std::nullopt) node.kinds.push_back(*kind);
            }
        }
        if (const auto it = schema.find("properties"); it != schema.end() && it->is_object()) {
            for (const auto& [name, property] : it->items()) {
                node.properties.emplace(name, compile(property));
                node.property_order.push_back(name);
            }
        }
        if (const auto it = schema.find("additionalProperties"); it != schema.end()) {
            if (it->is_boolean()) {
                node.additional_allowed = it->get<bool>();
            } else if (it->is_object()) {
                node.additional = compile(*it);
            }
        }
        if (const auto it = schema.find("items"); it != schema.end() && it->is_object()) node.items = compile(*it);
        if (const auto it = schema.find("required"); it != schema.end() && it->is_array()) {
            node.required = it->get<std::vector<std::string>>();
        }
        for (const auto& [keyword, into] : {std::pair{"anyOf", &node.any_of_required}, std::pair{"oneOf", &node.one_of_required}}) {
            const auto it = schema.find(keyword);
            if (it == schema.end() || !it->is_array()) continue;
            for (const Json& branch : *it) {
                if (!branch.is_object() || branch.size() != 1 || !branch.contains("required")) {
                    throw InputError(SourcePosition{"SARIF schema"},
                                     fmt::format("{} branches other than \"required\" are not supported", keyword));
                }
                into->push_back(branch["required"].get<std::vector<std::string>>());
            }
        }
        if (const auto it = schema.find("enum"); it != schema.end() && it->is_array()) node.enumeration = it->get<std::vector<Json>>();
        if (const auto it = schema.find("minimum"); it != schema.end() && it->is_number()) node.minimum = it->get<double>();
        if (const auto it = schema.find("maximum"); it != schema.end() && it->is_number()) node.maximum = it->get<double>();
        if (const auto it = schema.find("minItems"); it != schema.end() && it->is_number_unsigned()) {
            node.min_items = it->get<std::size_t>();
        }
        if (const auto it = schema.find("uniqueItems"); it != schema.end() && it->is_boolean()) node.unique_items = it->get<bool>();
        if (const auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
            node.pattern_text = it->get<std::string>();
            node.pattern.emplace(node.pattern_text, std::regex::ECMAScript | std::regex::optimize);
        }
        if (const auto it = schema.find("format"); it != schema.end() && it->is_string()) node.date_time = *it == "date-time";
        if (const auto it = schema.find("description"); it != schema.end() && it->is_string()) node.description = *it;
        return &node;
    }

    explicit Compiled(std::string_view text) {
        const Json schema = Json::parse(text, nullptr, false);
        if (schema.is_discarded() || !schema.is_object()) throw InputError(SourcePosition{"SARIF schema"}, "not a JSON object");
        if (const auto it = schema.find("definitions"); it != schema.end() && it->is_object()) {
            for (const auto& [name, definition] : it->items()) {
                SchemaNode* node = compile(definition);
                node->definition = name;
                definitions.emplace(name, node);
            }
        }
        Json top = schema;
        top.erase("definitions");
        root = compile(top);
        for (auto& [node, ref] : refs) {
            constexpr std::string_view kPrefix = "#/definitions/";
            const auto it = ref.starts_with(kPrefix) ? definitions.find(ref.substr(kPrefix.size())) : definitions.end();
            if (it == definitions.end()) throw InputError(SourcePosition{"SARIF schema"}, "unresolved $ref " + ref);
            node->ref = it->second;
        }
    }
};

namespace {

using Node = SchemaNode;

// The path of keys and indexes to the value being looked at, turned into a pointer only when needed.
// Keys are views into the value being walked, which outlives the walk: no copy per step.
class PointerPath {
public:
    void push(std::string_view key) { segments_.push_back({key, 0}); }
    void push(std::size_t index) { segments_.push_back({{}, index + 1}); }
    void pop() { segments_.pop_back(); }
    std::string pointer(std::string_view last = {}) const {
        std::string out;
        for (const Segment& segment : segments_) {
            if (segment.index_plus_one != 0) {
                out += '/' + std::to_string(segment.index_plus_one - 1);
            } else {
                append_json_pointer_token(out, segment.key);
            }
        }
        if (!last.empty()) append_json_pointer_token(out, last);
        return out;
    }

private:
    struct Segment {
        std::string_view key;
        std::size_t index_plus_one = 0;  // 0 for a key
    };
    std::vector<Segment> segments_;
};

std::string joined_names(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += fmt::format("{}{}", i == 0 ? "" : i + 1 == names.size() ? " or " : ", ", names[i]);
    }
    return out;
}

bool has_all(const Json& object, const std::vector<std::string>& members) {
    return std::all_of(members.begin(), members.end(), [&](const std::string& m) { return object.contains(m); });
}

// What is wrong with `value` itself (not its members or items), or nullopt.
std::optional<std::string> own_problem(const Json& value, const Node& node) {
    if (!node.kinds.empty() &&
        std::none_of(node.kinds.begin(), node.kinds.end(), [&](JsonKind kind) { return has_kind(value, kind); })) {
        return fmt::format("expected {}, found {}", kind_name(node.kinds.front()), describe(value));
    }
    if (!node.enumeration.empty() && std::find(node.enumeration.begin(), node.enumeration.end(), value) == node.enumeration.end()) {
        std::vector<std::string> names;
        for (const Json& allowed : node.enumeration) names.push_back(allowed.dump());
        return fmt::format("expected one of {}, found {}", joined_names(names), describe(value));
    }
    if (value.is_number()) {
        const double number = value.get<double>();
        if (node.minimum && number < *node.minimum) return fmt::format("expected at least {}, found {}", *node.minimum, describe(value));
        if (node.maximum && number > *node.maximum) return fmt::format("expected at most {}, found {}", *node.maximum, describe(value));
    }
    if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        if (node.pattern && text.size() > kMaxPatternText) {
            return fmt::format("expected a string matching {} of at most {} bytes, found {} bytes", node.pattern_text,
                               kMaxPatternText, text.size());
        }
        if (node.pattern && !std::regex_search(text, *node.pattern)) {
            return fmt::format("expected a string matching {}, found {}", node.pattern_text, describe(value));
        }
        if (node.date_time && !is_date_time(text)) {
            return fmt::format("expected a date-time (RFC 3339, e.g. 2024-05-01T12:00:00Z), found {}", describe(value));
        }
    }
    if (value.is_object()) {
        for (const std::string& member : node.required) {
            if (!value.contains(member)) return fmt::format("required member \"{}\" is missing", member);
        }
        if (!node.any_of_required.empty() &&
            std::none_of(node.any_of_required.begin(), node.any_of_required.end(),
                         [&](const auto& branch) { return has_all(value, branch); })) {
            std::vector<std::string> names;
            for (const auto& branch : node.any_of_required) names.push_back(fmt::format("\"{}\"", fmt::join(branch, "\", \"")));
            return fmt::format("expected at least one of the members {}", joined_names(names));
        }
        if (!node.one_of_required.empty() &&
            std::count_if(node.one_of_required.begin(), node.one_of_required.end(),
                          [&](const auto& branch) { return has_all(value, branch); }) != 1) {
            std::vector<std::string> names;
            for (const auto& branch : node.one_of_required) names.push_back(fmt::format("\"{}\"", fmt::join(branch, "\", \"")));
            return fmt::format("expected exactly one of the members {}", joined_names(names));
        }
    }
    if (value.is_array() && node.min_items && value.size() < *node.min_items) {
        return fmt::format("expected at least {} item{}, found {}", *node.min_items, *node.min_items == 1 ? "" : "s", value.size());
    }
    return std::nullopt;
}

// The node that types member `key` of an object of `node`, or null when the member is not allowed.
const Node* member_node(const Node& node, const std::string& key, bool& allowed) {
    if (const auto it = node.properties.find(key); it != node.properties.end()) {
        allowed = true;
        return it->second;
    }
    allowed = node.additional_allowed;
    return node.additional;
}

// Indexes of array elements equal to an earlier one.
std::vector<std::size_t> repeated_items(const Json& array) {
    std::vector<std::size_t> repeated;
    std::unordered_multimap<std::size_t, std::size_t> by_hash;
    for (std::size_t i = 0; i < array.size(); ++i) {
        const std::size_t hash = std::hash<Json>{}(array[i]);
        const auto [first, last] = by_hash.equal_range(hash);
        if (std::any_of(first, last, [&](const auto& entry) { return array[entry.second] == array[i]; })) {
            repeated.push_back(i);
        } else {
            by_hash.emplace(hash, i);
        }
    }
    return repeated;
}

class Checker {
public:
    Checker(std::vector<SchemaViolation>& out, std::size_t limit) : out_(out), limit_(limit) {}

    void check(const Json& value, const Node& schema) {
        if (out_.size() >= limit_) return;
        const Node& node = schema.resolved();
        if (auto problem = own_problem(value, node)) {
            // A missing member is placed where it belongs, as the validator's own messages do.
            std::string pointer = path_.pointer();
            if (value.is_object()) {
                for (const std::string& member : node.required) {
                    if (!value.contains(member)) {
                        pointer = path_.pointer(member);
                        problem = fmt::format("missing; expected {}", node.properties.count(member)
                                                                          ? "the required member \"" + member + "\""
                                                                          : "\"" + member + "\"");
                        break;
                    }
                }
            }
            out_.push_back({std::move(pointer), std::move(*problem)});
            if (!node.kinds.empty() && std::none_of(node.kinds.begin(), node.kinds.end(), [&](JsonKind k) { return has_kind(value, k); })) {
                return;
            }
        }
        if (value.is_object()) {
            for (const auto& [key, member] : value.items()) {
                bool allowed = true;
                const Node* child = member_node(node, key, allowed);
                if (!allowed) {
                    if (out_.size() < limit_) out_.push_back({path_.pointer(key), "not a member the schema defines here"});
                    continue;
                }
                if (!child) continue;
                path_.push(key);
                check(member, *child);
                path_.pop();
            }
        } else if (value.is_array()) {
            if (node.items) {
                for (std::size_t i = 0; i < value.size(); ++i) {
                    path_.push(i);
                    check(value[i], *node.items);
                    path_.pop();
                }
            }
            if (node.unique_items) {
                for (const std::size_t i : repeated_items(value)) {
                    if (out_.size() >= limit_) break;
                    out_.push_back({path_.pointer(std::to_string(i)), "expected unique items, found a repeat of an earlier one"});
                }
            }
        }
    }

private:
    std::vector<SchemaViolation>& out_;
    std::size_t limit_;
    PointerPath path_;
};

class Repairer {
public:
    explicit Repairer(std::vector<SchemaRemoval>& removals) : removals_(removals) {}

    // True when `value` is (now) valid.
    bool repair(Json& value, const Node& schema) {
        const Node& node = schema.resolved();
        if (!node.kinds.empty() && std::none_of(node.kinds.begin(), node.kinds.end(), [&](JsonKind k) { return has_kind(value, k); })) {
            reason_ = *own_problem(value, node);
            return false;
        }
        if (value.is_object()) {
            std::vector<std::string> removed;
            for (auto& [key, member] : value.items()) {
                bool allowed = true;
                const Node* child = member_node(node, key, allowed);
                if (!allowed) {
                    removals_.push_back({path_.pointer(key), "not a member the schema defines here"});
                    removed.push_back(key);
                    continue;
                }
                if (!child) continue;
                path_.push(key);
                const bool ok = repair(member, *child);
                path_.pop();
                if (!ok) {
                    removals_.push_back({path_.pointer(key), reason_});
                    removed.push_back(key);
                }
            }
            for (const std::string& key : removed) value.erase(key);
        } else if (value.is_array()) {
            std::vector<std::size_t> removed;
            if (node.items) {
                for (std::size_t i = 0; i < value.size(); ++i) {
                    path_.push(i);
                    const bool ok = repair(value[i], *node.items);
                    path_.pop();
                    if (!ok) {
                        removals_.push_back({path_.pointer(std::to_string(i)), reason_});
                        removed.push_back(i);
                    }
                }
            }
            for (auto it = removed.rbegin(); it != removed.rend(); ++it) value.erase(*it);
            if (node.unique_items) {
                const std::vector<std::size_t> repeats = repeated_items(value);
                for (auto it = repeats.rbegin(); it != repeats.rend(); ++it) {
                    removals_.push_back({path_.pointer(std::to_string(*it)), "a repeat of an earlier item where items must be unique"});
                    value.erase(*it);
                }
            }
        }
        if (auto problem = own_problem(value, node)) {
            reason_ = std::move(*problem);
            return false;
        }
        return true;
    }

    const std::string& reason() const { return reason_; }

private:
    std::vector<SchemaRemoval>& removals_;
    PointerPath path_;
    std::string reason_;
};

void visit_node(Json& value, const Node& schema, std::string_view member, const SarifSchema::Visitor& visitor) {
    const Node& node = schema.resolved();
    if (value.is_object()) {
        if (!node.definition.empty()) visitor(node.definition, value, member);
        if (!value.is_object()) return;
        for (auto& [key, child_value] : value.items()) {
            bool allowed = true;
            if (const Node* child = member_node(node, key, allowed)) {
                const Node& child_node = child->resolved();
                if (child_value.is_array() && child_node.items) {
                    for (Json& element : child_value) visit_node(element, *child_node.items, key, visitor);
                } else if (child_value.is_object() && child_node.additional && child_node.definition.empty() &&
                           child_node.properties.empty()) {
                    for (auto& [name, entry] : child_value.items()) visit_node(entry, *child_node.additional, key, visitor);
                } else {
                    visit_node(child_value, child_node, key, visitor);
                }
            }
        }
    }
}

}  // namespace

SarifSchema::SarifSchema() : SarifSchema(builtin_text()) {}

SarifSchema::SarifSchema(std::string_view schema_text) : compiled_(std::make_unique<Compiled>(schema_text)) {}

SarifSchema::~SarifSchema() = default;

std::string SarifSchema::builtin_text() {
    return gunzip(std::string_view(reinterpret_cast<const char*>(sarif_schema_text::kGzip), sarif_schema_text::kGzipSize),
                  "the built-in SARIF schema");
}

std::vector<SchemaViolation> SarifSchema::check(const Json& value, std::string_view definition, std::size_t limit) const {
    std::vector<SchemaViolation> violations;
    Checker(violations, limit).check(value, compiled_->node_for(definition));
    return violations;
}

bool SarifSchema::valid(const Json& value, std::string_view definition) const { return check(value, definition, 1).empty(); }

bool SarifSchema::repair(Json& value, std::string_view definition, std::vector<SchemaRemoval>& removals) const {
    Repairer repairer(removals);
    if (repairer.repair(value, compiled_->node_for(definition))) return true;
    removals.push_back({"", repairer.reason()});
    return false;
}

void SarifSchema::visit(Json& value, std::string_view definition, const Visitor& visitor) const {
    visit_node(value, compiled_->node_for(definition), "", visitor);
}

std::vector<SchemaIndexProperty> SarifSchema::index_properties() const {
    const std::regex index_word(R"(\bindex\b)", std::regex::icase);
    std::vector<std::pair<std::string, const SchemaNode*>> definitions(compiled_->definitions.begin(), compiled_->definitions.end());
    std::sort(definitions.begin(), definitions.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<SchemaIndexProperty> found;
    for (const auto& [name, node] : definitions) {
        for (const std::string& property : node->property_order) {
            const SchemaNode& child = *node->properties.at(property);
            const bool integer = std::find(child.kinds.begin(), child.kinds.end(), JsonKind::Integer) != child.kinds.end();
            if (integer && std::regex_search(child.description, index_word)) found.push_back({name, property, child.description});
        }
    }
    return found;
}

}  // namespace gantry
