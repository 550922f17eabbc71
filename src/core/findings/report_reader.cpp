#include "gantry/findings/report_reader.hpp"

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_formats.hpp"
#include "gantry/json/json_document.hpp"

namespace gantry {
namespace {

Report read_sniffed(JsonDocument& document) {
    const ReportFormat format = detect_report_format(document);
    document.rewind();
    switch (format) {
    case ReportFormat::Trivy: return read_trivy_report(document);
    case ReportFormat::Grype: return read_grype_report(document);
    case ReportFormat::Sarif: return read_sarif_report(document);
    case ReportFormat::GitlabSecurity: return read_gitlab_report(document);
    }
    return read_trivy_report(document);
}

// The readers use simdjson's error codes, never its exceptions; this is the net in case one slips
// through (an implicit conversion), so that no simdjson exception ever leaves the library.
template <class Read>
Report guarded(const std::string& name, Read&& read) {
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
    }
    return "trivy";
}

ReportFormat detect_report_format(JsonDocument& document) {
    std::vector<std::string> keys;
    bool has_vulnerabilities = false;
    bool has_scan_or_version = false;
    std::optional<ReportFormat> format;
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
        keys.emplace_back(key);
        if (key == "SchemaVersion" || key == "Results") {
            format = ReportFormat::Trivy;
        } else if (key == "matches") {
            format = ReportFormat::Grype;
        } else if (key == "runs") {
            format = ReportFormat::Sarif;
        } else if (key == "vulnerabilities") {
            has_vulnerabilities = true;
        } else if (key == "scan" || key == "version") {
            has_scan_or_version = true;
        }
        if (!format && has_vulnerabilities && has_scan_or_version) {
            format = ReportFormat::GitlabSecurity;
        }
        if (format) {
            return *format;
        }
    }
    std::string listed;
    constexpr std::size_t kMostListed = 10;
    for (std::size_t i = 0; i < keys.size() && i < kMostListed; ++i) {
        listed += (i == 0 ? "" : ", ") + keys[i];
    }
    if (keys.size() > kMostListed) {
        listed += ", ...";
    }
    throw InputError(SourcePosition{document.name()},
                     fmt::format("not a Trivy, Grype, SARIF or GitLab security report (top-level keys: {})",
                                 keys.empty() ? std::string("none") : listed));
}

Report read_report(const std::filesystem::path& path) {
    const std::string name = path.string();
    return guarded(name, [&] {
        JsonDocument document(path);
        return read_sniffed(document);
    });
}

Report read_report_text(std::string_view text, const std::string& name) {
    return guarded(name, [&] {
        JsonDocument document(name, simdjson::padded_string(text));
        return read_sniffed(document);
    });
}

}  // namespace gantry
