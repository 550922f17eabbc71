// GitLab security reports (schemas 14.x and 15.x): container scanning, dependency scanning, SAST and
// secret detection share vulnerabilities[] and scan{scanner, type}. Findings of a dependency-scanning
// report are dependencies of their location.file; of a container-scanning report, the image's.
// Reports of the 2.x/3.x formats (before `scan` was required) say the same per vulnerability, in
// `category` and `scanner`: those are the fallback when `scan` does not say it.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/findings/report_formats.hpp"
#include "gantry/json/json_cursor.hpp"

namespace gantry {
namespace {

using Value = JsonCursor::Value;

struct Identifier {
    std::string type;
    std::string value;
    std::string url;
};

std::string lowercase(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

FindingKind kind_from_scan_type(std::string_view type) {
    if (type == "sast") {
        return FindingKind::Code;
    }
    if (type == "secret_detection") {
        return FindingKind::Secret;
    }
    return FindingKind::Vulnerability;
}

// A dependency-scanning report's packages are its files' dependencies; a container-scanning report's
// are its image's.
PackageOrigin origin_from_scan_type(std::string_view type) {
    if (type == "dependency_scanning") {
        return PackageOrigin::Dependency;
    }
    if (type == "container_scanning") {
        return PackageOrigin::Image;
    }
    return PackageOrigin::Unknown;
}

// GitLab's analyzers write "No solution provided" when there is none; any other text is an upgrade hint.
FixState fix_state_from_solution(std::string_view solution) {
    const std::string text = lowercase(solution);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos || text.starts_with("no solution") ||
        text.starts_with("no fix") || text.starts_with("none")) {
        return FixState::Unknown;
    }
    return FixState::Fixed;
}

class GitlabReader {
public:
    explicit GitlabReader(JsonDocument& document) : cursor_(document) {}

    Report read() {
        report_.path = cursor_.document().name();
        report_.format = ReportFormat::GitlabSecurity;
        std::string scanner_id;
        std::string scanner_name;
        std::string scanner_version;
        std::string scan_type;
        auto root = cursor_.document().root_object();
        cursor_.for_each_field(root, [&](std::string_view key, Value& value) {
            if (key == "vulnerabilities") {
                cursor_.for_each_element(value, [&](Value& vulnerability) { read_vulnerability(vulnerability); });
            } else if (key == "scan") {
                cursor_.for_each_field(value, [&](std::string_view scan_key, Value& scan_value) {
                    if (scan_key == "type") {
                        cursor_.read_string_into(scan_value, scan_type);
                    } else if (scan_key == "scanner") {
                        cursor_.for_each_field(scan_value, [&](std::string_view scanner_key, Value& scanner_value) {
                            if (scanner_key == "id") {
                                cursor_.read_string_into(scanner_value, scanner_id);
                            } else if (scanner_key == "name") {
                                cursor_.read_string_into(scanner_value, scanner_name);
                            } else if (scanner_key == "version") {
                                cursor_.read_string_into(scanner_value, scanner_version);
                            }
                        });
                    }
                });
            }
        });
        cursor_.document().expect_end();
        // The id ("trivy", "gemnasium") matches the scanner names the other readers use; the display
        // name ("Trivy") is the fallback. A 2.x/3.x report without `scan` names it in each vulnerability.
        std::string scanner = !scanner_id.empty() ? scanner_id : lowercase(scanner_name);
        const bool scan_names_scanner = !scanner.empty();
        if (!scan_names_scanner && !declared_.empty()) {
            scanner = declared_.front().scanner;
        }
        if (scanner.empty()) {
            scanner = "gitlab";
        }
        report_.scanner = scanner_version.empty() ? scanner : scanner + " " + scanner_version;
        const SharedText shared_scanner(scanner);
        const SharedText source_file(report_.path);
        for (std::size_t i = 0; i < report_.findings.size(); ++i) {
            Finding& finding = report_.findings[i];
            const Declared& declared = declared_[i];
            // The report's scan type, else (2.x/3.x reports) the vulnerability's category.
            const std::string& type = !scan_type.empty() ? scan_type : declared.category;
            finding.kind = kind_from_scan_type(type);
            finding.scanner = !scan_names_scanner && !declared.scanner.empty() ? SharedText(declared.scanner) : shared_scanner;
            finding.source_file = source_file;
            finding.origin = origin_from_scan_type(type);
            if (finding.origin == PackageOrigin::Dependency && finding.location) finding.dependency_file = finding.location->path;
        }
        return std::move(report_);
    }

private:
    // What a vulnerability of a 2.x/3.x report says of itself, in place of the report's `scan`.
    struct Declared {
        std::string category;
        std::string scanner;  // scanner.id, else the lower-cased scanner.name
    };

    void read_vulnerability(Value& vulnerability) {
        Finding finding;
        Declared declared;
        std::string declared_scanner_name;
        std::vector<Identifier> identifiers;
        std::string uuid;
        std::string cve;
        std::string name;
        std::string message;
        std::string solution;
        std::string first_link;
        std::string_view description;
        cursor_.for_each_field(vulnerability, [&](std::string_view key, Value& value) {
            if (key == "id") {
                cursor_.read_string_into(value, uuid);
            } else if (key == "name") {
                cursor_.read_string_into(value, name);
            } else if (key == "message") {
                cursor_.read_string_into(value, message);
            } else if (key == "cve") {
                cursor_.read_string_into(value, cve);
            } else if (key == "category") {
                cursor_.read_string_into(value, declared.category);
            } else if (key == "scanner") {
                cursor_.for_each_field(value, [&](std::string_view scanner_key, Value& scanner_value) {
                    if (scanner_key == "id") {
                        cursor_.read_string_into(scanner_value, declared.scanner);
                    } else if (scanner_key == "name") {
                        cursor_.read_string_into(scanner_value, declared_scanner_name);
                    }
                });
            } else if (key == "severity") {
                if (const auto text = cursor_.read_string(value)) {
                    finding.severity = parse_severity(*text).value_or(Severity::Unknown);
                }
            } else if (key == "description") {
                description = cursor_.read_string(value).value_or(std::string_view{});
            } else if (key == "solution") {
                cursor_.read_string_into(value, solution);
            } else if (key == "identifiers") {
                cursor_.for_each_element(value, [&](Value& identifier) { identifiers.push_back(read_identifier(identifier)); });
            } else if (key == "location") {
                read_location(value, finding);
            } else if (key == "links") {
                cursor_.for_each_element(value, [&](Value& link) {
                    cursor_.for_each_field(link, [&](std::string_view link_key, Value& link_value) {
                        if (link_key == "url" && first_link.empty()) {
                            cursor_.read_string_into(link_value, first_link);
                        }
                    });
                });
            }
        });

        // The advisory id (CVE, else GHSA) is the primary id; other identifiers become aliases.
        const auto is_type = [](const Identifier& identifier, std::string_view type) {
            return lowercase(identifier.type) == type && !identifier.value.empty();
        };
        auto primary = std::find_if(identifiers.begin(), identifiers.end(),
                                    [&](const Identifier& identifier) { return is_type(identifier, "cve"); });
        if (primary == identifiers.end()) {
            primary = std::find_if(identifiers.begin(), identifiers.end(),
                                   [&](const Identifier& identifier) { return is_type(identifier, "ghsa"); });
        }
        if (primary == identifiers.end()) {
            primary = std::find_if(identifiers.begin(), identifiers.end(),
                                   [](const Identifier& identifier) { return !identifier.value.empty(); });
        }
        if (primary != identifiers.end()) {
            finding.id = primary->value;
            finding.url = primary->url;
        } else {
            finding.id = !cve.empty() ? cve : uuid;
        }
        for (const Identifier& identifier : identifiers) {
            // CWE and OWASP identifiers name a class of weakness, not this vulnerability.
            const std::string type = lowercase(identifier.type);
            if (type != "cwe" && type != "owasp") {
                add_alias(finding, identifier.value);
            }
        }
        if (!cve.empty() && cve.starts_with("CVE-")) {
            add_alias(finding, cve);
        }
        tidy_aliases(finding);
        if (finding.url.empty()) {
            finding.url = std::move(first_link);
        }
        finding.title = first_line(!name.empty() ? std::string_view(name)
                                                 : (!message.empty() ? std::string_view(message) : description));
        finding.fix_state = fix_state_from_solution(solution);
        if (declared.scanner.empty()) {
            declared.scanner = lowercase(declared_scanner_name);
        }
        report_.findings.push_back(std::move(finding));
        declared_.push_back(std::move(declared));
    }

    Identifier read_identifier(Value& identifier_value) {
        Identifier identifier;
        cursor_.for_each_field(identifier_value, [&](std::string_view key, Value& value) {
            if (key == "type") {
                cursor_.read_string_into(value, identifier.type);
            } else if (key == "value") {
                cursor_.read_string_into(value, identifier.value);
            } else if (key == "url") {
                cursor_.read_string_into(value, identifier.url);
            }
        });
        return identifier;
    }

    // Container scanning: dependency + image + operating_system. Dependency scanning: dependency + file.
    // SAST and secret detection: file + start_line/end_line.
    void read_location(Value& location, Finding& finding) {
        std::string image;
        std::string operating_system;
        std::string file;
        int start_line = 0;
        int end_line = 0;
        cursor_.for_each_field(location, [&](std::string_view key, Value& value) {
            if (key == "dependency") {
                cursor_.for_each_field(value, [&](std::string_view dependency_key, Value& dependency_value) {
                    if (dependency_key == "version") {
                        cursor_.read_string_into(dependency_value, finding.version);
                    } else if (dependency_key == "package") {
                        cursor_.for_each_field(dependency_value, [&](std::string_view package_key, Value& package_value) {
                            if (package_key == "name") {
                                cursor_.read_string_into(package_value, finding.package);
                            }
                        });
                    }
                });
            } else if (key == "image") {
                cursor_.read_string_into(value, image);
            } else if (key == "operating_system") {
                cursor_.read_string_into(value, operating_system);
            } else if (key == "file") {
                cursor_.read_string_into(value, file);
            } else if (key == "start_line") {
                start_line = cursor_.read_position_number(value).value_or(0);
            } else if (key == "end_line") {
                end_line = cursor_.read_position_number(value).value_or(0);
            }
        });
        finding.target = !image.empty() ? image : (!file.empty() ? file : operating_system);
        if (!file.empty()) {
            finding.location = Location{file, start_line, end_line};
        }
    }

    JsonCursor cursor_;
    Report report_;
    std::vector<Declared> declared_;  // one per finding of report_, in order
};

}  // namespace

Report read_gitlab_report(JsonDocument& document) { return GitlabReader(document).read(); }

}  // namespace gantry
