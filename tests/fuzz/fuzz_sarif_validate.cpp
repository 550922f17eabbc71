// libFuzzer target for `sarif-merge validate`: any input is either judged (problems are values) or
// refused with gantry::Error when it is not JSON; a crash, a sanitizer report or another exception
// is a bug. Every problem must carry a JSON pointer that is empty or starts with "/".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gantry/base/error.hpp"
#include "gantry/sarif/sarif_validator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const gantry::SarifValidator validator;
        const auto validation =
            validator.validate_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.sarif");
        for (const auto& problem : validation.problems) {
            if (!problem.pointer.empty() && problem.pointer.front() != '/') __builtin_trap();
        }
        if (validation.problems.size() > validation.errors + validation.warnings) __builtin_trap();
    } catch (const gantry::Error&) {
    }
    return 0;
}
