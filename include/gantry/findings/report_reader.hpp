// Reading scanner reports into Findings, whatever scanner wrote them.
//
// read_report() sniffs the format from the document's top-level keys (not the file name):
// Trivy JSON (SchemaVersion 2, Results[]; `trivy k8s` reports: ClusterName with Resources[],
// Findings[] or, from older Trivy versions, Vulnerabilities[] and Misconfigurations[] of resources),
// Grype JSON (matches[]), SARIF 2.1.0 and 2.0.0 (runs[]), GitLab security reports
// (vulnerabilities[] + scan/version), CycloneDX 1.4-1.6 JSON with vulnerabilities[] (bomFormat;
// without vulnerabilities it is an SBOM, an InputError), OSV-Scanner JSON (results[]) and npm audit
// JSON of report version 2 (auditReportVersion). Reading streams through the document with
// simdjson's On-Demand API and keeps only the fields of the finding model. A plain Trivy, Grype,
// SARIF or CycloneDX file is not even held whole: a JsonStream walks it through a buffer of 1 MiB and hands its
// big arrays (Results[].Vulnerabilities[], matches[], runs[].results[], components[] and vulnerabilities[]) to the same per-element code
// one element at a time (streamed_object.hpp), so memory is the findings plus the largest element; a
// file that reader rejects is read again whole, for the whole-document reader's message. Any problem - unreadable file, broken JSON, a field of
// the wrong type, an unknown format - is an InputError naming the file and the line:column (syntax)
// or JSON pointer (wrong type) and what was expected; text in front of the JSON (a scanner's log
// captured with its report) is named with its line:column and where the report seems to start. A
// missing optional field is never an error.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/json/json_stream.hpp"
#include "gantry/findings/finding.hpp"

namespace gantry {

enum class ReportFormat { Trivy, Grype, Sarif, GitlabSecurity, CycloneDx, OsvScanner, NpmAudit };
// "trivy", "grype", "sarif", "gitlab", "cyclonedx", "osv-scanner", "npm-audit"
std::string_view to_string(ReportFormat format);

struct Report {
    std::string path;
    ReportFormat format = ReportFormat::Trivy;
    std::string scanner;  // "trivy 0.50.1", "grype 0.74.0", SARIF driver names joined by ", "
    FindingList findings;
    // SARIF results the report itself marks as suppressed (eslint-disable, #pragma warning, accepted
    // suppressions): left out of `findings`, counted here so a summary can say so.
    std::size_t suppressed = 0;
    // What the report itself says went wrong while scanning (a `trivy k8s` resource that could not
    // be scanned): its findings are missing, which a verdict must not hide.
    std::vector<std::string> warnings;
};

// What a reader keeps of each SARIF result's message (Finding::message, for GitLab's reports): Dropped
// for a caller that never prints it - a large log's messages take a third of its findings' memory.
// The title and the identity are made from the message either way.
enum class SarifMessages { Kept, Dropped };
struct ReportReading {
    SarifMessages sarif_messages = SarifMessages::Kept;
};

// Reads one report file. Throws InputError.
Report read_report(const std::filesystem::path& path, const ReportReading& reading = {});
// Same, from text already in memory; `name` is used in messages and as Finding::source_file.
Report read_report_text(std::string_view text, const std::string& name);
// The streaming reader alone (what read_report() uses for a plain Trivy, Grype, SARIF or CycloneDX file), over
// text in memory with a buffer of `buffer_size` bytes: tests and the fuzz target put values across the
// buffer's boundaries with a tiny one. nullopt for a text read only whole (another format, not an
// object); errors are the stream's own, without read_report()'s second, whole-document reading.
// `lines`: Uncounted reads as read_report() streams a file (errors then name byte offsets only).
std::optional<Report> read_report_streamed_text(std::string_view text, const std::string& name, std::size_t buffer_size,
                                               LinePositions lines = LinePositions::Counted);
// Same for text known to be SARIF (what sarif-merge itself wrote): no sniffing, and a tool that
// only ever reads SARIF links none of the other formats' readers.
Report read_sarif_report_text(std::string_view text, const std::string& name);

// Expands report arguments: plain files, directories (every *.json and *.sarif inside, gzip-compressed too, recursively,
// sorted) and glob patterns (*, ?, [..], and ** for any depth). A pattern matching nothing or a
// missing file is an InputError. Result is sorted and without duplicates.
std::vector<std::filesystem::path> expand_report_paths(const std::vector<std::string>& arguments);

}  // namespace gantry
