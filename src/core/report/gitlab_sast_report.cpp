#include "gantry/report/gitlab_sast_report.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "gantry/report/finding_description.hpp"
#include "gantry/report/finding_fingerprint.hpp"
#include "gantry/report/gitlab_report_common.hpp"
#include "gantry/report/report_uri.hpp"
#include "gantry/report/utf8_text.hpp"

namespace gantry {

namespace {

using Json = GitlabJson;

constexpr std::string_view kSchemaUrl =
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.2.1/dist/"
    "sast-report-format.json";
// Longer digit runs are not CWE numbers (the list stays well below a million entries).
constexpr std::size_t kMaxCweDigits = 7;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool starts_with_cwe(std::string_view text) {
    constexpr std::string_view kPrefix = "cwe-";
    return text.size() >= kPrefix.size() &&
           std::equal(kPrefix.begin(), kPrefix.end(), text.begin(),
                      [](char p, char c) { return p == std::tolower(static_cast<unsigned char>(c)); });
}

// "CWE-79", any case: nothing but the prefix and the number.
bool is_cwe_id(std::string_view text) {
    const std::string_view digits = text.substr(std::min<std::size_t>(4, text.size()));
    return starts_with_cwe(text) && !digits.empty() && digits.size() <= kMaxCweDigits &&
           std::all_of(digits.begin(), digits.end(), is_digit);
}

// The numbers of every "CWE-<n>" in `text` (any case, not inside a longer word), without leading zeros,
// so CodeQL's "cwe-079" and "CWE-79" are the same weakness.
void collect_cwe_numbers(std::string_view text, std::vector<std::string>& numbers) {
    constexpr std::size_t kPrefixLength = 4;  // "cwe-"
    for (std::size_t at = 0; at + kPrefixLength < text.size(); ++at) {
        if (!starts_with_cwe(text.substr(at)) || (at > 0 && is_alnum(text[at - 1]))) continue;
        std::size_t end = at + kPrefixLength;
        while (end < text.size() && is_digit(text[end])) ++end;
        const std::string_view digits = text.substr(at + kPrefixLength, end - at - kPrefixLength);
        if (digits.empty() || digits.size() > kMaxCweDigits || (end < text.size() && is_alnum(text[end]))) continue;
        const std::string number(digits.substr(std::min(digits.find_first_not_of('0'), digits.size())));
        if (!number.empty() && std::find(numbers.begin(), numbers.end(), number) == numbers.end())
            numbers.push_back(number);
        at = end - 1;
    }
}

Json cwe_identifier(const std::string& number) {
    Json json = Json::object();
    json["type"] = "cwe";
    json["name"] = fmt::format("CWE-{}", number);
    json["value"] = number;
    json["url"] = fmt::format("https://cwe.mitre.org/data/definitions/{}.html", number);
    return json;
}

std::string rule_id_type(const Finding& finding) {
    std::string scanner = gitlab_slug(finding.scanner);
    std::replace(scanner.begin(), scanner.end(), '-', '_');
    return fmt::format("{}_rule_id", scanner.empty() ? std::string("gantry") : scanner);
}

Json identifiers_of(const Finding& finding) {
    const std::string primary = gitlab_primary_identifier(finding);
    Json rule = Json::object();
    rule["type"] = rule_id_type(finding);
    rule["name"] = primary;
    rule["value"] = primary;
    if (const auto url = web_url(finding.url)) rule["url"] = *url;
    Json identifiers = Json::array({std::move(rule)});

    std::vector<std::string> cwes;
    collect_cwe_numbers(finding.id, cwes);
    std::set<std::string> seen{primary};
    for (const auto& alias : finding.aliases) {
        // An alias that is a CWE id is written once, with the other CWE identifiers below.
        if (is_cwe_id(alias)) {
            collect_cwe_numbers(alias, cwes);
            continue;
        }
        if (alias.empty() || !seen.insert(alias).second) continue;
        identifiers.push_back(gitlab_identifier(alias, finding, {}));
    }
    collect_cwe_numbers(finding.title, cwes);
    collect_cwe_numbers(finding.message, cwes);
    for (const auto& number : cwes) identifiers.push_back(cwe_identifier(number));
    return identifiers;
}

Json location_of(const Finding& finding) {
    const std::string& file = finding.location && !finding.location->path.empty() ? finding.location->path
                              : !finding.target.empty()                           ? finding.target.str()
                                                                                  : std::string(kGitlabUnknown);
    Json location = Json::object();
    location["file"] = valid_utf8(file);
    if (finding.location && finding.location->start_line > 0) {
        location["start_line"] = finding.location->start_line;
        location["end_line"] = std::max(finding.location->start_line, finding.location->end_line);
    }
    return location;
}

Json vulnerability(const Finding& finding, const std::string& id) {
    const std::string name = truncate_characters(
        valid_utf8(one_line_description(Finding{.id = finding.id, .title = finding.title})), kGitlabMaxNameLength);
    Json json = Json::object();
    json["id"] = id;
    json["name"] = name;
    json["description"] =
        finding.message.empty() ? name
                                : truncate_characters(valid_utf8(finding.message), kGitlabMaxDescriptionLength);
    json["severity"] = gitlab_severity(finding.severity);
    json["identifiers"] = identifiers_of(finding);
    json["links"] = Json::array();
    if (const auto url = web_url(finding.url)) json["links"].push_back({{"url", *url}});
    json["location"] = location_of(finding);
    return json;
}

}  // namespace

// The report's text is gitlab_report_text()'s, dump(2) of {version, schema, scan, vulnerabilities,
// remediations}, written in parts: the head dumped and left open, each vulnerability dumped alone and
// moved two levels in (dump(2) escapes every newline inside a string, so each '\n' is a line break),
// then the closing members.
namespace {

template <class Findings>
void write_sast_report(std::ostream& out, const Findings& findings, const GitlabReportOptions& options) {
    // Bad times are a usage error before any work is done.
    Json head = Json::object();
    head["version"] = kGitlabSchemaVersion;
    head["schema"] = kSchemaUrl;
    head["scan"] = gitlab_scan_block(findings, options, "sast");
    std::string text = head.dump(2, ' ', false, Json::error_handler_t::replace);
    text.resize(text.size() - 2);  // reopen the object: drop "\n}"
    out << text << ",\n  \"vulnerabilities\": [";

    constexpr std::string_view kVulnerabilityLine = "\n    ";
    std::map<std::string, int> identity_uses;
    bool first = true;
    for (const auto& finding : findings) {
        const int occurrence = ++identity_uses[finding_identity(finding)];
        text = vulnerability(finding, finding_uuid(finding, occurrence)).dump(2, ' ', false, Json::error_handler_t::replace);
        out << (first ? "" : ",") << kVulnerabilityLine;
        first = false;
        std::string_view rest = text;
        for (auto line_end = rest.find('\n'); line_end != std::string_view::npos; line_end = rest.find('\n')) {
            out << rest.substr(0, line_end) << kVulnerabilityLine;
            rest.remove_prefix(line_end + 1);
        }
        out << rest;
    }
    out << (first ? "]" : "\n  ]") << ",\n  \"remediations\": []\n}\n";
}

}  // namespace

void write_gitlab_sast(std::ostream& out, const std::vector<Finding>& findings, const GitlabReportOptions& options) {
    write_sast_report(out, findings, options);
}

void write_gitlab_sast(std::ostream& out, const FindingList& findings, const GitlabReportOptions& options) {
    write_sast_report(out, findings, options);
}

std::string render_gitlab_sast(const std::vector<Finding>& findings, const GitlabReportOptions& options) {
    std::ostringstream out;
    write_gitlab_sast(out, findings, options);
    return std::move(out).str();
}

}  // namespace gantry
