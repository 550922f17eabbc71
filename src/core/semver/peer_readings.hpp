// How other release tools read a commit message (internal to src/core/semver; the contract is in
// gantry/semver/commit_reading.hpp, which dispatches here for the presets).
#pragma once

#include <string_view>

#include "gantry/semver/commit_reading.hpp"

namespace gantry {

enum class SemanticReleasePreset { ConventionalCommits, Angular };

// semantic-release's commit-analyzer over conventional-commits-parser with the preset's options.
CommitChanges read_as_semantic_release(std::string_view message, SemanticReleasePreset preset);

// release-please: message split into its commits, each read by @conventional-commits/parser.
CommitChanges read_as_release_please(std::string_view message);

// cocogitto: the grammar of its conventional_commit_parser; a message it cannot parse counts for nothing.
CommitChanges read_as_cocogitto(std::string_view message);

}  // namespace gantry
