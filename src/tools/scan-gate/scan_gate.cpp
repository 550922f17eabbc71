#include "scan-gate/scan_gate.hpp"

#include "gantry/findings/dedupe.hpp"
#include "gantry/findings/report_reader.hpp"
#include "gantry/platform/clock.hpp"
#include "gantry/report/gitlab_security_report.hpp"
#include "gantry/report/sarif_writer.hpp"
#include "gantry/version.hpp"
#include "scan-gate/verdict_report.hpp"
#include "scan-gate/vex_waivers.hpp"

namespace scan_gate {

namespace {

// GitHub shows at most 10 error and 10 warning annotations per step; more only add noise to logs.
constexpr std::size_t kAnnotationLimit = 50;

gantry::FindingList read_reports(const std::vector<std::string>& arguments, const gantry::ReportReading& reading,
                                 std::vector<ReportInfo>& infos, std::vector<std::string>& warnings) {
    gantry::FindingList findings;
    for (const auto& path : gantry::expand_report_paths(arguments)) {
        gantry::Report report = gantry::read_report(path, reading);
        infos.push_back({report.path, report.format, report.scanner, report.findings.size()});
        warnings.insert(warnings.end(), report.warnings.begin(), report.warnings.end());
        if (findings.empty()) {
            findings = std::move(report.findings);
        } else {
            // One finding at a time, each freed as it moves: two reports' findings are never all held twice.
            for (; !report.findings.empty(); report.findings.pop_front()) {
                findings.push_back(std::move(report.findings.front()));
            }
        }
    }
    return findings;
}

// Findings worth converting: everything the policy considers that no waiver covers.
std::vector<gantry::Finding> convertible(const Verdict& verdict) {
    std::vector<gantry::Finding> findings;
    for (const auto& judged : verdict.findings) {
        if (judged.disposition != Disposition::Ignored && judged.disposition != Disposition::Waived) {
            findings.push_back(judged.finding);
        }
    }
    return findings;
}

}  // namespace

gantry::Outcome run(const Options& options, const gantry::Environment& environment) {
    const std::string started_at = gantry::utc_timestamp_without_zone(gantry::stamp_time(environment));
    std::vector<ReportInfo> infos;
    std::vector<std::string> report_warnings;  // what the scanners say they could not scan
    // Only GitLab's reports print a SARIF result's message; the verdict, the SARIF output and a
    // baseline never read it.
    gantry::ReportReading reading;
    if (!options.gitlab_out && !options.gitlab_dependency_out) reading.sarif_messages = gantry::SarifMessages::Dropped;
    gantry::FindingList findings = read_reports(options.reports, reading, infos, report_warnings);
    const std::size_t findings_read = findings.size();
    findings = gantry::deduplicate(std::move(findings));

    Baseline baseline;
    std::vector<ReportInfo> baseline_infos;
    if (!options.baseline_reports.empty()) {
        const gantry::ReportReading baseline_reading{.sarif_messages = gantry::SarifMessages::Dropped};
        for (const auto& f : read_reports(options.baseline_reports, baseline_reading, baseline_infos, report_warnings))
            baseline.add(f);
    }

    std::vector<Waiver> waivers;
    for (const auto& file : options.waiver_files) {
        auto loaded = load_waiver_file(file, options.policy.permanent_waivers);
        waivers.insert(waivers.end(), loaded.begin(), loaded.end());
    }
    const auto vex_documents = load_vex_files(options.vex_files);
    std::vector<std::string> vex_warnings;
    const auto vex_infos = match_vex_documents(vex_documents, findings, vex_warnings);
    VexWaivers from_vex = vex_waivers(vex_documents, options.policy.vex_max_age_days);
    waivers.insert(waivers.end(), from_vex.waivers.begin(), from_vex.waivers.end());

    const CalendarDate today = options.today.value_or(today_utc());
    Verdict verdict = judge(std::move(findings), options.policy, waivers, baseline, today);
    verdict.warnings.insert(verdict.warnings.end(), from_vex.warnings.begin(), from_vex.warnings.end());
    verdict.warnings.insert(verdict.warnings.end(), vex_warnings.begin(), vex_warnings.end());
    VerdictContext context{verdict, options, infos, baseline_infos, findings_read, today};
    context.vex_documents = vex_infos;

    gantry::Outcome outcome("scan-gate");
    outcome.exit_code = verdict.passed ? gantry::ExitCode::Success : gantry::ExitCode::Failed;
    outcome.headline = render_headline(context);
    outcome.text = render_text(context);
    if (options.json_verdict == JsonVerdict::Built) outcome.json = render_json(context);
    outcome.summary_markdown = render_summary(context);
    outcome.annotations = render_annotations(context, kAnnotationLimit);
    outcome.warnings = std::move(report_warnings);
    outcome.warnings.insert(outcome.warnings.end(), verdict.warnings.begin(), verdict.warnings.end());

    const auto counted = [&](gantry::Severity s) {
        return verdict.counts[static_cast<int>(s)].of(Disposition::Counted);
    };
    outcome.outputs.set("passed", verdict.passed);
    outcome.outputs.set("critical", counted(gantry::Severity::Critical));
    outcome.outputs.set("high", counted(gantry::Severity::High));
    outcome.outputs.set("medium", counted(gantry::Severity::Medium));
    outcome.outputs.set("low", counted(gantry::Severity::Low));
    outcome.outputs.set("counted", verdict.all.of(Disposition::Counted));
    outcome.outputs.set("total", verdict.all.total);

    if (options.sarif_out || options.gitlab_out || options.gitlab_dependency_out) {
        const auto findings_out = convertible(verdict);
        if (options.sarif_out) {
            gantry::SarifWriteOptions sarif;
            sarif.tool_name = "scan-gate";
            sarif.tool_version = gantry::build_info::kVersion;
            outcome.files.push_back({*options.sarif_out, gantry::render_sarif(findings_out, sarif)});
        }
        gantry::GitlabReportOptions gitlab;
        gitlab.analyzer_version = gantry::build_info::kVersion;
        gitlab.start_time = started_at;
        gitlab.end_time = gantry::utc_timestamp_without_zone(gantry::stamp_time(environment));
        if (options.gitlab_dependency_out) {
            // Dependencies go to their own report; the container report keeps the rest.
            std::vector<gantry::Finding> dependencies;
            std::vector<gantry::Finding> rest;
            for (const auto& finding : findings_out)
                (finding.origin == gantry::PackageOrigin::Dependency ? dependencies : rest).push_back(finding);
            outcome.files.push_back(
                {*options.gitlab_dependency_out, gantry::render_gitlab_dependency_scanning(dependencies, gitlab)});
            if (options.gitlab_out)
                outcome.files.push_back({*options.gitlab_out, gantry::render_gitlab_container_scanning(rest, gitlab)});
        } else if (options.gitlab_out) {
            // Without a dependency report, everything stays in the one report GitLab is given.
            outcome.files.push_back({*options.gitlab_out, gantry::render_gitlab_container_scanning(findings_out, gitlab)});
        }
    }
    return outcome;
}

}  // namespace scan_gate
