// Trivy JSON (SchemaVersion 2): Results[] with Vulnerabilities[], Misconfigurations[], Secrets[] and
// Licenses[].
//
// `trivy k8s --format json` wraps the same Results[] in Kubernetes resources: {ClusterName,
// Resources[]} with --report all, {ClusterName, Findings[]} with --report summary, and in older
// versions {ClusterName, Vulnerabilities[], Misconfigurations[]}, each resource being {Namespace, Kind,
// Name, Results[], Error}. Findings of a resource take "namespace/Kind/name" as their target (the
// resource is what a user fixes or waives); a resource Trivy could not scan becomes a warning.
//
// Package origin: vulnerabilities of an `os-pkgs` result, and of every result of an image, VM or
// Kubernetes scan, are an image's; those of a `lang-pkgs` result of any other scan (filesystem,
// repository, an SBOM) are dependencies of the result's target, its lock file. ArtifactType may come
// after Results, so the language results are settled once the whole report is read.
//
// The file such a dependency is declared in: of an SBOM scan (ArtifactType cyclonedx or spdx), the
// SBOM (ArtifactName) - its results' targets are language names ("Ruby") or paths inside whatever the
// SBOM described; else the vulnerability's PkgPath (a jar or package.json found in the directory,
// under a "Java" or "Node.js" target); else the target, a lock file.
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "gantry/findings/report_formats.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/json/streamed_object.hpp"

namespace gantry {
namespace {

using Value = JsonCursor::Value;

FixState fix_state_from_status(std::string_view status) {
    if (status == "fixed") {
        return FixState::Fixed;
    }
    if (status == "affected") {
        return FixState::NotFixed;
    }
    if (status == "will_not_fix") {
        return FixState::WontFix;
    }
    if (status == "fix_deferred") {
        return FixState::Deferred;
    }
    if (status == "end_of_life") {
        return FixState::EndOfLife;
    }
    // under_investigation, unknown, not_affected and whatever later Trivy versions add.
    return FixState::Unknown;
}

std::optional<double> higher(std::optional<double> a, std::optional<double> b) {
    if (!a) {
        return b;
    }
    if (!b) {
        return a;
    }
    return *a > *b ? a : b;
}

class TrivyReader {
public:
    explicit TrivyReader(JsonDocument& document) : cursor_(document) {
        report_.path = document.name();
        report_.format = ReportFormat::Trivy;
    }

    Report read() {
        auto root = cursor_.document().root_object();
        cursor_.for_each_field(root, [&](std::string_view key, Value& value) { read_root_field(key, value); });
        cursor_.document().expect_end();
        return finish();
    }

    // The same, one result's field and one finding at a time: Results[] and each result's lists of
    // findings are streamed, the rest of the report is small and read whole.
    Report read(JsonStream& stream) {
        const auto result = std::make_shared<StreamedObject>();
        result->begin = [&] { begin_result(); };
        result->end = [&] { end_result(); };
        result->field = [&](std::string_view key, Value& value) { read_result_field(key, value); };
        result->arrays = {
            {"Vulnerabilities", [&](Value& item) { read_vulnerability(item); }, nullptr},
            {"Misconfigurations", [&](Value& item) { read_misconfiguration(item); }, nullptr},
            {"Secrets", [&](Value& item) { read_secret(item); }, nullptr},
            {"Licenses", [&](Value& item) { read_license(item); }, nullptr},
        };
        StreamedObject root;
        root.field = [&](std::string_view key, Value& value) { read_root_field(key, value); };
        root.arrays = {{"Results", [&](Value& item) { read_result(item); }, result}};
        read_streamed_object(stream, cursor_.document(), cursor_, root);
        stream.expect_end();
        return finish();
    }

private:
    void read_root_field(std::string_view key, Value& value) {
        if (key == "ArtifactType") {
            cursor_.read_string_into(value, artifact_type_);
        } else if (key == "ArtifactName") {
            cursor_.read_string_into(value, artifact_name_);
        } else if (key == "Results") {
            cursor_.for_each_element(value, [&](Value& result) { read_result(result); });
        } else if (key == "ClusterName") {
            cursor_.read_string_into(value, cluster_.emplace());
        } else if (key == "Resources" || key == "Findings" || key == "Vulnerabilities" || key == "Misconfigurations") {
            // Only `trivy k8s` reports have these at the top level; an image report has Results.
            cursor_.for_each_element(value, [&](Value& resource) { read_resource(resource); });
        } else if (key == "Trivy") {
            cursor_.for_each_field(value, [&](std::string_view trivy_key, Value& trivy_value) {
                if (trivy_key == "Version") {
                    cursor_.read_string_into(trivy_value, version_);
                }
            });
        }
    }

    Report finish() {
        report_.scanner = version_.empty() ? "trivy" : "trivy " + version_;
        if (cluster_) {
            report_.scanner += cluster_->empty() ? " k8s" : " k8s (cluster " + *cluster_ + ")";
        }
        const bool image = cluster_ || artifact_type_ == "container_image" || artifact_type_ == "vm";
        const bool sbom = artifact_type_ == "cyclonedx" || artifact_type_ == "spdx";
        for (const std::size_t i : language_findings_) {
            Finding& finding = report_.findings[i];
            finding.origin = image ? PackageOrigin::Image : PackageOrigin::Dependency;
            if (image) continue;
            const auto package_path = package_paths_.find(i);
            finding.dependency_file = sbom && !artifact_name_.empty() ? artifact_name_
                                      : package_path != package_paths_.end() ? package_path->second
                                                                             : finding.target.str();
            // Where the file is not the target itself, the finding says so too (scan-gate's own report,
            // SARIF), as --gitlab-dependency-out does.
            if (finding.dependency_file != finding.target && !finding.location) {
                finding.location.emplace().path = finding.dependency_file;
            }
        }
        const SharedText scanner("trivy");
        const SharedText source_file(report_.path);
        for (Finding& finding : report_.findings) {
            finding.scanner = scanner;
            finding.source_file = source_file;
        }
        return std::move(report_);
    }

    void read_resource(Value& resource) {
        const std::size_t first = report_.findings.size();
        std::string name_space;
        std::string kind;
        std::string name;
        std::string error;
        cursor_.for_each_field(resource, [&](std::string_view key, Value& value) {
            if (key == "Namespace") {
                cursor_.read_string_into(value, name_space);
            } else if (key == "Kind") {
                cursor_.read_string_into(value, kind);
            } else if (key == "Name") {
                cursor_.read_string_into(value, name);
            } else if (key == "Results") {
                cursor_.for_each_element(value, [&](Value& result) { read_result(result); });
            } else if (key == "Error") {
                cursor_.read_string_into(value, error);
            }
        });
        // Cluster-scoped resources (ClusterRole, Node) have no namespace.
        std::string target = kind.empty() ? name : kind + "/" + name;
        if (!name_space.empty()) {
            target = name_space + "/" + target;
        }
        for (std::size_t i = first; i < report_.findings.size(); ++i) {
            report_.findings[i].target = target;
        }
        if (!error.empty()) {
            report_.warnings.push_back(
                fmt::format("{}: Trivy could not scan {}, so its findings are missing: {}", report_.path, target, error));
        }
    }

    void read_result(Value& result) {
        begin_result();
        cursor_.for_each_field(result, [&](std::string_view key, Value& value) { read_result_field(key, value); });
        end_result();
    }

    void begin_result() {
        // Target usually comes first, but JSON does not promise it: fill it in once the result is read.
        result_first_ = report_.findings.size();
        result_target_.clear();
        result_class_.clear();
    }

    void read_result_field(std::string_view key, Value& value) {
        if (key == "Target") {
            cursor_.read_string_into(value, result_target_);
        } else if (key == "Class") {
            cursor_.read_string_into(value, result_class_);
        } else if (key == "Vulnerabilities") {
            cursor_.for_each_element(value, [&](Value& item) { read_vulnerability(item); });
        } else if (key == "Misconfigurations") {
            cursor_.for_each_element(value, [&](Value& item) { read_misconfiguration(item); });
        } else if (key == "Secrets") {
            cursor_.for_each_element(value, [&](Value& item) { read_secret(item); });
        } else if (key == "Licenses") {
            cursor_.for_each_element(value, [&](Value& item) { read_license(item); });
        }
    }

    void end_result() {
        const SharedText target(result_target_);
        for (std::size_t i = result_first_; i < report_.findings.size(); ++i) {
            Finding& finding = report_.findings[i];
            finding.target = target;
            // A licence found in a file names that file; the other findings are in the target itself.
            if (finding.location && finding.location->path.empty()) {
                finding.location->path = result_target_;
            }
            if (finding.kind != FindingKind::Vulnerability) continue;
            if (result_class_ == "os-pkgs") {
                finding.origin = PackageOrigin::Image;
            } else if (result_class_ == "lang-pkgs") {
                language_findings_.push_back(i);
            }
        }
    }

    void read_severity(Value& value, Finding& finding) {
        if (const auto text = cursor_.read_string(value)) {
            finding.severity = parse_severity(*text).value_or(Severity::Unknown);
        }
    }

    void read_vulnerability(Value& item) {
        Finding finding;
        finding.kind = FindingKind::Vulnerability;
        std::string package_path;
        bool has_status = false;
        std::optional<double> v3;
        std::optional<double> v2;
        std::string_view description;
        cursor_.for_each_field(item, [&](std::string_view key, Value& value) {
            if (key == "VulnerabilityID") {
                cursor_.read_string_into(value, finding.id);
            } else if (key == "PkgName") {
                cursor_.read_string_into(value, finding.package);
            } else if (key == "InstalledVersion") {
                cursor_.read_string_into(value, finding.version);
            } else if (key == "PkgPath") {
                cursor_.read_string_into(value, package_path);
            } else if (key == "FixedVersion") {
                cursor_.read_string_into(value, finding.fixed_version);
            } else if (key == "Status") {
                if (const auto status = cursor_.read_string(value)) {
                    has_status = true;
                    finding.fix_state = fix_state_from_status(*status);
                }
            } else if (key == "Severity") {
                read_severity(value, finding);
            } else if (key == "Title") {
                read_title(value, finding);
            } else if (key == "Description") {
                description = cursor_.read_string(value).value_or(std::string_view{});
            } else if (key == "PrimaryURL") {
                cursor_.read_string_into(value, finding.url);
            } else if (key == "VendorIDs") {
                cursor_.for_each_element(value, [&](Value& id) {
                    if (const auto text = cursor_.read_string(id)) {
                        add_alias(finding, *text);
                    }
                });
            } else if (key == "PkgIdentifier") {
                cursor_.for_each_field(value, [&](std::string_view identifier_key, Value& identifier_value) {
                    if (identifier_key == "PURL") {
                        cursor_.read_string_into(identifier_value, finding.purl);
                    }
                });
            } else if (key == "CVSS") {
                // {"nvd": {"V3Score": 9.8, "V2Score": 7.5}, "redhat": {...}}: the highest of each kind.
                cursor_.for_each_field(value, [&](std::string_view, Value& source) {
                    cursor_.for_each_field(source, [&](std::string_view score_key, Value& score) {
                        if (score_key == "V3Score") {
                            v3 = higher(v3, cursor_.read_number(score));
                        } else if (score_key == "V2Score") {
                            v2 = higher(v2, cursor_.read_number(score));
                        }
                    });
                });
            }
        });
        // Reports from before Trivy 0.34 have no Status: a fixed version is the only hint.
        if (!has_status && !finding.fixed_version.empty()) {
            finding.fix_state = FixState::Fixed;
        }
        finding.cvss_score = v3 ? v3 : v2;
        if (finding.title.empty()) {
            finding.title = first_line(description);
        }
        tidy_aliases(finding);
        if (!package_path.empty()) {
            package_paths_.emplace(report_.findings.size(), std::move(package_path));
        }
        report_.findings.push_back(std::move(finding));
    }

    void read_misconfiguration(Value& item) {
        Finding finding;
        finding.kind = FindingKind::Misconfiguration;
        finding.location.emplace();
        std::string id;
        std::string avd_id;
        std::string status;
        std::string_view message;
        cursor_.for_each_field(item, [&](std::string_view key, Value& value) {
            if (key == "ID") {
                cursor_.read_string_into(value, id);
            } else if (key == "AVDID") {
                cursor_.read_string_into(value, avd_id);
            } else if (key == "Status") {
                cursor_.read_string_into(value, status);
            } else if (key == "Severity") {
                read_severity(value, finding);
            } else if (key == "Title") {
                read_title(value, finding);
            } else if (key == "Message") {
                message = cursor_.read_string(value).value_or(std::string_view{});
            } else if (key == "PrimaryURL") {
                cursor_.read_string_into(value, finding.url);
            } else if (key == "CauseMetadata" || key == "IacMetadata") {  // IacMetadata: Trivy before 0.30
                cursor_.for_each_field(value, [&](std::string_view cause_key, Value& cause_value) {
                    if (cause_key == "StartLine") {
                        finding.location->start_line = cursor_.read_position_number(cause_value).value_or(0);
                    } else if (cause_key == "EndLine") {
                        finding.location->end_line = cursor_.read_position_number(cause_value).value_or(0);
                    }
                });
            }
        });
        // PASS and EXCEPTION entries (trivy --include-non-failures) are checks that held, not findings.
        if (!status.empty() && status != "FAIL") {
            return;
        }
        // AVD-KSV-0001 is the stable id across Trivy versions; the short ID (KSV001) is kept as an alias.
        finding.id = avd_id.empty() ? id : avd_id;
        add_alias(finding, id);
        tidy_aliases(finding);
        if (finding.title.empty()) {
            finding.title = first_line(message);
        }
        finding.message = message;
        report_.findings.push_back(std::move(finding));
    }

    void read_secret(Value& item) {
        Finding finding;
        finding.kind = FindingKind::Secret;
        finding.location.emplace();
        cursor_.for_each_field(item, [&](std::string_view key, Value& value) {
            if (key == "RuleID") {
                cursor_.read_string_into(value, finding.id);
            } else if (key == "Severity") {
                read_severity(value, finding);
            } else if (key == "Title") {
                read_title(value, finding);
            } else if (key == "StartLine") {
                finding.location->start_line = cursor_.read_position_number(value).value_or(0);
            } else if (key == "EndLine") {
                finding.location->end_line = cursor_.read_position_number(value).value_or(0);
            }
        });
        report_.findings.push_back(std::move(finding));
    }

    // {Severity, Category, PkgName, FilePath, Name, Confidence, Link}: a package's licence (class
    // "license") or a licence text found in a file (class "license-file", PkgName empty).
    void read_license(Value& item) {
        Finding finding;
        finding.kind = FindingKind::License;
        std::string category;
        std::string file_path;
        cursor_.for_each_field(item, [&](std::string_view key, Value& value) {
            if (key == "Name") {
                cursor_.read_string_into(value, finding.id);
            } else if (key == "PkgName") {
                cursor_.read_string_into(value, finding.package);
            } else if (key == "FilePath") {
                cursor_.read_string_into(value, file_path);
            } else if (key == "Category") {
                cursor_.read_string_into(value, category);
            } else if (key == "Severity") {
                read_severity(value, finding);
            } else if (key == "Link") {
                cursor_.read_string_into(value, finding.url);
            }
        });
        if (!file_path.empty()) {
            finding.location.emplace().path = std::move(file_path);
        }
        // "Restricted license GPL-2.0": the category is what a licence policy is about.
        std::string title = category.empty() ? "License " + finding.id : category + " license " + finding.id;
        title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
        finding.title = std::move(title);
        report_.findings.push_back(std::move(finding));
    }

    // A finding's title is shared text (shared_text.hpp): read into a string, then assigned.
    void read_title(Value& value, Finding& finding) {
        std::string title = finding.title;
        cursor_.read_string_into(value, title);
        finding.title = std::move(title);
    }

    JsonCursor cursor_;
    Report report_;
    std::string version_;
    std::string artifact_type_;
    std::string artifact_name_;
    std::optional<std::string> cluster_;
    // The result being read.
    std::size_t result_first_ = 0;
    std::string result_target_;
    std::string result_class_;
    std::vector<std::size_t> language_findings_;  // of lang-pkgs results: origin known at the end
    std::map<std::size_t, std::string> package_paths_;  // finding index -> the vulnerability's PkgPath
};

}  // namespace

Report read_trivy_report(JsonDocument& document) { return TrivyReader(document).read(); }

Report read_trivy_report(JsonStream& stream) {
    JsonDocument document(stream.name(), JsonDocument::Fragments{});
    return TrivyReader(document).read(stream);
}

}  // namespace gantry
