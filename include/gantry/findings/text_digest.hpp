// A 128-bit digest of a text, kept where the text itself is only ever compared for equality.
//
// A scan-gate run holds one SARIF result identity per result, each as long as the result's message:
// 16 bytes instead of the text. Two texts with the same digest count as equal, and what hangs on
// that equality is a security verdict (a finding that shares a baseline finding's identity is "not
// new"), so the digest must resist texts crafted to collide: it is SipHash-2-4 with a 128-bit
// output (libsodium's crypto_shorthash_siphashx24), a keyed function built for exactly this, under
// a key drawn at random once per process. Whoever writes a report cannot know the key, so cannot
// choose two texts with one digest; texts not chosen collide with a chance of about n^2 / 2^129.
// Digests compare only within one process: they are never written anywhere.
#pragma once

#include <cstdint>
#include <string_view>

namespace gantry {

struct TextDigest {
    std::uint64_t high = 0;
    std::uint64_t low = 0;

    friend bool operator==(const TextDigest&, const TextDigest&) = default;
};

// The digest of `text` under this process's key. Thread-safe. Throws EnvironmentError only if the
// kernel has no random bytes for the key (the first call; Linux before 3.17).
TextDigest digest_of(std::string_view text);

}  // namespace gantry
