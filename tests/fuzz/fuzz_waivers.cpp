// libFuzzer target for waiver files in all four formats (gantry YAML, .trivyignore,
// .trivyignore.yaml, .grype.yaml), told apart by content as in production.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gantry/base/error.hpp"
#include "scan-gate/waiver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        scan_gate::parse_waivers(std::string(reinterpret_cast<const char*>(data), size), "fuzz-waivers",
                                 scan_gate::PermanentWaivers::Rejected);
    } catch (const gantry::Error&) {
    }
    return 0;
}
