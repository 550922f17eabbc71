// Semantic Versioning 2.0.0 versions: parsing and precedence, exactly as semver.org specifies.
//
// parse_semantic_version() accepts exactly the grammar of SemVer 2.0.0 (MAJOR.MINOR.PATCH, numeric
// identifiers without leading zeros, optional -pre.release and +build.metadata made of
// [0-9A-Za-z-] identifiers, none empty) and nothing else: no "v" prefix, no whitespace, no
// missing parts. Numbers larger than 2^64-1 are rejected rather than wrapped. Precedence (the
// <=> of SemanticVersion) follows section 11: major, minor, patch numerically; a pre-release
// sorts below its release; pre-release identifiers compare left to right, numeric ones
// numerically (and below alphanumeric ones), alphanumeric ones in ASCII order, a shorter list
// below a longer one with an equal prefix; build metadata is ignored. operator== is precedence
// equality too (1.0.0+a == 1.0.0+b); identical_to() compares every part.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry {

struct SemanticVersion {
    std::uint64_t major = 0;
    std::uint64_t minor = 0;
    std::uint64_t patch = 0;
    std::vector<std::string> prerelease;  // identifiers between '-' and '+', e.g. {"rc", "1"}
    std::vector<std::string> build;       // identifiers after '+'

    bool is_prerelease() const { return !prerelease.empty(); }
    // Same major.minor.patch and pre-release, without build metadata: the version a tag names.
    SemanticVersion without_build() const;
    // Same major.minor.patch only.
    SemanticVersion release() const;
    bool identical_to(const SemanticVersion& other) const;

    std::string to_string() const;  // canonical text: "1.2.3-rc.1+build.5"

    std::strong_ordering operator<=>(const SemanticVersion& other) const;
    bool operator==(const SemanticVersion& other) const { return (*this <=> other) == 0; }
};

// The version `text` denotes, or nullopt when it is not SemVer 2.0.0.
std::optional<SemanticVersion> parse_semantic_version(std::string_view text);

// The same, throwing InputError naming `what` (e.g. "--initial-version") and the first offending
// character when `text` is not SemVer 2.0.0.
SemanticVersion require_semantic_version(std::string_view text, std::string_view what);

// Why `text` is not a SemVer 2.0.0 version ("" when it is one): e.g. "leading zero in the minor
// version at column 3".
std::string semantic_version_problem(std::string_view text);

}  // namespace gantry
