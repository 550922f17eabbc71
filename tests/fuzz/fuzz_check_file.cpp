// libFuzzer target for smoke-test's check files and inline --check specifications. gantry::Error is
// the expected outcome of bad input; anything else (another exception, a crash, a sanitizer report)
// is a bug. The first line of the input is also read as an inline check.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "gantry/base/error.hpp"
#include "gantry/checks/check_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const gantry::Environment environment(std::map<std::string, std::string>{{"HOST", "127.0.0.1:8080"}, {"TOKEN", "t"}});
    gantry::checks::CheckDefaults defaults;
    defaults.base_url = "http://${HOST}";
    try {
        gantry::checks::Variables variables(environment);
        gantry::checks::read_check_file(text, "fuzz-checks.yml", variables, defaults);
    } catch (const gantry::Error&) {
    }
    try {
        gantry::checks::Variables variables(environment);
        gantry::checks::parse_inline_check(text.substr(0, text.find('\n')), 1, variables, defaults);
    } catch (const gantry::Error&) {
    }
    return 0;
}
