// A 128-bit digest of a text, kept where the text itself is only ever compared for equality.
//
// A scan-gate run holds one SARIF result identity per result, each as long as the result's message:
// 16 bytes instead of the text. Two texts with the same digest count as equal. The digest is two
// 64-bit MurmurHash2 values of the text under two seeds (libstdc++'s std::hash for strings, the
// same function; the two values are not independent, so count on 64 bits, not 128): among the
// tens of thousands of results of a large log, texts that are not chosen to collide share a digest
// with a chance below 10^-10. It is not a cryptographic hash: whoever writes a report could make two
// texts share a digest, but that writer can as well leave a result out of the report.
#pragma once

#include <functional>  // std::_Hash_bytes (libstdc++): what std::hash<std::string_view> calls, with a seed

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gantry {

struct TextDigest {
    std::uint64_t high = 0;
    std::uint64_t low = 0;

    friend bool operator==(const TextDigest&, const TextDigest&) = default;
};

inline TextDigest digest_of(std::string_view text) {
    // The first seed is std::hash's own (libstdc++ functional_hash.h); the second any other constant.
    constexpr std::size_t kHashSeed = 0xc70f6907UL;
    constexpr std::size_t kSecondSeed = 0x9e3779b97f4a7c15ULL;
    return TextDigest{std::_Hash_bytes(text.data(), text.size(), kSecondSeed),
                      std::_Hash_bytes(text.data(), text.size(), kHashSeed)};
}

}  // namespace gantry
