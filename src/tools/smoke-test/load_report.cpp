// Rendering of a load test's result: text, JSON, step summary (threshold table, latency table per
// check, a Mermaid chart of p95 and p50 per second), JUnit (one test case per threshold), outputs.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "gantry/report/junit.hpp"
#include "gantry/report/markdown.hpp"
#include "smoke-test/load.hpp"

namespace smoke_test::load {

namespace {

const double kPercentiles[] = {50, 90, 95, 99, 99.9};

struct Judged {
    const Threshold* threshold;
    ThresholdVerdict verdict;
};

std::string scope(const Threshold& threshold) { return threshold.check ? *threshold.check : std::string("overall"); }

nlohmann::json latency_json(const LogLinearHistogram& histogram) {
    nlohmann::json json = {{"count", histogram.count()}, {"min_ms", static_cast<double>(histogram.min()) / 1000.0},
                           {"mean_ms", histogram.mean() / 1000.0}, {"max_ms", static_cast<double>(histogram.max()) / 1000.0}};
    for (const double p : kPercentiles) json[fmt::format("p{}_ms", p)] = static_cast<double>(histogram.percentile(p)) / 1000.0;
    return json;
}

std::string latency_row(const std::string& name, const CheckSeries& series) {
    std::string row = "| " + gantry::markdown_escape(name) + " | " + std::to_string(series.requests) + " | " + std::to_string(series.error_count());
    for (const double p : kPercentiles) row += " | " + format_latency(static_cast<double>(series.latency.percentile(p)));
    row += " | " + format_latency(static_cast<double>(series.latency.max())) + " | " +
           format_latency(static_cast<double>(series.service.percentile(95))) + " |\n";
    return row;
}

// p50 and p95 per second of the schedule, as a Mermaid xychart (GitHub renders it in the summary).
std::string latency_chart(const CheckSeries& all) {
    if (all.seconds.size() < 2) return "";
    // At most 120 points: seconds are grouped when the run is longer.
    const std::size_t group = (all.seconds.size() + 119) / 120;
    std::string p50, p95, labels;
    double top = 0;
    for (std::size_t start = 0; start < all.seconds.size(); start += group) {
        LogLinearHistogram latency;
        for (std::size_t s = start; s < std::min(all.seconds.size(), start + group); ++s) latency.add(all.seconds[s].latency);
        const double a = static_cast<double>(latency.percentile(50)) / 1000.0;
        const double b = static_cast<double>(latency.percentile(95)) / 1000.0;
        top = std::max(top, b);
        p50 += fmt::format("{}{:.2f}", p50.empty() ? "" : ", ", a);
        p95 += fmt::format("{}{:.2f}", p95.empty() ? "" : ", ", b);
        labels += fmt::format("{}\"{}s\"", labels.empty() ? "" : ", ", start);
    }
    return fmt::format("```mermaid\nxychart-beta\n  title \"Latency over time (ms; upper line p95, lower p50)\"\n  x-axis [{}]\n"
                       "  y-axis \"ms\" 0 --> {:.1f}\n  line [{}]\n  line [{}]\n```\n",
                       labels, top * 1.1 + 0.1, p95, p50);
}

}  // namespace

namespace {

// Each transport the shards used, with those shards' numbers, in the transports' order.
std::map<std::string, std::vector<int>> shards_by_transport(const LoadResult& result) {
    std::map<std::string, std::vector<int>> by_transport;
    for (const auto& [shard, name] : result.transports) by_transport[name].push_back(shard);
    return by_transport;
}

}  // namespace

std::string transports_by_shard(const LoadResult& result) {
    std::string text;
    for (const auto& [name, shards] : shards_by_transport(result)) {
        text += fmt::format("{}{} (shard{} {})", text.empty() ? "" : ", ", name, shards.size() > 1 ? "s" : "", fmt::join(shards, ", "));
    }
    return text;
}

gantry::Outcome render_load_outcome(const LoadResult& result, const std::vector<Threshold>& thresholds, const std::string& junit_file) {
    gantry::Outcome outcome("smoke-test");
    const CheckSeries all = result.overall();
    const double rps = result.requests_per_second();
    const double error_rate = all.requests ? static_cast<double>(all.error_count()) / static_cast<double>(all.requests) : 0.0;

    std::vector<Judged> judged;
    int failed = 0;
    for (const auto& threshold : thresholds) {
        const CheckSeries* series = &all;
        for (const auto& check : result.checks) {
            if (threshold.check && check.name == *threshold.check) series = &check;
        }
        judged.push_back({&threshold, evaluate(threshold, *series, result.elapsed_seconds)});
        if (!judged.back().verdict.passed) ++failed;
    }
    outcome.exit_code = failed ? gantry::ExitCode::Failed : gantry::ExitCode::Success;
    const std::string partial = result.partial ? fmt::format(" (partial: {})", result.stop_reason) : "";
    outcome.headline = fmt::format("smoke-test load: {} - {} requests, {:.1f} req/s, p95 {}, {:.2f}% errors, {} of {} thresholds failed{}",
                                   failed ? "FAILED" : "PASSED", all.requests, rps, format_latency(static_cast<double>(all.latency.percentile(95))),
                                   error_rate * 100.0, failed, thresholds.size(), partial);

    // Text.
    std::string text = outcome.headline + "\n";
    if (result.shard_count > 1) text += fmt::format("shards: {} of {}\n", result.shards.size(), result.shard_count);
    const std::string transport = result.transport();
    if (transport == "mixed") {
        text += "transports: " + transports_by_shard(result) + "\n";
    } else if (!transport.empty()) {
        text += "transport: " + transport + "\n";
    }
    text += fmt::format("\n{:<30} {:>9} {:>7} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "check", "requests", "errors", "p50", "p90", "p95",
                        "p99", "p99.9", "max");
    const auto text_row = [&](const CheckSeries& series) {
        text += fmt::format("{:<30} {:>9} {:>7}", series.name.substr(0, 30), series.requests, series.error_count());
        for (const double p : kPercentiles) text += fmt::format(" {:>10}", format_latency(static_cast<double>(series.latency.percentile(p))));
        text += fmt::format(" {:>10}\n", format_latency(static_cast<double>(series.latency.max())));
    };
    for (const auto& check : result.checks) text_row(check);
    if (result.checks.size() > 1) text_row(all);
    text += fmt::format("service time (without waiting for the schedule): p50 {}, p95 {}, p99 {}\n",
                        format_latency(static_cast<double>(all.service.percentile(50))), format_latency(static_cast<double>(all.service.percentile(95))),
                        format_latency(static_cast<double>(all.service.percentile(99))));
    std::string errors;
    for (std::size_t i = 0; i < kErrorClasses; ++i) {
        if (all.errors[i]) errors += fmt::format("{}{} {}", errors.empty() ? "" : ", ", all.errors[i], to_string(static_cast<ErrorClass>(i)));
    }
    if (!errors.empty()) text += "errors: " + errors + "\n";
    for (const auto& [threshold, verdict] : judged) {
        text += fmt::format("{} {}: {} ({})\n", verdict.passed ? "PASS" : "FAIL", scope(*threshold), threshold->text, verdict.observed);
    }
    outcome.text = text;

    // JSON.
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& check : result.checks) {
        nlohmann::json errors_json = nlohmann::json::object();
        for (std::size_t i = 0; i < kErrorClasses; ++i) errors_json[to_string(static_cast<ErrorClass>(i))] = check.errors[i];
        checks.push_back({{"name", check.name}, {"requests", check.requests}, {"errors", errors_json},
                          {"latency", latency_json(check.latency)}, {"service_time", latency_json(check.service)}});
    }
    nlohmann::json thresholds_json = nlohmann::json::array();
    for (const auto& [threshold, verdict] : judged) {
        thresholds_json.push_back({{"threshold", threshold->text}, {"scope", scope(*threshold)}, {"passed", verdict.passed}, {"observed", verdict.observed}});
    }
    outcome.json = {{"passed", failed == 0}, {"partial", result.partial}, {"stop_reason", result.stop_reason},
                    {"requests", all.requests}, {"rps", rps}, {"error_rate", error_rate}, {"elapsed_seconds", result.elapsed_seconds},
                    {"shards", result.shards}, {"shard_count", result.shard_count}, {"latency", latency_json(all.latency)},
                    {"service_time", latency_json(all.service)}, {"checks", checks}, {"thresholds", thresholds_json}};
    // Shard files from before gantry recorded the transport leave it unknown.
    if (!transport.empty()) outcome.json["transport"] = transport;
    if (transport == "mixed") {
        outcome.json["transports"] = shards_by_transport(result);
    }

    // Step summary.
    std::string md = "### " + gantry::markdown_escape(outcome.headline, gantry::MarkdownContext::Heading) + "\n\n";
    if (!judged.empty()) {
        md += "| | threshold | scope | observed |\n|---|---|---|---|\n";
        for (const auto& [threshold, verdict] : judged) {
            md += fmt::format("| {} | {} | {} | {} |\n", verdict.passed ? "✅" : "❌", gantry::markdown_escape(threshold->text, gantry::MarkdownContext::InlineCodeInTableCell),
                              gantry::markdown_escape(scope(*threshold)), gantry::markdown_escape(verdict.observed));
        }
        md += "\n";
    }
    md += "Latency from the intended send time (corrected for coordinated omission); the last column is the plain service time.\n\n"
          "| check | requests | errors | p50 | p90 | p95 | p99 | p99.9 | max | service p95 |\n|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& check : result.checks) md += latency_row(check.name, check);
    if (result.checks.size() > 1) md += latency_row("overall", all);
    md += "\n" + latency_chart(all);
    outcome.summary_markdown = md;

    outcome.outputs.set("rps", fmt::format("{:.1f}", rps));
    outcome.outputs.set("p95-ms", fmt::format("{:.2f}", static_cast<double>(all.latency.percentile(95)) / 1000.0));
    outcome.outputs.set("p99-ms", fmt::format("{:.2f}", static_cast<double>(all.latency.percentile(99)) / 1000.0));
    outcome.outputs.set("error-rate", fmt::format("{:.4f}", error_rate));
    outcome.outputs.set("thresholds-failed", static_cast<long long>(failed));

    if (!junit_file.empty()) {
        gantry::JunitReport junit("smoke-test load");
        for (const auto& [threshold, verdict] : judged) {
            gantry::TestCase test_case;
            test_case.classname = "smoke-test.load." + scope(*threshold);
            test_case.name = threshold->text;
            test_case.status = verdict.passed ? gantry::TestStatus::Passed : gantry::TestStatus::Failed;
            test_case.seconds = result.elapsed_seconds;
            if (!verdict.passed) test_case.message = verdict.observed;
            test_case.details = verdict.observed;
            junit.add_case(std::move(test_case));
        }
        outcome.files.push_back({junit_file, junit.render()});
    }
    return outcome;
}

}  // namespace smoke_test::load
