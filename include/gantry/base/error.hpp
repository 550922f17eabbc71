// Typed errors and exit codes shared by every tool.
//
// Library code reports problems by throwing one of the errors below (or returning a value); it never
// prints or exits. A tool's run() catches them and turns them into an Outcome whose exit code follows
// the toolkit-wide convention: 0 success, 1 the gate or a check failed, 2 bad usage or bad input,
// 3 an environment or network failure. Messages are complete sentences a user can act on: they name
// the file, the position (line:column or JSON pointer) and what was expected.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace gantry {

enum class ExitCode : int {
    Success = 0,
    Failed = 1,       // the gate or a check failed
    BadInput = 2,     // bad usage, unreadable or malformed input, bad policy
    Environment = 3,  // environment or network failure (cannot write output, cannot connect)
};

constexpr int to_int(ExitCode code) { return static_cast<int>(code); }

// Where in an input a problem is. Any part may be empty/zero when unknown.
struct SourcePosition {
    std::string file;
    int line = 0;      // 1-based; 0 = unknown
    int column = 0;    // 1-based; 0 = unknown
    std::string pointer;  // RFC 6901 JSON pointer ("/Results/0/Vulnerabilities/3/Severity"), or YAML path

    // "file:line:col" / "file (at /a/b)" / "file"
    std::string describe() const;
};

// Base of every error the tools report. what() is the full one-line message.
class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const { return code_; }

private:
    ExitCode code_;
};

// Malformed, truncated, wrong-type or otherwise unusable input: exit 2.
// The message reads "<position>: <reason>" e.g. "a.json:3:17: expected a string for Severity".
class InputError : public Error {
public:
    InputError(SourcePosition position, const std::string& reason)
        : Error(ExitCode::BadInput, position.describe().empty() ? reason : position.describe() + ": " + reason),
          position_(std::move(position)), reason_(reason) {}
    explicit InputError(const std::string& reason) : InputError(SourcePosition{}, reason) {}
    const SourcePosition& position() const { return position_; }
    const std::string& reason() const { return reason_; }

private:
    SourcePosition position_;
    std::string reason_;
};

// The error for an input file that cannot be read: "<file>: cannot read: <strerror(error_number)>",
// or "input/output error" when the call that failed left no errno (a short read).
InputError unreadable_input(const std::string& file, int error_number);

// Bad command-line usage or option value: exit 2.
class UsageError : public Error {
public:
    explicit UsageError(const std::string& message) : Error(ExitCode::BadInput, message) {}
};

// A value that does not read as what was expected ("500ms", "2xx", "${NAME}", a histogram's
// buckets), with the reason only: the caller knows where the value came from and rethrows it as a
// UsageError naming the option or an InputError naming the file and position. Exit 2 if it is not.
class ValueError : public Error {
public:
    explicit ValueError(const std::string& reason) : Error(ExitCode::BadInput, reason) {}
};

// Failure of the environment: cannot write a file, network down, tool missing: exit 3.
class EnvironmentError : public Error {
public:
    explicit EnvironmentError(const std::string& message) : Error(ExitCode::Environment, message) {}
};

}  // namespace gantry
