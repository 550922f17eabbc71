// Waivers: accepted findings, each with a reason and (normally) an expiry date.
//
// Four file formats are read as they are and told apart by content, not by name:
//   gantry YAML      `waivers: [{id, reason, expires, purl?, path?, owner?}]` (or a bare list)
//   .trivyignore     one id per line, optional `exp:YYYY-MM-DD`, `#` comments (the comment lines just
//                    above an id become its reason)
//   .trivyignore.yaml `vulnerabilities|misconfigurations|secrets|licenses: [{id, paths, purls,
//                    expired_at, statement}]`
//   .grype.yaml      `ignore: [{vulnerability, fix-state, package: {name, version, type, location}}]`
// In gantry files `reason` is required and `expires` is required unless the policy allows permanent
// waivers; the foreign formats keep their own rules (no expiry in Grype), and an entry without expiry
// is reported as permanent. VEX statements (vex_waivers.hpp) become waivers too, with the formats
// OpenVex and CycloneDxVex, the statement's aliases and the JSON pointer of the statement.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gantry/findings/finding.hpp"
#include "scan-gate/calendar_date.hpp"
#include "scan-gate/policy.hpp"

namespace scan_gate {

enum class WaiverFormat { Gantry, TrivyIgnore, TrivyIgnoreYaml, GrypeConfig, OpenVex, CycloneDxVex };
std::string_view to_string(WaiverFormat format);

// What a VEX statement said, for the explanation.
struct VexNote {
    std::string status;            // "not_affected", "fixed", "false_positive", "resolved", ...
    std::string justification;
    std::string impact_statement;
    std::optional<CalendarDate> date;  // when the statement was last known true
};

struct Waiver {
    std::string id;                // empty = any id (Grype rules can match by package alone)
    std::vector<std::string> aliases;  // other ids of the same vulnerability (VEX): id or any alias matches
    std::vector<std::string> purls;  // any of; a purl without @version matches every version
    std::vector<std::string> paths;  // globs against target or file; any of
    std::string package_name;      // Grype package rules
    std::string package_version;
    std::string package_type;      // purl type: npm, deb, maven...
    std::optional<gantry::FixState> fix_state;
    std::optional<gantry::FindingKind> kind;  // .trivyignore.yaml section
    std::string reason;
    std::optional<CalendarDate> expires;  // applies through that day (UTC)
    std::string owner;
    WaiverFormat format = WaiverFormat::Gantry;
    std::string file;
    int line = 0;
    std::string pointer;           // JSON pointer of a VEX statement in `file`
    std::optional<VexNote> vex;    // set for waivers read from VEX documents

    // "file:line", or "file#/statements/0" (RFC 6901 section 6) for a VEX statement.
    std::string where() const {
        return file + (line > 0 ? ":" + std::to_string(line) : "") + (pointer.empty() ? "" : "#" + pointer);
    }
    bool is_vex() const { return vex.has_value(); }
};

std::vector<Waiver> load_waiver_file(const std::filesystem::path& path, PermanentWaivers permanent);
std::vector<Waiver> parse_waivers(const std::string& text, const std::string& name, PermanentWaivers permanent);

// Whether the waiver covers the finding (expiry is not considered here).
bool waiver_matches(const Waiver& waiver, const gantry::Finding& finding);

}  // namespace scan_gate
