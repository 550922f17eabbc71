// Reading a large JSON object through a JsonStream: its big arrays element by element, the rest whole.
//
// A StreamedObject is the plan of one object: which of its keys hold the big arrays (a Trivy report's
// Results, a result's Vulnerabilities, Grype's matches, SARIF's runs and results) and what to do with
// everything else. read_streamed_object() walks the object with the stream's structural scanner; each
// element of a planned array (or, for an array whose elements are planned objects, each field of each
// element) and each other field's value is cut out of the stream and parsed on its own with simdjson,
// in one JsonDocument in fragment mode (one parser, reused), and handed to the plan's callbacks with
// the JsonCursor's path set to where the value is in the whole document (/Results/3/Vulnerabilities/5).
// So the per-value code of a reader is the same whether the document is read whole or streamed, and
// memory is bounded by the largest value handed out whole, not by the file. A planned key whose value
// is not an array (null, or the wrong type) is handed to `field` whole, as any other field, so the
// reader's usual code decides; an element that is not an object where the plan has `fields` goes to
// `element` when set (else InputError). Errors are InputErrors with positions in the whole text.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/json/json_cursor.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/json/json_stream.hpp"

namespace gantry {

struct StreamedObject;

struct StreamedArray {
    std::string key;
    // Each element handed out whole.
    std::function<void(JsonCursor::Value& element)> element;
    // When set, elements that are objects are walked with this plan instead.
    std::shared_ptr<const StreamedObject> fields;
    // Optional: when the array opens, before its first element (an empty array still says it is there).
    std::function<void()> begin;
};

struct StreamedObject {
    std::function<void()> begin;  // optional: before the first field
    std::function<void()> end;    // optional: after the last field
    std::function<void(std::string_view key, JsonCursor::Value& value)> field;  // every field not in `arrays`
    std::vector<StreamedArray> arrays;
};

// Reads the object that comes next in `stream` following `plan`. `document` must be in fragment mode
// and be the one `cursor` reads.
void read_streamed_object(JsonStream& stream, JsonDocument& document, JsonCursor& cursor, const StreamedObject& plan);

}  // namespace gantry
