#include "gantry/report/sarif_writer.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/report/finding_description.hpp"
#include "gantry/report/finding_fingerprint.hpp"
#include "gantry/report/image_target.hpp"
#include "gantry/report/markdown.hpp"
#include "gantry/report/report_uri.hpp"

namespace gantry {

namespace {

using Json = nlohmann::ordered_json;  // keeps keys in the order SARIF readers and people expect

constexpr std::string_view kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view kFingerprintKey = "gantryFindingHash/v1";

std::optional<double> usable_score(std::optional<double> score) {
    // 0 is what several scanners write when they have no score; it would hide the severity band.
    if (!score || !std::isfinite(*score) || *score <= 0) return std::nullopt;
    return std::min(*score, 10.0);
}

std::string_view sarif_level(Severity severity) {
    switch (severity) {
        case Severity::Critical:
        case Severity::High: return "error";
        case Severity::Medium: return "warning";
        case Severity::Low:
        case Severity::Unknown: return "note";
    }
    return "note";
}

std::string default_tool_name(const SarifWriteOptions& options) {
    return options.tool_name.empty() ? std::string("gantry") : options.tool_name;
}

std::string run_name(const Finding& finding, const SarifWriteOptions& options) {
    return finding.scanner.empty() ? default_tool_name(options) : finding.scanner.str();
}

std::string rule_id(const Finding& finding) {
    return finding.id.empty() ? std::string(to_string(finding.kind)) : finding.id;
}

std::string known_information_uri(std::string_view scanner) {
    if (scanner == "trivy") return "https://github.com/aquasecurity/trivy";
    if (scanner == "grype") return "https://github.com/anchore/grype";
    return {};
}

struct RuleSummary {
    std::string id;
    std::string title;
    std::string url;
    FindingKind kind = FindingKind::Vulnerability;
    Severity severity = Severity::Unknown;
    std::optional<double> score;
};

// Indices of the findings a run keeps, in input order.
std::vector<std::size_t> kept_results(const std::vector<Finding>& findings, std::vector<std::size_t> indices,
                                      std::size_t limit) {
    if (indices.size() <= limit) return indices;
    std::stable_sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) {
        const Finding& left = findings[a];
        const Finding& right = findings[b];
        if (left.severity != right.severity) return left.severity > right.severity;
        return usable_score(left.cvss_score).value_or(0) > usable_score(right.cvss_score).value_or(0);
    });
    indices.resize(limit);
    std::sort(indices.begin(), indices.end());
    return indices;
}

Json region_of(const Location& location) {
    Json region = Json::object();
    const int start_line = std::max(location.start_line, 1);
    region["startLine"] = start_line;
    if (location.start_column >= 1) region["startColumn"] = location.start_column;
    const bool has_end_line = location.end_line >= start_line;
    if (has_end_line) region["endLine"] = location.end_line;
    const int end_line = has_end_line ? location.end_line : start_line;
    if (location.end_column >= 1 &&
        (end_line > start_line || location.end_column >= std::max(location.start_column, 1)))
        region["endColumn"] = location.end_column;
    return region;
}

Json location_of(const Finding& finding) {
    Json physical = Json::object();
    if (finding.location && !finding.location->path.empty()) {
        physical["artifactLocation"] = {{"uri", artifact_uri(finding.location->path)}};
        physical["region"] = region_of(*finding.location);
    } else {
        // GitHub rejects a result without a location; the target is the best file-like thing left,
        // and of "alpine:3.19 (alpine 3.19.1)" the image part.
        const auto image = split_image_target(finding.target);
        const std::string& fallback = image               ? image->image
                                      : !finding.target.empty() ? finding.target.str()
                                                                : finding.source_file.str();
        physical["artifactLocation"] = {{"uri", artifact_uri(fallback)}};
        physical["region"] = {{"startLine", 1}};
    }
    return Json::array({{{"physicalLocation", std::move(physical)}}});
}

Json rule_json(const RuleSummary& rule) {
    Json json = Json::object();
    json["id"] = rule.id;
    json["shortDescription"] = {{"text", rule.title.empty() ? rule.id : rule.title}};
    if (!rule.url.empty()) json["helpUri"] = rule.url;
    std::string help_text = rule.title.empty() ? rule.id : rule.title;
    std::string help_markdown = markdown_escape(help_text);
    if (!rule.url.empty()) {
        help_text += "\n\n" + rule.url;
        help_markdown += fmt::format("\n\n[{}](<{}>)", markdown_escape(rule.id), rule.url);
    }
    json["help"] = {{"text", help_text}, {"markdown", help_markdown}};
    json["defaultConfiguration"] = {{"level", sarif_level(rule.severity)}};
    json["properties"] = {{"security-severity", security_severity(rule.severity, rule.score)},
                          {"tags", Json::array({"security", to_string(rule.kind)})}};
    return json;
}

Json result_properties(const Finding& finding) {
    Json properties = Json::object();
    properties["severity"] = to_string(finding.severity);
    const auto add = [&](const char* key, const std::string& value) {
        if (!value.empty()) properties[key] = value;
    };
    add("package", finding.package);
    add("installedVersion", finding.version);
    add("fixedVersion", finding.fixed_version);
    add("purl", finding.purl);
    add("target", finding.target);
    if (finding.fix_state != FixState::Unknown) properties["fixState"] = to_string(finding.fix_state);
    return properties;
}

Json run_json(const std::string& name, const std::vector<Finding>& findings, const std::vector<std::size_t>& indices,
              const SarifWriteOptions& options) {
    std::vector<RuleSummary> rules;
    std::map<std::string, std::size_t> rule_index;
    for (std::size_t i : indices) {
        const Finding& finding = findings[i];
        const std::string id = rule_id(finding);
        auto [it, inserted] = rule_index.try_emplace(id, rules.size());
        if (inserted) rules.push_back(RuleSummary{id, {}, {}, finding.kind, finding.severity, {}});
        RuleSummary& rule = rules[it->second];
        if (rule.title.empty() && !finding.title.empty())
            rule.title = one_line_description(Finding{.title = finding.title});
        if (rule.url.empty()) rule.url = web_url(finding.url).value_or("");
        rule.severity = std::max(rule.severity, finding.severity);
        if (const auto score = usable_score(finding.cvss_score)) rule.score = std::max(rule.score.value_or(0), *score);
    }

    Json results = Json::array();
    std::map<std::string, int> fingerprint_uses;
    for (std::size_t i : indices) {
        const Finding& finding = findings[i];
        const std::string id = rule_id(finding);
        std::string fingerprint = finding_fingerprint(finding);
        const int use = ++fingerprint_uses[fingerprint];
        if (use > 1) fingerprint += fmt::format(":{}", use);
        Json result = Json::object();
        result["ruleId"] = id;
        result["ruleIndex"] = rule_index.at(id);
        result["level"] = sarif_level(finding.severity);
        result["message"] = {{"text", one_line_description(finding)}};
        result["locations"] = location_of(finding);
        result["partialFingerprints"] = {{kFingerprintKey, fingerprint}};
        result["properties"] = result_properties(finding);
        results.push_back(std::move(result));
    }

    Json driver = Json::object();
    driver["name"] = name;
    const bool ours = name == default_tool_name(options);
    if (ours && !options.tool_version.empty()) driver["version"] = options.tool_version;
    const auto information_uri = web_url(ours ? options.information_uri : known_information_uri(name));
    if (information_uri) driver["informationUri"] = *information_uri;
    Json rules_json = Json::array();
    for (const auto& rule : rules) rules_json.push_back(rule_json(rule));
    driver["rules"] = std::move(rules_json);

    Json run = Json::object();
    run["tool"] = {{"driver", std::move(driver)}};
    if (!options.category.empty()) {
        run["automationDetails"] = {
            {"id", options.category.ends_with('/') ? options.category : options.category + "/"}};
    }
    run["results"] = std::move(results);
    return run;
}

}  // namespace

std::string security_severity(Severity severity, std::optional<double> cvss_score) {
    if (const auto score = usable_score(cvss_score)) return fmt::format("{:.1f}", *score);
    switch (severity) {
        case Severity::Critical: return "9.5";
        case Severity::High: return "8.0";
        case Severity::Medium: return "5.5";
        case Severity::Low: return "2.0";
        case Severity::Unknown: return "0.0";
    }
    return "0.0";
}

std::string render_sarif(const std::vector<Finding>& findings, const SarifWriteOptions& options) {
    std::vector<std::string> run_order;
    std::map<std::string, std::vector<std::size_t>> run_findings;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const std::string name = run_name(findings[i], options);
        auto [it, inserted] = run_findings.try_emplace(name);
        if (inserted) run_order.push_back(name);
        it->second.push_back(i);
    }
    if (run_order.empty()) run_order.push_back(default_tool_name(options));

    Json runs = Json::array();
    for (const auto& name : run_order) {
        runs.push_back(run_json(name, findings, kept_results(findings, run_findings[name], options.max_results_per_run),
                                options));
    }
    Json document = Json::object();
    document["$schema"] = kSarifSchema;
    document["version"] = "2.1.0";
    document["runs"] = std::move(runs);
    return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace gantry
