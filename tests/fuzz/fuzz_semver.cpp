// libFuzzer target for the SemVer 2.0.0 parser and precedence. Every input either parses or is
// rejected (nullopt and a non-empty problem, InputError from require_); a parsed version must print
// back to the same text, re-parse to an identical version, and order consistently (antisymmetric,
// equal to itself, its release not below it). Anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gantry/base/error.hpp"
#include "gantry/semver/semantic_version.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    // Two versions: the input split at its first newline.
    const std::size_t split = input.find('\n');
    const std::string_view a_text = input.substr(0, split);
    const std::string_view b_text = split == std::string_view::npos ? std::string_view() : input.substr(split + 1);
    const auto a = gantry::parse_semantic_version(a_text);
    if (a.has_value() != gantry::semantic_version_problem(a_text).empty()) std::abort();
    try {
        (void)gantry::require_semantic_version(a_text, "fuzz");
    } catch (const gantry::Error&) {
    }
    if (!a) return 0;
    if (a->to_string() != a_text) std::abort();
    const auto again = gantry::parse_semantic_version(a->to_string());
    if (!again || !again->identical_to(*a)) std::abort();
    if ((*a <=> *a) != 0 || a->release() < *a) std::abort();
    if (const auto b = gantry::parse_semantic_version(b_text)) {
        if ((*a < *b) != (*b > *a) || ((*a == *b) != (*b == *a))) std::abort();
    }
    return 0;
}
