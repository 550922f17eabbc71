// Expanding report arguments (files, directories, glob patterns) into the list of report files.
//
// Single path segments are matched with fnmatch(3); "**" (any number of directories) is the one thing
// it does not do, so the walk over segments is ours. Hidden entries are matched only by patterns that
// start with a dot, as in the shell.
#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"

namespace gantry {
namespace {

namespace fs = std::filesystem;

bool has_glob_characters(std::string_view text) { return text.find_first_of("*?[") != std::string_view::npos; }

std::string lower_extension(const fs::path& path) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

// report.json, results.sarif, and either gzip-compressed (JsonDocument inflates them).
bool is_report_file_name(const fs::path& path) {
    std::string extension = lower_extension(path);
    if (extension == ".gz") extension = lower_extension(path.stem());
    return extension == ".json" || extension == ".sarif";
}

bool is_hidden(const fs::path& path) {
    const std::string name = path.filename().string();
    return !name.empty() && name.front() == '.' && name != "." && name != "..";
}

fs::path child(const fs::path& directory, const fs::path& name) { return directory.empty() ? name : directory / name; }

// Every *.json and *.sarif (or .gz of them) below `directory`, skipping hidden folders (.git).
std::size_t add_directory(const fs::path& directory, std::vector<fs::path>& out) {
    std::size_t added = 0;
    std::error_code ec;
    fs::recursive_directory_iterator it(directory, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        throw InputError(SourcePosition{directory.string()}, fmt::format("cannot read the directory: {}", ec.message()));
    }
    for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
        if (ec) {
            throw InputError(SourcePosition{directory.string()},
                             fmt::format("cannot read the directory: {}", ec.message()));
        }
        std::error_code type_ec;
        if (it->is_directory(type_ec) && is_hidden(it->path())) {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(type_ec) && is_report_file_name(it->path())) {
            out.push_back(it->path());
            ++added;
        }
    }
    return added;
}

class GlobExpansion {
public:
    explicit GlobExpansion(std::vector<fs::path>& out) : out_(out) {}

    std::size_t expand(const std::string& pattern) {
        std::vector<std::string> segments;
        fs::path base;
        std::string rest = pattern;
        if (!rest.empty() && rest.front() == '/') {
            base = "/";
        }
        std::size_t start = 0;
        while (start <= rest.size()) {
            const std::size_t slash = rest.find('/', start);
            const std::string segment = rest.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
            if (!segment.empty() && segment != ".") {
                segments.push_back(segment);
            }
            if (slash == std::string::npos) {
                break;
            }
            start = slash + 1;
        }
        // Leading segments without wildcards are a plain directory to start from.
        std::size_t first_glob = 0;
        while (first_glob < segments.size() && !has_glob_characters(segments[first_glob])) {
            base = child(base, segments[first_glob]);
            ++first_glob;
        }
        segments_.assign(segments.begin() + static_cast<std::ptrdiff_t>(first_glob), segments.end());
        added_ = 0;
        match(base, 0);
        return added_;
    }

private:
    void add(const fs::path& path) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            added_ += add_directory(path, out_);
        } else if (fs::exists(path, ec)) {
            out_.push_back(path);
            ++added_;
        }
    }

    void match(const fs::path& directory, std::size_t index) {
        if (index == segments_.size()) {
            add(directory);
            return;
        }
        const std::string& segment = segments_[index];
        const fs::path listed = directory.empty() ? fs::path(".") : directory;
        std::error_code ec;
        if (!fs::is_directory(listed, ec)) {
            return;
        }
        if (segment == "**") {
            match(directory, index + 1);
            for (const auto& entry : fs::directory_iterator(listed, fs::directory_options::skip_permission_denied, ec)) {
                std::error_code type_ec;
                if (entry.is_directory(type_ec) && !is_hidden(entry.path())) {
                    match(child(directory, entry.path().filename()), index);
                }
            }
            return;
        }
        for (const auto& entry : fs::directory_iterator(listed, fs::directory_options::skip_permission_denied, ec)) {
            const std::string name = entry.path().filename().string();
            if (fnmatch(segment.c_str(), name.c_str(), FNM_PERIOD) != 0) {
                continue;
            }
            const fs::path path = child(directory, entry.path().filename());
            std::error_code type_ec;
            if (index + 1 == segments_.size()) {
                add(path);
            } else if (entry.is_directory(type_ec)) {
                match(path, index + 1);
            }
        }
    }

    std::vector<fs::path>& out_;
    std::vector<std::string> segments_;
    std::size_t added_ = 0;
};

void expand_argument(const std::string& argument, std::vector<fs::path>& paths) {
    if (argument.empty()) {
        throw InputError("an empty report path was given");
    }
    if (has_glob_characters(argument)) {
        GlobExpansion expansion(paths);
        if (expansion.expand(argument) == 0) {
            throw InputError(SourcePosition{argument}, "no report file matches this pattern");
        }
        return;
    }
    const fs::path path(argument);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        if (add_directory(path, paths) == 0) {
            throw InputError(SourcePosition{argument}, "the directory holds no *.json or *.sarif report");
        }
    } else if (fs::exists(path, ec)) {
        paths.push_back(path);
    } else {
        throw InputError(SourcePosition{argument}, "no such file or directory");
    }
}

}  // namespace

std::vector<fs::path> expand_report_paths(const std::vector<std::string>& arguments) {
    std::vector<fs::path> paths;
    for (const std::string& argument : arguments) {
        try {
            expand_argument(argument, paths);
        } catch (const fs::filesystem_error& error) {
            throw InputError(SourcePosition{argument}, fmt::format("cannot list the files: {}", error.code().message()));
        }
    }
    for (fs::path& path : paths) {
        path = path.lexically_normal();
    }
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    return paths;
}

}  // namespace gantry
