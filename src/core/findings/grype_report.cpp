// Grype JSON: matches[] of {vulnerability, relatedVulnerabilities, artifact}, plus source and descriptor.
//
// Grype's schema moved over the years (fixedInVersion/links before fix/urls, cvssV2/cvssV3 objects
// before the cvss[] list, artifact locations as strings or objects); every shape seen is accepted.
// Package origin: an `image` source's packages are the image's; any other source (a directory, a
// file, an SBOM) names dependencies, of the artifact's first location (the lock file, relative to the
// scanned directory) or else of the source itself.
#include <optional>
#include <string>
#include <string_view>

#include "gantry/findings/report_formats.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/json/streamed_object.hpp"

namespace gantry {
namespace {

using Value = JsonCursor::Value;
using Type = JsonCursor::Type;

FixState fix_state_from(std::string_view state) {
    if (state == "fixed") {
        return FixState::Fixed;
    }
    if (state == "not-fixed") {
        return FixState::NotFixed;
    }
    if (state == "wont-fix") {
        return FixState::WontFix;
    }
    return FixState::Unknown;
}

// Highest CVSS v3 (or later) base score, else highest v2.
struct CvssScores {
    std::optional<double> v3;
    std::optional<double> v2;

    void add(std::optional<double> score, bool is_v2) {
        if (!score) {
            return;
        }
        std::optional<double>& slot = is_v2 ? v2 : v3;
        if (!slot || *score > *slot) {
            slot = score;
        }
    }
    std::optional<double> best() const { return v3 ? v3 : v2; }
};

class GrypeReader {
public:
    explicit GrypeReader(JsonDocument& document) : cursor_(document) {}

    Report read() {
        auto root = cursor_.document().root_object();
        cursor_.for_each_field(root, [&](std::string_view key, Value& value) { read_root_field(key, value); });
        cursor_.document().expect_end();
        return finish();
    }

    // The same with matches[] streamed one match at a time; the rest is small and read whole.
    Report read(JsonStream& stream) {
        StreamedObject root;
        root.field = [&](std::string_view key, Value& value) { read_root_field(key, value); };
        root.arrays = {{"matches", [&](Value& match) { read_match(match); }, nullptr}};
        read_streamed_object(stream, cursor_.document(), cursor_, root);
        stream.expect_end();
        return finish();
    }

private:
    void read_root_field(std::string_view key, Value& value) {
        if (key == "matches") {
            cursor_.for_each_element(value, [&](Value& match) { read_match(match); });
        } else if (key == "source") {
            target_ = read_source_target(value, source_type_);
        } else if (key == "descriptor") {
            cursor_.for_each_field(value, [&](std::string_view descriptor_key, Value& descriptor_value) {
                if (descriptor_key == "name") {
                    cursor_.read_string_into(descriptor_value, scanner_name_);
                } else if (descriptor_key == "version") {
                    cursor_.read_string_into(descriptor_value, version_);
                }
            });
        }
    }

    Report finish() {
        report_.path = cursor_.document().name();
        report_.format = ReportFormat::Grype;
        if (scanner_name_.empty()) {
            scanner_name_ = "grype";
        }
        report_.scanner = version_.empty() ? scanner_name_ : scanner_name_ + " " + version_;
        // One copy of each, shared by every finding.
        const SharedText scanner(scanner_name_);
        const SharedText target(target_);
        const SharedText source_file(report_.path);
        for (Finding& finding : report_.findings) {
            finding.scanner = scanner;
            finding.target = target;
            finding.source_file = source_file;
            if (source_type_.empty()) continue;
            finding.origin = source_type_ == "image" ? PackageOrigin::Image : PackageOrigin::Dependency;
            if (finding.origin == PackageOrigin::Dependency) {
                // Grype writes a directory scan's paths from its root: "/package-lock.json".
                std::string file = finding.location ? finding.location->path : target_;
                if (source_type_ == "directory" && file.size() > 1 && file.front() == '/') file.erase(0, 1);
                finding.dependency_file = std::move(file);
            }
        }
        return std::move(report_);
    }

    // source.target is a string for directories and files, an object with userInput for images.
    std::string read_source_target(Value& source, std::string& type) {
        std::string target;
        cursor_.for_each_field(source, [&](std::string_view key, Value& value) {
            if (key == "type") {
                cursor_.read_string_into(value, type);
                return;
            }
            if (key != "target") {
                return;
            }
            const Type type = cursor_.type_of(value);
            if (type == Type::string || type == Type::null) {
                cursor_.read_string_into(value, target);
            } else {
                cursor_.for_each_field(value, [&](std::string_view target_key, Value& target_value) {
                    if (target_key == "userInput") {
                        cursor_.read_string_into(target_value, target);
                    }
                });
            }
        });
        return target;
    }

    void read_match(Value& match) {
        Finding finding;
        finding.kind = FindingKind::Vulnerability;
        CvssScores own;
        CvssScores related;
        cursor_.for_each_field(match, [&](std::string_view key, Value& value) {
            if (key == "vulnerability") {
                read_vulnerability(value, finding, own);
            } else if (key == "relatedVulnerabilities") {
                cursor_.for_each_element(value, [&](Value& related_vulnerability) {
                    cursor_.for_each_field(related_vulnerability, [&](std::string_view related_key, Value& field) {
                        if (related_key == "id") {
                            if (const auto id = cursor_.read_string(field)) {
                                add_alias(finding, *id);
                            }
                        } else if (related_key == "cvss") {
                            read_cvss_list(field, related);
                        }
                    });
                });
            } else if (key == "artifact") {
                read_artifact(value, finding);
            }
        });
        // A GHSA match often carries no score of its own; the linked NVD record does.
        finding.cvss_score = own.best() ? own.best() : related.best();
        tidy_aliases(finding);
        report_.findings.push_back(std::move(finding));
    }

    void read_vulnerability(Value& vulnerability, Finding& finding, CvssScores& scores) {
        std::string first_url;
        std::string_view description;
        cursor_.for_each_field(vulnerability, [&](std::string_view key, Value& value) {
            if (key == "id") {
                cursor_.read_string_into(value, finding.id);
            } else if (key == "severity") {
                if (const auto text = cursor_.read_string(value)) {
                    finding.severity = parse_severity(*text).value_or(Severity::Unknown);
                }
            } else if (key == "dataSource") {
                cursor_.read_string_into(value, finding.url);
            } else if (key == "urls" || key == "links") {
                cursor_.for_each_element(value, [&](Value& url) {
                    if (const auto text = cursor_.read_string(url); text && first_url.empty()) {
                        first_url = *text;
                    }
                });
            } else if (key == "description") {
                description = cursor_.read_string(value).value_or(std::string_view{});
            } else if (key == "cvss") {
                read_cvss_list(value, scores);
            } else if (key == "cvssV3") {
                scores.add(read_base_score(value), false);
            } else if (key == "cvssV2") {
                scores.add(read_base_score(value), true);
            } else if (key == "fix") {
                read_fix(value, finding);
            } else if (key == "fixedInVersion") {
                cursor_.read_string_into(value, finding.fixed_version);
            }
        });
        if (finding.url.empty()) {
            finding.url = std::move(first_url);
        }
        finding.title = first_line(description);
    }

    void read_fix(Value& fix, Finding& finding) {
        cursor_.for_each_field(fix, [&](std::string_view key, Value& value) {
            if (key == "state") {
                if (const auto state = cursor_.read_string(value)) {
                    finding.fix_state = fix_state_from(*state);
                }
            } else if (key == "versions") {
                cursor_.for_each_element(value, [&](Value& version) {
                    if (const auto text = cursor_.read_string(version); text && !text->empty()) {
                        if (!finding.fixed_version.empty()) {
                            finding.fixed_version += ", ";
                        }
                        finding.fixed_version += *text;
                    }
                });
            }
        });
    }

    // cvss: [{"version": "3.1", "metrics": {"baseScore": 9.8}}, ...]
    void read_cvss_list(Value& list, CvssScores& scores) {
        cursor_.for_each_element(list, [&](Value& entry) {
            std::string version;
            std::optional<double> score;
            cursor_.for_each_field(entry, [&](std::string_view key, Value& value) {
                if (key == "version") {
                    cursor_.read_string_into(value, version);
                } else if (key == "metrics") {
                    score = read_base_score(value);
                }
            });
            scores.add(score, version.starts_with("2"));
        });
    }

    std::optional<double> read_base_score(Value& metrics) {
        std::optional<double> score;
        cursor_.for_each_field(metrics, [&](std::string_view key, Value& value) {
            if (key == "baseScore") {
                score = cursor_.read_number(value);
            }
        });
        return score;
    }

    void read_artifact(Value& artifact, Finding& finding) {
        cursor_.for_each_field(artifact, [&](std::string_view key, Value& value) {
            if (key == "name") {
                cursor_.read_string_into(value, finding.package);
            } else if (key == "version") {
                cursor_.read_string_into(value, finding.version);
            } else if (key == "purl") {
                cursor_.read_string_into(value, finding.purl);
            } else if (key == "locations") {
                cursor_.for_each_element(value, [&](Value& location) {
                    if (finding.location) {
                        return;
                    }
                    std::string path;
                    if (cursor_.type_of(location) == Type::string) {
                        cursor_.read_string_into(location, path);
                    } else {
                        cursor_.for_each_field(location, [&](std::string_view location_key, Value& location_value) {
                            if (location_key == "path") {
                                cursor_.read_string_into(location_value, path);
                            }
                        });
                    }
                    if (!path.empty()) {
                        finding.location = Location{path};
                    }
                });
            }
        });
    }

    JsonCursor cursor_;
    Report report_;
    std::string target_;
    std::string source_type_;
    std::string scanner_name_;
    std::string version_;
};

}  // namespace

Report read_grype_report(JsonDocument& document) { return GrypeReader(document).read(); }

Report read_grype_report(JsonStream& stream) {
    JsonDocument document(stream.name(), JsonDocument::Fragments{});
    return GrypeReader(document).read(stream);
}

}  // namespace gantry
