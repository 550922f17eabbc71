// How conventional changes turn into the next version.
//
// A change's bump is Major when it is breaking, else the bump its type is mapped to (defaults:
// feat -> minor; fix, perf and revert -> patch; every other type -> none), overridable per type
// ("docs=patch", "feat=patch", "fix=none"). While the major version is 0, a breaking change bumps
// the minor version instead (SemVer's "anything may change" initial phase) unless
// ZeroMajorBreaking::Major is chosen. The largest bump of all changes wins; combining never lowers
// a bump. The defaults depend on the reading preset (commit_reading.hpp), so that a preset gives the
// answers of the tool it is named after: semantic-release (conventionalcommits, angular) matches types
// exactly as written (feat and FEAT minor; fix, FIX and perf patch), releases a patch for every revert
// and knows no 0.x rule; release-please also matches as written (feat and feature minor; fix, perf and
// revert patch; no 0.x rule); cocogitto releases only feat (minor) and fix (patch), any case, and
// ignores breaking changes while the major version is 0 (ZeroMajorBreaking::TypeBump). semver-tag's own
// reading bumps a revert by what it reverts: a patch when the reverted change released something, none
// when it did not (a revert of a docs commit), a patch when that is unknown. next_version() applies a bump to the base version (nullopt = no release yet: the initial
// version is released as is) and never returns a version below or equal to the base: a base that
// is a pre-release of the bumped version (1.3.0-rc.2 with a minor bump from 1.2.0) gives 1.3.0.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/semver/commit_reading.hpp"
#include "gantry/semver/semantic_version.hpp"

namespace gantry {

enum class Bump { None = 0, Patch = 1, Minor = 2, Major = 3 };

std::string_view to_string(Bump bump);  // "none", "patch", "minor", "major"
std::optional<Bump> parse_bump(std::string_view text);
Bump max_bump(Bump a, Bump b);

// While the major version is 0, a breaking change bumps the minor version, the major version, or
// only what its type bumps (cocogitto).
enum class ZeroMajorBreaking { Minor, Major, TypeBump };

// How types are compared with the rules: lower-cased, or exactly as written (semantic-release and
// release-please match `feat`, not `Feat`).
enum class TypeCase { Insensitive, AsWritten };

// What a revert bumps.
enum class RevertBump { FollowsReverted, AlwaysPatch, ByType };

class BumpRules {
public:
    explicit BumpRules(ReadingPreset preset = ReadingPreset::Gantry);  // the defaults above

    // Rules as "TYPE=BUMP" (e.g. "docs=patch"); throws UsageError naming `what` on a bad rule.
    void add_rule(std::string_view rule, std::string_view what);
    void set(std::string type, Bump bump);

    Bump bump_for_type(std::string_view type) const;
    // Major when breaking; a revert's by the preset (FollowsReverted reads `reverts`: the reverted
    // title's type, else the type "revert"); else its type's.
    Bump bump_for(const CommitChange& change, const std::optional<RevertedCommit>& reverts = std::nullopt) const;
    RevertBump revert_bump() const { return revert_bump_; }

    ZeroMajorBreaking zero_major_breaking = ZeroMajorBreaking::Minor;

    // Types mapped to anything but none, for messages ("feat, fix, perf, revert").
    std::vector<std::string> releasing_types() const;

private:
    std::string key(std::string_view type) const;

    std::map<std::string, Bump, std::less<>> by_type_;
    TypeCase type_case_ = TypeCase::Insensitive;
    RevertBump revert_bump_ = RevertBump::FollowsReverted;
};

// The bump actually applied to `base`: Major becomes Minor on 0.x unless configured otherwise
// (ZeroMajorBreaking::TypeBump is applied change by change before, by the release plan).
Bump effective_bump(Bump bump, const std::optional<SemanticVersion>& base, const BumpRules& rules);

// The release after `base` with `bump` (Bump::None returns the base's release unchanged);
// without a base, `initial`.
SemanticVersion next_version(const std::optional<SemanticVersion>& base, Bump bump, const BumpRules& rules,
                             const SemanticVersion& initial);

}  // namespace gantry
