// The wall-clock time a run stamps on what it writes.
//
// Timestamps that end up in output (GitLab section markers, scan.start_time/end_time of GitLab
// security reports, the date of an annotated tag) come from here, never from the system clock
// directly, so that one variable pins them all: SOURCE_DATE_EPOCH (the reproducible-builds
// convention, seconds since 1970 UTC) when the environment sets it to a valid number, else the
// system clock. Decisions that depend on the date (scan-gate's waiver expiry) deliberately do NOT
// follow SOURCE_DATE_EPOCH - pipelines set it to the last commit's time, and a waiver must expire on
// the calendar, not when someone commits - they take an explicit option (`--today`) instead.
#pragma once

#include <cstdint>
#include <string>

#include "gantry/platform/environment.hpp"

namespace gantry {

// Seconds since 1970-01-01T00:00:00Z.
std::int64_t stamp_time(const Environment& environment);

// "2026-12-02T13:04:05Z" / "2026-12-02T13:04:05" (no zone, as GitLab's report schemas want it).
std::string utc_timestamp(std::int64_t unix_seconds);
std::string utc_timestamp_without_zone(std::int64_t unix_seconds);

}  // namespace gantry
