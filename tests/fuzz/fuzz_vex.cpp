// libFuzzer target for the VEX reader (OpenVEX and CycloneDX VEX, told apart by content) and what
// scan-gate makes of a document: waivers (with vex-max-age, so dates are computed) and the match
// against a finding. gantry::Error is the expected outcome of bad input; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "gantry/base/error.hpp"
#include "gantry/vex/vex_document.hpp"
#include "scan-gate/vex_waivers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        std::vector<gantry::VexDocument> documents;
        documents.push_back(
            gantry::read_vex_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.vex.json"));
        scan_gate::vex_waivers(documents, 180);
        gantry::Finding finding;
        finding.id = "CVE-2022-23628";
        finding.aliases = {"GHSA-hcw3-j74m-qc58"};
        finding.purl = "pkg:golang/github.com/open-policy-agent/opa@v0.35.0";
        std::vector<std::string> warnings;
        scan_gate::match_vex_documents(documents, {finding}, warnings);
    } catch (const gantry::Error&) {
        // Bad input must end here: as an InputError, never as a crash or another exception.
    }
    return 0;
}
