// libgit2's last error as text, and the one-time library initialisation (internal to gantry_git).
#pragma once

#include <string>
#include <string_view>

namespace gantry::git_detail {

// Initialises libgit2 once per process (and switches off its owner check); safe to call often.
void ensure_libgit2();

// "<what>: <libgit2's message>".
std::string libgit2_message(std::string_view what);

// Throws EnvironmentError with libgit2_message(what) when `code` < 0.
void check(int code, std::string_view what);

}  // namespace gantry::git_detail
