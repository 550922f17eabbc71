#include "gantry/json/streamed_object.hpp"

#include <simdjson.h>

#include "gantry/base/error.hpp"

namespace gantry {
namespace {

const StreamedArray* planned_array(const StreamedObject& plan, std::string_view key) {
    for (const StreamedArray& array : plan.arrays) {
        if (array.key == key) {
            return &array;
        }
    }
    return nullptr;
}

void read_elements(JsonStream& stream, JsonDocument& document, JsonCursor& cursor, const StreamedArray& array) {
    stream.expect('[');
    if (array.begin) {
        array.begin();
    }
    if (stream.peek() == ']') {
        stream.expect(']');
        return;
    }
    for (std::size_t index = 0;; ++index) {
        cursor.enter_index(index);
        if (array.fields && stream.peek() == '{') {
            read_streamed_object(stream, document, cursor, *array.fields);
        } else if (array.element) {
            const JsonStream::Span span = stream.read_value();
            JsonCursor::Value element = document.fragment(span.bytes, span.origin);
            array.element(element);
        } else {
            const TextOrigin at = stream.position();
            throw InputError(SourcePosition{stream.name(), at.line, at.column, cursor.pointer()}, "expected an object");
        }
        cursor.leave();
        if (stream.expect_one_of(",]") == ']') {
            return;
        }
    }
}

}  // namespace

void read_streamed_object(JsonStream& stream, JsonDocument& document, JsonCursor& cursor, const StreamedObject& plan) {
    stream.expect('{');
    if (plan.begin) {
        plan.begin();
    }
    if (stream.peek() == '}') {
        stream.expect('}');
    } else {
        while (true) {
            const TextOrigin key_at = stream.position();
            const std::string key = stream.read_key();
            if (!simdjson::validate_utf8(key.data(), key.size())) {
                throw InputError(SourcePosition{stream.name(), key_at.line, key_at.column, ""},
                                 "invalid JSON: the text is not valid UTF-8");
            }
            stream.expect(':');
            const StreamedArray* array = planned_array(plan, key);
            cursor.enter_key(key);
            if (array != nullptr && stream.peek() == '[') {
                read_elements(stream, document, cursor, *array);
            } else {
                const JsonStream::Span span = stream.read_value();
                JsonCursor::Value value = document.fragment(span.bytes, span.origin);
                plan.field(key, value);
            }
            cursor.leave();
            if (stream.expect_one_of(",}") == '}') {
                break;
            }
        }
    }
    if (plan.end) {
        plan.end();
    }
}

}  // namespace gantry
