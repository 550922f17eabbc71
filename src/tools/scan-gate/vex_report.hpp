// Explaining what VEX statements did to a verdict: the applied statements with their status,
// justification and impact statement in the terminal report and the step summary, and the statement
// details in the JSON verdict. Expired and expiring VEX statements are reported with the waivers.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scan-gate/verdict.hpp"
#include "scan-gate/vex_waivers.hpp"

namespace scan_gate {

// "" when no VEX statement applied.
std::string render_vex_text(const Verdict& verdict);
std::string render_vex_summary(const Verdict& verdict);
// The VEX fields of one waiver entry (pointer, status, justification, impact statement, date).
void add_vex_json(const Waiver& waiver, nlohmann::json& entry);
nlohmann::json vex_documents_json(const std::vector<VexDocumentInfo>& documents);

}  // namespace scan_gate
