// A fresh private directory for one test case (mkdtemp under the system's temporary directory, so
// mode 0700), removed with everything in it when the test case ends, whether it passed or not. The
// name starts with the prefix the test gives ("gantry-nginx-XXXXXX"), which says whose leftovers a
// crashed run left behind.
#pragma once

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace gantry::testing {

class ScratchDir {
public:
    explicit ScratchDir(std::string_view prefix = "gantry-test") {
        std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    // A path inside the directory, as a string: most of what takes it (settings, argv) wants one.
    std::string operator/(std::string_view name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

}  // namespace gantry::testing
