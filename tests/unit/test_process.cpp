#include <dirent.h>

#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "gantry/base/error.hpp"
#include "gantry/base/process.hpp"
#include "scratch_dir.hpp"

using namespace std::chrono_literals;
using gantry::describe_command;
using gantry::run_process;
using gantry::split_command_line;

namespace {

std::size_t open_descriptor_count() {
    std::size_t count = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        while (::readdir(dir) != nullptr) ++count;
        ::closedir(dir);
    }
    return count;
}

// PATH set for one test case and put back as it was at the end, whether the case passed or not.
class ScopedPath {
public:
    explicit ScopedPath(const std::string& value) {
        if (const char* old = ::getenv("PATH")) old_ = old;
        ::setenv("PATH", value.c_str(), 1);
    }
    ~ScopedPath() {
        if (old_) {
            ::setenv("PATH", old_->c_str(), 1);
        } else {
            ::unsetenv("PATH");
        }
    }
    ScopedPath(const ScopedPath&) = delete;
    ScopedPath& operator=(const ScopedPath&) = delete;

private:
    std::optional<std::string> old_;
};

void write_script(const std::string& path, const std::string& text, ::mode_t mode) {
    std::ofstream(path) << "#!/bin/sh\n" << text << "\n";
    REQUIRE(::chmod(path.c_str(), mode) == 0);
}

}  // namespace

TEST_SUITE("process") {

TEST_CASE("run_process: exit codes of /bin/true and /bin/false") {
    CHECK(run_process({"/bin/true"}, 10s).exit_code == 0);
    const gantry::ProcessResult failed = run_process({"false"}, 10s);  // looked up in PATH
    CHECK(failed.exit_code == 1);
    CHECK_FALSE(failed.timed_out);
}

TEST_CASE("run_process: stdout and stderr are captured together, arguments are not interpreted") {
    // The shell appears in tests only, to produce output on both streams.
    const gantry::ProcessResult result =
        run_process({"/bin/sh", "-c", "echo out; echo err >&2; echo \"$1\"; exit 7", "sh", "$HOME *;"}, 10s);
    CHECK(result.exit_code == 7);
    CHECK(result.output == "out\nerr\n$HOME *;\n");
}

TEST_CASE("run_process: stdin is /dev/null") {
    const gantry::ProcessResult result = run_process({"cat"}, 10s);
    CHECK(result.exit_code == 0);
    CHECK(result.output.empty());
}

TEST_CASE("run_process: a command that runs too long is killed, with what it printed so far") {
    const gantry::ProcessResult result = run_process({"/bin/sh", "-c", "echo started; exec sleep 30"}, 300ms);
    CHECK(result.timed_out);
    CHECK(result.exit_code == -1);
    CHECK(result.output == "started\n");
}

TEST_CASE("run_process: the wait ends when the command exits even if a child keeps the output open") {
    const gantry::ProcessResult result = run_process({"/bin/sh", "-c", "sleep 15 & echo parent done"}, 10s);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 0);
    CHECK(result.output == "parent done\n");
}

TEST_CASE("run_process: only the last output_limit bytes are kept") {
    const gantry::ProcessResult result =
        run_process({"/bin/sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done"}, 20s, 16);
    CHECK(result.exit_code == 0);
    CHECK(result.output == "ne1998\nline1999\n");
}

TEST_CASE("run_process: a missing program is an EnvironmentError naming it") {
    CHECK_THROWS_WITH_AS(run_process({"gantry-no-such-program-x"}, 10s),
                         doctest::Contains("gantry-no-such-program-x"), gantry::EnvironmentError);
    CHECK_THROWS_WITH_AS(run_process({"gantry-no-such-program-x"}, 10s), doctest::Contains("not found on PATH ("),
                         gantry::EnvironmentError);
    CHECK_THROWS_WITH_AS(run_process({"/nonexistent/gantry-no-such-program-x"}, 10s),
                         doctest::Contains("/nonexistent/gantry-no-such-program-x: No such file or directory"),
                         gantry::EnvironmentError);
    CHECK_THROWS_AS(run_process({}, 10s), gantry::UsageError);
}

// Decided before the spawn, so the same where the exec's failure is not reported back (qemu-user).
TEST_CASE("run_process: a file that cannot be executed is an EnvironmentError saying why") {
    const gantry::testing::ScratchDir dir("gantry-process");
    write_script(dir / "plain", "exit 0", 0644);
    CHECK_THROWS_WITH_AS(run_process({dir / "plain"}, 10s), doctest::Contains("plain: it is not executable"),
                         gantry::EnvironmentError);
    CHECK_THROWS_WITH_AS(run_process({dir.path().string()}, 10s), doctest::Contains("it is a directory"),
                         gantry::EnvironmentError);
}

TEST_CASE("run_process: PATH is searched in order, past a match that cannot be executed") {
    const gantry::testing::ScratchDir dir("gantry-process");
    std::filesystem::create_directory(dir.path() / "a");
    std::filesystem::create_directory(dir.path() / "b");
    write_script(dir / "a/gantry-tool", "echo from a", 0644);
    write_script(dir / "b/gantry-tool", "echo from b", 0755);
    {
        const ScopedPath path(dir / "a" + ":" + dir / "b");
        const gantry::ProcessResult result = run_process({"gantry-tool", "x"}, 10s);
        CHECK(result.exit_code == 0);
        CHECK(result.output == "from b\n");
    }
    {
        // Only the one that cannot run: the message names it rather than "not found".
        const ScopedPath path(dir / "a");
        CHECK_THROWS_WITH_AS(run_process({"gantry-tool"}, 10s), doctest::Contains("a/gantry-tool: it is not executable"),
                             gantry::EnvironmentError);
    }
    {
        const ScopedPath path("/nonexistent-no-tools");
        CHECK_THROWS_WITH_AS(run_process({"sh"}, 10s),
                             doctest::Contains("cannot run sh: not found on PATH (/nonexistent-no-tools)"),
                             gantry::EnvironmentError);
    }
}

TEST_CASE("run_process: no descriptor is leaked") {
    const std::size_t before = open_descriptor_count();
    for (int i = 0; i < 20; ++i) run_process({"/bin/true"}, 10s);
    run_process({"/bin/sh", "-c", "exec sleep 30"}, 100ms);
    CHECK_THROWS(run_process({"gantry-no-such-program-x"}, 10s));
    CHECK(open_descriptor_count() == before);
    // The child sees only 0, 1 and 2 (and the descriptor ls opens for the listing itself). The
    // timeshift phase preloads libfaketime into every process, which opens shared memory of its own.
    const gantry::ProcessResult listing = run_process({"ls", "-l", "/proc/self/fd"}, 10s);
    std::vector<std::string> descriptors;
    std::istringstream lines(listing.output);
    for (std::string line; std::getline(lines, line);) {
        const auto arrow = line.find(" -> ");
        if (arrow == std::string::npos || line.find("/dev/shm/faketime_shm") != std::string::npos) continue;
        const auto name_start = line.rfind(' ', arrow - 1) + 1;
        descriptors.push_back(line.substr(name_start, arrow - name_start));
    }
    REQUIRE(descriptors.size() == 4);
    CHECK(descriptors[0] == "0");
    CHECK(descriptors[1] == "1");
    CHECK(descriptors[2] == "2");
    CHECK(listing.output.find(descriptors[3] + " -> /proc/") != std::string::npos);
}

TEST_CASE("split_command_line: blanks, quotes and backslashes") {
    CHECK(split_command_line("nginx -s reload -c '/etc/my nginx.conf'") ==
          std::vector<std::string>{"nginx", "-s", "reload", "-c", "/etc/my nginx.conf"});
    CHECK(split_command_line("  a\t\"b c\"  d\\ e  ") == std::vector<std::string>{"a", "b c", "d e"});
    CHECK(split_command_line(R"(x"y"'z' "" '')") == std::vector<std::string>{"xyz", "", ""});
    CHECK(split_command_line(R"("say \"hi\" \\" 'a\b')") == std::vector<std::string>{R"(say "hi" \)", R"(a\b)"});
    CHECK(split_command_line("$HOME *.conf ; |") == std::vector<std::string>{"$HOME", "*.conf", ";", "|"});
    CHECK(split_command_line("   ").empty());
}

TEST_CASE("split_command_line: unterminated quotes are a UsageError") {
    CHECK_THROWS_WITH_AS(split_command_line("nginx -c '/etc/x"), doctest::Contains("unterminated '"),
                         gantry::UsageError);
    CHECK_THROWS_AS(split_command_line("echo \"abc"), gantry::UsageError);
    CHECK_THROWS_AS(split_command_line("echo abc\\"), gantry::UsageError);
}

TEST_CASE("describe_command: quotes only words that need it, and splits back to the same argv") {
    const std::vector<std::string> argv{"nginx", "-g", "pid /tmp/a b.pid;", "", "it's", "a=b:c/d.e,f@g%h+i"};
    CHECK(describe_command(argv) == R"(nginx -g 'pid /tmp/a b.pid;' '' 'it'\''s' a=b:c/d.e,f@g%h+i)");
    CHECK(split_command_line(describe_command(argv)) == argv);
    CHECK(describe_command({"nginx", "-s", "reload"}) == "nginx -s reload");
}

}  // TEST_SUITE
