// How a canary analysis is told, next to the rest of a switch's report (switch_report.hpp): a text
// line per step, the JSON `analysis` object with every measured value, the outputs `analysis` and
// `failed-metric`, the step summary's per-metric per-step table with a Mermaid chart per metric, and
// one JUnit test case per metric per step. Nothing here decides; it only renders an AnalysisRecord.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bluegreen-switch/canary_analysis.hpp"
#include "gantry/report/junit.hpp"

namespace bluegreen_switch {

std::string analysis_text(const AnalysisRecord& record);
nlohmann::json analysis_json(const AnalysisRecord& record);
std::string analysis_verdict_name(const AnalysisRecord& record);  // passed|failed|inconclusive|""
std::string analysis_markdown(const AnalysisRecord& record);
std::vector<gantry::TestCase> analysis_test_cases(const AnalysisRecord& record, const std::string& classname);

}  // namespace bluegreen_switch
