// The per-format readers behind read_report(), and the small helpers they share.
//
// detect_report_format() looks at the top-level keys only (values are skipped) and leaves the document
// wherever it stopped: the caller rewinds before handing the document to the reader for that format.
// Each reader reads the document from the start to the end (trailing garbage is an error), fills
// Report::format and Report::scanner, and sets Finding::source_file to the document's name. Readers keep
// a field they do not understand out of the model rather than failing on it; they fail only on broken
// JSON or on a known field of the wrong type.
#pragma once

#include <string>
#include <string_view>

#include "gantry/findings/finding.hpp"
#include "gantry/findings/report_reader.hpp"

namespace gantry {

class JsonDocument;  // gantry/json/json_document.hpp (simdjson stays out of this header)
class JsonStream;    // gantry/json/json_stream.hpp

// InputError "not a Trivy, Grype, SARIF, GitLab, CycloneDX, OSV-Scanner or npm audit report
// (top-level keys: ...)" when unknown.
ReportFormat detect_report_format(JsonDocument& document);

Report read_trivy_report(JsonDocument& document);
// The same reports read through a stream positioned at the top-level object, their big arrays one
// element at a time (memory bounded by the largest element, not the file).
Report read_trivy_report(JsonStream& stream);
Report read_grype_report(JsonStream& stream);
Report read_sarif_report(JsonStream& stream, const ReportReading& reading = {});
Report read_cyclonedx_report(JsonStream& stream);
Report read_grype_report(JsonDocument& document);
Report read_sarif_report(JsonDocument& document, const ReportReading& reading = {});
Report read_gitlab_report(JsonDocument& document);
Report read_cyclonedx_report(JsonDocument& document);    // cyclonedx_report.cpp
Report read_osv_scanner_report(JsonDocument& document);  // osv_scanner_report.cpp
Report read_npm_audit_report(JsonDocument& document);    // npm_audit_report.cpp

// ASCII letters compared without case: severity names, SARIF levels.
bool equals_ignoring_case(std::string_view a, std::string_view b);
// Appends `alias` unless it is empty or already listed.
void add_alias(Finding& finding, std::string_view alias);
// Removes the finding's own id and repeated aliases, keeping the order: call once the id is known.
void tidy_aliases(Finding& finding);
// The first non-empty line of a text, trimmed and cut (at a UTF-8 character boundary) to a table cell.
std::string first_line(std::string_view text);

}  // namespace gantry
