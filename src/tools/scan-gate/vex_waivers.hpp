// VEX documents (--vex) as waivers: a statement that a vulnerability does not affect a package
// (not_affected, fixed, false_positive, resolved) waives the findings it covers, explained by its status,
// justification and impact statement; other statuses waive nothing.
//
// Statements carry no expiry. With the policy's vex-max-age, a statement whose date (its own, else its
// document's) is older than that is an expired waiver: reported, and no longer applied. Between
// statements about the same vulnerability and package, the later one decides (OpenVEX's rule): a
// waiving statement followed by an affected or under_investigation one waives nothing, and a warning
// says so. A document none of whose statements speak about any finding is a warning too: it usually
// means the purls or ids do not meet the scanner's, which silence would hide.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gantry/findings/finding.hpp"
#include "gantry/vex/vex_document.hpp"
#include "scan-gate/waiver.hpp"

namespace scan_gate {

std::vector<gantry::VexDocument> load_vex_files(const std::vector<std::string>& paths);

struct VexWaivers {
    std::vector<Waiver> waivers;
    std::vector<std::string> warnings;
};

VexWaivers vex_waivers(const std::vector<gantry::VexDocument>& documents, std::optional<int> max_age_days);

// What one document contributed, for the JSON verdict.
struct VexDocumentInfo {
    std::string path;
    gantry::VexFormat format = gantry::VexFormat::OpenVex;
    std::size_t statements = 0;
    std::size_t findings_covered = 0;  // findings any of its statements speaks about, whatever the status
};

// Per document, how many findings its statements speak about; a warning for each that speaks about none.
std::vector<VexDocumentInfo> match_vex_documents(const std::vector<gantry::VexDocument>& documents,
                                                 const gantry::FindingList& findings,
                                                 std::vector<std::string>& warnings);

}  // namespace scan_gate
