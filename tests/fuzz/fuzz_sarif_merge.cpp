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
        // GitHub's limits and a filter on, so the trimming and filtering paths see hostile input too.
        gantry::SarifMergeOptions options;
        options.target = gantry::UploadTarget::Github;
        options.filter.min_level = gantry::SarifLevel::Note;
        options.filter.exclude_paths = {"vendor/**"};
        gantry::SarifMerger merger(options);
        merger.add_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.sarif");
        std::ostringstream out;
        merger.write(out);
        if (!nlohmann::json::accept(out.str())) __builtin_trap();  // the merged log must be JSON
        // The same input through the streaming reader that files above 64 MiB take.
        options.stream_above_bytes = 0;
        gantry::SarifMerger streamed(options);
        streamed.add_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.sarif");
        std::ostringstream streamed_out;
        streamed.write(streamed_out);
        if (!nlohmann::json::accept(streamed_out.str())) __builtin_trap();
    } catch (const gantry::Error&) {
    }
    return 0;
}
