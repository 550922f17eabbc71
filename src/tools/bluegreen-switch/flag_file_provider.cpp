#include "bluegreen-switch/flag_file_provider.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <unistd.h>

#include <fmt/format.h>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"

namespace bluegreen_switch {

namespace {

namespace fs = std::filesystem;

bool flag_exists(const std::string& path) {
    std::error_code error;
    const fs::file_status status = fs::symlink_status(path, error);
    if (error && error != std::errc::no_such_file_or_directory) {
        throw gantry::EnvironmentError(fmt::format("{}: cannot check the flag file: {}", path, error.message()));
    }
    return fs::exists(status);
}

}  // namespace

FlagFileProvider::FlagFileProvider(const ProviderSettings& settings)
    : kind_(settings.kind), flag_file_(settings.flag_file) {
    if (kind_ != "nginx" && kind_ != "caddy") {
        throw gantry::UsageError(fmt::format("--flag-file works with --provider nginx or caddy, not {}", kind_));
    }
    if (flag_file_.empty()) throw gantry::UsageError(fmt::format("--flag-file is required for flag-file mode with --provider {}", kind_));
    if (fs::path(flag_file_).filename().empty()) {
        throw gantry::UsageError(fmt::format("--flag-file must name a file, not the directory {}", flag_file_));
    }
    // The load balancer's configuration names the flag's path; a folder that does not exist is a path
    // it does not test (a typo), not one to create.
    const fs::path directory = fs::path(flag_file_).parent_path().empty() ? fs::path(".") : fs::path(flag_file_).parent_path();
    std::error_code error;
    if (!fs::is_directory(directory, error)) {
        throw gantry::UsageError(fmt::format(
            "--flag-file {}: the folder {} does not exist; name the flag file your load balancer's configuration "
            "tests (the folder must exist and its workers must be allowed to look into it)",
            flag_file_, directory.string()));
    }
}

ProviderReading FlagFileProvider::read() {
    ProviderReading reading;
    const bool green = flag_exists(flag_file_);
    reading.live = green ? Color::Green : Color::Blue;
    reading.green_percent = green ? 100 : 0;
    reading.detail = fmt::format("flag file {} {}", flag_file_, green ? "exists (green)" : "is absent (blue)");
    return reading;
}

std::vector<std::string> FlagFileProvider::plan(Color target, int percent) {
    if (percent != 100) {
        throw gantry::UsageError(fmt::format(
            "--flag-file mode switches all traffic at once; it cannot send {} percent to {}", percent, to_string(target)));
    }
    return {fmt::format("{} {}", target == Color::Green ? "create" : "remove", flag_file_)};
}

void FlagFileProvider::apply(Color target, int percent) {
    plan(target, percent);  // the same checks
    if (target == Color::Green) {
        // Renamed into place: the load balancer never sees a half-made file, and an existing one stays.
        gantry::write_file_atomically(flag_file_, "green\n");
        return;
    }
    if (::unlink(flag_file_.c_str()) != 0 && errno != ENOENT) {
        throw gantry::EnvironmentError(fmt::format("{}: cannot remove the flag file: {}", flag_file_, std::strerror(errno)));
    }
}

}  // namespace bluegreen_switch
