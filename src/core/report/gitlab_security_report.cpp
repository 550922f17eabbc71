#include "gantry/report/gitlab_security_report.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <set>
#include <string_view>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/report/finding_description.hpp"
#include "gantry/report/finding_fingerprint.hpp"
#include "gantry/report/image_target.hpp"
#include "gantry/report/report_uri.hpp"
#include "gantry/report/utf8_text.hpp"

namespace gantry {

namespace {

using Json = nlohmann::ordered_json;  // keys in the order GitLab's own analyzers write them

constexpr std::string_view kSchemaVersion = "15.2.1";
constexpr std::string_view kSchemaUrl =
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.2.1/dist/"
    "container-scanning-report-format.json";
constexpr std::string_view kUnknown = "unknown";
// Schema limits, in characters.
constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxSolutionLength = 7000;
constexpr std::size_t kMaxDescriptionLength = 1048576;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string current_utc_time() { return fmt::format("{:%Y-%m-%dT%H:%M:%S}", fmt::gmtime(std::time(nullptr))); }

// "2024-05-01T10:20:30", also accepting the "Z" and fractions that ISO 8601 tools like to add.
std::string scan_time(const std::string& given, std::string_view which) {
    if (given.empty()) return current_utc_time();
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

std::string slug(std::string_view text) {
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
    const std::string scanner = slug(finding.scanner);
    return scanner.empty() ? fmt::format("gantry_{}", to_string(finding.kind)) : scanner;
}

std::string identifier_url(std::string_view id, std::string_view type) {
    if (type == "cve") return fmt::format("https://nvd.nist.gov/vuln/detail/{}", id);
    if (type == "ghsa") return fmt::format("https://github.com/advisories/{}", id);
    if (type == "cwe" && id.size() > 4)
        return fmt::format("https://cwe.mitre.org/data/definitions/{}.html", id.substr(4));
    return {};
}

Json identifier(const std::string& value, const Finding& finding, const std::string& preferred_url) {
    const std::string type = identifier_type(value, finding);
    Json json = Json::object();
    json["type"] = type;
    json["name"] = value;
    json["value"] = value;
    const auto url = web_url(preferred_url).value_or(identifier_url(value, type));
    if (const auto valid = web_url(url)) json["url"] = *valid;
    return json;
}

Json identifiers_of(const Finding& finding) {
    const std::string primary =
        finding.id.empty() ? fmt::format("{}-{}", to_string(finding.kind), finding_fingerprint(finding)) : finding.id;
    Json identifiers = Json::array({identifier(primary, finding, finding.url)});
    std::set<std::string> seen{primary};
    for (const auto& alias : finding.aliases) {
        if (alias.empty() || !seen.insert(alias).second) continue;
        identifiers.push_back(identifier(alias, finding, {}));
    }
    return identifiers;
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

std::string package_name(const Finding& finding) {
    if (!finding.package.empty()) return finding.package;
    if (finding.location && !finding.location->path.empty()) {
        if (finding.location->start_line > 0)
            return fmt::format("{}:{}", finding.location->path, finding.location->start_line);
        return finding.location->path;
    }
    return finding.target.empty() ? std::string("-") : finding.target;
}

std::string description_of(const Finding& finding) {
    std::string description = finding.title;
    const std::string summary = one_line_description(finding);
    if (summary != finding.title) {
        if (!description.empty()) description += "\n\n";
        description += summary;
    }
    if (!finding.message.empty() && finding.message != finding.title) description += "\n\n" + finding.message;
    if (!finding.target.empty()) description += fmt::format("\n\nTarget: {}", finding.target);
    if (finding.location && !finding.location->path.empty()) {
        description += fmt::format("\n\nFile: {}", finding.location->path);
        if (finding.location->start_line > 0) description += fmt::format(":{}", finding.location->start_line);
    }
    return truncate_characters(valid_utf8(description), kMaxDescriptionLength);
}

Json text_detail(std::string_view name, const std::string& value) {
    return {{"name", name}, {"type", "text"}, {"value", value}};
}

Json details_of(const Finding& finding) {
    Json details = Json::object();
    details["kind"] = text_detail("Kind", std::string(to_string(finding.kind)));
    if (finding.fix_state != FixState::Unknown)
        details["fix_state"] = text_detail("Fix state", std::string(to_string(finding.fix_state)));
    if (!finding.fixed_version.empty()) details["fixed_version"] = text_detail("Fixed version", finding.fixed_version);
    if (!finding.purl.empty()) details["purl"] = text_detail("Package URL", finding.purl);
    if (!finding.target.empty()) details["target"] = text_detail("Target", finding.target);
    if (!finding.scanner.empty()) details["scanner"] = text_detail("Scanner", finding.scanner);
    if (finding.location && !finding.location->path.empty() && finding.location->start_line > 0) {
        Json file = {{"name", "File"},
                     {"type", "file-location"},
                     {"file_name", finding.location->path},
                     {"line_start", finding.location->start_line}};
        if (finding.location->end_line >= finding.location->start_line) file["line_end"] = finding.location->end_line;
        details["file"] = std::move(file);
    }
    return details;
}

Json vulnerability(const Finding& finding, const std::string& id, const ImageTarget& where) {
    Json json = Json::object();
    json["id"] = id;
    json["name"] = truncate_characters(
        valid_utf8(one_line_description(Finding{.id = finding.id, .title = finding.title})), kMaxNameLength);
    json["description"] = description_of(finding);
    json["severity"] = gitlab_severity(finding.severity);
    if (!finding.fixed_version.empty()) {
        const std::string solution = finding.package.empty()
                                         ? fmt::format("Upgrade to {}", finding.fixed_version)
                                         : fmt::format("Upgrade {} to {}", finding.package, finding.fixed_version);
        json["solution"] = truncate_characters(valid_utf8(solution), kMaxSolutionLength);
    }
    json["identifiers"] = identifiers_of(finding);
    json["links"] = Json::array();
    if (const auto url = web_url(finding.url)) json["links"].push_back({{"url", *url}});
    json["details"] = details_of(finding);
    json["location"] = {
        {"dependency", {{"package", {{"name", package_name(finding)}}}, {"version", finding.version}}},
        {"operating_system", where.operating_system},
        {"image", where.image},
    };
    return json;
}

struct ScannerInfo {
    std::string id;
    std::string name;
    std::string url;
    std::string vendor;
};

Json scanner_json(const ScannerInfo& info, const std::string& version) {
    Json json = Json::object();
    json["id"] = info.id;
    json["name"] = info.name;
    if (!info.url.empty()) json["url"] = info.url;
    json["version"] = or_default(version, kUnknown);
    json["vendor"] = {{"name", info.vendor}};
    return json;
}

ScannerInfo analyzer_info(const GitlabReportOptions& options) {
    const std::string name = or_default(options.analyzer_name, "gantry");
    return {or_default(slug(name), "gantry"), name, {}, "gantry"};
}

// The findings' own scanner when there is exactly one, so GitLab shows "Trivy", not our name.
std::optional<ScannerInfo> common_scanner(const std::vector<Finding>& findings) {
    std::set<std::string> scanners;
    for (const auto& finding : findings) scanners.insert(finding.scanner);
    if (scanners.size() != 1 || scanners.begin()->empty()) return std::nullopt;
    const std::string& scanner = *scanners.begin();
    if (scanner == "trivy")
        return ScannerInfo{"trivy", "Trivy", "https://github.com/aquasecurity/trivy", "Aqua Security"};
    if (scanner == "grype") return ScannerInfo{"grype", "Grype", "https://github.com/anchore/grype", "Anchore"};
    const std::string id = slug(scanner);
    if (id.empty()) return std::nullopt;
    return ScannerInfo{id, scanner, {}, scanner};
}

}  // namespace

std::string render_gitlab_container_scanning(const std::vector<Finding>& findings,
                                             const GitlabReportOptions& options) {
    const std::string start_time = scan_time(options.start_time, "start");
    const std::string end_time = scan_time(options.end_time, "end");

    // Findings from one report share the image its OS target names (language packages and secrets
    // of an image scan have targets like "app/package-lock.json").
    std::map<std::string, ImageTarget> report_image;
    for (const auto& finding : findings) {
        if (const auto parts = split_image_target(finding.target))
            report_image.try_emplace(finding.source_file, *parts);
    }

    Json vulnerabilities = Json::array();
    std::map<std::string, int> identity_uses;
    for (const auto& finding : findings) {
        const int occurrence = ++identity_uses[finding_identity(finding)];
        ImageTarget where;
        const auto own = split_image_target(finding.target);
        const auto shared = report_image.find(finding.source_file);
        const ImageTarget* inferred = own ? &*own : shared != report_image.end() ? &shared->second : nullptr;
        where.image = !options.image.empty() ? options.image
                      : inferred             ? inferred->image
                                             : or_default(finding.target, kUnknown);
        where.operating_system = !options.operating_system.empty() ? options.operating_system
                                 : inferred                        ? inferred->operating_system
                                                                   : std::string(kUnknown);
        vulnerabilities.push_back(vulnerability(finding, finding_uuid(finding, occurrence), where));
    }

    const ScannerInfo analyzer = analyzer_info(options);
    const auto scanner = common_scanner(findings);
    Json scan = Json::object();
    scan["analyzer"] = scanner_json(analyzer, options.analyzer_version);
    scan["scanner"] = scanner ? scanner_json(*scanner, {}) : scanner_json(analyzer, options.analyzer_version);
    scan["type"] = "container_scanning";
    scan["start_time"] = start_time;
    scan["end_time"] = end_time;
    scan["status"] = "success";

    Json report = Json::object();
    report["version"] = kSchemaVersion;
    report["schema"] = kSchemaUrl;
    report["scan"] = std::move(scan);
    report["vulnerabilities"] = std::move(vulnerabilities);
    report["remediations"] = Json::array();
    return report.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace gantry
