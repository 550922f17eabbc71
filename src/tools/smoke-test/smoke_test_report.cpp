#include "smoke-test/smoke_test_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/platform/log_text.hpp"
#include "gantry/report/junit.hpp"
#include "gantry/report/markdown.hpp"
#include "gantry/report/summary_headline.hpp"
#include "gantry/report/utf8_text.hpp"
#include "gantry/version.hpp"

namespace smoke_test {

using gantry::checks::Check;
using gantry::checks::CheckKind;
using gantry::checks::CheckResult;

namespace {

long long ms(std::int64_t microseconds) { return (microseconds + 500) / 1000; }

std::string verdict_word(const CheckResult& result) {
    if (!result.passed) return "FAIL";
    return result.flaky ? "FLAKY" : "PASS";
}

std::string target_of(const Check& check) {
    return check.kind == CheckKind::Tcp ? "tcp " + check.request.url : check.request.method + " " + check.request.url;
}

bool from_file(const Check& check) { return check.declared_at.line > 0 && !check.declared_at.file.starts_with("--check"); }

}  // namespace

long long percentile(std::vector<long long> values, double percent) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(percent / 100.0 * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

std::string describe_result(const Check& check, const CheckResult& result) {
    std::string line = fmt::format("{:<5} {}", verdict_word(result), gantry::log_text(check.name));
    if (result.status) line += fmt::format("  {}", result.status);
    if (result.started) line += fmt::format("  {} ms", ms(result.timings.total_us));
    if (result.attempts > 1) line += fmt::format("  ({} attempts)", result.attempts);
    if (!result.passed && !result.failures.empty()) line += "  - " + gantry::log_text(result.failures.front());
    return line;
}

gantry::Outcome render_outcome(const RunReport& report, const Options& options) {
    gantry::Outcome outcome("smoke-test");
    const auto& checks = report.checks;
    const auto& results = report.results;
    long long passed = 0, failed = 0, flaky = 0, retries = 0;
    std::vector<long long> times;
    std::optional<long long> min_cert_days;
    for (const auto& result : results) {
        (result.passed ? passed : failed) += 1;
        if (result.flaky) ++flaky;
        retries += std::max(0, result.attempts - 1);
        if (result.started && (result.status || result.passed)) times.push_back(ms(result.timings.total_us));
        if (result.tls.present && result.tls.days_left) {
            min_cert_days = std::min(min_cert_days.value_or(std::numeric_limits<long long>::max()), *result.tls.days_left);
        }
    }
    const long long p50 = percentile(times, 50);
    const long long p95 = percentile(times, 95);
    const bool gate_failed = failed > 0 || (flaky > 0 && options.flaky == FlakyPolicy::Fail);
    outcome.exit_code = gate_failed ? gantry::ExitCode::Failed : gantry::ExitCode::Success;

    const long long total = static_cast<long long>(results.size());
    std::string headline = gate_failed ? fmt::format("smoke-test: FAILED - {} of {} check{} failed", failed, total, total == 1 ? "" : "s")
                                       : fmt::format("smoke-test: PASSED - {} of {} check{} passed", passed, total, total == 1 ? "" : "s");
    if (failed == 0 && gate_failed) headline = fmt::format("smoke-test: FAILED - {} of {} checks flaky (--fail-on-flaky)", flaky, total);
    if (flaky > 0 && !(failed == 0 && gate_failed)) headline += fmt::format(" ({} flaky)", flaky);
    headline += fmt::format(", p50 {} ms, p95 {} ms", p50, p95);
    if (min_cert_days) headline += fmt::format(", certificates valid {}+ days", *min_cert_days);
    outcome.headline = headline;

    std::string text;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const CheckResult& result = results[i];
        const bool notable = !result.passed || result.flaky;
        if (!notable && options.verbosity != gantry::Verbosity::Verbose) continue;
        text += describe_result(checks[i], result) + "\n";
        if (!result.passed) {
            text += "      " + gantry::log_text(target_of(checks[i]) + " (" + checks[i].declared_at.describe() + ")") + "\n";
            for (std::size_t f = 1; f < result.failures.size(); ++f) text += "      - " + gantry::log_text(result.failures[f]) + "\n";
        }
    }
    text += fmt::format("{} passed, {} failed, {} flaky, {} retr{} in {:.1f} s\n", passed, failed, flaky, retries,
                        retries == 1 ? "y" : "ies", static_cast<double>(report.elapsed.count()) / 1000.0);
    outcome.text = headline + "\n" + text;
    outcome.warnings = report.warnings;

    // JSON verdict.
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const Check& check = checks[i];
        const CheckResult& result = results[i];
        // Variables from the environment and server messages may carry invalid UTF-8; JSON cannot.
        nlohmann::json failures = nlohmann::json::array();
        for (const auto& failure : result.failures) failures.push_back(gantry::valid_utf8(failure));
        nlohmann::json entry = {
            {"name", gantry::valid_utf8(check.name)},
            {"kind", check.kind == CheckKind::Tcp ? "tcp" : "http"},
            {"url", gantry::valid_utf8(check.request.url)},
            {"declared-at", gantry::valid_utf8(check.declared_at.describe())},
            {"passed", result.passed},
            {"flaky", result.flaky},
            {"started", result.started},
            {"attempts", result.attempts},
            {"failures", std::move(failures)},
            {"timings-ms",
             {{"dns", ms(result.timings.dns_phase_us())},
              {"connect", ms(result.timings.connect_phase_us())},
              {"tls", ms(result.timings.tls_phase_us())},
              {"ttfb", ms(result.timings.first_byte_us)},
              {"total", ms(result.timings.total_us)}}},
        };
        if (check.kind == CheckKind::Http) {
            entry["method"] = check.request.method;
            entry["status"] = result.status;
            entry["http-version"] = result.http_version;
        }
        nlohmann::json attempt_times = nlohmann::json::array();
        for (const auto us : result.attempt_times_us) attempt_times.push_back(ms(us));
        entry["attempt-times-ms"] = std::move(attempt_times);
        if (result.failure) entry["failure-kind"] = gantry::checks::to_string(*result.failure);
        if (result.tls.present) {
            entry["tls"] = {{"version", gantry::valid_utf8(result.tls.version)},
                            {"days-left", result.tls.days_left ? nlohmann::json(*result.tls.days_left) : nlohmann::json()},
                            {"not-after", gantry::valid_utf8(result.tls.not_after)},
                            {"hostname-matches", result.tls.hostname_matches}};
        }
        list.push_back(std::move(entry));
    }
    outcome.json = {{"tool", "smoke-test"},
                    {"version", gantry::build_info::kVersion},
                    {"passed", !gate_failed},
                    {"totals",
                     {{"checks", total},
                      {"passed", passed},
                      {"failed", failed},
                      {"flaky", flaky},
                      {"retries", retries},
                      {"p50-ms", p50},
                      {"p95-ms", p95},
                      {"min-cert-days", min_cert_days ? nlohmann::json(*min_cert_days) : nlohmann::json()},
                      {"elapsed-ms", report.elapsed.count()}}},
                    {"checks", std::move(list)},
                    {"warnings", nlohmann::json::array()}};
    for (const auto& warning : report.warnings) outcome.json["warnings"].push_back(gantry::valid_utf8(warning));
    if (options.shard.count > 1) outcome.json["shard"] = fmt::format("{}/{}", options.shard.index, options.shard.count);

    // Step summary: a failing row also says what was requested and where the check is declared.
    using gantry::MarkdownContext;
    gantry::MarkdownTable table({"", "Check", "Status", "Time", "Attempts", "Cert days", "First failure"});
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const CheckResult& result = results[i];
        const std::string icon = !result.passed ? "❌" : (result.flaky ? "⚠️ flaky" : "✅");
        std::string check = gantry::markdown_escape(checks[i].name);
        if (!result.passed) {
            // An inline check is named after its request: then only where it was declared is new.
            const std::string target = target_of(checks[i]);
            check += "<br>";
            if (target != checks[i].name) check += gantry::markdown_escape(target, MarkdownContext::InlineCodeInTableCell) + " · ";
            check += gantry::markdown_escape(checks[i].declared_at.describe(), MarkdownContext::InlineCodeInTableCell);
        }
        table.add_raw_row({icon, check,
                           result.status ? std::to_string(result.status) : (checks[i].kind == CheckKind::Tcp && result.passed ? "connected" : "-"),
                           result.started ? fmt::format("{} ms", ms(result.timings.total_us)) : "-",
                           std::to_string(result.attempts),
                           result.tls.present && result.tls.days_left ? std::to_string(*result.tls.days_left) : "",
                           result.failures.empty() ? "" : gantry::markdown_escape(result.failures.front())});
    }
    const char* const checks_word = total == 1 ? "check" : "checks";
    std::string why = !gate_failed ? fmt::format("**{}** of {} {} passed", passed, total, checks_word)
                      : failed > 0 ? fmt::format("**{}** of {} {} failed", failed, total, checks_word)
                                   : fmt::format("**{}** of {} {} flaky (--fail-on-flaky)", flaky, total, checks_word);
    if (gate_failed || flaky > 0) why += fmt::format(" · {} flaky", flaky);
    why += fmt::format(" · {} retr{} · p50 {} ms · p95 {} ms{}", retries, retries == 1 ? "y" : "ies", p50, p95,
                       min_cert_days ? fmt::format(" · certificates valid {}+ days", *min_cert_days) : "");
    outcome.summary_markdown =
        gantry::summary_headline("smoke-test", gate_failed ? gantry::SummaryVerdict::Failed : gantry::SummaryVerdict::Passed, why) +
        table.render() + "\n";
    if (!report.warnings.empty()) {
        std::string body;
        for (const auto& warning : report.warnings) body += "- " + gantry::markdown_escape(warning, MarkdownContext::ListItem) + "\n";
        outcome.summary_markdown += gantry::markdown_details(fmt::format("Warnings ({})", report.warnings.size()), body);
    }

    // Annotations: failures as errors, flaky checks as warnings, at the check's line when it has one.
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const CheckResult& result = results[i];
        if (result.passed && !result.flaky) continue;
        gantry::Annotation annotation;
        annotation.level = result.passed ? gantry::AnnotationLevel::Warning : gantry::AnnotationLevel::Error;
        annotation.title = "smoke-test: " + checks[i].name + (result.passed ? " is flaky" : " failed");
        std::string message = target_of(checks[i]);
        if (result.passed) {
            message += fmt::format(": passed after {} attempts", result.attempts);
        } else {
            for (const auto& failure : result.failures) message += "\n- " + failure;
        }
        annotation.message = message;
        if (from_file(checks[i])) {
            annotation.file = checks[i].declared_at.file;
            annotation.line = checks[i].declared_at.line;
        }
        outcome.annotations.push_back(std::move(annotation));
    }

    outcome.outputs.set("passed", passed);
    outcome.outputs.set("failed", failed);
    outcome.outputs.set("flaky", flaky);
    outcome.outputs.set("p95-ms", p95);
    outcome.outputs.set("min-cert-days", min_cert_days ? std::to_string(*min_cert_days) : std::string());

    if (!options.junit_file.empty()) {
        gantry::JunitReport junit("smoke-test");
        for (std::size_t i = 0; i < checks.size(); ++i) {
            const CheckResult& result = results[i];
            gantry::TestCase test_case;
            test_case.classname = from_file(checks[i]) ? "smoke-test." + checks[i].declared_at.file : "smoke-test";
            test_case.name = checks[i].name;
            test_case.status = result.passed ? gantry::TestStatus::Passed : gantry::TestStatus::Failed;
            test_case.seconds = static_cast<double>(result.timings.total_us) / 1e6;
            std::string details = target_of(checks[i]) + "\ndeclared at " + checks[i].declared_at.describe() +
                                  fmt::format("\nattempts: {}{}\n", result.attempts, result.flaky ? " (flaky)" : "");
            for (const auto& failure : result.failures) details += "- " + failure + "\n";
            if (!result.passed) test_case.message = result.failures.empty() ? "failed" : result.failures.front();
            test_case.details = details;
            junit.add_case(std::move(test_case));
        }
        outcome.files.push_back({options.junit_file, junit.render()});
    }
    return outcome;
}

}  // namespace smoke_test
