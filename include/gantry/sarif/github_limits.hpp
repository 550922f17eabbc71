// What GitHub code scanning accepts in one SARIF upload (platforms.md, GitHub's "SARIF support"
// documentation). sarif-merge enforces these with --for github and `sarif-merge validate` reports
// files that break them; both read the numbers from here so they cannot disagree.
#pragma once

#include <cstddef>

namespace gantry::github_limits {

inline constexpr std::size_t kRunsPerFile = 20;
inline constexpr std::size_t kResultsPerRun = 25'000;
inline constexpr std::size_t kRulesPerRun = 25'000;
inline constexpr std::size_t kExtensionsPerRun = 100;
inline constexpr std::size_t kLocationsPerResult = 1'000;
inline constexpr std::size_t kThreadFlowLocationsPerResult = 10'000;
inline constexpr std::size_t kTagsPerRule = 20;
inline constexpr std::size_t kGzippedBytes = 10 * 1024 * 1024;

}  // namespace gantry::github_limits
