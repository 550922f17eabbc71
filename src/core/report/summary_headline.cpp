#include "gantry/report/summary_headline.hpp"

#include <fmt/format.h>

namespace gantry {

std::string_view to_string(SummaryVerdict verdict) {
    switch (verdict) {
        case SummaryVerdict::Passed: return "passed";
        case SummaryVerdict::Failed: return "failed";
        case SummaryVerdict::RolledBack: return "rolled back";
        case SummaryVerdict::Refused: return "refused";
        case SummaryVerdict::NothingToDo: return "nothing to do";
        case SummaryVerdict::DryRun: return "dry run";
    }
    return "failed";
}

std::string_view summary_icon(SummaryVerdict verdict) {
    switch (verdict) {
        case SummaryVerdict::Passed: return "✅";
        case SummaryVerdict::NothingToDo: return "⏭️";
        case SummaryVerdict::DryRun: return "📝";
        case SummaryVerdict::Failed:
        case SummaryVerdict::RolledBack:
        case SummaryVerdict::Refused: break;
    }
    return "❌";
}

std::string summary_headline(std::string_view tool, SummaryVerdict verdict, std::string_view why_markdown) {
    std::string out = fmt::format("## {} {}: {}\n\n", summary_icon(verdict), tool, to_string(verdict));
    if (!why_markdown.empty()) {
        out += why_markdown;
        out += "\n\n";
    }
    return out;
}

}  // namespace gantry
