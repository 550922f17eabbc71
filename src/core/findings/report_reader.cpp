#include "gantry/findings/report_reader.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/base/text_position.hpp"
#include "gantry/findings/report_formats.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/json/json_stream.hpp"

namespace gantry {
namespace {

constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kBlank = " \t\r\n";

// A line of foreign text as it can be shown in a message: terminal colour codes dropped, other
// control characters as spaces, cut to a readable length.
std::string printable_excerpt(std::string_view line) {
    constexpr std::size_t kLongest = 60;
    std::string out;
    bool cut = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        // Stop only between characters, never inside a UTF-8 sequence.
        if (out.size() >= kLongest && (c & 0xC0) != 0x80) {
            cut = true;
            break;
        }
        if (c == 0x1B && i + 1 < line.size() && line[i + 1] == '[') {
            i += 2;  // CSI: parameters, then one final byte in @..~
            while (i < line.size() && (static_cast<unsigned char>(line[i]) < 0x40 || static_cast<unsigned char>(line[i]) > 0x7E)) {
                ++i;
            }
            continue;
        }
        out += (c < 0x20 || c == 0x7F) ? ' ' : static_cast<char>(c);
    }
    out.erase(out.find_last_not_of(' ') + 1);
    return cut ? out + "..." : out;
}

// A report file that does not start with a JSON value is usually a scanner's log captured in front
// of its report (`grype img -o json > report.json 2>&1`). Say what is there and where the report
// seems to begin, instead of the generic "invalid JSON" or, for a log line starting with "[", a
// misleading "found an array".
void reject_text_before_report(const JsonDocument& document) {
    std::string_view text = document.text();
    std::size_t start = text.starts_with(kUtf8ByteOrderMark) ? kUtf8ByteOrderMark.size() : 0;
    start = text.find_first_not_of(kBlank, start);
    if (start == std::string_view::npos || text[start] == '{') {
        return;
    }
    // A JSON array (Trivy before 0.20 wrote one) or another JSON value: the reader says what it is.
    // "[0000]  WARN ..." (Grype's log) is text; "[\n  {" starts an array, even a truncated one.
    if (text[start] == '[') {
        const std::size_t next = text.find_first_not_of(kBlank, start + 1);
        if (next == std::string_view::npos || std::string_view("{[]\"").find(text[next]) != std::string_view::npos) {
            return;
        }
    }
    if (nlohmann::json::accept(text.begin() + static_cast<std::ptrdiff_t>(start), text.end())) {
        return;
    }
    const std::size_t line_end = text.find('\n', start);
    const std::string excerpt = printable_excerpt(text.substr(start, line_end == std::string_view::npos ? text.npos : line_end - start));
    std::string where_report_starts;
    for (std::size_t line = line_end; line != std::string_view::npos; line = text.find('\n', line + 1)) {
        const std::size_t first = text.find_first_not_of(" \t\r", line + 1);
        if (first != std::string_view::npos && text[first] == '{') {
            const LineColumn report = line_column_at(text, first);
            where_report_starts = fmt::format(
                "; a JSON object starts at {}:{}: was the scanner's log written into the same file? Send its "
                "standard error elsewhere, or let the scanner write the report file itself",
                report.line, report.column);
            break;
        }
    }
    const LineColumn position = line_column_at(text, start);
    throw InputError(SourcePosition{document.name(), position.line, position.column, ""},
                     fmt::format("expected a JSON report, found text \"{}\"{}", excerpt, where_report_starts));
}

Report read_sniffed(JsonDocument& document, const ReportReading& reading = {}) {
    reject_text_before_report(document);
    const ReportFormat format = detect_report_format(document);
    document.rewind();
    switch (format) {
    case ReportFormat::Trivy: return read_trivy_report(document);
    case ReportFormat::Grype: return read_grype_report(document);
    case ReportFormat::Sarif: return read_sarif_report(document, reading);
    case ReportFormat::GitlabSecurity: return read_gitlab_report(document);
    case ReportFormat::CycloneDx: return read_cyclonedx_report(document);
    case ReportFormat::OsvScanner: return read_osv_scanner_report(document);
    case ReportFormat::NpmAudit: return read_npm_audit_report(document);
    }
    return read_trivy_report(document);
}

// The readers use simdjson's error codes, never its exceptions; this is the net in case one slips
// through (an implicit conversion), so that no simdjson exception ever leaves the library.
template <class Read>
auto guarded(const std::string& name, Read&& read) -> decltype(read()) {
    try {
        return read();
    } catch (const simdjson::simdjson_error& error) {
        throw InputError(SourcePosition{name}, fmt::format("invalid JSON: {}", error.what()));
    }
}

}  // namespace

std::string_view to_string(ReportFormat format) {
    switch (format) {
    case ReportFormat::Trivy: return "trivy";
    case ReportFormat::Grype: return "grype";
    case ReportFormat::Sarif: return "sarif";
    case ReportFormat::GitlabSecurity: return "gitlab";
    case ReportFormat::CycloneDx: return "cyclonedx";
    case ReportFormat::OsvScanner: return "osv-scanner";
    case ReportFormat::NpmAudit: return "npm-audit";
    }
    return "trivy";
}

namespace {

// The format from the top-level keys in document order: the first decisive key wins.
class FormatSniffer {
public:
    std::optional<ReportFormat> key(std::string_view key) {
        keys_.emplace_back(key);
        if (key == "SchemaVersion" || key == "Results" || key == "ClusterName") {
            return ReportFormat::Trivy;
        }
        if (key == "matches") {
            return ReportFormat::Grype;
        }
        if (key == "runs") {
            return ReportFormat::Sarif;
        }
        if (key == "bomFormat" || key == "specVersion") {
            return ReportFormat::CycloneDx;
        }
        if (key == "auditReportVersion") {
            return ReportFormat::NpmAudit;
        }
        if (key == "results") {
            return ReportFormat::OsvScanner;
        }
        if (key == "vulnerabilities") {
            has_vulnerabilities_ = true;
        } else if (key == "scan") {
            has_scan_or_version_ = true;
            // Only GitLab reports have `scan`; `version` alone could still be a CycloneDX BOM's.
            if (has_vulnerabilities_) {
                return ReportFormat::GitlabSecurity;
            }
        } else if (key == "version") {
            has_scan_or_version_ = true;
        }
        return std::nullopt;
    }

    // After the last key, when no key decided.
    std::optional<ReportFormat> at_end() const {
        if (has_vulnerabilities_ && has_scan_or_version_) {
            return ReportFormat::GitlabSecurity;
        }
        return std::nullopt;
    }

    [[noreturn]] void fail(const std::string& name) const {
        std::string listed;
        constexpr std::size_t kMostListed = 10;
        for (std::size_t i = 0; i < keys_.size() && i < kMostListed; ++i) {
            listed += (i == 0 ? "" : ", ") + keys_[i];
        }
        if (keys_.size() > kMostListed) {
            listed += ", ...";
        }
        throw InputError(SourcePosition{name},
                         fmt::format("not a Trivy, Grype, SARIF, GitLab security, CycloneDX, OSV-Scanner or npm audit "
                                     "report (top-level keys: {})",
                                     keys_.empty() ? std::string("none") : listed));
    }

private:
    std::vector<std::string> keys_;
    bool has_vulnerabilities_ = false;
    bool has_scan_or_version_ = false;
};

// The format of a streamed document from its top-level keys, values skipped without being kept.
std::optional<ReportFormat> sniff_streamed(JsonStream& stream) {
    FormatSniffer sniffer;
    stream.expect('{');
    if (stream.peek() == '}') {
        return std::nullopt;
    }
    while (true) {
        const std::string key = stream.read_key();
        if (const auto format = sniffer.key(key)) {
            return format;
        }
        stream.expect(':');
        stream.skip_value();
        if (stream.expect_one_of(",}") == '}') {
            return sniffer.at_end();
        }
    }
}

// The report through a JsonStream when its format has a streaming reader (Trivy, Grype, SARIF, CycloneDX) and
// the text is an object; nullopt otherwise. `open` gives a fresh source of the text (null: not
// streamable): one to sniff the format from the first keys, one to read.
template <class Open>
std::optional<Report> read_streamed_from(Open&& open, const std::string& name, std::size_t buffer_size,
                                         LinePositions lines, const ReportReading& reading = {}) {
    auto sniff_source = open();
    if (!sniff_source) {
        return std::nullopt;
    }
    constexpr std::size_t kSniffBuffer = std::size_t{64} << 10;
    JsonStream sniff(std::move(sniff_source), name, std::min(kSniffBuffer, buffer_size), lines);
    if (sniff.peek() != '{') {
        return std::nullopt;
    }
    const std::optional<ReportFormat> format = sniff_streamed(sniff);
    if (format != ReportFormat::Trivy && format != ReportFormat::Grype && format != ReportFormat::Sarif &&
        format != ReportFormat::CycloneDx) {
        return std::nullopt;
    }
    auto source = open();
    if (!source) {
        return std::nullopt;
    }
    JsonStream stream(std::move(source), name, buffer_size, lines);
    switch (*format) {
    case ReportFormat::Grype: return read_grype_report(stream);
    case ReportFormat::Sarif: return read_sarif_report(stream, reading);
    case ReportFormat::CycloneDx: return read_cyclonedx_report(stream);
    default: return read_trivy_report(stream);
    }
}

// A large report is read through a JsonStream, its big arrays element by element, when it is a plain
// file holding an object of a format with a streaming reader; nullopt sends it to the whole-document
// reader. So does any error: the whole-document reader then gives the message it always gives (the
// strict parser's first error position, the truncation hint), and only bad input pays a second read -
// which is why this stream does not count lines.
std::optional<Report> read_streamed(const std::filesystem::path& path, const std::string& name,
                                    const ReportReading& reading) {
    try {
        return read_streamed_from([&] { return open_plain_file(path, name); }, name, JsonStream::kDefaultBufferSize,
                                  LinePositions::Uncounted, reading);
    } catch (const InputError&) {
        return std::nullopt;
    } catch (const simdjson::simdjson_error&) {
        return std::nullopt;
    }
}

}  // namespace

ReportFormat detect_report_format(JsonDocument& document) {
    FormatSniffer sniffer;
    auto root = document.root_object();
    // Values are never touched, so simdjson skips them; the loop stops at the first decisive key, which
    // in real reports is one of the first few.
    for (auto field_result : root) {
        simdjson::ondemand::field field;
        if (const auto error = std::move(field_result).get(field)) {
            document.fail_syntax(error);
        }
        std::string_view key;
        if (const auto error = field.unescaped_key().get(key)) {
            document.fail_syntax(error);
        }
        if (const auto format = sniffer.key(key)) {
            return *format;
        }
    }
    if (const auto format = sniffer.at_end()) {
        return *format;
    }
    sniffer.fail(document.name());
}

Report read_report(const std::filesystem::path& path, const ReportReading& reading) {
    const std::string name = path.string();
    return guarded(name, [&] {
        if (auto report = read_streamed(path, name, reading)) {
            return std::move(*report);
        }
        JsonDocument document(path);
        return read_sniffed(document, reading);
    });
}

Report read_report_text(std::string_view text, const std::string& name) {
    return guarded(name, [&] {
        JsonDocument document(name, simdjson::padded_string(text));
        return read_sniffed(document);
    });
}

std::optional<Report> read_report_streamed_text(std::string_view text, const std::string& name,
                                               std::size_t buffer_size, LinePositions lines) {
    return guarded(name, [&] {
        return read_streamed_from([&]() -> std::unique_ptr<ByteSource> { return std::make_unique<TextSource>(text); },
                                  name, buffer_size, lines);
    });
}

Report read_sarif_report_text(std::string_view text, const std::string& name) {
    return guarded(name, [&] {
        JsonDocument document(name, simdjson::padded_string(text));
        return read_sarif_report(document);
    });
}

}  // namespace gantry
