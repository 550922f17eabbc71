// The fixture files the unit tests read in bulk: every regular file under some folders whose name ends
// with one of some suffixes, sorted, so a test over "every SARIF file the repository holds" names its
// folders and suffixes and nothing else. Folders that do not exist (the shared fixtures beside a
// checkout that has none) are skipped.
#pragma once

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::testing {

enum class Depth { TopLevel, Recursive };

inline std::vector<std::filesystem::path> fixture_files(std::initializer_list<std::filesystem::path> folders,
                                                        std::initializer_list<std::string_view> suffixes, Depth depth) {
    std::vector<std::filesystem::path> files;
    const auto take = [&](const std::filesystem::directory_entry& entry) {
        if (!entry.is_regular_file()) return;
        const std::string name = entry.path().filename().string();
        for (const std::string_view suffix : suffixes) {
            if (name.ends_with(suffix)) {
                files.push_back(entry.path());
                return;
            }
        }
    };
    for (const auto& folder : folders) {
        if (!std::filesystem::is_directory(folder)) continue;
        if (depth == Depth::Recursive) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) take(entry);
        } else {
            for (const auto& entry : std::filesystem::directory_iterator(folder)) take(entry);
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace gantry::testing
