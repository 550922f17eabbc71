// Writing output files so that a reader never sees half a file and a failure never destroys the old one.
//
// write_file_atomically() writes to a temporary file in the same directory, flushes it to disk and
// renames it over the target. Missing parent directories are created. On failure the target is left
// untouched, the temporary file is removed, and EnvironmentError is thrown naming the path and the
// system's reason. append_to_file() is for files the CI runner owns and expects appends to
// (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY): one write call, so concurrent steps do not interleave lines.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace gantry {

void write_file_atomically(const std::filesystem::path& path, std::string_view content);
// The same for output produced as a stream (large merged files): `writer` writes to a buffered stream
// over the temporary file; if it throws, the target is left untouched.
void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& writer);
void append_to_file(const std::filesystem::path& path, std::string_view content);

// Reads a whole file. Throws InputError ("<path>: cannot read: <reason>") when it cannot.
std::string read_file(const std::filesystem::path& path);

}  // namespace gantry
