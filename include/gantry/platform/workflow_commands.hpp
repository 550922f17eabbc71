// The text protocols CI runners read from a step's standard output.
//
// GitHub Actions workflow commands (::error file=..::msg, ::add-mask::, ::group::) with the runner's
// escaping: data escapes % CR LF; property values also escape : and ,. GitLab CI collapsible
// sections (\e[0Ksection_start:TIME:NAME[collapsed=true]\r\e[0KTITLE). These functions only build
// strings; main() decides what to print.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gantry/platform/environment.hpp"

namespace gantry {

std::string escape_workflow_data(std::string_view text);
std::string escape_workflow_property(std::string_view text);

enum class AnnotationLevel { Error, Warning, Notice };

struct Annotation {
    AnnotationLevel level = AnnotationLevel::Error;
    std::string message;
    std::string title;
    std::string file;
    int line = 0;        // 0 = omit
    int end_line = 0;
    int column = 0;
    int end_column = 0;
};

// "::error file=src/a.c,line=3,title=CVE-1::message\n" (properties with value 0/empty omitted).
std::string github_annotation(const Annotation& annotation);
// "::add-mask::VALUE\n" (each line of a multi-line secret masked separately).
std::string github_add_mask(std::string_view secret);

// Start/end of a collapsible group on the given platform ("" on a plain shell). GitLab stamps both
// ends with the current time; the overloads taking `unix_seconds` make that reproducible in tests.
// GitLab section names keep [A-Za-z0-9_.-]; other characters become '_'. Titles are one line.
std::string group_start(CiPlatform platform, std::string_view name, std::string_view title);
std::string group_end(CiPlatform platform, std::string_view name);
std::string group_start(CiPlatform platform, std::string_view name, std::string_view title,
                        std::int64_t unix_seconds);
std::string group_end(CiPlatform platform, std::string_view name, std::int64_t unix_seconds);

}  // namespace gantry
