// libFuzzer target for reading npm audit JSON reports (version 2). The seed corpus (corpus/fuzz_npm_audit_report) steers the
// input towards that format; the format is still sniffed from the content, as in production.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "gantry/base/error.hpp"
#include "gantry/findings/dedupe.hpp"
#include "gantry/findings/report_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        gantry::Report report =
            gantry::read_report_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.npm-audit.json");
        gantry::deduplicate(std::move(report.findings));
    } catch (const gantry::Error&) {
        // Bad input must end here: as an InputError, never as a crash or another exception.
    }
    return 0;
}
