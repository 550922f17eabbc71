#include "gantry/report/finding_fingerprint.hpp"

#include <fmt/format.h>

namespace gantry {

namespace {

constexpr std::uint64_t kFnv1a64Prime = 0x100000001b3ULL;
constexpr char kFieldSeparator = '\x1f';

}  // namespace

std::uint64_t fnv1a_64(std::string_view bytes, std::uint64_t basis) {
    std::uint64_t hash = basis;
    for (unsigned char byte : bytes) {
        hash ^= byte;
        hash *= kFnv1a64Prime;
    }
    return hash;
}

std::string finding_identity(const Finding& finding) {
    std::string identity;
    for (const std::string* field : {&finding.id, &finding.package, &finding.version, &finding.target.str()}) {
        identity += *field;
        identity += kFieldSeparator;
    }
    if (finding.location) identity += finding.location->path;
    return identity;
}

std::string finding_fingerprint(const Finding& finding) {
    return fmt::format("{:016x}", fnv1a_64(finding_identity(finding)));
}

std::string finding_uuid(const Finding& finding, int occurrence) {
    const std::string identity = finding_identity(finding) + kFieldSeparator + std::to_string(occurrence);
    // The second half is seeded with the first so the two 64-bit halves are not the same function.
    const std::uint64_t high = fnv1a_64(identity);
    std::uint64_t low = fnv1a_64(identity, high ^ kFnv1a64OffsetBasis);
    const std::uint64_t version_8 = (high & ~0xf000ULL) | 0x8000ULL;  // version nibble
    low = (low & ~(0xc000ULL << 48)) | (0x8000ULL << 48);              // variant bits 10
    return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", version_8 >> 32, (version_8 >> 16) & 0xffff,
                       version_8 & 0xffff, low >> 48, low & 0xffffffffffffULL);
}

}  // namespace gantry
