#include "gantry/report/gitlab_report_common.hpp"

#include <cctype>
#include <ctime>
#include <set>
#include <utility>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/platform/clock.hpp"
#include "gantry/report/finding_fingerprint.hpp"
#include "gantry/report/report_uri.hpp"

namespace gantry {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string or_default(const std::string& value, std::string_view fallback) {
    return value.empty() ? std::string(fallback) : value;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// The identifier type GitLab groups by: the id's prefix when it names a known database.
std::string identifier_type(std::string_view id, const Finding& finding) {
    const auto dash = id.find('-');
    const std::string prefix = upper(id.substr(0, dash == std::string_view::npos ? 0 : dash));
    static constexpr std::pair<std::string_view, std::string_view> kKnown[] = {
        {"CVE", "cve"},     {"GHSA", "ghsa"},   {"CWE", "cwe"},   {"RUSTSEC", "rustsec"}, {"PYSEC", "pysec"},
        {"GO", "go"},       {"OSV", "osv"},     {"RHSA", "rhsa"}, {"RHBA", "rhba"},       {"ALAS", "alas"},
        {"ALAS2", "alas"},  {"USN", "usn"},     {"DSA", "dsa"},   {"DLA", "dla"},         {"ELSA", "elsa"},
        {"SNYK", "snyk"},   {"AVD", "avd"},     {"GMS", "gemnasium"}, {"MAL", "osv"},     {"BIT", "bitnami"},
    };
    for (const auto& [known, type] : kKnown)
        if (prefix == known) return std::string(type);
    const std::string scanner = gitlab_slug(finding.scanner);
    return scanner.empty() ? fmt::format("gantry_{}", to_string(finding.kind)) : scanner;
}

std::string identifier_url(std::string_view id, std::string_view type) {
    if (type == "cve") return fmt::format("https://nvd.nist.gov/vuln/detail/{}", id);
    if (type == "ghsa") return fmt::format("https://github.com/advisories/{}", id);
    if (type == "cwe" && id.size() > 4)
        return fmt::format("https://cwe.mitre.org/data/definitions/{}.html", id.substr(4));
    return {};
}

struct ScannerInfo {
    std::string id;
    std::string name;
    std::string url;
    std::string vendor;
};

GitlabJson scanner_json(const ScannerInfo& info, const std::string& version) {
    GitlabJson json = GitlabJson::object();
    json["id"] = info.id;
    json["name"] = info.name;
    if (!info.url.empty()) json["url"] = info.url;
    json["version"] = or_default(version, kGitlabUnknown);
    json["vendor"] = {{"name", info.vendor}};
    return json;
}

ScannerInfo analyzer_info(const GitlabReportOptions& options) {
    const std::string name = or_default(options.analyzer_name, "gantry");
    return {or_default(gitlab_slug(name), "gantry"), name, {}, "gantry"};
}

// The findings' own scanner when there is exactly one, so GitLab shows "Trivy", not our name.
template <class Findings>
std::optional<ScannerInfo> common_scanner(const Findings& findings) {
    std::set<std::string> scanners;
    for (const auto& finding : findings) scanners.insert(finding.scanner);
    if (scanners.size() != 1 || scanners.begin()->empty()) return std::nullopt;
    const std::string& scanner = *scanners.begin();
    if (scanner == "trivy")
        return ScannerInfo{"trivy", "Trivy", "https://github.com/aquasecurity/trivy", "Aqua Security"};
    if (scanner == "grype") return ScannerInfo{"grype", "Grype", "https://github.com/anchore/grype", "Anchore"};
    const std::string id = gitlab_slug(scanner);
    if (id.empty()) return std::nullopt;
    return ScannerInfo{id, scanner, {}, scanner};
}

}  // namespace

// "2024-05-01T10:20:30", also accepting the "Z" and fractions that ISO 8601 tools like to add.
std::string gitlab_scan_time(const std::string& given, std::string_view which) {
    if (given.empty()) return utc_timestamp_without_zone(std::time(nullptr));
    constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
    bool valid = given.size() >= shape.size();
    for (std::size_t i = 0; valid && i < shape.size(); ++i)
        valid = shape[i] == 'd' ? is_digit(given[i]) : given[i] == shape[i];
    std::string_view rest = valid ? std::string_view(given).substr(shape.size()) : std::string_view();
    if (rest.starts_with('.')) {
        rest.remove_prefix(1);
        valid = !rest.empty() && is_digit(rest.front());
        while (!rest.empty() && is_digit(rest.front())) rest.remove_prefix(1);
    }
    if (rest == "Z") rest = {};
    if (!valid || !rest.empty()) {
        throw UsageError(fmt::format("GitLab report {} time \"{}\" is not a UTC time as yyyy-mm-ddThh:mm:ss", which,
                                     given));
    }
    return given.substr(0, shape.size());
}

std::string_view gitlab_severity(Severity severity) {
    switch (severity) {
        case Severity::Critical: return "Critical";
        case Severity::High: return "High";
        case Severity::Medium: return "Medium";
        case Severity::Low: return "Low";
        case Severity::Unknown: return "Unknown";
    }
    return "Unknown";
}

std::string gitlab_slug(std::string_view text) {
    std::string out;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte)) {
            out += static_cast<char>(std::tolower(byte));
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

std::string gitlab_primary_identifier(const Finding& finding) {
    return finding.id.empty() ? fmt::format("{}-{}", to_string(finding.kind), finding_fingerprint(finding))
                              : finding.id;
}

GitlabJson gitlab_identifier(const std::string& value, const Finding& finding, const std::string& preferred_url) {
    const std::string type = identifier_type(value, finding);
    GitlabJson json = GitlabJson::object();
    json["type"] = type;
    json["name"] = value;
    json["value"] = value;
    const auto url = web_url(preferred_url).value_or(identifier_url(value, type));
    if (const auto valid = web_url(url)) json["url"] = *valid;
    return json;
}

namespace {

template <class Findings>
GitlabJson scan_block_of(const Findings& findings, const GitlabReportOptions& options, std::string_view scan_type) {
    const std::string start_time = gitlab_scan_time(options.start_time, "start");
    const std::string end_time = gitlab_scan_time(options.end_time, "end");
    const ScannerInfo analyzer = analyzer_info(options);
    const auto scanner = common_scanner(findings);
    GitlabJson scan = GitlabJson::object();
    scan["analyzer"] = scanner_json(analyzer, options.analyzer_version);
    scan["scanner"] = scanner ? scanner_json(*scanner, {}) : scanner_json(analyzer, options.analyzer_version);
    scan["type"] = scan_type;
    scan["start_time"] = start_time;
    scan["end_time"] = end_time;
    scan["status"] = "success";
    return scan;
}

}  // namespace

GitlabJson gitlab_scan_block(const std::vector<Finding>& findings, const GitlabReportOptions& options,
                             std::string_view scan_type) {
    return scan_block_of(findings, options, scan_type);
}

GitlabJson gitlab_scan_block(const FindingList& findings, const GitlabReportOptions& options, std::string_view scan_type) {
    return scan_block_of(findings, options, scan_type);
}

std::string gitlab_report_text(std::string_view schema_url, GitlabJson scan, GitlabJson vulnerabilities) {
    GitlabJson report = GitlabJson::object();
    report["version"] = kGitlabSchemaVersion;
    report["schema"] = schema_url;
    report["scan"] = std::move(scan);
    report["vulnerabilities"] = std::move(vulnerabilities);
    report["remediations"] = GitlabJson::array();
    return report.dump(2, ' ', false, GitlabJson::error_handler_t::replace) + "\n";
}

}  // namespace gantry
