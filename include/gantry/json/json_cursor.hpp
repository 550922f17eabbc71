// Walking a JsonDocument field by field while remembering the JSON pointer of where we are.
//
// Report readers stream through a document in order: for_each_field() hands each key and value of an
// object to a callback (the reader switches on the key and reads only what it needs; values it does
// not touch are skipped by simdjson), for_each_element() does the same for arrays. The cursor keeps
// the path of keys and indices it is inside, so a value of the wrong type becomes an InputError
// "file (at /Results/0/Vulnerabilities/3/Severity): expected a string, found a number". JSON null is
// treated as "missing" everywhere: an absent container, an absent scalar (nullopt). Values must be
// consumed in document order, as with any On-Demand value: use a value inside its callback only.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include <simdjson.h>

#include "gantry/json/json_document.hpp"

namespace gantry {

class JsonCursor {
public:
    using Value = simdjson::ondemand::value;
    using Type = simdjson::ondemand::json_type;

    explicit JsonCursor(JsonDocument& document) : document_(document) {}

    JsonDocument& document() { return document_; }

    // on_field(std::string_view key, Value& value) for every field in document order. Null: no calls.
    template <class OnField>
    void for_each_field(Value& value, OnField&& on_field);
    template <class OnField>
    void for_each_field(simdjson::ondemand::object& object, OnField&& on_field);
    // on_element(Value& element) for every element. Null: no calls.
    template <class OnElement>
    void for_each_element(Value& value, OnElement&& on_element);

    // Scalars. Null gives nullopt; any other wrong type throws. The string stays valid as long as the
    // document is not rewound.
    std::optional<std::string_view> read_string(Value& value);
    // Copies a string into `out`; leaves `out` untouched for null.
    void read_string_into(Value& value, std::string& out);
    std::optional<double> read_number(Value& value);
    // A 1-based line or column: a non-negative whole number that fits an int.
    std::optional<int> read_position_number(Value& value);
    // A score written as a number or as a numeric string (SARIF security-severity is either). A string
    // that is not a number gives nullopt: the property is free-form and scanners disagree on it.
    std::optional<double> read_score(Value& value);
    Type type_of(Value& value);
    // The whole value as an nlohmann::json tree, built straight from simdjson's parse (several times
    // faster than re-parsing its text with nlohmann). Null is JSON null here, not "missing".
    nlohmann::json read_json(Value& value);

    // The path of a value handed out from outside the cursor (a fragment of a streamed document): the
    // key must outlive the matching leave().
    void enter_key(std::string_view key) { path_.push_back(Segment{key}); }
    void enter_index(std::size_t index) { path_.push_back(Segment{{}, index, true}); }
    void leave() { path_.pop_back(); }

    // The JSON pointer (RFC 6901) of the value being read.
    std::string pointer() const;
    [[noreturn]] void fail_expected(std::string_view expected, Type found) const;
    [[noreturn]] void fail(const std::string& reason) const;

private:
    struct Segment {
        std::string_view key;  // empty with is_index for array elements
        std::size_t index = 0;
        bool is_index = false;
    };

    void check(simdjson::error_code error) {
        if (error) {
            document_.fail_syntax(error);
        }
    }

    JsonDocument& document_;
    std::vector<Segment> path_;
};

std::string_view describe_json_type(simdjson::ondemand::json_type type);  // "an object", "a number", ...

template <class OnField>
void JsonCursor::for_each_field(Value& value, OnField&& on_field) {
    const Type type = type_of(value);
    if (type == Type::null) {
        return;
    }
    if (type != Type::object) {
        fail_expected("an object", type);
    }
    simdjson::ondemand::object object;
    check(value.get_object().get(object));
    for_each_field(object, std::forward<OnField>(on_field));
}

template <class OnField>
void JsonCursor::for_each_field(simdjson::ondemand::object& object, OnField&& on_field) {
    for (auto field_result : object) {
        simdjson::ondemand::field field;
        check(std::move(field_result).get(field));
        std::string_view key;
        check(field.unescaped_key().get(key));
        path_.push_back(Segment{key});
        on_field(key, field.value());
        path_.pop_back();
    }
}

template <class OnElement>
void JsonCursor::for_each_element(Value& value, OnElement&& on_element) {
    const Type type = type_of(value);
    if (type == Type::null) {
        return;
    }
    if (type != Type::array) {
        fail_expected("an array", type);
    }
    simdjson::ondemand::array array;
    check(value.get_array().get(array));
    path_.push_back(Segment{{}, 0, true});
    for (auto element_result : array) {
        Value element;
        check(std::move(element_result).get(element));
        on_element(element);
        ++path_.back().index;
    }
    path_.pop_back();
}

}  // namespace gantry
