// npm audit JSON, report version 2 (npm 7 and later): {auditReportVersion: 2, vulnerabilities: {}, metadata}.
//
// `vulnerabilities` is keyed by package name. Each entry's `via` lists why the package is vulnerable:
// an object is an advisory about this package itself (source, name, title, url, severity, cwe, cvss,
// range); a string names another vulnerable package this one depends on, whose own entry carries
// the advisory. So a finding is one advisory object - a string adds nothing to count, or the same
// advisory would be counted once for every package on the path to it. The finding's severity is the
// advisory's own, not the entry's (which is the highest over its `via`, transitive ones included).
// npm audit does not name the installed version: the finding keeps the entry's vulnerable `range`
// in its message and leaves the version empty. `fixAvailable` is true (npm audit fix works), false,
// or the package and version `npm audit fix` would install to fix it (isSemVerMajor: a breaking
// upgrade). Report version 1 (npm 6: advisories{}, actions[]) is a different format: an InputError.
// Every finding is a dependency of package-lock.json: npm audit reads the project's lock file (or
// npm-shrinkwrap.json, which it does not tell apart in the report).
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "gantry/findings/report_formats.hpp"
#include "gantry/json/json_cursor.hpp"

namespace gantry {
namespace {

using Value = JsonCursor::Value;
using Type = JsonCursor::Type;

constexpr std::string_view kAdvisoryUrlPrefix = "https://github.com/advisories/";

class NpmAuditReader {
public:
    explicit NpmAuditReader(JsonDocument& document) : cursor_(document) {}

    Report read() {
        report_.path = cursor_.document().name();
        report_.format = ReportFormat::NpmAudit;
        report_.scanner = "npm audit";
        auto root = cursor_.document().root_object();
        cursor_.for_each_field(root, [&](std::string_view key, Value& value) {
            if (key == "auditReportVersion") {
                const auto version = cursor_.read_number(value);
                if (version && *version != 2) {
                    cursor_.fail(fmt::format("npm audit report version {} is not read: only version 2 (npm 7 and "
                                             "later; run `npm audit --json` with a current npm)",
                                             *version));
                }
            } else if (key == "vulnerabilities") {
                cursor_.for_each_field(value, [&](std::string_view name, Value& entry) { read_entry(name, entry); });
            }
        });
        cursor_.document().expect_end();
        const SharedText scanner("npm audit");
        const SharedText source_file(report_.path);
        for (Finding& finding : report_.findings) {
            finding.scanner = scanner;
            finding.source_file = source_file;
        }
        return std::move(report_);
    }

private:
    struct Fix {
        FixState state = FixState::Unknown;
        std::string version;  // "4.18.3", or "express@4.18.3" when another package is upgraded
        bool breaking = false;
    };

    void read_entry(std::string_view name, Value& entry) {
        const std::size_t first = report_.findings.size();
        std::string range;
        std::string node;
        Fix fix;
        cursor_.for_each_field(entry, [&](std::string_view key, Value& value) {
            if (key == "via") {
                cursor_.for_each_element(value, [&](Value& via) {
                    // A string is a dependency that is itself vulnerable: its own entry counts it.
                    if (cursor_.type_of(via) == Type::string) {
                        return;
                    }
                    read_advisory(name, via);
                });
            } else if (key == "range") {
                cursor_.read_string_into(value, range);
            } else if (key == "nodes") {
                cursor_.for_each_element(value, [&](Value& path) {
                    if (node.empty()) {
                        cursor_.read_string_into(path, node);
                    }
                });
            } else if (key == "fixAvailable") {
                fix = read_fix(name, value);
            }
        });
        for (std::size_t i = first; i < report_.findings.size(); ++i) {
            Finding& finding = report_.findings[i];
            finding.fix_state = fix.state;
            finding.fixed_version = fix.version;
            std::string where = range.empty() ? std::string() : "vulnerable versions " + range;
            if (fix.breaking) {
                where += (where.empty() ? "" : "; ") + std::string("the fix is a semver-major upgrade");
            }
            if (!where.empty()) {
                finding.message = finding.message.empty() ? where : finding.message + "; " + where;
            }
            finding.target = node;  // where it is installed: node_modules/debug
            finding.origin = PackageOrigin::Dependency;
            finding.dependency_file = "package-lock.json";
        }
    }

    void read_advisory(std::string_view entry_name, Value& via) {
        Finding finding;
        finding.kind = FindingKind::Vulnerability;
        std::optional<double> source;
        std::string cwes;
        cursor_.for_each_field(via, [&](std::string_view key, Value& value) {
            if (key == "source") {
                source = cursor_.read_number(value);
            } else if (key == "name") {
                cursor_.read_string_into(value, finding.package);
            } else if (key == "title") {
                if (const auto title = cursor_.read_string(value)) {
                    finding.title = first_line(*title);
                }
            } else if (key == "url") {
                cursor_.read_string_into(value, finding.url);
            } else if (key == "severity") {
                if (const auto text = cursor_.read_string(value)) {
                    finding.severity = parse_severity(*text).value_or(Severity::Unknown);
                }
            } else if (key == "cwe") {
                cursor_.for_each_element(value, [&](Value& cwe) {
                    if (const auto text = cursor_.read_string(cwe); text && !text->empty()) {
                        cwes += (cwes.empty() ? "" : ", ") + std::string(*text);
                    }
                });
            } else if (key == "cvss") {
                cursor_.for_each_field(value, [&](std::string_view cvss_key, Value& cvss_value) {
                    // npm writes {"score": 0, "vectorString": null} for an advisory without CVSS.
                    if (cvss_key == "score") {
                        if (const auto score = cursor_.read_number(cvss_value); score && *score > 0) {
                            finding.cvss_score = score;
                        }
                    }
                });
            }
        });
        if (finding.package.empty()) {
            finding.package = entry_name;
        }
        // The GitHub advisory is the id other scanners use too (with the CVE as its alias); the npm
        // advisory number is npm's own.
        if (finding.url.starts_with(kAdvisoryUrlPrefix)) {
            finding.id = finding.url.substr(kAdvisoryUrlPrefix.size());
        }
        const std::string npm_id = source ? fmt::format("npm:{}", static_cast<long long>(*source)) : std::string();
        if (finding.id.empty()) {
            finding.id = npm_id;
        } else {
            add_alias(finding, npm_id);
        }
        if (!cwes.empty()) {
            finding.message = cwes;
        }
        if (finding.id.empty()) {
            cursor_.fail("an advisory in `via` has neither a `url` nor a `source`: expected either to identify it");
        }
        tidy_aliases(finding);
        report_.findings.push_back(std::move(finding));
    }

    Fix read_fix(std::string_view name, Value& value) {
        Fix fix;
        const Type type = cursor_.type_of(value);
        if (type == Type::boolean) {
            bool available = false;
            if (value.get_bool().get(available)) {
                cursor_.fail_expected("true, false or an object", type);
            }
            fix.state = available ? FixState::Fixed : FixState::NotFixed;
            return fix;
        }
        if (type != Type::object && type != Type::null) {
            cursor_.fail_expected("true, false or an object", type);
        }
        std::string package;
        std::string version;
        cursor_.for_each_field(value, [&](std::string_view key, Value& field) {
            if (key == "name") {
                cursor_.read_string_into(field, package);
            } else if (key == "version") {
                cursor_.read_string_into(field, version);
            } else if (key == "isSemVerMajor") {
                const Type field_type = cursor_.type_of(field);
                if (field_type == Type::null) {
                    return;
                }
                if (field_type != Type::boolean) {
                    cursor_.fail_expected("a boolean", field_type);
                }
                bool major = false;
                if (field.get_bool().get(major)) {
                    cursor_.fail_expected("a boolean", field_type);
                }
                fix.breaking = major;
            }
        });
        if (type == Type::object) {
            fix.state = FixState::Fixed;
            fix.version = package.empty() || package == name ? version : package + "@" + version;
        }
        return fix;
    }

    JsonCursor cursor_;
    Report report_;
};

}  // namespace

Report read_npm_audit_report(JsonDocument& document) { return NpmAuditReader(document).read(); }

}  // namespace gantry
