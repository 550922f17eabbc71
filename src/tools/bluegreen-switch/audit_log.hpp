// The append-only audit log: one JSON object per line for every action a switch takes (read, health,
// switch step, verify, rollback, drain, done), with the time, the provider and the details. Each line
// is one write() with O_APPEND, so lines from concurrent processes never interleave; a log that cannot
// be written is an EnvironmentError (an audit trail that silently stops is worse than none).
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace bluegreen_switch {

class AuditLog {
public:
    AuditLog() = default;  // writes nothing
    AuditLog(std::filesystem::path path, std::string provider);
    void record(const std::string& action, nlohmann::json details = nlohmann::json::object()) const;

private:
    std::filesystem::path path_;
    std::string provider_;
};

// The current UTC time as ISO 8601 with milliseconds: "2026-11-22T10:00:00.123Z".
std::string utc_timestamp();

}  // namespace bluegreen_switch
