// VEX documents: statements that a vulnerability does or does not affect a product.
//
// Two kinds are read, told apart by content: OpenVEX (0.2.0, and 0.0.x documents that write the
// vulnerability and products as plain strings) and CycloneDX VEX (a BOM, JSON 1.4-1.6, whose
// vulnerabilities[] carry analysis.state). Both become the same VexStatement: the vulnerability's
// ids (its name or id first, then its aliases), the purls of the products it speaks about, the
// status as the document wrote it, the justification and the free-text impact statement, and the UTC
// day the statement was last known true. A CycloneDX ref is resolved to the purl of the component
// with that bom-ref in the same BOM; a BOM-link (urn:cdx:serial/version#ref) or a ref that is itself a
// purl gives that purl; refs that name nothing with a purl are kept as unresolved, so a caller can say
// why a statement matches nothing. Bad documents throw InputError with the file, the JSON pointer
// and what was expected; nothing else is thrown.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/findings/finding.hpp"

namespace gantry {

class JsonDocument;

enum class VexFormat { OpenVex, CycloneDx };
std::string_view to_string(VexFormat format);  // "openvex", "cyclonedx"

// OpenVEX statuses and CycloneDX analysis states on one scale; NotAffected is shared.
enum class VexStatus {
    NotAffected,          // both
    Fixed,                // OpenVEX
    Affected,             // OpenVEX
    UnderInvestigation,   // OpenVEX
    Resolved,             // CycloneDX
    ResolvedWithPedigree, // CycloneDX
    FalsePositive,        // CycloneDX
    Exploitable,          // CycloneDX
    InTriage,             // CycloneDX
};
std::string_view to_string(VexStatus status);  // as the spec writes it: "not_affected", "in_triage", ...

// Whether a statement with this status takes a finding off the gate: not_affected, fixed,
// false_positive and resolved (with or without pedigree) do; the others record work in progress
// or confirm the finding.
enum class VexEffect { Waives, WaivesNothing };
VexEffect effect_of(VexStatus status);

struct VexStatement {
    std::vector<std::string> vulnerability_ids;  // the name or id first, then aliases; never empty
    std::vector<std::string> products;           // purls (OpenVEX: subcomponents when given, else products)
    std::vector<std::string> unresolved_refs;    // CycloneDX affects[].ref naming no component with a purl
    VexStatus status = VexStatus::UnderInvestigation;
    std::string justification;                   // the spec's justification label, when given
    std::string impact_statement;                // OpenVEX impact_statement / CycloneDX analysis.detail
    // The UTC day the statement was last known true: its own last_updated or timestamp (CycloneDX
    // analysis.lastUpdated or firstIssued), else the document's. nullopt when nothing says.
    std::optional<std::chrono::sys_days> date;
    std::string pointer;                         // JSON pointer of the statement in its document
};

struct VexDocument {
    std::string path;
    VexFormat format = VexFormat::OpenVex;
    std::string id;  // OpenVEX @id / CycloneDX serialNumber; may be empty
    std::vector<VexStatement> statements;
};

VexDocument read_vex_document(const std::filesystem::path& path);
VexDocument read_vex_text(std::string_view text, const std::string& name);

// True when the statement speaks about the finding: one of its vulnerability ids equals the finding's
// id or one of its aliases (case-insensitively), and one of its product purls names the finding's
// package (package_url_matches). Findings without a purl are never covered.
bool vex_statement_covers(const VexStatement& statement, const Finding& finding);

// The UTC day of an RFC 3339 date-time ("2023-01-16T19:07:16.85-06:00" -> 2023-01-17); a plain
// date is accepted too. nullopt for anything else.
std::optional<std::chrono::sys_days> parse_rfc3339_day(std::string_view text);

// The readers, one per kind, over a document positioned at its start (vex_document.cpp sniffs).
VexDocument read_openvex(JsonDocument& document);
VexDocument read_cyclonedx_vex(JsonDocument& document);

}  // namespace gantry
