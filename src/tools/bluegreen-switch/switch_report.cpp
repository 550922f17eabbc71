#include "bluegreen-switch/switch_report.hpp"

#include <cctype>

#include <fmt/format.h>

#include "gantry/platform/log_text.hpp"
#include "gantry/report/junit.hpp"
#include "gantry/report/markdown.hpp"
#include "gantry/report/summary_headline.hpp"

namespace bluegreen_switch {

namespace {

std::string name_of(const std::optional<Color>& color) { return color ? std::string(to_string(*color)) : std::string(); }

std::string verdict(const SwitchRecord& record) {
    if (record.mode == Mode::Status) return "STATUS";
    if (record.nothing_to_do) return "NOTHING TO DO";
    if (record.execution == Execution::DryRun) return "DRY RUN";
    if (record.rolled_back) return "ROLLED BACK";
    if (!record.refusal.empty()) return "REFUSED";
    if (record.nothing_to_do) return "NOTHING TO DO";
    return record.switched ? "SWITCHED" : "NOT SWITCHED";
}

gantry::SummaryVerdict summary_verdict(const SwitchRecord& record) {
    if (record.mode == Mode::Status) return gantry::SummaryVerdict::Passed;
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
    if (record.mode == Mode::Status) {
        return "traffic goes to " + from + " on " + record.provider + (record.drift ? " (differs from the state file)" : "");
    }
    if (record.nothing_to_do) return name_of(record.target) + " is already live on " + record.provider;
    if (record.execution == Execution::DryRun) {
        return "would switch " + record.provider + " from " + from + " to " + name_of(record.target);
    }
    if (!record.refusal.empty() && !record.rolled_back) return record.refusal;
    std::string line = "traffic moved from " + from + " to " + name_of(record.target) + " on " + record.provider;
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

void describe(const SwitchRecord& record, const Options& options, gantry::Outcome& outcome) {
    outcome.headline = headline(record);
    const long errors = record.witness ? record.witness->failures : 0;
    const long long max_gap = record.witness ? record.witness->max_gap_ms : 0;

    // Text.
    std::string text = outcome.headline + "\n";
    if (!record.reading_detail.empty()) text += "  read: " + gantry::log_text(record.reading_detail) + "\n";
    if (!record.recorded_state.empty()) text += "  state: " + gantry::log_text(record.recorded_state) + "\n";
    if (record.interrupted_switch_found && record.mode != Mode::Status) {
        text += "  an interrupted switch was found in the state file and completed\n";
    }
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
        text += fmt::format("  witness: {} requests ({:.0f}/s), {} failed ({} transport, {} HTTP 5xx, {} sent on a "
                            "keep-alive connection the server closed), {} connections closed by the server, longest "
                            "gap {} ms",
                            w.requests, w.achieved_rate, w.failures, w.transport_errors, w.server_errors,
                            w.dead_connections, w.reconnects, w.max_gap_ms);
        if (w.first_target_ms) text += fmt::format(", first {} answer after {} ms", name_of(record.target), *w.first_target_ms);
        if (w.all_target_ms) text += fmt::format(", only {} after {} ms", name_of(record.live_after), *w.all_target_ms);
        text += "\n";
    }
    if (record.mode != Mode::Status && record.execution == Execution::Apply && record.refusal.empty()) {
        text += "  state: live " + name_of(record.live_after) +
                (record.previous_after ? ", previous " + name_of(record.previous_after) : "") + " (" + gantry::log_text(options.state_file) + ")\n";
    }
    outcome.text = text;

    // JSON.
    nlohmann::json json = {{"tool", "bluegreen-switch"},
                           {"provider", record.provider},
                           {"action", record.mode == Mode::Status ? "status" : record.mode == Mode::Rollback ? "rollback" : "switch"},
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
                           {"reason", record.refusal},
                           {"read", record.reading_detail},
                           {"state", record.recorded_state},
                           {"errors-during-switch", errors},
                           {"max-gap-ms", max_gap},
                           {"switch-ms", nullptr},
                           {"steps", nlohmann::json::array()}};
    if (record.switch_ms) json["switch-ms"] = *record.switch_ms;
    if (record.error_budget) json["error-budget"] = *record.error_budget;
    for (const auto& step : record.steps) {
        json["steps"].push_back({{"name", step.name}, {"result", result_word(step.result)}, {"at-ms", step.at_ms},
                                 {"took-ms", step.took_ms}, {"detail", step.detail}});
    }
    if (!record.plan.empty()) json["plan"] = record.plan;
    json["witness"] = record.witness ? witness_json(*record.witness) : nlohmann::json(nullptr);
    outcome.json = json;

    // Outputs.
    outcome.outputs.set("live-color", name_of(record.live_after));
    outcome.outputs.set("previous-color", name_of(record.previous_after));
    outcome.outputs.set("switched", record.switched);
    outcome.outputs.set("rolled-back", record.rolled_back);
    outcome.outputs.set("errors-during-switch", static_cast<long long>(errors));
    outcome.outputs.set("max-gap-ms", record.witness ? std::to_string(max_gap) : std::string());
    outcome.outputs.set("switch-ms", record.switch_ms ? std::to_string(*record.switch_ms) : std::string());

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
            const bool within = record.witness->failures <= options.error_budget;
            budget.status = within ? gantry::TestStatus::Passed : gantry::TestStatus::Failed;
            budget.details = fmt::format("{} failed of {} (budget {}), longest gap {} ms", record.witness->failures,
                                         record.witness->requests, options.error_budget, record.witness->max_gap_ms);
            if (!within) budget.message = budget.details;
            junit.add_case(std::move(budget));
        }
        outcome.files.push_back({options.junit_file, junit.render()});
    }
}

}  // namespace bluegreen_switch
