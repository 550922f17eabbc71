// Making a merged result valid SARIF 2.1.0 before it is written. Internal to src/core/sarif.
//
// Real tools write results the schema rejects; one such result makes a whole GitHub upload invalid.
// Each is mended in a documented way, and every change is recorded:
//   - a message written as a plain string becomes {"text": ...}; a result without a usable message
//     (no message, or neither a string text nor a string id) gets its rule's short description, else
//     its full description, else "<ruleId>", else "(no message)" as text;
//   - fingerprint values that are not strings (nested objects, numbers) become their JSON text, so
//     that they still tell results apart; null ones are removed;
//   - a region whose endLine comes before its startLine loses endLine and endColumn;
//   - then SarifSchema::repair: whatever still breaks the schema is removed, innermost first - a
//     line or column below 1, an empty region (and with it nothing else), a stack without frames, a
//     code flow without thread flows, a member the schema does not define, a value of the wrong type.
// repair_result() returns false when the result cannot be made valid; the merger then drops it and
// counts it.
#pragma once

#include "sarif_merge_runs.hpp"
#include "sarif_run_mapper.hpp"

namespace gantry::sarif_merge_detail {

// `rule` is the result's rule in its input run, or null.
bool repair_result(Json& result, const Json* rule, const SarifSchema& schema, RunMapper& mapper, const RunMapper::Record& record);

}  // namespace gantry::sarif_merge_detail
