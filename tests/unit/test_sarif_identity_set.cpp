#include <doctest/doctest.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/sarif/sarif_identity_set.hpp"

namespace {

// Every identity collides: only the confirmation against the earlier identity tells them apart.
std::size_t same_hash_for_all(std::string_view) { return 42; }

}  // namespace

TEST_SUITE("sarif identity set") {
    TEST_CASE("a duplicate identity is refused, a new one kept") {
        gantry::SarifIdentitySet set;
        std::map<std::size_t, std::string> kept;
        const auto identity_of = [&](std::size_t slot) { return kept.at(slot); };
        const std::vector<std::string> identities = {"location\x1frule-a\x1fmessage one", "location\x1frule-a\x1fmessage two",
                                                     "location\x1frule-a\x1fmessage one"};
        std::vector<bool> inserted;
        for (const std::string& identity : identities) {
            const bool is_new = set.insert(identity, kept.size(), identity_of);
            if (is_new) kept.emplace(kept.size(), identity);
            inserted.push_back(is_new);
        }
        CHECK(inserted == std::vector<bool>{true, true, false});
    }

    TEST_CASE("two identities that share a hash are both kept; each is still refused a second time") {
        gantry::SarifIdentitySet set(&same_hash_for_all);
        std::map<std::size_t, std::string> kept;
        int lookups = 0;
        const auto identity_of = [&](std::size_t slot) {
            ++lookups;
            return kept.at(slot);
        };
        const auto add = [&](const std::string& identity) {
            const bool is_new = set.insert(identity, kept.size(), identity_of);
            if (is_new) kept.emplace(kept.size(), identity);
            return is_new;
        };
        CHECK(add("fingerprints\x1frule\x1f{\"a\":\"1\"}"));
        CHECK(lookups == 0);  // nothing to confirm against yet
        CHECK(add("fingerprints\x1frule\x1f{\"a\":\"2\"}"));
        CHECK(add("fingerprints\x1frule\x1f{\"a\":\"3\"}"));
        CHECK_FALSE(add("fingerprints\x1frule\x1f{\"a\":\"2\"}"));
        CHECK_FALSE(add("fingerprints\x1frule\x1f{\"a\":\"1\"}"));
        CHECK(kept.size() == 3);
    }
}
