// OSV-Scanner JSON (`osv-scanner --format json`): results[] of {source: {path, type}, packages[]}, each
// package {package: {name, version, ecosystem, commit}, vulnerabilities[] (OSV records), groups[]}.
//
// A group is one vulnerability known under several ids (GHSA-... and RUSTSEC-... of one bug): its
// `ids` are records in `vulnerabilities`, its `aliases` every id they are known by, and (OSV-Scanner
// 1.7 and later) `max_severity` the highest CVSS base score of its records, as a string ("7.5"; empty
// when none). So a finding is a group; a package without groups (older versions) gives one finding
// per record. Severity, in this order: max_severity; else the highest CVSS v3.x base score computed
// from the records' vectors (`severity[]` of type CVSS_V3, cvss.hpp); else the records'
// database_specific.severity (GitHub's words: HIGH, MODERATE...). CVSS v4.0 vectors are not scored
// here (their score is a table lookup, not a formula): OSV-Scanner's max_severity covers them. The
// finding's message says which of the three decided. Fixed versions are the `fixed` events of the
// record's affected[] entries for this package (every range: which one holds the installed version
// depends on the ecosystem's version ordering, left to the reader of the list).
// Package origin: a result whose source type is "docker" (an image scanned by OSV-Scanner 1.x
// --docker) is an image's; any other (lockfile, sbom, git) names dependencies of its source path.
// `results` is a common key (Semgrep, Bandit): an element without `source` and `packages` is an error,
// never silently zero findings.
#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "gantry/findings/cvss.hpp"
#include "gantry/findings/report_formats.hpp"
#include "gantry/json/json_cursor.hpp"

namespace gantry {
namespace {

using Value = JsonCursor::Value;
using Type = JsonCursor::Type;

struct AffectedPackage {
    std::string name;
    std::vector<std::string> fixed;
};

// One OSV record, reduced to what a finding needs.
struct Record {
    std::string id;
    std::vector<std::string> aliases;
    std::string title;
    std::string url;
    std::optional<double> cvss3_score;  // highest computed from its CVSS_V3 vectors
    std::string cvss3_vector;           // the vector that gave it
    std::optional<Severity> database_severity;
    std::vector<std::string> fixed_versions;
    std::vector<std::string> cwes;
    std::vector<AffectedPackage> affected;
};

struct Group {
    std::vector<std::string> ids;
    std::vector<std::string> aliases;
    std::optional<double> max_severity;
};

void add_unique(std::vector<std::string>& list, std::string_view value) {
    if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) {
        list.emplace_back(value);
    }
}

std::optional<double> parse_score(std::string_view text) {
    double score = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), score);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return score;
}

class OsvScannerReader {
public:
    explicit OsvScannerReader(JsonDocument& document) : cursor_(document) {}

    Report read() {
        report_.path = cursor_.document().name();
        report_.format = ReportFormat::OsvScanner;
        report_.scanner = "osv-scanner";
        auto root = cursor_.document().root_object();
        cursor_.for_each_field(root, [&](std::string_view key, Value& value) {
            if (key == "results") {
                cursor_.for_each_element(value, [&](Value& result) { read_result(result); });
            }
        });
        cursor_.document().expect_end();
        const SharedText scanner("osv-scanner");
        const SharedText source_file(report_.path);
        for (Finding& finding : report_.findings) {
            finding.scanner = scanner;
            finding.source_file = source_file;
        }
        return std::move(report_);
    }

private:
    void read_result(Value& result) {
        std::string target;
        std::string source_type;
        bool recognised = false;
        const std::size_t first = report_.findings.size();
        cursor_.for_each_field(result, [&](std::string_view key, Value& value) {
            if (key == "source" || key == "packageSource") {  // packageSource: OSV-Scanner before 1.3
                recognised = true;
                cursor_.for_each_field(value, [&](std::string_view source_key, Value& source_value) {
                    if (source_key == "path") {
                        cursor_.read_string_into(source_value, target);
                    } else if (source_key == "type") {
                        cursor_.read_string_into(source_value, source_type);
                    }
                });
            } else if (key == "packages") {
                recognised = true;
                cursor_.for_each_element(value, [&](Value& package) { read_package(package); });
            }
        });
        if (!recognised) {
            cursor_.fail("expected an OSV-Scanner result, an object with `source` and `packages` (is this another "
                         "scanner's `results`?)");
        }
        const bool image = source_type == "docker";
        for (std::size_t i = first; i < report_.findings.size(); ++i) {
            Finding& finding = report_.findings[i];
            finding.target = target;
            finding.origin = image ? PackageOrigin::Image : PackageOrigin::Dependency;
            if (!image) finding.dependency_file = target;
        }
    }

    void read_package(Value& package_entry) {
        std::string name;
        std::string version;
        std::string commit;
        std::vector<Record> records;
        std::vector<Group> groups;
        cursor_.for_each_field(package_entry, [&](std::string_view key, Value& value) {
            if (key == "package") {
                cursor_.for_each_field(value, [&](std::string_view package_key, Value& package_value) {
                    if (package_key == "name") {
                        cursor_.read_string_into(package_value, name);
                    } else if (package_key == "version") {
                        cursor_.read_string_into(package_value, version);
                    } else if (package_key == "commit") {
                        cursor_.read_string_into(package_value, commit);
                    }
                });
            } else if (key == "vulnerabilities") {
                cursor_.for_each_element(value, [&](Value& record) { records.push_back(read_record(record)); });
            } else if (key == "groups") {
                cursor_.for_each_element(value, [&](Value& group) { groups.push_back(read_group(group)); });
            }
        });
        // The package key may follow the records: fixed versions are picked by name only now.
        for (Record& record : records) {
            record.fixed_versions = fixed_versions_of(record, name);
        }
        if (groups.empty()) {
            for (const Record& record : records) {
                groups.push_back(Group{{record.id}, record.aliases, std::nullopt});
            }
        }
        for (const Group& group : groups) {
            add_finding(group, records, name.empty() ? commit : name, name.empty() ? commit : version);
        }
    }

    void add_finding(const Group& group, const std::vector<Record>& records, const std::string& package,
                     const std::string& version) {
        Finding finding;
        finding.kind = FindingKind::Vulnerability;
        finding.package = package;
        finding.version = version;
        finding.id = group.ids.empty() ? std::string() : group.ids.front();
        std::optional<double> computed;
        std::string computed_vector;
        std::optional<Severity> database_severity;
        std::vector<std::string> fixed;
        std::vector<std::string> cwes;
        for (const std::string& id : group.ids) {
            add_alias(finding, id);
            const auto record = std::find_if(records.begin(), records.end(), [&](const Record& r) { return r.id == id; });
            if (record == records.end()) {
                continue;
            }
            for (const std::string& alias : record->aliases) {
                add_alias(finding, alias);
            }
            if (finding.title.empty()) {
                finding.title = record->title;
            }
            if (finding.url.empty()) {
                finding.url = record->url;
            }
            if (record->cvss3_score && (!computed || *record->cvss3_score > *computed)) {
                computed = record->cvss3_score;
                computed_vector = record->cvss3_vector;
            }
            if (record->database_severity && (!database_severity || *record->database_severity > *database_severity)) {
                database_severity = record->database_severity;
            }
            for (const std::string& version_fixed : record->fixed_versions) {
                add_unique(fixed, version_fixed);
            }
            for (const std::string& cwe : record->cwes) {
                add_unique(cwes, cwe);
            }
        }
        for (const std::string& alias : group.aliases) {
            add_alias(finding, alias);
        }
        if (finding.id.empty() && !finding.aliases.empty()) {
            finding.id = finding.aliases.front();
        }
        tidy_aliases(finding);

        std::string decided;
        if (group.max_severity) {
            finding.cvss_score = group.max_severity;
            finding.severity = severity_from_score(*group.max_severity);
            decided = fmt::format("severity from OSV-Scanner's max_severity {}", *group.max_severity);
        } else if (computed) {
            finding.cvss_score = computed;
            finding.severity = severity_from_score(*computed);
            decided = fmt::format("severity from the CVSS base score {} of {}", *computed, computed_vector);
        } else if (database_severity) {
            finding.severity = *database_severity;
            decided = "severity from the advisory database (no CVSS score)";
        }
        for (const std::string& version_fixed : fixed) {
            finding.fixed_version += (finding.fixed_version.empty() ? "" : ", ") + version_fixed;
        }
        if (!fixed.empty()) {
            finding.fix_state = FixState::Fixed;
        }
        std::string cwe_list;
        for (const std::string& cwe : cwes) {
            cwe_list += (cwe_list.empty() ? "" : ", ") + cwe;
        }
        finding.message = cwe_list.empty() ? decided : (decided.empty() ? cwe_list : cwe_list + "; " + decided);
        report_.findings.push_back(std::move(finding));
    }

    Group read_group(Value& group_value) {
        Group group;
        cursor_.for_each_field(group_value, [&](std::string_view key, Value& value) {
            if (key == "ids" || key == "aliases") {
                auto& list = key == "ids" ? group.ids : group.aliases;
                cursor_.for_each_element(value, [&](Value& id) {
                    if (const auto text = cursor_.read_string(id)) {
                        add_unique(list, *text);
                    }
                });
            } else if (key == "max_severity") {
                if (const auto text = cursor_.read_string(value); text && !text->empty()) {
                    group.max_severity = parse_score(*text);
                    if (!group.max_severity) {
                        cursor_.fail(fmt::format("expected a CVSS score such as \"7.5\", found \"{}\"", *text));
                    }
                }
            }
        });
        return group;
    }

    Record read_record(Value& record_value) {
        Record record;
        std::string first_url;
        std::string details_line;
        cursor_.for_each_field(record_value, [&](std::string_view key, Value& value) {
            if (key == "id") {
                cursor_.read_string_into(value, record.id);
            } else if (key == "aliases") {
                cursor_.for_each_element(value, [&](Value& alias) {
                    if (const auto text = cursor_.read_string(alias)) {
                        add_unique(record.aliases, *text);
                    }
                });
            } else if (key == "summary") {
                if (const auto text = cursor_.read_string(value)) {
                    record.title = first_line(*text);
                }
            } else if (key == "details") {
                if (const auto text = cursor_.read_string(value)) {
                    details_line = first_line(*text);
                }
            } else if (key == "severity") {
                cursor_.for_each_element(value, [&](Value& severity) { read_severity(severity, record); });
            } else if (key == "references") {
                cursor_.for_each_element(value, [&](Value& reference) {
                    std::string type;
                    std::string url;
                    cursor_.for_each_field(reference, [&](std::string_view reference_key, Value& reference_value) {
                        if (reference_key == "type") {
                            cursor_.read_string_into(reference_value, type);
                        } else if (reference_key == "url") {
                            cursor_.read_string_into(reference_value, url);
                        }
                    });
                    if (type == "ADVISORY" && record.url.empty()) {
                        record.url = url;
                    }
                    if (first_url.empty()) {
                        first_url = url;
                    }
                });
            } else if (key == "affected") {
                cursor_.for_each_element(value, [&](Value& affected) { record.affected.push_back(read_affected(affected)); });
            } else if (key == "database_specific") {
                read_database_specific(value, record);
            }
        });
        if (record.url.empty()) {
            record.url = std::move(first_url);
        }
        if (record.title.empty()) {
            record.title = std::move(details_line);
        }
        return record;
    }

    void read_severity(Value& severity, Record& record) {
        std::string type;
        std::string score;
        cursor_.for_each_field(severity, [&](std::string_view key, Value& value) {
            if (key == "type") {
                cursor_.read_string_into(value, type);
            } else if (key == "score") {
                cursor_.read_string_into(value, score);
            }
        });
        if (type != "CVSS_V3") {
            return;  // CVSS_V2, CVSS_V4 (not a formula) and ecosystem ratings (Ubuntu): see the file comment
        }
        if (const auto computed = cvss3_base_score(score); computed && (!record.cvss3_score || *computed > *record.cvss3_score)) {
            record.cvss3_score = computed;
            record.cvss3_vector = score;
        }
    }

    AffectedPackage read_affected(Value& affected) {
        AffectedPackage package;
        cursor_.for_each_field(affected, [&](std::string_view key, Value& value) {
            if (key == "package") {
                cursor_.for_each_field(value, [&](std::string_view package_key, Value& package_value) {
                    if (package_key == "name") {
                        cursor_.read_string_into(package_value, package.name);
                    }
                });
            } else if (key == "ranges") {
                cursor_.for_each_element(value, [&](Value& range) {
                    cursor_.for_each_field(range, [&](std::string_view range_key, Value& range_value) {
                        if (range_key != "events") {
                            return;
                        }
                        cursor_.for_each_element(range_value, [&](Value& event) {
                            cursor_.for_each_field(event, [&](std::string_view event_key, Value& event_value) {
                                if (event_key == "fixed") {
                                    if (const auto text = cursor_.read_string(event_value)) {
                                        add_unique(package.fixed, *text);
                                    }
                                }
                            });
                        });
                    });
                });
            }
        });
        return package;
    }

    // database_specific is free-form (each database writes its own): read what has the expected type,
    // skip the rest instead of failing on it.
    void read_database_specific(Value& value, Record& record) {
        if (cursor_.type_of(value) != Type::object) {
            return;
        }
        cursor_.for_each_field(value, [&](std::string_view key, Value& field) {
            const Type type = cursor_.type_of(field);
            if (key == "severity" && type == Type::string) {
                if (const auto text = cursor_.read_string(field)) {
                    record.database_severity = parse_severity(*text);
                }
            } else if (key == "cwe_ids" && type == Type::array) {
                cursor_.for_each_element(field, [&](Value& cwe) {
                    if (cursor_.type_of(cwe) == Type::string) {
                        add_unique(record.cwes, cursor_.read_string(cwe).value_or(std::string_view{}));
                    }
                });
            }
        });
    }

    static std::vector<std::string> fixed_versions_of(const Record& record, const std::string& package_name) {
        std::vector<std::string> fixed;
        for (const AffectedPackage& affected : record.affected) {
            if (affected.name.empty() || affected.name == package_name) {
                for (const std::string& version : affected.fixed) {
                    add_unique(fixed, version);
                }
            }
        }
        return fixed;
    }

    JsonCursor cursor_;
    Report report_;
};

}  // namespace

Report read_osv_scanner_report(JsonDocument& document) { return OsvScannerReader(document).read(); }

}  // namespace gantry
