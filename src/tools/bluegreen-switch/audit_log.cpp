#include "bluegreen-switch/audit_log.hpp"

#include <chrono>
#include <ctime>

#include "gantry/base/atomic_file.hpp"

namespace bluegreen_switch {

AuditLog::AuditLog(std::filesystem::path path, std::string provider)
    : path_(std::move(path)), provider_(std::move(provider)) {}

void AuditLog::record(const std::string& action, nlohmann::json details) const {
    if (path_.empty()) return;
    nlohmann::json line = nlohmann::json::object();
    line["time"] = utc_timestamp();
    line["action"] = action;
    line["provider"] = provider_;
    for (auto& [key, value] : details.items()) line[key] = std::move(value);
    std::error_code ignored;
    if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ignored);
    gantry::append_to_file(path_, line.dump() + "\n");
}

std::string utc_timestamp() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm parts{};
    ::gmtime_r(&seconds, &parts);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
    char full[48];
    std::snprintf(full, sizeof full, "%s.%03lldZ", text, static_cast<long long>(millis));
    return full;
}

}  // namespace bluegreen_switch
