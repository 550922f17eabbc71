#include "gantry/report/gitlab_security_report.hpp"

#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "gantry/report/finding_description.hpp"
#include "gantry/report/finding_fingerprint.hpp"
#include "gantry/report/gitlab_report_common.hpp"
#include "gantry/report/image_target.hpp"
#include "gantry/report/report_uri.hpp"
#include "gantry/report/utf8_text.hpp"

namespace gantry {

namespace {

using Json = GitlabJson;

constexpr std::string_view kContainerSchemaUrl =
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.2.1/dist/"
    "container-scanning-report-format.json";
constexpr std::string_view kDependencySchemaUrl =
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.2.1/dist/"
    "dependency-scanning-report-format.json";

std::string or_default(const std::string& value, std::string_view fallback) {
    return value.empty() ? std::string(fallback) : value;
}

Json identifiers_of(const Finding& finding) {
    const std::string primary = gitlab_primary_identifier(finding);
    Json identifiers = Json::array({gitlab_identifier(primary, finding, finding.url)});
    std::set<std::string> seen{primary};
    for (const auto& alias : finding.aliases) {
        if (alias.empty() || !seen.insert(alias).second) continue;
        identifiers.push_back(gitlab_identifier(alias, finding, {}));
    }
    return identifiers;
}

std::string package_name(const Finding& finding) {
    if (!finding.package.empty()) return finding.package;
    if (finding.location && !finding.location->path.empty()) {
        if (finding.location->start_line > 0)
            return fmt::format("{}:{}", finding.location->path, finding.location->start_line);
        return finding.location->path;
    }
    return finding.target.empty() ? std::string("-") : finding.target.str();
}

std::string description_of(const Finding& finding) {
    std::string description = finding.title.str();
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
    return truncate_characters(valid_utf8(description), kGitlabMaxDescriptionLength);
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

Json dependency_of(const Finding& finding) {
    return {{"package", {{"name", package_name(finding)}}}, {"version", finding.version}};
}

// Everything but the location, which is the report type's own.
Json vulnerability(const Finding& finding, const std::string& id) {
    Json json = Json::object();
    json["id"] = id;
    json["name"] = truncate_characters(
        valid_utf8(one_line_description(Finding{.id = finding.id, .title = finding.title})), kGitlabMaxNameLength);
    json["description"] = description_of(finding);
    json["severity"] = gitlab_severity(finding.severity);
    if (!finding.fixed_version.empty()) {
        const std::string solution = finding.package.empty()
                                         ? fmt::format("Upgrade to {}", finding.fixed_version)
                                         : fmt::format("Upgrade {} to {}", finding.package, finding.fixed_version);
        json["solution"] = truncate_characters(valid_utf8(solution), kGitlabMaxSolutionLength);
    }
    json["identifiers"] = identifiers_of(finding);
    json["links"] = Json::array();
    if (const auto url = web_url(finding.url)) json["links"].push_back({{"url", *url}});
    json["details"] = details_of(finding);
    return json;
}

}  // namespace

std::string render_gitlab_container_scanning(const std::vector<Finding>& findings,
                                             const GitlabReportOptions& options) {
    // Bad times are a usage error before any work is done.
    Json scan = gitlab_scan_block(findings, options, "container_scanning");

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
                                             : or_default(finding.target, kGitlabUnknown);
        where.operating_system = !options.operating_system.empty() ? options.operating_system
                                 : inferred                        ? inferred->operating_system
                                                                   : std::string(kGitlabUnknown);
        Json json = vulnerability(finding, finding_uuid(finding, occurrence));
        json["location"] = {
            {"dependency", dependency_of(finding)},
            {"operating_system", where.operating_system},
            {"image", where.image},
        };
        vulnerabilities.push_back(std::move(json));
    }

    return gitlab_report_text(kContainerSchemaUrl, std::move(scan), std::move(vulnerabilities));
}

std::string render_gitlab_dependency_scanning(const std::vector<Finding>& findings,
                                              const GitlabReportOptions& options) {
    Json scan = gitlab_scan_block(findings, options, "dependency_scanning");
    Json vulnerabilities = Json::array();
    std::map<std::string, int> identity_uses;
    for (const auto& finding : findings) {
        const int occurrence = ++identity_uses[finding_identity(finding)];
        const std::string& file = !finding.dependency_file.empty() ? finding.dependency_file
                                  : !finding.target.empty()        ? finding.target.str()
                                                                   : finding.source_file.str();
        Json json = vulnerability(finding, finding_uuid(finding, occurrence));
        json["location"] = {
            {"file", file.empty() ? std::string(kGitlabUnknown) : valid_utf8(file)},
            {"dependency", dependency_of(finding)},
        };
        vulnerabilities.push_back(std::move(json));
    }
    return gitlab_report_text(kDependencySchemaUrl, std::move(scan), std::move(vulnerabilities));
}

}  // namespace gantry
