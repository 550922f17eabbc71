#include "gantry/base/path_glob.hpp"

#include <fnmatch.h>

#include <string>
#include <vector>

namespace gantry {

namespace {

std::string_view trim_leading(std::string_view text) {
    while (text.starts_with("./")) text.remove_prefix(2);
    while (text.starts_with('/')) text.remove_prefix(1);
    return text;
}

std::vector<std::string> segments_of(std::string_view text) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t slash = text.find('/', start);
        const std::size_t end = slash == std::string_view::npos ? text.size() : slash;
        if (end > start) segments.emplace_back(text.substr(start, end - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return segments;
}

bool match_from(const std::vector<std::string>& pattern, std::size_t p, const std::vector<std::string>& path,
                std::size_t s) {
    while (p < pattern.size()) {
        if (pattern[p] == "**") {
            // Collapse runs of "**" and try every split point; bounded by the path's depth.
            while (p + 1 < pattern.size() && pattern[p + 1] == "**") ++p;
            for (std::size_t skip = s; skip <= path.size(); ++skip) {
                if (match_from(pattern, p + 1, path, skip)) return true;
            }
            return false;
        }
        if (s >= path.size() || fnmatch(pattern[p].c_str(), path[s].c_str(), 0) != 0) return false;
        ++p;
        ++s;
    }
    return s == path.size();
}

}  // namespace

bool path_matches_glob(std::string_view pattern, std::string_view path) {
    pattern = trim_leading(pattern);
    path = trim_leading(path);
    const auto path_segments = segments_of(path);
    if (pattern.find('/') == std::string_view::npos) {
        const std::string single(pattern);
        for (const auto& segment : path_segments) {
            if (fnmatch(single.c_str(), segment.c_str(), 0) == 0) return true;
        }
        return false;
    }
    return match_from(segments_of(pattern), 0, path_segments, 0);
}

}  // namespace gantry
