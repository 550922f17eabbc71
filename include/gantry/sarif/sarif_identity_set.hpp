// The identities of the results one output run has kept, so that a result seen before is dropped.
//
// An identity (gantry/findings/sarif_result_identity.hpp) is as long as the result's message, so the
// set keeps a 64-bit hash of each with the slot of the result it came from, not the identity. Two
// different identities can share a hash - by chance, or made to by whoever wrote the SARIF - and a
// result must never be dropped for that: a hash seen before is confirmed against the earlier
// result's own identity, which the caller recomputes from its slot (sarif-merge reads it back from
// its spool), so only a real duplicate is refused. Real duplicates are the only common hash hits.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gantry {

class SarifIdentitySet {
public:
    using Hash = std::size_t (*)(std::string_view);
    static std::size_t default_hash(std::string_view identity) { return std::hash<std::string_view>{}(identity); }

    explicit SarifIdentitySet(Hash hash = &default_hash) : hash_(hash) {}

    // True when no result kept so far has `identity`; it is then recorded under `slot`. False for a
    // duplicate. `identity_of(slot)` returns the identity of an earlier slot whose hash is the same.
    template <class IdentityOf>
    bool insert(const std::string& identity, std::size_t slot, IdentityOf&& identity_of) {
        const std::size_t hash = hash_(identity);
        auto [match, end] = slots_.equal_range(hash);
        for (; match != end; ++match) {
            if (identity_of(match->second) == identity) return false;
        }
        slots_.emplace(hash, slot);
        return true;
    }

private:
    Hash hash_;
    std::unordered_multimap<std::size_t, std::size_t> slots_;  // hash -> slot
};

}  // namespace gantry
