// Explaining a verdict: the terminal report, the machine-readable JSON, the step summary and the
// annotations. All are pure functions of the verdict and what was read.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/findings/report_reader.hpp"
#include "gantry/platform/workflow_commands.hpp"
#include "scan-gate/options.hpp"
#include "scan-gate/verdict.hpp"
#include "scan-gate/vex_waivers.hpp"

namespace scan_gate {

// What was read, for the explanation.
struct ReportInfo {
    std::string path;
    gantry::ReportFormat format = gantry::ReportFormat::Trivy;
    std::string scanner;
    std::size_t findings = 0;
};

struct VerdictContext {
    const Verdict& verdict;
    const Options& options;
    std::vector<ReportInfo> reports;
    std::vector<ReportInfo> baseline_reports;
    std::size_t findings_read = 0;  // before de-duplication
    CalendarDate today;
    std::vector<VexDocumentInfo> vex_documents;  // --vex documents, in the order given
};

std::string render_headline(const VerdictContext& context);
std::string render_text(const VerdictContext& context);
nlohmann::json render_json(const VerdictContext& context);
std::string render_summary(const VerdictContext& context);
// Counted findings that have a file position (at most `limit`, most severe first).
std::vector<gantry::Annotation> render_annotations(const VerdictContext& context, std::size_t limit);

}  // namespace scan_gate
