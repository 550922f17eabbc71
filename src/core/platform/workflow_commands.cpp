#include "gantry/platform/workflow_commands.hpp"

#include <chrono>

#include <fmt/format.h>

#include "gantry/platform/log_text.hpp"

namespace gantry {

namespace {

// The runner's own escaping (actions/runner ActionCommand): '%' first, so that the escapes it
// introduces are not escaped again.
void escape_into(std::string& out, char c, bool property) {
    switch (c) {
        case '%': out += "%25"; return;
        case '\r': out += "%0D"; return;
        case '\n': out += "%0A"; return;
        case ':':
            if (property) { out += "%3A"; return; }
            break;
        case ',':
            if (property) { out += "%2C"; return; }
            break;
        default: break;
    }
    out += c;
}

std::string_view command_name(AnnotationLevel level) {
    switch (level) {
        case AnnotationLevel::Warning: return "warning";
        case AnnotationLevel::Notice: return "notice";
        case AnnotationLevel::Error: break;
    }
    return "error";
}

std::int64_t now_unix_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// GitLab only recognises a section whose name is made of these characters.
std::string gitlab_section_name(std::string_view name) {
    std::string result;
    for (const char c : name) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                             c == '_' || c == '.' || c == '-';
        result += allowed ? c : '_';
    }
    return result.empty() ? std::string("section") : result;
}

// A title is printed on the section's header line: a line break would end the header early.
std::string one_line(std::string_view text) {
    std::string result(text);
    for (char& c : result) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return result;
}

}  // namespace

std::string escape_workflow_data(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) escape_into(out, c, false);
    return out;
}

std::string escape_workflow_property(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) escape_into(out, c, true);
    return out;
}

std::string github_annotation(const Annotation& annotation) {
    std::string properties;
    const auto add = [&properties](std::string_view key, std::string_view value) {
        properties += properties.empty() ? " " : ",";
        properties += key;
        properties += '=';
        properties += escape_workflow_property(value);
    };
    if (!annotation.file.empty()) add("file", annotation.file);
    if (annotation.line > 0) add("line", std::to_string(annotation.line));
    if (annotation.end_line > 0) add("endLine", std::to_string(annotation.end_line));
    if (annotation.column > 0) add("col", std::to_string(annotation.column));
    if (annotation.end_column > 0) add("endColumn", std::to_string(annotation.end_column));
    if (!annotation.title.empty()) add("title", annotation.title);
    return fmt::format("::{}{}::{}\n", command_name(annotation.level), properties,
                       escape_workflow_data(annotation.message));
}

std::string github_add_mask(std::string_view secret) {
    // The runner masks what one command names; a multi-line value would only be masked where it
    // appears whole, and logs print it line by line.
    std::string out;
    std::size_t start = 0;
    while (start <= secret.size()) {
        const std::size_t end = secret.find('\n', start);
        std::string_view line = secret.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty()) out += "::add-mask::" + escape_workflow_data(line) + "\n";
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return out;
}

std::string group_start(CiPlatform platform, std::string_view name, std::string_view title) {
    return group_start(platform, name, title, now_unix_seconds());
}

std::string group_end(CiPlatform platform, std::string_view name) {
    return group_end(platform, name, now_unix_seconds());
}

std::string group_start(CiPlatform platform, std::string_view name, std::string_view title,
                        std::int64_t unix_seconds) {
    const std::string_view shown = title.empty() ? name : title;
    switch (platform) {
        case CiPlatform::GithubActions: return "::group::" + escape_workflow_data(one_line(shown)) + "\n";
        case CiPlatform::GitlabCi:
            // The title ends the marker's line: a CR or ESC in it could forge or end a section.
            return fmt::format("\x1b[0Ksection_start:{}:{}[collapsed=true]\r\x1b[0K{}\n", unix_seconds,
                               gitlab_section_name(name), log_text(shown));
        case CiPlatform::Shell: break;
    }
    return "";
}

std::string group_end(CiPlatform platform, std::string_view name, std::int64_t unix_seconds) {
    switch (platform) {
        case CiPlatform::GithubActions: return "::endgroup::\n";
        case CiPlatform::GitlabCi:
            return fmt::format("\x1b[0Ksection_end:{}:{}\r\x1b[0K\n", unix_seconds, gitlab_section_name(name));
        case CiPlatform::Shell: break;
    }
    return "";
}

}  // namespace gantry
