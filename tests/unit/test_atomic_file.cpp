#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "scratch_dir.hpp"

namespace fs = std::filesystem;
using gantry::testing::ScratchDir;

namespace {

std::size_t entries_in(const fs::path& directory) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(directory)) ++count;
    return count;
}

}  // namespace

TEST_SUITE("atomic_file") {
    TEST_CASE("writes a new file, creating missing parent directories") {
        ScratchDir scratch;
        const fs::path target = scratch.path() / "a" / "b" / "out.txt";
        gantry::write_file_atomically(target, "hello\n");
        CHECK(gantry::read_file(target) == "hello\n");
        CHECK(entries_in(target.parent_path()) == 1);  // no temporary file left behind
    }

    TEST_CASE("replaces an existing file whole, binary content included") {
        ScratchDir scratch;
        const fs::path target = scratch.path() / "out.bin";
        gantry::write_file_atomically(target, "a much longer old content\n");
        const std::string binary("x\0y\r\n", 5);
        gantry::write_file_atomically(target, binary);
        CHECK(gantry::read_file(target) == binary);
        gantry::write_file_atomically(target, "");
        CHECK(gantry::read_file(target).empty());
    }

    TEST_CASE("a file name close to the length limit still works") {
        ScratchDir scratch;
        const fs::path target = scratch.path() / std::string(250, 'n');
        gantry::write_file_atomically(target, "long");
        CHECK(gantry::read_file(target) == "long");
    }

    TEST_CASE("when the parent is a file, the write fails with the path and the old file is intact") {
        ScratchDir scratch;
        const fs::path existing = scratch.path() / "existing.txt";
        gantry::write_file_atomically(existing, "old content");
        const fs::path target = existing / "inside.txt";
        try {
            gantry::write_file_atomically(target, "new content");
            FAIL("expected EnvironmentError");
        } catch (const gantry::EnvironmentError& error) {
            CHECK(std::string(error.what()).find(target.string()) != std::string::npos);
            CHECK(error.code() == gantry::ExitCode::Environment);
        }
        CHECK(gantry::read_file(existing) == "old content");
        CHECK(entries_in(scratch.path()) == 1);
    }

    TEST_CASE("when the target is a directory, nothing is replaced and no temporary file remains") {
        ScratchDir scratch;
        const fs::path target = scratch.path() / "report.json";
        fs::create_directory(target);
        gantry::write_file_atomically(target / "kept.txt", "kept");
        CHECK_THROWS_AS(gantry::write_file_atomically(target, "{}"), gantry::EnvironmentError);
        CHECK(fs::is_directory(target));
        CHECK(gantry::read_file(target / "kept.txt") == "kept");
        CHECK(entries_in(scratch.path()) == 1);
    }

    TEST_CASE("append_to_file creates, then appends") {
        ScratchDir scratch;
        const fs::path target = scratch.path() / "github_output";
        gantry::append_to_file(target, "a=1\n");
        gantry::append_to_file(target, "b=2\n");
        CHECK(gantry::read_file(target) == "a=1\nb=2\n");
        CHECK_THROWS_AS(gantry::append_to_file(scratch.path() / "missing" / "x", "y"), gantry::EnvironmentError);
    }

    TEST_CASE("read_file reports unreadable paths as InputError naming the path") {
        ScratchDir scratch;
        const fs::path missing = scratch.path() / "missing.json";
        try {
            (void)gantry::read_file(missing);
            FAIL("expected InputError");
        } catch (const gantry::InputError& error) {
            const std::string message = error.what();
            CHECK(message.find(missing.string() + ": cannot read: ") == 0);
            CHECK(error.position().file == missing.string());
        }
        CHECK_THROWS_AS((void)gantry::read_file(scratch.path()), gantry::InputError);  // a directory
    }
}
