#include <doctest/doctest.h>

#include <future>
#include <string>
#include <unordered_set>

#include "gantry/findings/text_digest.hpp"

using gantry::digest_of;
using gantry::TextDigest;

TEST_CASE("text digest: equal texts share a digest, within one process and across threads") {
    const std::string text = "Unsanitized input flows into a SQL query\x00 (id=4)";
    CHECK(digest_of(text) == digest_of(std::string(text)));
    auto other_thread = std::async(std::launch::async, [&] { return digest_of(text); });
    CHECK(other_thread.get() == digest_of(text));
    CHECK(digest_of("") == digest_of(std::string_view{}));
}

TEST_CASE("text digest: texts one byte apart, or a prefix of each other, differ in both halves") {
    const TextDigest base = digest_of("a/b.c:10 rule-1");
    for (const char* near : {"a/b.c:11 rule-1", "a/b.c:10 rule-", "a/b.c:10 rule-1 ", "A/b.c:10 rule-1", ""}) {
        const TextDigest other = digest_of(near);
        CHECK(other.high != base.high);
        CHECK(other.low != base.low);
    }
}

TEST_CASE("text digest: 200,000 texts that differ in a counter have 200,000 digests") {
    struct Hash {
        std::size_t operator()(const TextDigest& digest) const { return digest.low; }
    };
    std::unordered_set<TextDigest, Hash> seen;
    std::string text = "src/main.c:";
    const std::size_t stem = text.size();
    for (int i = 0; i < 200'000; ++i) {
        text.resize(stem);
        text += std::to_string(i);
        seen.insert(digest_of(text));
    }
    CHECK(seen.size() == 200'000);
}
