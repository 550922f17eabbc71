#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gantry/base/error.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/json/padded_file.hpp"

using gantry::PaddedFile;

namespace {

std::filesystem::path write_file(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / ("gantry-padded-file-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

bool padding_is_zero(const PaddedFile& file) {
    const char* end = file.text().data() + file.text().size();
    for (std::size_t i = 0; i < simdjson::SIMDJSON_PADDING; ++i) {
        if (end[i] != 0) return false;
    }
    return true;
}

}  // namespace

TEST_SUITE("padded file") {
    TEST_CASE("a small file is read whole, with zeroed padding after it") {
        const auto path = write_file("small.json", "{\"a\": 1}\n");
        const PaddedFile file = PaddedFile::read(path, "small.json");
        CHECK(file.text() == "{\"a\": 1}\n");
        CHECK(file.padded().capacity() == file.text().size() + simdjson::SIMDJSON_PADDING);
        CHECK(padding_is_zero(file));
    }

    TEST_CASE("a file above the huge-page size is read whole, byte for byte") {
        // 3 MiB and a few bytes: not a multiple of any page size.
        std::string text = "[";
        while (text.size() < (std::size_t{3} << 20)) text += "\"0123456789abcdef\",";
        text += "0]";
        const auto path = write_file("large.json", text);
        const PaddedFile file = PaddedFile::read(path, "large.json");
        CHECK(file.text() == text);
        CHECK(padding_is_zero(file));
        gantry::JsonDocument document(path);
        CHECK(document.text() == text);
    }

    TEST_CASE("an empty file gives an empty text") {
        const auto path = write_file("empty.json", "");
        const PaddedFile file = PaddedFile::read(path, "empty.json");
        CHECK(file.text().empty());
        CHECK(padding_is_zero(file));
    }

    TEST_CASE("a file that cannot be opened is an InputError naming it") {
        const auto path = std::filesystem::temp_directory_path() / "gantry-padded-file-does-not-exist.json";
        CHECK_THROWS_WITH_AS(PaddedFile::read(path, "missing.json"), doctest::Contains("missing.json"), gantry::InputError);
        CHECK_THROWS_WITH_AS(PaddedFile::read(path, "missing.json"), doctest::Contains("cannot read"), gantry::InputError);
    }

    TEST_CASE("a pipe is read to its end") {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        const std::string text(200000, 'x');  // more than the first chunk: the buffer grows
        const pid_t writer = ::fork();
        REQUIRE(writer >= 0);
        if (writer == 0) {
            ::close(fds[0]);
            std::size_t done = 0;
            while (done < text.size()) done += static_cast<std::size_t>(::write(fds[1], text.data() + done, text.size() - done));
            ::_exit(0);
        }
        ::close(fds[1]);
        const PaddedFile file = PaddedFile::read("/dev/fd/" + std::to_string(fds[0]), "pipe");
        ::close(fds[0]);
        ::waitpid(writer, nullptr, 0);
        CHECK(file.text() == text);
        CHECK(padding_is_zero(file));
    }
}
