#include "semver-tag/shallow_deepening.hpp"

#include <chrono>
#include <regex>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/base/process.hpp"

namespace semver_tag {

namespace {

std::string last_line(const std::string& output) {
    std::size_t end = output.find_last_not_of("\r\n \t");
    if (end == std::string::npos) return "";
    const std::size_t start = output.rfind('\n', end);
    const std::size_t from = start == std::string::npos ? 0 : start + 1;
    // git names the remote in its messages; a URL's password must not reach the log.
    static const std::regex password(R"((://[^/@:\s]*:)[^@/\s]*@)");
    return std::regex_replace(output.substr(from, end + 1 - from), password, "$1***@");
}

}  // namespace

DeepeningResult deepen_shallow_clone(const gantry::GitRepository& repository, const std::string& remote) {
    std::filesystem::path folder = repository.work_dir();
    if (folder.empty()) folder = repository.git_dir();
    // safe.directory: the checkout may belong to another uid (libgit2's check is off for the same
    // reason); core.askPass=true answers any credential question with nothing instead of waiting
    // for a terminal.
    const std::vector<std::string> argv = {"git",   "-c", "safe.directory=*", "-c", "core.askPass=true", "-C",
                                           folder.string(), "fetch", "--unshallow", "--tags", "--quiet", remote};
    DeepeningResult result;
    gantry::ProcessResult process;
    try {
        process = gantry::run_process(argv, std::chrono::minutes(5));
    } catch (const gantry::EnvironmentError&) {
        result.failure = "git is not on PATH";
        return result;
    }
    if (process.timed_out) {
        result.failure = "`git fetch --unshallow` took more than 5 minutes";
    } else if (process.exit_code != 0) {
        const std::string why = last_line(process.output);
        result.failure = fmt::format("`git fetch --unshallow --tags {}` failed{}", remote, why.empty() ? "" : ": " + why);
    } else {
        result.deepened = true;
    }
    return result;
}

}  // namespace semver_tag
