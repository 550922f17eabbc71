#include "gantry/base/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

extern char** environ;

namespace gantry {

namespace {

using Clock = std::chrono::steady_clock;

// Both ends close on exec, so a child started by another thread never inherits them; the spawn's
// dup2 onto 1 and 2 clears the flag for the copies the child is meant to have.
class Pipe {
public:
    Pipe() {
        if (::pipe2(fds_, O_CLOEXEC) != 0) {
            throw EnvironmentError(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
        }
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    ~Pipe() {
        close_read();
        close_write();
    }
    int read_end() const { return fds_[0]; }
    int write_end() const { return fds_[1]; }
    void close_read() { close_end(fds_[0]); }
    void close_write() { close_end(fds_[1]); }

private:
    static void close_end(int& fd) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    int fds_[2] = {-1, -1};
};

// A descriptor that becomes readable when the process exits (pidfd_open, Linux 5.3); -1 when the
// kernel or a seccomp filter refuses it.
class ProcessExitFd {
public:
    explicit ProcessExitFd(pid_t pid) : fd_(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))) {}
    ~ProcessExitFd() {
        if (fd_ >= 0) ::close(fd_);
    }
    ProcessExitFd(const ProcessExitFd&) = delete;
    ProcessExitFd& operator=(const ProcessExitFd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

class SpawnActions {
public:
    SpawnActions() { ::posix_spawn_file_actions_init(&actions_); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    ~SpawnActions() { ::posix_spawn_file_actions_destroy(&actions_); }
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    posix_spawn_file_actions_t actions_;
};

class SpawnAttributes {
public:
    SpawnAttributes() { ::posix_spawnattr_init(&attributes_); }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
    ~SpawnAttributes() { ::posix_spawnattr_destroy(&attributes_); }
    posix_spawnattr_t* get() { return &attributes_; }

private:
    posix_spawnattr_t attributes_;
};

// Keeps the last `limit` bytes: when a command fails, its last words say why.
void keep_tail(std::string& output, const char* data, std::size_t size, std::size_t limit) {
    output.append(data, size);
    if (output.size() > limit) output.erase(0, output.size() - limit);
}

// Reads what is there without blocking; returns false at end of file.
bool drain(int fd, std::string& output, std::size_t limit) {
    char buffer[16 * 1024];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got > 0) {
            keep_tail(output, buffer, static_cast<std::size_t>(got), limit);
            continue;
        }
        if (got == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
}

// waitpid without giving up on EINTR; `options` 0 blocks, WNOHANG polls. Returns the pid or 0.
pid_t wait_for(pid_t pid, int& status, int options) {
    for (;;) {
        const pid_t got = ::waitpid(pid, &status, options);
        if (got >= 0) return got;
        if (errno != EINTR) return pid;  // ECHILD: someone else reaped it; nothing more to learn
    }
}

int exit_code_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

bool needs_quotes(std::string_view word) {
    if (word.empty()) return true;
    return std::any_of(word.begin(), word.end(), [](char c) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
        return !plain;
    });
}

// Why `path` cannot be executed, or nothing when it can: a regular file with an execute bit for us.
std::optional<std::string> not_executable(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::string(std::strerror(errno));
    if (S_ISDIR(info.st_mode)) return std::string("it is a directory");
    if (!S_ISREG(info.st_mode)) return std::string("it is not a regular file");
    if (::access(path.c_str(), X_OK) != 0) return fmt::format("it is not executable ({})", std::strerror(errno));
    return std::nullopt;
}

// The file execvp would run for `name`: itself when it has a '/', else the first executable
// `<dir>/name` along PATH (an empty entry is the current folder; no PATH is glibc's default
// "/bin:/usr/bin"). Checked here rather than left to the exec's error: where the spawn's vfork/clone
// is emulated (qemu-user) a failed exec is not reported back and would look like a program that ran
// and exited 127; and here the message can say what was searched.
std::string resolve_program(const std::string& name) {
    if (name.find('/') != std::string::npos) {
        if (const auto why = not_executable(name)) throw EnvironmentError(fmt::format("cannot run {}: {}", name, *why));
        return name;
    }
    const char* path_variable = std::getenv("PATH");
    const std::string_view search = path_variable != nullptr ? path_variable : "/bin:/usr/bin";
    std::optional<std::string> refused;  // the first match that is there but cannot be run, and why
    for (std::size_t start = 0;;) {
        const std::size_t end = std::min(search.find(':', start), search.size());
        const std::string_view folder = search.substr(start, end - start);
        const std::string candidate = folder.empty() ? "./" + name : fmt::format("{}/{}", folder, name);
        const std::optional<std::string> why = not_executable(candidate);
        if (!why) return candidate;
        if (!refused && ::access(candidate.c_str(), F_OK) == 0) refused = fmt::format("{}: {}", candidate, *why);
        if (end == search.size()) break;
        start = end + 1;
    }
    if (refused) throw EnvironmentError(fmt::format("cannot run {}: {}", name, *refused));
    throw EnvironmentError(fmt::format("cannot run {}: not found on PATH ({})", name,
                                       path_variable != nullptr ? search : "unset, so /bin:/usr/bin"));
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          std::size_t output_limit) {
    if (argv.empty() || argv.front().empty()) throw UsageError("no command given to run");
    // The child keeps the name it was given as argv[0]; the exec gets the resolved file. The spawn's
    // own error still counts (the file may change in between, or the exec may refuse it).
    const std::string program = resolve_program(argv.front());

    Pipe pipe;
    SpawnActions actions;
    ::posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(actions.get(), pipe.write_end(), 1);
    ::posix_spawn_file_actions_adddup2(actions.get(), pipe.write_end(), 2);
    // Descriptors inherited without O_CLOEXEC (from whoever started us) are not the command's business.
    ::posix_spawn_file_actions_addclosefrom_np(actions.get(), 3);

    // Its own process group, so that a timeout also kills what the command started; default signal
    // dispositions and an empty mask, so that a caller ignoring SIGPIPE does not pass that on.
    SpawnAttributes attributes;
    sigset_t all_signals;
    sigset_t no_signals;
    ::sigfillset(&all_signals);
    ::sigemptyset(&no_signals);
    ::posix_spawnattr_setsigdefault(attributes.get(), &all_signals);
    ::posix_spawnattr_setsigmask(attributes.get(), &no_signals);
    ::posix_spawnattr_setpgroup(attributes.get(), 0);
    ::posix_spawnattr_setflags(attributes.get(), POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);

    std::vector<char*> arguments;
    arguments.reserve(argv.size() + 1);
    for (const std::string& argument : argv) arguments.push_back(const_cast<char*>(argument.c_str()));
    arguments.push_back(nullptr);

    pid_t pid = 0;
    const int spawn_error = ::posix_spawn(&pid, program.c_str(), actions.get(), attributes.get(), arguments.data(), environ);
    if (spawn_error != 0) {
        throw EnvironmentError(fmt::format("cannot run {}: {}", argv.front(), std::strerror(spawn_error)));
    }
    pipe.close_write();
    ::fcntl(pipe.read_end(), F_SETFL, ::fcntl(pipe.read_end(), F_GETFL) | O_NONBLOCK);
    const ProcessExitFd exit_fd(pid);

    ProcessResult result;
    const Clock::time_point deadline = Clock::now() + timeout;
    int status = 0;
    bool exited = false;
    bool open = true;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            break;
        }
        // A daemon the command started may keep the pipe open after the command itself has exited,
        // and a command may close its output and go on running, so only the command's exit (or the
        // deadline) ends the wait. A pidfd reports that exit to poll() at once; without one (an old
        // kernel, a seccomp filter) the wait is cut into slices, short ones once the output is closed
        // because the exit then usually follows within microseconds. A negative fd is ignored by poll().
        pollfd entries[2] = {{open ? pipe.read_end() : -1, POLLIN, 0}, {exit_fd.get(), POLLIN, 0}};
        const long long slice = exit_fd.get() >= 0 ? left.count() : open ? 50 : 2;
        const int ready = ::poll(entries, 2, static_cast<int>(std::min<long long>(left.count(), slice)));
        if (ready > 0 && open && entries[0].revents != 0) open = drain(pipe.read_end(), result.output, output_limit);
        if (wait_for(pid, status, WNOHANG) == pid) {
            exited = true;
            if (open) drain(pipe.read_end(), result.output, output_limit);
            break;
        }
    }
    if (result.timed_out) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
    }
    if (!exited) wait_for(pid, status, 0);
    result.exit_code = result.timed_out ? -1 : exit_code_of(status);
    return result;
}

std::vector<std::string> split_command_line(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
            continue;
        }
        in_word = true;
        if (c == '\\') {
            if (i + 1 == text.size()) {
                throw UsageError(fmt::format("a backslash ends the command line '{}': it must escape a character", text));
            }
            word += text[++i];
        } else if (c == '\'' || c == '"') {
            const std::size_t end = text.find(c, i + 1);
            if (c == '\'') {
                if (end == std::string_view::npos) {
                    throw UsageError(fmt::format("the command line '{}' has an unterminated ' quote", text));
                }
                word.append(text.substr(i + 1, end - i - 1));
                i = end;
                continue;
            }
            // Inside double quotes a backslash still escapes one character (\" and \\).
            std::size_t j = i + 1;
            for (; j < text.size() && text[j] != '"'; ++j) {
                if (text[j] == '\\' && j + 1 < text.size()) ++j;
                word += text[j];
            }
            if (j >= text.size()) {
                throw UsageError(fmt::format("the command line '{}' has an unterminated \" quote", text));
            }
            i = j;
        } else {
            word += c;
        }
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

std::string describe_command(const std::vector<std::string>& argv) {
    std::string text;
    for (const std::string& word : argv) {
        if (!text.empty()) text += ' ';
        if (!needs_quotes(word)) {
            text += word;
            continue;
        }
        text += '\'';
        for (const char c : word) {
            if (c == '\'') {
                text += "'\\''";
            } else {
                text += c;
            }
        }
        text += '\'';
    }
    return text;
}

}  // namespace gantry
