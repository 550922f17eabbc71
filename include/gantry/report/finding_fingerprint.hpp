// Stable identities for findings in the reports we write (SARIF partialFingerprints, GitLab ids).
//
// The identity of a finding is its id, package, version, target and file path, joined with a unit
// separator (0x1F) so that no two different field lists hash alike by shifting text between fields.
// Line numbers are left out on purpose: a finding must keep its identity when code above it moves.
// FNV-1a 64 is used because it is tiny, dependency-free and its output never changes between
// releases; it is not a security hash and nothing relies on it being collision-resistant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gantry/findings/finding.hpp"

namespace gantry {

inline constexpr std::uint64_t kFnv1a64OffsetBasis = 0xcbf29ce484222325ULL;

std::uint64_t fnv1a_64(std::string_view bytes, std::uint64_t basis = kFnv1a64OffsetBasis);

// The bytes hashed for a finding: id, package, version, target, location path, 0x1F-separated.
std::string finding_identity(const Finding& finding);

// 16 lowercase hex digits: FNV-1a 64 of finding_identity().
std::string finding_fingerprint(const Finding& finding);

// A UUID-shaped string (8-4-4-4-12 lowercase hex, RFC 9562 version 8 / variant 10) made from two
// FNV-1a 64 hashes of finding_identity() and `occurrence`. Give occurrence 1 for the first finding
// with a given identity and 2, 3... for later ones, so ids stay unique within a report.
std::string finding_uuid(const Finding& finding, int occurrence = 1);

}  // namespace gantry
