// libFuzzer target for scan-gate's YAML policy files. gantry::Error is the expected outcome of bad
// input; anything else (another exception, a crash, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gantry/base/error.hpp"
#include "scan-gate/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        scan_gate::parse_policy_yaml(std::string(reinterpret_cast<const char*>(data), size), "fuzz-policy.yaml");
    } catch (const gantry::Error&) {
    }
    return 0;
}
