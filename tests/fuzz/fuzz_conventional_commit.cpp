// libFuzzer target for the Conventional Commits parser: the header, footer and whole-message readers
// (semver-tag's, lenient and strict, and every preset's) must accept any bytes without crashing; a
// parsed header's type is lower-case and non-empty, its description non-empty; a commit is breaking
// exactly when '!' or a breaking footer says so; only a breaking change carries a leniency, and the
// strict reading none.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gantry/semver/commit_reading.hpp"
#include "gantry/semver/conventional_commit.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view message(reinterpret_cast<const char*>(data), size);
    if (const auto commit = gantry::parse_conventional_commit(message)) {
        if (commit->header.type.empty() || commit->header.description.empty()) std::abort();
        for (char c : commit->header.type) {
            if (c >= 'A' && c <= 'Z') std::abort();
        }
        bool footer_breaking = false;
        for (const auto& footer : commit->footers) {
            footer_breaking = footer_breaking || footer.token == "BREAKING CHANGE" || footer.token == "BREAKING-CHANGE";
        }
        if (commit->breaking != (commit->header.exclamation || footer_breaking)) std::abort();
    }
    using gantry::ReadingPreset;
    for (const gantry::CommitReading reading :
         {gantry::CommitReading{ReadingPreset::Gantry, gantry::Leniency::Lenient}, gantry::CommitReading{ReadingPreset::Gantry, gantry::Leniency::Strict},
          gantry::CommitReading{ReadingPreset::ConventionalCommits}, gantry::CommitReading{ReadingPreset::Angular},
          gantry::CommitReading{ReadingPreset::ReleasePlease}, gantry::CommitReading{ReadingPreset::Cocogitto}}) {
        const auto changes = gantry::read_commit_changes(message, reading);
        for (const auto& change : changes.changes) {
            if (change.breaking && change.breaking_description.empty() && !change.header.description.empty()) std::abort();
            if (!change.leniency.empty() && (!change.breaking || reading.leniency == gantry::Leniency::Strict)) std::abort();
        }
    }
    (void)gantry::parse_commit_footers(message);
    return 0;
}
