#include "gantry/json/json_cursor.hpp"

#include <charconv>
#include <climits>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/json/json_pointer.hpp"

namespace gantry {
namespace {

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

// Raw number text for a message, shortened: a fuzzer's 10,000-digit number should not fill a screen.
std::string quoted_token(std::string_view token) {
    token = trimmed(token);
    constexpr std::size_t kLongest = 40;
    if (token.size() > kLongest) {
        return fmt::format("{}...", token.substr(0, kLongest));
    }
    return std::string(token);
}


}  // namespace

std::string_view describe_json_type(simdjson::ondemand::json_type type) {
    switch (type) {
    case simdjson::ondemand::json_type::array: return "an array";
    case simdjson::ondemand::json_type::object: return "an object";
    case simdjson::ondemand::json_type::number: return "a number";
    case simdjson::ondemand::json_type::string: return "a string";
    case simdjson::ondemand::json_type::boolean: return "a boolean";
    case simdjson::ondemand::json_type::null: return "null";
    }
    return "an unknown value";
}

JsonCursor::Type JsonCursor::type_of(Value& value) {
    Type type = Type::null;
    check(value.type().get(type));
    // simdjson guesses the type from the first character; "tru" must not pass for a boolean.
    if (type == Type::boolean || type == Type::null) {
        const std::string_view literal = trimmed(value.raw_json_token());
        if (literal != "true" && literal != "false" && literal != "null") {
            document_.fail_syntax(literal.starts_with('t') ? simdjson::T_ATOM_ERROR
                                  : literal.starts_with('f') ? simdjson::F_ATOM_ERROR
                                                             : simdjson::N_ATOM_ERROR);
        }
    }
    return type;
}

std::optional<std::string_view> JsonCursor::read_string(Value& value) {
    const Type type = type_of(value);
    if (type == Type::null) {
        return std::nullopt;
    }
    if (type != Type::string) {
        fail_expected("a string", type);
    }
    std::string_view text;
    check(value.get_string().get(text));
    return text;
}

void JsonCursor::read_string_into(Value& value, std::string& out) {
    if (const auto text = read_string(value)) {
        out.assign(*text);
    }
}

nlohmann::json JsonCursor::read_json(Value& value) {
    switch (type_of(value)) {
        case Type::object: {
            nlohmann::json out = nlohmann::json::object();
            simdjson::ondemand::object object;
            check(value.get_object().get(object));
            for (auto field : object) {
                std::string_view key;
                check(field.unescaped_key().get(key));
                Value child;
                check(field.value().get(child));
                out[std::string(key)] = read_json(child);
            }
            return out;
        }
        case Type::array: {
            nlohmann::json out = nlohmann::json::array();
            simdjson::ondemand::array array;
            check(value.get_array().get(array));
            for (auto element : array) {
                Value child;
                check(element.get(child));
                out.push_back(read_json(child));
            }
            return out;
        }
        case Type::string: {
            std::string_view text;
            check(value.get_string().get(text));
            return std::string(text);
        }
        case Type::number: {
            simdjson::ondemand::number number;
            if (value.get_number().get(number)) {
                // Beyond 64 bits: nlohmann keeps such a number as a double, as its own parser would.
                const std::string_view token = trimmed(value.raw_json_token());
                try {
                    return nlohmann::json::parse(token);
                } catch (const nlohmann::json::exception&) {
                    fail(fmt::format("expected a number, found {}", quoted_token(token)));
                }
            }
            if (number.is_int64()) return number.get_int64();
            if (number.is_uint64()) return number.get_uint64();
            return number.get_double();
        }
        case Type::boolean: {
            bool flag = false;
            check(value.get_bool().get(flag));
            return flag;
        }
        case Type::null: break;
    }
    return nullptr;
}

std::optional<double> JsonCursor::read_number(Value& value) {
    const Type type = type_of(value);
    if (type == Type::null) {
        return std::nullopt;
    }
    if (type != Type::number) {
        fail_expected("a number", type);
    }
    const std::string_view token = value.raw_json_token();
    double number = 0;
    if (value.get_double().get(number) || !std::isfinite(number)) {
        fail(fmt::format("expected a number, found {} (malformed or out of range)", quoted_token(token)));
    }
    return number;
}

std::optional<int> JsonCursor::read_position_number(Value& value) {
    const auto number = read_number(value);
    if (!number) {
        return std::nullopt;
    }
    if (*number < 0 || *number > static_cast<double>(INT_MAX) || std::floor(*number) != *number) {
        fail(fmt::format("expected a line or column number (a whole number from 0 to {}), found {}", INT_MAX,
                         *number));
    }
    return static_cast<int>(*number);
}

std::optional<double> JsonCursor::read_score(Value& value) {
    const Type type = type_of(value);
    if (type == Type::number) {
        return read_number(value);
    }
    if (type == Type::string) {
        const std::string_view text = trimmed(*read_string(value));
        double number = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(number)) {
            return std::nullopt;
        }
        return number;
    }
    if (type == Type::null) {
        return std::nullopt;
    }
    fail_expected("a number or a numeric string", type);
}

std::string JsonCursor::pointer() const {
    std::string pointer;
    for (const Segment& segment : path_) {
        if (segment.is_index) {
            pointer += '/' + std::to_string(segment.index);
        } else {
            append_json_pointer_token(pointer, segment.key);
        }
    }
    return pointer;
}

void JsonCursor::fail_expected(std::string_view expected, Type found) const {
    fail(fmt::format("expected {}, found {}", expected, describe_json_type(found)));
}

void JsonCursor::fail(const std::string& reason) const { document_.fail_at(pointer(), reason); }

}  // namespace gantry
