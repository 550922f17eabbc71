#include "bluegreen-switch/analysis_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "gantry/platform/log_text.hpp"
#include "gantry/report/markdown.hpp"

namespace bluegreen_switch {

namespace {

// The outcome of a metric over one step: failed when any measurement counted as a failure,
// inconclusive when none gave data, else passed; "" when it was not measured in that step.
std::string step_outcome(const AnalysisRecord& record, const std::string& metric, int percent) {
    bool any = false, failed = false, conclusive = false;
    for (const auto& m : record.measurements) {
        if (m.metric != metric || m.percent != percent) continue;
        any = true;
        failed = failed || m.counted_as_failure;
        conclusive = conclusive || m.outcome != MeasureOutcome::Inconclusive;
    }
    if (!any) return "";
    return failed ? "failed" : conclusive ? "passed" : "inconclusive";
}

// The value that decided a measurement: the first series that broke the condition, else the first.
std::optional<double> shown_value(const MetricSpec& spec, const MetricMeasurement& m) {
    for (const auto& sample : m.values) {
        if (!spec.condition.holds(sample.value)) return sample.value;
    }
    if (m.values.empty()) return std::nullopt;
    return m.values.front().value;
}

std::string values_cell(const MetricSpec& spec, const AnalysisRecord& record, int percent) {
    std::string cell;
    for (const auto& m : record.measurements) {
        if (m.metric != spec.name || m.percent != percent) continue;
        const auto value = shown_value(spec, m);
        cell += (cell.empty() ? "" : ", ") + (value ? fmt::format("{:g}", *value) : std::string("no data"));
    }
    return cell;
}

std::string chart(const MetricSpec& spec, const AnalysisRecord& record) {
    std::string labels, line;
    double top = 0;
    int points = 0;
    for (const auto& m : record.measurements) {
        if (m.metric != spec.name) continue;
        const auto value = shown_value(spec, m);
        if (!value || !std::isfinite(*value)) continue;
        top = std::max(top, *value);
        labels += fmt::format("{}\"{}% @{:.1f}s\"", labels.empty() ? "" : ", ", m.percent, static_cast<double>(m.at_ms) / 1000.0);
        line += fmt::format("{}{:g}", line.empty() ? "" : ", ", *value);
        ++points;
    }
    if (points < 2) return "";
    top = std::max(top, spec.condition.threshold);
    std::string title = spec.name + " (" + spec.condition.text() + ")";
    std::replace(title.begin(), title.end(), '"', '\'');
    return fmt::format("```mermaid\nxychart-beta\n  title \"{}\"\n  x-axis [{}]\n  y-axis 0 --> {:g}\n  line [{}]\n```\n", title,
                       labels, top * 1.1 + 1e-9, line);
}

}  // namespace

std::string analysis_verdict_name(const AnalysisRecord& record) {
    return record.verdict ? to_string(*record.verdict) : "";
}

std::string analysis_text(const AnalysisRecord& record) {
    std::string text = fmt::format("  analysis ({}): {}{}\n", gantry::log_text(record.file),
                                   record.verdict ? to_string(*record.verdict) : "not finished",
                                   record.failed_metric.empty() ? "" : ", metric " + gantry::log_text(record.failed_metric));
    for (const auto& spec : record.metrics) {
        for (int percent : record.steps) {
            const std::string outcome = step_outcome(record, spec.name, percent);
            if (outcome.empty()) continue;
            text += fmt::format("    {:>3}%  {:<24} {:<12} {} ({})\n", percent, gantry::log_text(spec.name), outcome,
                                values_cell(spec, record, percent), spec.condition.text());
        }
    }
    return text;
}

nlohmann::json analysis_json(const AnalysisRecord& record) {
    nlohmann::json json = {{"file", record.file},
                           {"verdict", record.verdict ? nlohmann::json(to_string(*record.verdict)) : nlohmann::json(nullptr)},
                           {"failed-metric", record.failed_metric},
                           {"reason", record.reason},
                           {"steps", record.steps},
                           {"metrics", nlohmann::json::array()},
                           {"measurements", nlohmann::json::array()}};
    for (const auto& spec : record.metrics) {
        nlohmann::json metric = {{"name", spec.name},
                                 {"kind", to_string(spec.kind)},
                                 {"condition", spec.condition.text()},
                                 {"interval-ms", spec.interval.count()},
                                 {"failure-limit", spec.failure_limit}};
        if (spec.kind == MetricKind::Prometheus) metric["query"] = spec.query;
        else if (spec.kind == MetricKind::Checks) metric["file"] = spec.check_file;
        else metric["figure"] = to_string(spec.figure);
        json["metrics"].push_back(metric);
    }
    for (const auto& m : record.measurements) {
        nlohmann::json values = nlohmann::json::array();
        for (const auto& sample : m.values) {
            values.push_back({{"series", sample.series},
                              {"value", std::isfinite(sample.value) ? nlohmann::json(sample.value) : nlohmann::json(fmt::format("{}", sample.value))}});
        }
        json["measurements"].push_back({{"metric", m.metric},
                                        {"step", m.percent},
                                        {"at-ms", m.at_ms},
                                        {"outcome", to_string(m.outcome)},
                                        {"counted-as-failure", m.counted_as_failure},
                                        {"values", values},
                                        {"detail", m.detail}});
    }
    return json;
}

std::string analysis_markdown(const AnalysisRecord& record) {
    std::vector<std::string> headers{"metric", "condition"};
    for (int percent : record.steps) headers.push_back(std::to_string(percent) + "%");
    gantry::MarkdownTable table(headers);
    std::string charts;
    for (const auto& spec : record.metrics) {
        std::vector<std::string> row{gantry::markdown_escape(spec.name),
                                     gantry::markdown_escape(spec.condition.text(), gantry::MarkdownContext::InlineCodeInTableCell)};
        for (int percent : record.steps) {
            const std::string outcome = step_outcome(record, spec.name, percent);
            row.push_back(outcome.empty() ? "" : gantry::markdown_escape(outcome + ": " + values_cell(spec, record, percent)));
        }
        table.add_raw_row(row);
        charts += chart(spec, record);
    }
    std::string markdown = "#### Canary analysis: " + analysis_verdict_name(record);
    if (!record.verdict) markdown += "not finished";
    markdown += "\n\n";
    if (!record.reason.empty()) markdown += gantry::markdown_escape(record.reason, gantry::MarkdownContext::ListItem) + "\n\n";
    return markdown + table.render() + "\n" + charts;
}

std::vector<gantry::TestCase> analysis_test_cases(const AnalysisRecord& record, const std::string& classname) {
    std::vector<gantry::TestCase> cases;
    for (const auto& spec : record.metrics) {
        for (int percent : record.steps) {
            const std::string outcome = step_outcome(record, spec.name, percent);
            if (outcome.empty()) continue;
            gantry::TestCase test_case;
            test_case.classname = classname + ".analysis";
            test_case.name = fmt::format("{} at {}%", spec.name, percent);
            test_case.status = outcome == "failed"         ? gantry::TestStatus::Failed
                               : outcome == "inconclusive" ? gantry::TestStatus::Skipped
                                                           : gantry::TestStatus::Passed;
            for (const auto& m : record.measurements) {
                if (m.metric == spec.name && m.percent == percent) test_case.details += m.detail + "\n";
            }
            if (test_case.status != gantry::TestStatus::Passed) {
                test_case.message = fmt::format("{} at {}%: {} ({})", spec.name, percent, values_cell(spec, record, percent), spec.condition.text());
            }
            cases.push_back(std::move(test_case));
        }
    }
    return cases;
}

}  // namespace bluegreen_switch
