// The official SARIF 2.1.0 JSON schema, built into the library, and what it says about a value.
//
// The schema (OASIS, sarif-schema-2.1.0.json, errata 01; src/core/sarif/schema/) is compiled once
// per SarifSchema and applied to parts of a log: a result, a rule, a tool component, an artifact,
// each named by its definition ("result", "reportingDescriptor", ...). Its keywords are exactly the
// draft-04 ones that schema uses - type, properties, additionalProperties, items, required, enum,
// minimum, maximum, minItems, uniqueItems, pattern, anyOf and oneOf of required members, $ref to
// its definitions, and format date-time (RFC 3339); other formats are not checked (Python's
// jsonschema does not check them either without extra packages). Integers are whole JSON numbers
// written without a fraction or exponent, as draft-04 validators read them.
//
// check() lists every violation, each with the JSON pointer (inside the value) of the value at
// fault - for a missing required member, of where it belongs - and a sentence saying what was
// expected. repair() makes a value valid by removing what breaks the schema, innermost first: a
// member that is wrong, unknown to the schema, or whose own repair failed is removed from its
// object; such an element is removed from its array, and so are later duplicates in an array whose
// items must be unique; a value that cannot be mended this way (a required member missing, too few
// items, a wrong type at the top) makes its parent remove it in turn. Each removal is reported with
// its pointer and the reason; repair() returns false when the value as a whole cannot be made
// valid (the caller drops it). visit() walks a value along the schema, handing every object whose
// definition is known to a callback, parents first, so that callers can act on, say, every
// artifactLocation however deep it sits, and never on look-alikes inside free-form property bags.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace gantry {

struct SchemaViolation {
    std::string pointer;  // RFC 6901, relative to the value checked
    std::string message;  // "expected ..., found ..."
};

struct SchemaRemoval {
    std::string pointer;  // where the removed value was, relative to the value repaired
    std::string reason;
};

// An integer property the schema describes as an index into an array (run.artifacts, ...).
struct SchemaIndexProperty {
    std::string definition;  // "artifactLocation"
    std::string property;    // "index"
    std::string description;
};

class SarifSchema {
public:
    // The built-in SARIF 2.1.0 schema.
    SarifSchema();
    // Another schema text using the same keywords (tests). Throws InputError when it is not one.
    explicit SarifSchema(std::string_view schema_text);
    ~SarifSchema();
    SarifSchema(const SarifSchema&) = delete;
    SarifSchema& operator=(const SarifSchema&) = delete;

    // The built-in schema's text, byte for byte the official file (kept compressed in the binary).
    static std::string builtin_text();

    // Violations of `value` taken as an instance of definitions/<definition>; "" is the whole log.
    // Stops after `limit` violations.
    std::vector<SchemaViolation> check(const nlohmann::json& value, std::string_view definition,
                                       std::size_t limit = std::numeric_limits<std::size_t>::max()) const;
    bool valid(const nlohmann::json& value, std::string_view definition) const;

    // Removes what breaks the schema (see above); false when `value` itself cannot be made valid.
    bool repair(nlohmann::json& value, std::string_view definition, std::vector<SchemaRemoval>& removals) const;

    // visit(definition, object, member) for `value` and every object inside it that the schema
    // types, parents before children; `member` is the property that holds the object ("" for the
    // value itself; for an element of an array or a map, the property holding the array or map).
    // The callback may change the object it is handed, not its parent.
    using Visitor = std::function<void(std::string_view definition, nlohmann::json& object, std::string_view member)>;
    void visit(nlohmann::json& value, std::string_view definition, const Visitor& visitor) const;

    // Every integer property whose description speaks of an index, sorted by definition and property name.
    std::vector<SchemaIndexProperty> index_properties() const;

private:
    struct Compiled;
    std::unique_ptr<Compiled> compiled_;
};

}  // namespace gantry
