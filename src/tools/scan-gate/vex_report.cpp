#include "scan-gate/vex_report.hpp"

#include <fmt/format.h>

#include "gantry/platform/log_text.hpp"
#include "gantry/report/markdown.hpp"

namespace scan_gate {

namespace {

std::vector<const WaiverStatus*> applied_vex(const Verdict& verdict) {
    std::vector<const WaiverStatus*> applied;
    for (const auto& w : verdict.waivers) {
        if (w.waiver.is_vex() && (w.state == WaiverState::Applied || w.state == WaiverState::ExpiringSoon)) {
            applied.push_back(&w);
        }
    }
    return applied;
}

std::string findings_text(long n) { return fmt::format("{} finding{}", n, n == 1 ? "" : "s"); }

}  // namespace

std::string render_vex_text(const Verdict& verdict) {
    const auto applied = applied_vex(verdict);
    if (applied.empty()) return "";
    long waived = 0;
    for (const auto& j : verdict.findings) {
        if (j.disposition == Disposition::Waived && j.waiver_index >= 0 &&
            verdict.waivers[static_cast<std::size_t>(j.waiver_index)].waiver.is_vex()) {
            ++waived;
        }
    }
    std::string out = fmt::format("\nVEX: {} statement{} applied, {} waived\n", applied.size(),
                                  applied.size() == 1 ? "" : "s", findings_text(waived));
    for (const auto* w : applied) {
        const VexNote& note = *w->waiver.vex;
        std::string why = note.justification;
        if (!note.impact_statement.empty()) why += (why.empty() ? "" : ": ") + note.impact_statement;
        out += fmt::format("  {:<14} {}{} - {}, {}\n", note.status, gantry::log_text(w->waiver.id),
                           gantry::log_text(why.empty() ? "" : " (" + why + ")"), findings_text(w->matches),
                           gantry::log_text(w->waiver.where()));
    }
    return out;
}

std::string render_vex_summary(const Verdict& verdict) {
    const auto applied = applied_vex(verdict);
    if (applied.empty()) return "";
    gantry::MarkdownTable table({"ID", "Status", "Justification", "Impact statement", "Findings", "Statement"});
    for (const auto* w : applied) {
        const VexNote& note = *w->waiver.vex;
        table.add_row({w->waiver.id, note.status, note.justification, note.impact_statement, std::to_string(w->matches),
                       w->waiver.where()});
    }
    return "### VEX statements applied\n\n" + table.render() + "\n";
}

void add_vex_json(const Waiver& waiver, nlohmann::json& entry) {
    if (!waiver.is_vex()) return;
    const VexNote& note = *waiver.vex;
    entry["pointer"] = waiver.pointer;
    if (!waiver.aliases.empty()) entry["aliases"] = waiver.aliases;
    entry["purls"] = waiver.purls;
    nlohmann::json vex = {{"status", note.status}};
    if (!note.justification.empty()) vex["justification"] = note.justification;
    if (!note.impact_statement.empty()) vex["impact-statement"] = note.impact_statement;
    vex["date"] = note.date ? nlohmann::json(note.date->to_string()) : nlohmann::json(nullptr);
    entry["vex"] = std::move(vex);
}

nlohmann::json vex_documents_json(const std::vector<VexDocumentInfo>& documents) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : documents) {
        out.push_back({{"path", d.path},
                       {"format", gantry::to_string(d.format)},
                       {"statements", d.statements},
                       {"findings-covered", d.findings_covered}});
    }
    return out;
}

}  // namespace scan_gate
