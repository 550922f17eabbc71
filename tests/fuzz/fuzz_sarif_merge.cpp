// libFuzzer target for the SARIF merger: any input either merges into a log that is valid JSON or is
// refused with gantry::Error; a crash, a sanitizer report or another exception is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/sarif/sarif_merger.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        gantry::SarifMerger merger({});
        merger.add_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.sarif");
        std::ostringstream out;
        merger.write(out);
        if (!nlohmann::json::accept(out.str())) __builtin_trap();  // the merged log must be JSON
    } catch (const gantry::Error&) {
    }
    return 0;
}
