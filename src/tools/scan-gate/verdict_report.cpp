#include "scan-gate/verdict_report.hpp"

#include <fmt/format.h>

#include "gantry/platform/log_text.hpp"
#include "gantry/report/markdown.hpp"
#include "gantry/report/report_uri.hpp"
#include "gantry/report/summary_headline.hpp"
#include "gantry/version.hpp"
#include "scan-gate/vex_report.hpp"

namespace scan_gate {

using gantry::Finding;
using gantry::Severity;

namespace {

constexpr std::size_t kSummaryFindingLimit = 25;

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string capitalized(std::string_view s) {
    std::string out(s);
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

std::string paint(Color color, const char* code, std::string_view text) {
    if (color == Color::Off) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

const char* severity_color(Severity s) {
    switch (s) {
        case Severity::Critical: return "1;31";
        case Severity::High: return "31";
        case Severity::Medium: return "33";
        case Severity::Low: return "36";
        case Severity::Unknown: return "2";
    }
    return "0";
}

// Only a package's name and version: a secret's or misconfiguration's title is not a package.
std::string package_text(const Finding& f) {
    if (f.package.empty()) return "";
    return f.version.empty() ? f.package : f.package + " " + f.version;
}

std::string fix_text(const Finding& f) {
    if (!f.fixed_version.empty()) return "fixed in " + f.fixed_version;
    switch (f.fix_state) {
        case gantry::FixState::NotFixed: return "no fix yet";
        case gantry::FixState::WontFix: return "won't be fixed";
        case gantry::FixState::Deferred: return "fix deferred";
        case gantry::FixState::EndOfLife: return "end of life";
        default: return f.kind == gantry::FindingKind::Vulnerability ? "fix unknown" : "";
    }
}

std::string where_text(const Finding& f) {
    if (f.location && !f.location->path.empty()) {
        return f.location->start_line > 0 ? fmt::format("{}:{}", f.location->path, f.location->start_line)
                                          : f.location->path;
    }
    return f.target;
}

std::string policy_text(const Policy& p) {
    std::vector<std::string> parts;
    if (p.fail_on) parts.push_back("fail-on " + std::string(gantry::to_string(*p.fail_on)));
    for (Severity s : gantry::kSeveritiesDescending) {
        if (p.budget(s)) parts.push_back(fmt::format("max {}={}", gantry::to_string(s), *p.budget(s)));
    }
    if (p.fix_filter == FixFilter::FixableOnly) parts.push_back("fixed-only");
    if (p.min_cvss) parts.push_back(fmt::format("min-cvss {}", *p.min_cvss));
    if (!p.kinds.empty()) {
        std::string kinds;
        for (auto k : p.kinds) kinds += (kinds.empty() ? "" : ",") + std::string(gantry::to_string(k));
        parts.push_back("kinds " + kinds);
    }
    if (!p.targets.include.empty() || !p.targets.exclude.empty()) parts.push_back("target scope");
    if (!p.packages.include.empty() || !p.packages.exclude.empty()) parts.push_back("package scope");
    if (parts.empty()) return "no rules (always passes)";
    return fmt::format("{}", fmt::join(parts, ", "));
}

long long counted(const Verdict& v, Severity s) { return v.counts[static_cast<int>(s)].of(Disposition::Counted); }

// A severity has the same colour in every chart, whichever severities have no slice.
const char* severity_chart_color(Severity s) {
    switch (s) {
        case Severity::Critical: return "#b60205";
        case Severity::High: return "#e4572e";
        case Severity::Medium: return "#f0b429";
        case Severity::Low: return "#1d76db";
        case Severity::Unknown: return "#9aa0a6";
    }
    return "#9aa0a6";
}

using gantry::MarkdownContext;

// The ID cell: the id (linked when the scanner gave a web URL) and, for a finding that names no
// package (a secret, a misconfiguration, a code finding), its title under it.
std::string id_cell(const Finding& f) {
    const auto url = gantry::web_url(f.url);  // never a raw scanner string inside a link
    std::string cell = url ? "[" + gantry::markdown_escape(f.id) + "](" + *url + ")" : gantry::markdown_escape(f.id);
    if (f.package.empty() && !f.title.empty()) cell += "<br>" + gantry::markdown_escape(f.title);
    return cell;
}

}  // namespace

std::string render_headline(const VerdictContext& c) {
    const Verdict& v = c.verdict;
    return fmt::format("scan-gate: {} - {} of {} findings counted against the policy ({}) from {} report{}",
                       v.passed ? "PASSED" : "FAILED", v.all.of(Disposition::Counted), v.all.total,
                       policy_text(c.options.policy), c.reports.size(), c.reports.size() == 1 ? "" : "s");
}

std::string render_text(const VerdictContext& c) {
    const Verdict& v = c.verdict;
    const Color color = c.options.color;
    std::string out;
    out += v.passed ? paint(color, "1;32", "PASSED") : paint(color, "1;31", "FAILED");
    out += fmt::format("  {} of {} findings counted ({} read from {} report{}, {} after merging duplicates)\n",
                       v.all.of(Disposition::Counted), v.all.total, c.findings_read, c.reports.size(),
                       c.reports.size() == 1 ? "" : "s", v.all.total);
    out += "Policy: " + policy_text(c.options.policy) + "\n\n";

    out += fmt::format("{:<9} {:>7} {:>8} {:>7} {:>12} {:>9} {:>8}\n", "severity", "total", "ignored", "waived",
                       "not-fixable", "baseline", "counted");
    auto row = [&](std::string_view name, const Counts& k, const char* code) {
        std::string line = fmt::format("{:<9} {:>7} {:>8} {:>7} {:>12} {:>9} {:>8}", name, k.total,
                                       k.of(Disposition::Ignored), k.of(Disposition::Waived),
                                       k.of(Disposition::NotFixable), k.of(Disposition::Baseline),
                                       k.of(Disposition::Counted));
        out += (k.of(Disposition::Counted) > 0 ? paint(color, code, line) : line) + "\n";
    };
    for (Severity s : gantry::kSeveritiesDescending) row(gantry::to_string(s), v.counts[static_cast<int>(s)], severity_color(s));
    row("all", v.all, "1");

    if (!v.violations.empty()) {
        out += "\nWhy it failed:\n";
        for (const auto& violation : v.violations) out += "  - " + violation.message + "\n";
    }
    const auto top = top_findings(v, c.options.top);
    if (!top.empty()) {
        out += fmt::format("\nTop {} counted finding{}:\n", top.size(), top.size() == 1 ? "" : "s");
        for (const auto* j : top) {
            const Finding& f = j->finding;
            std::string fix = fix_text(f);
            const std::string what = f.package.empty() ? (f.title.empty() ? "" : " - " + f.title) : " " + package_text(f);
            const std::string where = where_text(f);
            out += fmt::format("  {} {}{}{}{}  [{}]\n",
                               paint(color, severity_color(f.severity), fmt::format("{:<8}", upper(gantry::to_string(f.severity)))),
                               gantry::log_text(f.id), gantry::log_text(what), gantry::log_text(fix.empty() ? "" : " (" + fix + ")"),
                               gantry::log_text(where.empty() ? "" : " in " + where), gantry::log_text(f.scanner));
        }
    }
    // Findings a report itself declares not affected (CycloneDX analysis.state): no waiver file names
    // them, so the report's own words are the only record of why they do not count.
    std::vector<const JudgedFinding*> by_report;
    for (const auto& j : v.findings) {
        if (j.disposition == Disposition::Waived && j.waiver_index < 0) by_report.push_back(&j);
    }
    if (!by_report.empty()) {
        constexpr std::size_t kListed = 10;
        out += fmt::format("\nWaived by the report's own VEX analysis: {}\n", by_report.size());
        for (std::size_t i = 0; i < by_report.size() && i < kListed; ++i) {
            const Finding& f = by_report[i]->finding;
            out += fmt::format("  {} {}: {}\n", gantry::log_text(f.id), gantry::log_text(package_text(f)),
                               gantry::log_text(f.vex_analysis));
        }
        if (by_report.size() > kListed) out += fmt::format("  ... and {} more (--json lists every one)\n", by_report.size() - kListed);
    }
    if (!v.waivers.empty()) {
        long applied = 0;
        for (const auto& w : v.waivers) applied += w.state == WaiverState::Applied || w.state == WaiverState::ExpiringSoon;
        out += fmt::format("\nWaivers: {} of {} in use\n", applied, v.waivers.size());
        for (const auto& w : v.waivers) {
            if (w.state == WaiverState::Expired) {
                out += fmt::format("  expired   {} (expired {}, {}) - no longer applies\n", gantry::log_text(w.waiver.id),
                                   w.waiver.expires->to_string(), gantry::log_text(w.waiver.where()));
            } else if (w.state == WaiverState::ExpiringSoon) {
                out += fmt::format("  expiring  {} (expires {}, in {} days, {})\n", gantry::log_text(w.waiver.id),
                                   w.waiver.expires->to_string(), w.days_left, gantry::log_text(w.waiver.where()));
            }
        }
    }
    out += render_vex_text(v);
    if (!c.baseline_reports.empty()) {
        out += fmt::format("\nBaseline: {} report{}, {} finding{} already present\n", c.baseline_reports.size(),
                           c.baseline_reports.size() == 1 ? "" : "s", v.all.of(Disposition::Baseline),
                           v.all.of(Disposition::Baseline) == 1 ? "" : "s");
    }
    return out;
}

namespace {

nlohmann::json finding_json(const JudgedFinding& j) {
    const Finding& f = j.finding;
    nlohmann::json out = {{"id", f.id},
                          {"severity", gantry::to_string(f.severity)},
                          {"kind", gantry::to_string(f.kind)},
                          {"status", to_string(j.disposition)},
                          {"fix-state", gantry::to_string(f.fix_state)},
                          {"scanner", f.scanner},
                          {"target", f.target},
                          {"report", f.source_file}};
    if (!f.aliases.empty()) out["aliases"] = f.aliases;
    if (!f.package.empty()) out["package"] = f.package;
    if (!f.version.empty()) out["version"] = f.version;
    if (!f.purl.empty()) out["purl"] = f.purl;
    if (!f.fixed_version.empty()) out["fixed-version"] = f.fixed_version;
    if (f.cvss_score) out["cvss"] = *f.cvss_score;
    if (!f.title.empty()) out["title"] = f.title;
    if (!f.url.empty()) out["url"] = f.url;
    if (f.location) {
        out["location"] = {{"path", f.location->path}, {"start-line", f.location->start_line},
                           {"end-line", f.location->end_line}};
    }
    if (!j.reason.empty()) out["reason"] = j.reason;
    return out;
}

nlohmann::json counts_json(const Counts& k) {
    nlohmann::json out = {{"total", k.total}};
    for (Disposition d : kDispositions) out[std::string(to_string(d))] = k.of(d);
    return out;
}

nlohmann::json policy_json(const Policy& p) {
    nlohmann::json out;
    out["fail-on"] = p.fail_on ? nlohmann::json(gantry::to_string(*p.fail_on)) : nlohmann::json(nullptr);
    out["max"] = nlohmann::json::object();
    for (Severity s : gantry::kSeveritiesDescending) {
        if (p.budget(s)) out["max"][std::string(gantry::to_string(s))] = *p.budget(s);
    }
    out["fixed-only"] = p.fix_filter == FixFilter::FixableOnly;
    out["min-cvss"] = p.min_cvss ? nlohmann::json(*p.min_cvss) : nlohmann::json(nullptr);
    out["kinds"] = nlohmann::json::array();
    for (auto k : p.kinds) out["kinds"].push_back(gantry::to_string(k));
    out["scope"] = {{"targets", {{"include", p.targets.include}, {"exclude", p.targets.exclude}}},
                    {"packages", {{"include", p.packages.include}, {"exclude", p.packages.exclude}}}};
    out["allow-permanent-waivers"] = p.permanent_waivers == PermanentWaivers::Allowed;
    out["expiry-warning-days"] = p.expiry_warning_days;
    if (p.vex_max_age_days) out["vex-max-age-days"] = *p.vex_max_age_days;
    return out;
}

nlohmann::json reports_json(const std::vector<ReportInfo>& reports) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : reports) {
        out.push_back({{"path", r.path}, {"format", gantry::to_string(r.format)}, {"scanner", r.scanner},
                       {"findings", r.findings}});
    }
    return out;
}

}  // namespace

nlohmann::json render_json(const VerdictContext& c) {
    const Verdict& v = c.verdict;
    nlohmann::json out;
    out["tool"] = "scan-gate";
    out["version"] = gantry::build_info::kVersion;
    out["passed"] = v.passed;
    out["date"] = c.today.to_string();
    out["policy"] = policy_json(c.options.policy);
    out["reports"] = reports_json(c.reports);
    if (!c.baseline_reports.empty()) out["baseline-reports"] = reports_json(c.baseline_reports);
    out["findings-read"] = c.findings_read;
    nlohmann::json counts = nlohmann::json::object();
    for (Severity s : gantry::kSeveritiesDescending) counts[std::string(gantry::to_string(s))] = counts_json(v.counts[static_cast<int>(s)]);
    counts["all"] = counts_json(v.all);
    out["counts"] = std::move(counts);
    out["violations"] = nlohmann::json::array();
    for (const auto& violation : v.violations) {
        out["violations"].push_back({{"rule", violation.rule},
                                     {"severity", gantry::to_string(violation.severity)},
                                     {"limit", violation.limit},
                                     {"actual", violation.actual},
                                     {"message", violation.message}});
    }
    out["waivers"] = nlohmann::json::array();
    for (const auto& w : v.waivers) {
        nlohmann::json entry = {{"id", w.waiver.id},
                                {"state", to_string(w.state)},
                                {"matches", w.matches},
                                {"reason", w.waiver.reason},
                                {"format", to_string(w.waiver.format)},
                                {"file", w.waiver.file},
                                {"line", w.waiver.line}};
        entry["expires"] = w.waiver.expires ? nlohmann::json(w.waiver.expires->to_string()) : nlohmann::json(nullptr);
        if (w.waiver.expires) entry["days-left"] = w.days_left;
        if (!w.waiver.owner.empty()) entry["owner"] = w.waiver.owner;
        add_vex_json(w.waiver, entry);
        out["waivers"].push_back(std::move(entry));
    }
    if (!c.vex_documents.empty()) out["vex-documents"] = vex_documents_json(c.vex_documents);
    out["warnings"] = v.warnings;
    // Every finding the policy considered, with its disposition; ignored ones only as counts.
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& j : v.findings) {
        if (j.disposition != Disposition::Ignored) findings.push_back(finding_json(j));
    }
    out["findings"] = std::move(findings);
    return out;
}

std::string render_summary(const VerdictContext& c) {
    const Verdict& v = c.verdict;
    const long long counted_total = v.all.of(Disposition::Counted);
    std::string md = gantry::summary_headline(
        "scan-gate", v.passed ? gantry::SummaryVerdict::Passed : gantry::SummaryVerdict::Failed,
        fmt::format("**{}** of {} findings counted against the policy ({}), from {} report{}.", counted_total,
                    v.all.total, gantry::markdown_escape(policy_text(c.options.policy)), c.reports.size(),
                    c.reports.size() == 1 ? "" : "s"));
    if (!v.violations.empty()) {
        md += "### Why it failed\n\n";
        for (const auto& violation : v.violations) {
            md += "- " + gantry::markdown_escape(violation.message, MarkdownContext::ListItem) + "\n";
        }
        md += "\n";
    }
    gantry::MarkdownTable table({"Severity", "Total", "Ignored", "Waived", "Not fixable", "Baseline", "Counted"});
    auto add = [&](const std::string& name, const Counts& k) {
        table.add_row({name, std::to_string(k.total), std::to_string(k.of(Disposition::Ignored)),
                       std::to_string(k.of(Disposition::Waived)), std::to_string(k.of(Disposition::NotFixable)),
                       std::to_string(k.of(Disposition::Baseline)), std::to_string(k.of(Disposition::Counted))});
    };
    for (Severity s : gantry::kSeveritiesDescending) add(capitalized(gantry::to_string(s)), v.counts[static_cast<int>(s)]);
    add("All", v.all);
    md += table.render() + "\n";

    std::vector<gantry::PieSlice> slices;
    for (Severity s : gantry::kSeveritiesDescending) {
        slices.push_back({capitalized(gantry::to_string(s)), counted(v, s), severity_chart_color(s)});
    }
    if (counted_total > 0) md += gantry::mermaid_pie("Counted findings by severity", slices) + "\n";

    const auto top = top_findings(v, std::min(c.options.top, kSummaryFindingLimit));
    if (!top.empty()) {
        md += "### Top findings\n\n";
        if (static_cast<long long>(top.size()) < counted_total) {
            md += fmt::format("{} of {} counted findings shown, most severe first{}.\n\n", top.size(), counted_total,
                              c.options.top > kSummaryFindingLimit
                                  ? fmt::format(" (a step summary lists at most {}; --json has every finding)",
                                                kSummaryFindingLimit)
                                  : fmt::format(" (--top {})", c.options.top));
        }
        gantry::MarkdownTable findings({"Severity", "ID", "Package", "Fix", "Where", "Scanner"});
        for (const auto* j : top) {
            const Finding& f = j->finding;
            findings.add_raw_row({capitalized(gantry::to_string(f.severity)), id_cell(f), gantry::markdown_escape(package_text(f)),
                                  gantry::markdown_escape(fix_text(f)), gantry::markdown_escape(where_text(f)),
                                  gantry::markdown_escape(f.scanner)});
        }
        md += findings.render() + "\n";
    }

    std::vector<const WaiverStatus*> notable;
    for (const auto& w : v.waivers) {
        if (w.state == WaiverState::Expired || w.state == WaiverState::ExpiringSoon) notable.push_back(&w);
    }
    if (!notable.empty()) {
        md += "### Waivers needing attention\n\n";
        gantry::MarkdownTable waivers({"ID", "State", "Expires", "Findings", "Reason", "Owner", "File"});
        for (const auto* w : notable) {
            const std::string state = w->state == WaiverState::Expired
                                          ? "expired, no longer applies"
                                          : fmt::format("expires in {} days", w->days_left);
            waivers.add_row({w->waiver.id, state, w->waiver.expires->to_string(), std::to_string(w->matches),
                             w->waiver.reason, w->waiver.owner, w->waiver.where()});
        }
        md += waivers.render() + "\n";
    }
    md += render_vex_summary(v);
    std::string reports;
    for (const auto& r : c.reports) {
        const std::string scanner = r.scanner.empty() ? "" : ", " + gantry::markdown_escape(r.scanner, MarkdownContext::ListItem);
        reports += fmt::format("- {} ({}{}): {} findings\n", gantry::markdown_escape(r.path, MarkdownContext::InlineCode),
                               gantry::to_string(r.format), scanner, r.findings);
    }
    md += gantry::markdown_details(fmt::format("Reports read ({})", c.reports.size()), reports) + "\n";
    return gantry::truncate_summary(std::move(md));
}

std::vector<gantry::Annotation> render_annotations(const VerdictContext& c, std::size_t limit) {
    std::vector<gantry::Annotation> annotations;
    for (const auto* j : top_findings(c.verdict, c.verdict.findings.size())) {
        if (annotations.size() >= limit) break;
        const Finding& f = j->finding;
        if (!f.location || f.location->path.empty()) continue;
        gantry::Annotation a;
        a.level = f.severity >= Severity::High     ? gantry::AnnotationLevel::Error
                  : f.severity == Severity::Medium ? gantry::AnnotationLevel::Warning
                                                   : gantry::AnnotationLevel::Notice;
        a.title = fmt::format("{} ({})", f.id, gantry::to_string(f.severity));
        a.message = f.title.empty() ? f.id : f.title.str();
        if (!f.package.empty()) a.message += " - " + package_text(f) + (f.fixed_version.empty() ? "" : ", " + fix_text(f));
        a.file = f.location->path;
        a.line = f.location->start_line;
        a.end_line = f.location->end_line;
        a.column = f.location->start_column;
        a.end_column = f.location->end_column;
        annotations.push_back(std::move(a));
    }
    return annotations;
}

}  // namespace scan_gate
