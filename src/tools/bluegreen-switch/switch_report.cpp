#include "bluegreen-switch/switch_report.hpp"

#include <cctype>

#include <fmt/format.h>

#include "bluegreen-switch/analysis_report.hpp"
#include "gantry/platform/log_text.hpp"
#include "gantry/report/junit.hpp"
#include "gantry/report/markdown.hpp"
#include "gantry/report/summary_headline.hpp"

namespace bluegreen_switch {

namespace {

std::string name_of(const std::optional<Color>& color) { return color ? std::string(to_string(*color)) : std::string(); }

const char* mode_name(Mode mode) {
    switch (mode) {
        case Mode::Switch: return "switch";
        case Mode::Rollback: return "rollback";
        case Mode::Status: return "status";
        case Mode::RepairState: return "repair-state";
    }
    return "";
}

std::string verdict(const SwitchRecord& record) {
    if (!record.error.empty()) return "ERROR";
    if (record.mode == Mode::Status) return "STATUS";
    if (record.mode == Mode::RepairState && record.repaired) return "REPAIRED";
    if (record.nothing_to_do) return "NOTHING TO DO";
    if (record.execution == Execution::DryRun) return "DRY RUN";
    if (record.rolled_back) return "ROLLED BACK";
    if (!record.refusal.empty()) return "REFUSED";
    if (record.nothing_to_do) return "NOTHING TO DO";
    return record.switched ? "SWITCHED" : "NOT SWITCHED";
}

gantry::SummaryVerdict summary_verdict(const SwitchRecord& record) {
    if (!record.error.empty()) return gantry::SummaryVerdict::Failed;
    if (record.mode == Mode::Status || record.mode == Mode::RepairState) {
        return record.refusal.empty() ? gantry::SummaryVerdict::Passed : gantry::SummaryVerdict::Failed;
    }
    if (record.nothing_to_do) return gantry::SummaryVerdict::NothingToDo;
    if (record.execution == Execution::DryRun) return gantry::SummaryVerdict::DryRun;
    if (record.rolled_back) return gantry::SummaryVerdict::RolledBack;
    if (!record.refusal.empty()) return gantry::SummaryVerdict::Refused;
    return record.switched ? gantry::SummaryVerdict::Passed : gantry::SummaryVerdict::Failed;
}

// What happened, after the verdict; it quotes the reason a switch was refused or rolled back, which
// can hold anything a provider, a check or a server said.
std::string why(const SwitchRecord& record) {
    const std::string from = record.live_before ? name_of(record.live_before)
                                                : fmt::format("a split ({}% green)", record.green_percent_before);
    if (!record.error.empty()) return record.error;
    if (record.mode == Mode::Status) {
        return "traffic goes to " + from + " on " + record.provider + (record.refusal.empty() ? "" : "; " + record.refusal);
    }
    if (record.mode == Mode::RepairState) {
        return (record.repaired ? "the state file now says " : "would record ") +
               (record.live_after ? name_of(record.live_after) + " is live" : std::string("no live colour (traffic is split)")) +
               ", as " + record.provider + " serves";
    }
    if (record.nothing_to_do) return name_of(record.target) + " is already live on " + record.provider;
    if (record.execution == Execution::DryRun) {
        return "would switch " + record.provider + " from " + from + " to " + name_of(record.target);
    }
    if (!record.refusal.empty() && !record.rolled_back) return record.refusal;
    std::string line = !record.interrupted_note.empty()
                           ? "traffic set to " + name_of(record.target) + " on " + record.provider + " after an interrupted switch"
                       : record.live_before == record.target
                           ? "traffic set to " + name_of(record.target) + " on " + record.provider + " again (its configuration said otherwise)"
                           : "traffic moved from " + from + " to " + name_of(record.target) + " on " + record.provider;
    if (record.rolled_back) line = "traffic is back on " + name_of(record.live_after) + ": " + record.refusal;
    if (record.witness) {
        line += fmt::format(", {} failed requests, longest gap {} ms", record.witness->failures, record.witness->max_gap_ms);
    }
    if (record.switched && record.switch_ms) line += fmt::format(", switched in {} ms", *record.switch_ms);
    return line;
}

std::string headline(const SwitchRecord& record) {
    return "bluegreen-switch: " + verdict(record) + " - " + gantry::log_text(why(record));
}

nlohmann::json witness_json(const WitnessReport& witness) {
    nlohmann::json json = {{"requests", witness.requests},
                           {"failures", witness.failures},
                           {"transport-errors", witness.transport_errors},
                           {"server-errors", witness.server_errors},
                           {"resent-on-closed-connection", witness.dead_connections},
                           {"reconnects", witness.reconnects},
                           {"blue-answers", witness.blue_answers},
                           {"green-answers", witness.green_answers},
                           {"unknown-answers", witness.unknown_answers},
                           {"duration-ms", witness.duration_ms},
                           {"rate", std::round(witness.achieved_rate * 10) / 10},
                           {"max-gap-ms", witness.max_gap_ms},
                           {"first-target-ms", nullptr},
                           {"all-target-ms", nullptr},
                           {"timeline", nlohmann::json::array()}};
    if (witness.first_target_ms) json["first-target-ms"] = *witness.first_target_ms;
    if (witness.all_target_ms) json["all-target-ms"] = *witness.all_target_ms;
    for (const auto& event : witness.timeline) json["timeline"].push_back({{"at-ms", event.at_ms}, {"what", event.what}});
    return json;
}

// A step's detail may hold several lines (a check's failures); each is printed on its own.
std::vector<std::string_view> detail_lines(std::string_view detail) {
    std::vector<std::string_view> lines;
    while (!detail.empty()) {
        const std::size_t end = detail.find('\n');
        lines.push_back(detail.substr(0, end));
        if (end == std::string_view::npos) break;
        detail.remove_prefix(end + 1);
    }
    return lines;
}

const char* result_word(StepResult result) {
    switch (result) {
        case StepResult::Passed: return "ok";
        case StepResult::Failed: return "FAILED";
        case StepResult::Skipped: return "skipped";
    }
    return "";
}

}  // namespace

nlohmann::json result_line(const SwitchRecord& record) {
    nlohmann::json line = {{"verdict", verdict(record)},
                           {"exit-code", gantry::to_int(record.exit_code)},
                           {"mode", mode_name(record.mode)},
                           {"live", name_of(record.live_after)},
                           {"previous", name_of(record.previous_after)},
                           {"target", name_of(record.target)},
                           {"switched", record.switched},
                           {"rolled-back", record.rolled_back}};
    if (!record.error.empty() || !record.refusal.empty()) line["reason"] = record.error.empty() ? record.refusal : record.error;
    if (!record.interrupted_note.empty()) line["interrupted"] = record.interrupted_note;
    return line;
}

void describe(const SwitchRecord& record, const Options& options, gantry::Outcome& outcome) {
    outcome.headline = headline(record);
    const long errors = record.witness ? record.witness->failures : 0;
    const long closed = record.witness ? record.witness->dead_connections : 0;
    const long long max_gap = record.witness ? record.witness->max_gap_ms : 0;

    // Text.
    std::string text = outcome.headline + "\n";
    if (!record.reading_detail.empty()) text += "  read: " + gantry::log_text(record.reading_detail) + "\n";
    if (!record.recorded_state.empty()) text += "  state: " + gantry::log_text(record.recorded_state) + "\n";
    if (!record.read_url.empty()) {
        text += "  read from: the " + record.read_source + (record.read_source == "entrypoint" ? " " : ", not the entrypoint ") +
                gantry::log_text(record.read_url) + "\n";
    } else if (record.mode == Mode::Status && !record.read_source.empty()) {
        // --status is asked what is served; without a URL only the configuration can answer.
        text += "  read from: the " + record.read_source + "'s configuration (no --read-url or --witness-url to ask what it serves)\n";
    }
    if (!record.interrupted_note.empty()) text += "  " + gantry::log_text(record.interrupted_note) + "\n";
    for (const auto& step : record.steps) {
        const auto details = step.result == StepResult::Passed ? std::vector<std::string_view>() : detail_lines(step.detail);
        text += fmt::format("  {:>6} ms  {:<28} {:<6} {:>5} ms{}\n", step.at_ms, gantry::log_text(step.name),
                            result_word(step.result), step.took_ms, details.empty() ? "" : "  " + gantry::log_text(details.front()));
        for (std::size_t i = 1; i < details.size(); ++i) text += "             " + gantry::log_text(details[i]) + "\n";
    }
    if (!record.plan.empty()) {
        text += "  would do:\n";
        for (const auto& line : record.plan) text += "    " + gantry::log_text(line) + "\n";
    }
    if (record.witness) {
        const auto& w = *record.witness;
        text += fmt::format("  witness: {} requests ({:.0f}/s), {} failed answers ({} transport, {} HTTP 5xx), {} sent on a "
                            "keep-alive connection the server closed, {} connections closed by the server, longest "
                            "gap {} ms",
                            w.requests, w.achieved_rate, w.failures, w.transport_errors, w.server_errors,
                            w.dead_connections, w.reconnects, w.max_gap_ms);
        // After a rollback the witness measured the way back to the old colour.
        const auto marked = record.rolled_back ? record.live_after : record.target;
        if (w.first_target_ms) text += fmt::format(", first {} answer after {} ms", name_of(marked), *w.first_target_ms);
        if (w.all_target_ms) text += fmt::format(", only {} after {} ms", name_of(record.live_after), *w.all_target_ms);
        text += "\n";
    }
    if (record.analysis) text += analysis_text(*record.analysis);
    if (!record.confirmation.empty()) text += "  entrypoint: " + gantry::log_text(record.confirmation) + "\n";
    if (record.mode != Mode::Status && record.execution == Execution::Apply && record.refusal.empty() && record.error.empty()) {
        text += "  state: live " + name_of(record.live_after) +
                (record.previous_after ? ", previous " + name_of(record.previous_after) : "") + " (" + gantry::log_text(options.state_file) + ")\n";
    }
    outcome.text = text;

    // JSON.
    nlohmann::json json = {{"tool", "bluegreen-switch"},
                           {"provider", record.provider},
                           {"action", mode_name(record.mode)},
                           {"dry-run", record.execution == Execution::DryRun},
                           {"verdict", verdict(record)},
                           {"live-color", name_of(record.live_after)},
                           {"previous-color", name_of(record.previous_after)},
                           {"target", name_of(record.target)},
                           {"switched", record.switched},
                           {"rolled-back", record.rolled_back},
                           {"nothing-to-do", record.nothing_to_do},
                           {"drift", record.drift},
                           {"interrupted-switch-found", record.interrupted_switch_found},
                           {"reason", record.error.empty() ? record.refusal : record.error},
                           {"exit-code", gantry::to_int(record.exit_code)},
                           {"repaired", record.repaired},
                           {"interrupted", record.interrupted_note},
                           {"read-source", record.read_source},
                           {"read-url", record.read_url},
                           {"configuration-differs", record.configuration_differs},
                           {"confirmed", record.confirmed ? nlohmann::json(*record.confirmed) : nlohmann::json(nullptr)},
                           {"confirmation", record.confirmation},
                           {"closed-connection-errors", closed},
                           {"read", record.reading_detail},
                           {"state", record.recorded_state},
                           {"errors-during-switch", errors},
                           {"max-gap-ms", max_gap},
                           {"switch-ms", nullptr},
                           {"steps", nlohmann::json::array()}};
    if (record.switch_ms) json["switch-ms"] = *record.switch_ms;
    if (record.error_budget) json["error-budget"] = *record.error_budget;
    if (record.closed_connection_budget) json["closed-connection-budget"] = *record.closed_connection_budget;
    for (const auto& step : record.steps) {
        json["steps"].push_back({{"name", step.name}, {"result", result_word(step.result)}, {"at-ms", step.at_ms},
                                 {"took-ms", step.took_ms}, {"detail", step.detail}});
    }
    if (!record.plan.empty()) json["plan"] = record.plan;
    json["witness"] = record.witness ? witness_json(*record.witness) : nlohmann::json(nullptr);
    json["analysis"] = record.analysis ? analysis_json(*record.analysis) : nlohmann::json(nullptr);
    outcome.json = json;

    // On GitHub the reason a run did not succeed is also an annotation, as report_error() makes for the
    // errors of the other tools.
    if (record.exit_code != gantry::ExitCode::Success && (!record.error.empty() || !record.refusal.empty())) {
        gantry::Annotation annotation;
        annotation.level = gantry::AnnotationLevel::Error;
        annotation.title = "bluegreen-switch: " + verdict(record);
        annotation.message = record.error.empty() ? record.refusal : record.error;
        outcome.annotations.push_back(std::move(annotation));
    }

    // Outputs.
    outcome.outputs.set("live-color", name_of(record.live_after));
    outcome.outputs.set("previous-color", name_of(record.previous_after));
    outcome.outputs.set("switched", record.switched);
    outcome.outputs.set("rolled-back", record.rolled_back);
    outcome.outputs.set("errors-during-switch", static_cast<long long>(errors));
    outcome.outputs.set("closed-connection-errors", static_cast<long long>(closed));
    outcome.outputs.set("max-gap-ms", record.witness ? std::to_string(max_gap) : std::string());
    outcome.outputs.set("switch-ms", record.switch_ms ? std::to_string(*record.switch_ms) : std::string());
    outcome.outputs.set("analysis", record.analysis ? analysis_verdict_name(*record.analysis) : std::string());
    outcome.outputs.set("failed-metric", record.analysis ? record.analysis->failed_metric : std::string());

    // Step summary: verdict, numbers, then the timeline.
    std::string why_markdown = gantry::markdown_escape(why(record), gantry::MarkdownContext::ListItem);
    if (!why_markdown.empty()) why_markdown[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(why_markdown[0])));
    std::string summary = gantry::summary_headline("bluegreen-switch", summary_verdict(record), why_markdown);
    gantry::MarkdownTable numbers({"live", "previous", "failed requests", "connections closed", "longest gap", "switch"});
    numbers.add_row({name_of(record.live_after), name_of(record.previous_after),
                     record.witness ? std::to_string(errors) : "not measured",
                     record.witness ? std::to_string(record.witness->reconnects) : "",
                     record.witness ? std::to_string(max_gap) + " ms" : "",
                     record.switch_ms ? std::to_string(*record.switch_ms) + " ms" : ""});
    summary += numbers.render() + "\n";
    gantry::MarkdownTable timeline({"at", "step", "result", "took", "detail"});
    for (const auto& step : record.steps) {
        timeline.add_row({std::to_string(step.at_ms) + " ms", step.name, result_word(step.result),
                          std::to_string(step.took_ms) + " ms", step.detail});
    }
    if (!timeline.empty()) summary += "#### Timeline\n\n" + timeline.render() + "\n";
    if (record.analysis) summary += analysis_markdown(*record.analysis);
    if (record.witness && !record.witness->timeline.empty()) {
        gantry::MarkdownTable seen({"at (witness clock)", "what the witness saw"});
        for (const auto& event : record.witness->timeline) seen.add_row({std::to_string(event.at_ms) + " ms", event.what});
        summary += "#### Traffic through the entrypoint\n\n" + seen.render() + "\n";
    }
    if (!record.plan.empty()) {
        std::string plan;
        for (const auto& line : record.plan) plan += line + "\n";
        summary += "#### What the switch would do\n\n" + gantry::markdown_code_block(plan);
    }
    outcome.summary_markdown = summary;

    if (!options.junit_file.empty()) {
        gantry::JunitReport junit("bluegreen-switch");
        for (const auto& step : record.steps) {
            gantry::TestCase test_case;
            test_case.classname = "bluegreen-switch." + record.provider;
            test_case.name = step.name;
            test_case.status = step.result == StepResult::Passed  ? gantry::TestStatus::Passed
                               : step.result == StepResult::Failed ? gantry::TestStatus::Failed
                                                                   : gantry::TestStatus::Skipped;
            test_case.seconds = static_cast<double>(step.took_ms) / 1000.0;
            if (step.result == StepResult::Failed) test_case.message = step.detail.substr(0, step.detail.find('\n'));
            test_case.details = step.detail;
            junit.add_case(std::move(test_case));
        }
        if (record.witness) {
            gantry::TestCase budget;
            budget.classname = "bluegreen-switch." + record.provider;
            budget.name = "failed requests during the switch";
            const long closed_budget = record.closed_connection_budget.value_or(0);
            const bool within = record.witness->failures <= options.error_budget && closed <= closed_budget;
            budget.status = within ? gantry::TestStatus::Passed : gantry::TestStatus::Failed;
            budget.details = fmt::format("{} failed answers of {} (budget {}), {} sent on a closed keep-alive connection "
                                         "(budget {}), longest gap {} ms",
                                         record.witness->failures, record.witness->requests, options.error_budget, closed,
                                         closed_budget, record.witness->max_gap_ms);
            if (!within) budget.message = budget.details;
            junit.add_case(std::move(budget));
        }
        if (record.analysis) {
            for (auto& test_case : analysis_test_cases(*record.analysis, "bluegreen-switch." + record.provider)) junit.add_case(std::move(test_case));
        }
        outcome.files.push_back({options.junit_file, junit.render()});
    }
}

}  // namespace bluegreen_switch
