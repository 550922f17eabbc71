#include "scan-gate/waiver.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/config/yaml_input.hpp"
#include "gantry/findings/report_formats.hpp"
#include "gantry/vex/package_url.hpp"

namespace scan_gate {

using gantry::equals_ignoring_case;
using gantry::Finding;
using gantry::InputError;
using gantry::YamlInput;

std::string_view to_string(WaiverFormat format) {
    switch (format) {
        case WaiverFormat::Gantry: return "gantry";
        case WaiverFormat::TrivyIgnore: return ".trivyignore";
        case WaiverFormat::TrivyIgnoreYaml: return ".trivyignore.yaml";
        case WaiverFormat::GrypeConfig: return ".grype.yaml";
        case WaiverFormat::OpenVex: return "openvex";
        case WaiverFormat::CycloneDxVex: return "cyclonedx-vex";
    }
    return "?";
}

namespace {

int line_of(const YAML::Node& node) { return node.Mark().is_null() ? 0 : node.Mark().line + 1; }

CalendarDate date_value(const YamlInput& in, const YAML::Node& node, const std::string& key) {
    const std::string text = in.scalar(node, key);
    const auto date = parse_calendar_date(text);
    if (!date) in.fail(node, key, "expected a date as YYYY-MM-DD, found '" + text + "'");
    return *date;
}

// ---- gantry YAML ---------------------------------------------------------------------------------

Waiver gantry_waiver(const YamlInput& in, const YAML::Node& node, int index, PermanentWaivers permanent) {
    const std::string where = "waivers[" + std::to_string(index) + "]";
    Waiver w;
    w.format = WaiverFormat::Gantry;
    w.file = in.name();
    w.line = line_of(node);
    in.read_fields(node, where,
                   {{"id", [&](const YAML::Node& v, const std::string& p) { w.id = in.scalar(v, p); }},
                    {"reason", [&](const YAML::Node& v, const std::string& p) { w.reason = in.scalar(v, p); }},
                    {"expires", [&](const YAML::Node& v, const std::string& p) { w.expires = date_value(in, v, p); }},
                    {"purl", [&](const YAML::Node& v, const std::string& p) { w.purls = in.string_list(v, p); }},
                    {"path", [&](const YAML::Node& v, const std::string& p) { w.paths = in.string_list(v, p); }},
                    {"owner", [&](const YAML::Node& v, const std::string& p) { w.owner = in.scalar(v, p); }}});
    if (w.id.empty()) in.fail(node, where, "a waiver needs an `id` (CVE, GHSA or rule id)");
    if (w.reason.empty()) in.fail(node, where, "waiver for " + w.id + " needs a `reason`");
    if (!w.expires && permanent == PermanentWaivers::Rejected) {
        in.fail(node, where,
                "waiver for " + w.id + " needs an `expires` date (YYYY-MM-DD); permanent waivers are "
                "accepted only with --allow-permanent-waivers or allow-permanent-waivers: true in the policy");
    }
    return w;
}

std::vector<Waiver> parse_gantry(const YamlInput& in, const YAML::Node& list, PermanentWaivers permanent) {
    if (!list.IsSequence()) in.fail(list, "waivers", "expected a list of waivers");
    std::vector<Waiver> waivers;
    int index = 0;
    for (const auto& node : list) waivers.push_back(gantry_waiver(in, node, index++, permanent));
    return waivers;
}

// ---- .trivyignore.yaml -----------------------------------------------------------------------------

std::vector<Waiver> parse_trivyignore_yaml(const YamlInput& in, const YAML::Node& root) {
    std::vector<Waiver> waivers;
    for (const auto& section : root) {
        const std::string name = section.first.as<std::string>();
        std::optional<gantry::FindingKind> kind;
        if (name == "vulnerabilities") {
            kind = gantry::FindingKind::Vulnerability;
        } else if (name == "misconfigurations") {
            kind = gantry::FindingKind::Misconfiguration;
        } else if (name == "secrets") {
            kind = gantry::FindingKind::Secret;
        } else if (name == "licenses") {
            kind = gantry::FindingKind::License;
        } else {
            in.fail(section.first, name,
                    "unknown section (expected vulnerabilities, misconfigurations, secrets or licenses)");
        }
        if (section.second.IsNull()) continue;
        if (!section.second.IsSequence()) in.fail(section.second, name, "expected a list of entries");
        int index = 0;
        for (const auto& node : section.second) {
            const std::string where = name + "[" + std::to_string(index++) + "]";
            Waiver w;
            w.format = WaiverFormat::TrivyIgnoreYaml;
            w.kind = kind;
            w.file = in.name();
            w.line = line_of(node);
            in.read_fields(
                node, where,
                {{"id", [&](const YAML::Node& v, const std::string& p) { w.id = in.scalar(v, p); }},
                 {"paths", [&](const YAML::Node& v, const std::string& p) { w.paths = in.string_list(v, p); }},
                 {"purls", [&](const YAML::Node& v, const std::string& p) { w.purls = in.string_list(v, p); }},
                 {"expired_at", [&](const YAML::Node& v, const std::string& p) { w.expires = date_value(in, v, p); }},
                 {"statement", [&](const YAML::Node& v, const std::string& p) { w.reason = in.scalar(v, p); }}});
            if (w.id.empty()) in.fail(node, where, "an entry needs an `id`");
            if (w.reason.empty()) w.reason = "listed in " + in.name();
            waivers.push_back(std::move(w));
        }
    }
    return waivers;
}

// ---- .grype.yaml -----------------------------------------------------------------------------------

std::optional<gantry::FixState> grype_fix_state(const std::string& text) {
    if (text == "fixed") return gantry::FixState::Fixed;
    if (text == "not-fixed") return gantry::FixState::NotFixed;
    if (text == "wont-fix") return gantry::FixState::WontFix;
    if (text == "unknown") return gantry::FixState::Unknown;
    return std::nullopt;
}

std::vector<Waiver> parse_grype(const YamlInput& in, const YAML::Node& root) {
    std::vector<Waiver> waivers;
    for (const auto& entry : root) {
        const std::string key = entry.first.as<std::string>();
        if (key != "ignore") continue;  // the rest of .grype.yaml configures Grype itself
        if (entry.second.IsNull()) continue;
        if (!entry.second.IsSequence()) in.fail(entry.second, "ignore", "expected a list of ignore rules");
        int index = 0;
        for (const auto& rule : entry.second) {
            const std::string where = "ignore[" + std::to_string(index++) + "]";
            in.expect_map(rule, where);
            Waiver w;
            w.format = WaiverFormat::GrypeConfig;
            w.file = in.name();
            w.line = line_of(rule);
            for (const auto& field : rule) {
                const std::string name = field.first.as<std::string>();
                const std::string path = where + "." + name;
                if (name == "vulnerability") {
                    w.id = in.scalar(field.second, path);
                } else if (name == "fix-state") {
                    const std::string text = in.scalar(field.second, path);
                    w.fix_state = grype_fix_state(text);
                    if (!w.fix_state) in.fail(field.second, path, "expected fixed, not-fixed, wont-fix or unknown");
                } else if (name == "reason") {
                    w.reason = in.scalar(field.second, path);
                } else if (name == "package") {
                    auto text = [&](std::string& field) {
                        return [&](const YAML::Node& v, const std::string& p) { field = in.scalar(v, p); };
                    };
                    std::string upstream;
                    in.read_fields(field.second, path,
                                   {{"name", text(w.package_name)},
                                    {"version", text(w.package_version)},
                                    {"type", text(w.package_type)},
                                    {"location", [&](const YAML::Node& v, const std::string& p) { w.paths = in.string_list(v, p); }},
                                    {"upstream-name", text(upstream)}});
                    // Grype also matches upstream (source) packages; the finding model keeps the binary
                    // package name only, so such a rule matches by name.
                    if (w.package_name.empty()) w.package_name = upstream;
                } else if (name == "namespace" || name == "vex-status" || name == "vex-justification" ||
                           name == "match-type" || name == "include-aliases") {
                    // Grype-internal matching details with no equivalent in the finding model.
                } else {
                    in.fail(field.first, path, "unknown key in a Grype ignore rule");
                }
            }
            if (w.id.empty() && w.package_name.empty() && w.paths.empty()) {
                in.fail(rule, where, "an ignore rule needs a vulnerability or a package");
            }
            if (w.reason.empty()) w.reason = "ignored in " + in.name();
            waivers.push_back(std::move(w));
        }
    }
    return waivers;
}

// ---- .trivyignore ----------------------------------------------------------------------------------

std::string trim(std::string_view s) {
    const auto begin = s.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) return {};
    const auto end = s.find_last_not_of(" \t\r");
    return std::string(s.substr(begin, end - begin + 1));
}

// Returns the waivers, or nullopt (with the first bad line) when the text is not a .trivyignore.
std::optional<std::vector<Waiver>> parse_trivyignore(const std::string& text, const std::string& name,
                                                     int& bad_line) {
    std::vector<Waiver> waivers;
    std::istringstream lines(text);
    std::string raw;
    std::string pending_comment;
    int number = 0;
    while (std::getline(lines, raw)) {
        ++number;
        const std::string line = trim(raw);
        if (line.empty()) {
            pending_comment.clear();
            continue;
        }
        if (line[0] == '#') {
            const std::string comment = trim(std::string_view(line).substr(1));
            if (!comment.empty()) pending_comment += (pending_comment.empty() ? "" : " ") + comment;
            continue;
        }
        std::istringstream tokens(line);
        Waiver w;
        w.format = WaiverFormat::TrivyIgnore;
        w.file = name;
        w.line = number;
        tokens >> w.id;
        std::string token;
        while (tokens >> token) {
            if (token[0] == '#') {
                std::string rest;
                std::getline(tokens, rest);
                w.reason = trim(token.substr(1) + rest);
                break;
            }
            if (token.rfind("exp:", 0) == 0) {
                w.expires = parse_calendar_date(token.substr(4));
                if (!w.expires) {
                    throw InputError(gantry::SourcePosition{.file = name, .line = number},
                                     "expected exp:YYYY-MM-DD, found '" + token + "'");
                }
                continue;
            }
            bad_line = number;
            return std::nullopt;
        }
        if (w.id.find(':') != std::string::npos) {
            bad_line = number;
            return std::nullopt;
        }
        if (w.reason.empty()) w.reason = pending_comment.empty() ? "listed in " + name : pending_comment;
        pending_comment.clear();
        waivers.push_back(std::move(w));
    }
    return waivers;
}

bool has_any_key(const YAML::Node& map, std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        if (map[key]) return true;
    }
    return false;
}

}  // namespace

std::vector<Waiver> parse_waivers(const std::string& text, const std::string& name, PermanentWaivers permanent) {
    const YamlInput in(name);
    YAML::Node root;
    std::optional<InputError> yaml_error;
    try {
        root = in.parse(text);
    } catch (const InputError& e) {
        yaml_error = e;
    }
    try {
        if (!yaml_error && root.IsMap()) {
            if (root["waivers"]) return parse_gantry(in, root["waivers"], permanent);
            if (root["ignore"]) return parse_grype(in, root);
            if (has_any_key(root, {"vulnerabilities", "misconfigurations", "secrets", "licenses"})) {
                return parse_trivyignore_yaml(in, root);
            }
            in.fail(root, "",
                    "not a waiver file: expected `waivers:` (gantry), `ignore:` (.grype.yaml), "
                    "`vulnerabilities:` (.trivyignore.yaml) or .trivyignore lines");
        }
        if (!yaml_error && root.IsSequence()) return parse_gantry(in, root, permanent);
    } catch (const YAML::Exception& e) {  // e.g. a key that is itself a list
        throw InputError(gantry::SourcePosition{.file = name, .line = e.mark.line + 1, .column = e.mark.column + 1},
                         "unexpected structure: " + e.msg);
    }
    int bad_line = 0;
    auto plain = parse_trivyignore(text, name, bad_line);
    if (plain) return std::move(*plain);
    if (yaml_error) throw *yaml_error;
    throw InputError(gantry::SourcePosition{.file = name, .line = bad_line},
                     "not a waiver file: this line is neither a .trivyignore entry (ID [exp:YYYY-MM-DD]) "
                     "nor part of a YAML waiver file");
}

std::vector<Waiver> load_waiver_file(const std::filesystem::path& path, PermanentWaivers permanent) {
    return parse_waivers(gantry::read_file(path), path.string(), permanent);
}

namespace {

std::string_view purl_without_qualifiers(std::string_view purl) {
    return purl.substr(0, purl.find_first_of("?#"));
}

// Compared as the purl spec says (package_url.hpp); text that is not a purl is compared as it was
// written, without qualifiers, case-insensitively.
bool purl_matches(std::string_view pattern, std::string_view purl) {
    if (purl.empty()) return false;
    if (gantry::parse_package_url(pattern) && gantry::parse_package_url(purl)) {
        return gantry::package_url_matches(pattern, purl);
    }
    pattern = purl_without_qualifiers(pattern);
    purl = purl_without_qualifiers(purl);
    if (pattern.find('@') == std::string_view::npos) purl = purl.substr(0, purl.find('@'));
    return equals_ignoring_case(pattern, purl);
}

}  // namespace

bool waiver_matches(const Waiver& waiver, const Finding& finding) {
    if (waiver.kind && *waiver.kind != finding.kind) return false;
    if (!waiver.id.empty()) {
        auto names = [&](const std::string& id) {
            return equals_ignoring_case(id, finding.id) ||
                   std::any_of(finding.aliases.begin(), finding.aliases.end(),
                               [&](const std::string& alias) { return equals_ignoring_case(id, alias); });
        };
        const bool id_match = names(waiver.id) || std::any_of(waiver.aliases.begin(), waiver.aliases.end(), names);
        if (!id_match) return false;
    }
    if (!waiver.purls.empty() &&
        std::none_of(waiver.purls.begin(), waiver.purls.end(),
                     [&](const std::string& p) { return purl_matches(p, finding.purl); })) {
        return false;
    }
    if (!waiver.paths.empty()) {
        const std::string file = finding.location ? finding.location->path : std::string();
        const bool path_match = std::any_of(waiver.paths.begin(), waiver.paths.end(), [&](const std::string& glob) {
            return (!finding.target.empty() && glob_match(glob, finding.target)) ||
                   (!file.empty() && glob_match(glob, file));
        });
        if (!path_match) return false;
    }
    if (!waiver.package_name.empty() && waiver.package_name != finding.package) return false;
    if (!waiver.package_version.empty() && waiver.package_version != finding.version) return false;
    if (!waiver.package_type.empty() && finding.purl.rfind("pkg:" + waiver.package_type + "/", 0) != 0) return false;
    if (waiver.fix_state) {
        const gantry::FixState state = gantry::is_fixable(finding) ? gantry::FixState::Fixed : finding.fix_state;
        if (*waiver.fix_state == gantry::FixState::NotFixed) {
            if (gantry::is_fixable(finding)) return false;
        } else if (*waiver.fix_state != state) {
            return false;
        }
    }
    return true;
}

}  // namespace scan_gate
