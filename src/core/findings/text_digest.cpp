#include "gantry/findings/text_digest.hpp"

#include <sodium.h>
#include <unistd.h>  // getentropy

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "gantry/base/error.hpp"

namespace gantry {
namespace {

using DigestKey = std::array<unsigned char, crypto_shorthash_siphashx24_KEYBYTES>;

// One key per process, drawn from the kernel the first time a digest is made: every report a run
// reads (baseline and current alike) must digest under the same key, and no run may predict it.
// Immutable once made, so the one function-local static is not shared mutable state. The bytes come
// from getentropy(3), not libsodium's randombytes_buf, which would link its stream cipher in too
// (200 KB more per tool, for 16 bytes).
const DigestKey& process_key() {
    static const DigestKey key = [] {
        DigestKey drawn{};
        if (::getentropy(drawn.data(), drawn.size()) != 0) {
            throw EnvironmentError(std::string("cannot draw the key of result identities from the kernel: ") +
                                   std::strerror(errno));
        }
        return drawn;
    }();
    return key;
}

}  // namespace

TextDigest digest_of(std::string_view text) {
    static_assert(crypto_shorthash_siphashx24_BYTES == sizeof(std::uint64_t) * 2);
    unsigned char out[crypto_shorthash_siphashx24_BYTES];
    crypto_shorthash_siphashx24(out, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                                process_key().data());
    TextDigest digest;
    std::memcpy(&digest.high, out, sizeof(digest.high));
    std::memcpy(&digest.low, out + sizeof(digest.high), sizeof(digest.low));
    return digest;
}

}  // namespace gantry
