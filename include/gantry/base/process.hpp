// Running a program as an argv vector, never through a shell, and collecting what it printed.
//
// run_process() starts argv[0] (looked up in PATH as execvp does when it has no '/') with
// posix_spawn, its stdin from /dev/null and no other inherited descriptor, stdout and stderr captured
// together (the last `output_limit` bytes kept: that is where a failing program says why), in its own
// process group, and waits at most `timeout` before killing that group (SIGKILL; then the result says
// timed_out). The wait ends when the program exits, even if a daemon it started still holds the output
// open. A program that cannot be started is an EnvironmentError naming it and why (not found on PATH,
// which the message quotes; not executable; a directory): checked before the spawn, so that it holds
// also where a failed exec is not reported back (user-mode emulation such as qemu-user), and the
// spawn's own error is raised the same way. Arguments are passed as they are: no word splitting,
// globbing or variable expansion ever happens, so user input cannot become a command.
// split_command_line() turns one configured string ("nginx -s reload -c '/etc/my nginx.conf'") into
// argv: words separated by blanks, single or double quotes group, backslash escapes one character;
// nothing else is interpreted. An unterminated quote is a UsageError.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace gantry {

struct ProcessResult {
    int exit_code = -1;      // -1 when killed by a signal
    bool timed_out = false;
    std::string output;      // stdout and stderr interleaved
};

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          std::size_t output_limit = 64 * 1024);

std::vector<std::string> split_command_line(std::string_view text);

// "nginx -s reload": argv joined with blanks, quoting words that need it (for messages and dry runs).
std::string describe_command(const std::vector<std::string>& argv);

}  // namespace gantry
