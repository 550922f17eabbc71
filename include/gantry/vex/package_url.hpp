// Package URLs (purl, https://github.com/package-url/purl-spec) as far as matching needs them.
//
// parse_package_url() splits "pkg:type/namespace/name@version?qualifiers#subpath" into percent-decoded
// components and applies the spec's normalisation: the type is always lowercase, and for the types
// the spec declares case-insensitive (alpm, apk, bitbucket, composer, deb, github, hex, oci, pub, pypi)
// namespace and name are lowercased too (pypi also turns "_" into "-"). Qualifiers and subpath are
// dropped: they describe where a package was found, not which package it is, and the VEX specs say
// to ignore them when matching. package_url_matches() compares a pattern (from a VEX statement or a
// waiver) with a finding's purl: type, namespace and name must be equal; a pattern without a version
// matches every version.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gantry {

struct PackageUrl {
    std::string type;
    std::string namespace_;  // "" when there is none; segments joined with "/"
    std::string name;
    std::optional<std::string> version;
};

// nullopt for text that is not a purl (no "pkg:" scheme, no type or no name).
std::optional<PackageUrl> parse_package_url(std::string_view text);

// "%2B" -> "+" (RFC 3986 percent-encoding, which purl components and CycloneDX BOM-link fragments use).
// A malformed escape is kept as written.
std::string percent_decode(std::string_view text);

// True when `pattern` names the package `purl` names (and, when the pattern has a version, that version).
// Text that does not parse as a purl never matches.
bool package_url_matches(std::string_view pattern, std::string_view purl);

}  // namespace gantry
