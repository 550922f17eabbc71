#include <filesystem>
#include <string>

#include <doctest/doctest.h>

#include "bluegreen-switch/flag_file_provider.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "scratch_dir.hpp"

using namespace bluegreen_switch;
namespace fs = std::filesystem;
using gantry::testing::ScratchDir;

// The real nginx and Caddy reference configurations are exercised in test_nginx_provider.cpp and
// test_caddy_provider.cpp, next to the labs that start them.

namespace {

ProviderSettings flag_settings(const ScratchDir& dir, const std::string& kind = "nginx") {
    std::error_code ignored;
    fs::create_directories(dir.path() / "state", ignored);
    ProviderSettings settings;
    settings.kind = kind;
    settings.flag_file = (dir.path() / "state" / "green-live").string();
    return settings;
}

}  // namespace

TEST_SUITE("flag file provider") {

TEST_CASE("flag file: only with nginx or caddy, and the file is required") {
    ScratchDir dir;
    CHECK_THROWS_WITH_AS(FlagFileProvider{flag_settings(dir, "haproxy")}, doctest::Contains("nginx or caddy"),
                         gantry::UsageError);
    ProviderSettings settings = flag_settings(dir);
    settings.flag_file.clear();
    CHECK_THROWS_WITH_AS(FlagFileProvider{settings}, doctest::Contains("--flag-file is required"), gantry::UsageError);
    settings.flag_file = dir.path().string() + "/";
    CHECK_THROWS_AS(FlagFileProvider{settings}, gantry::UsageError);
    CHECK(FlagFileProvider{flag_settings(dir, "caddy")}.name() == "caddy");
    CHECK(FlagFileProvider{flag_settings(dir, "nginx")}.name() == "nginx");
}

TEST_CASE("flag file: green when it exists, blue when it does not") {
    ScratchDir dir;
    const ProviderSettings settings = flag_settings(dir);
    FlagFileProvider provider(settings);
    ProviderReading reading = provider.read();
    CHECK(reading.live == Color::Blue);
    CHECK(reading.green_percent == 0);
    CHECK(reading.detail == "flag file " + settings.flag_file + " is absent (blue)");

    provider.apply(Color::Green, 100);
    CHECK(gantry::read_file(settings.flag_file) == "green\n");
    reading = provider.read();
    CHECK(reading.live == Color::Green);
    CHECK(reading.green_percent == 100);
    provider.apply(Color::Green, 100);  // again: harmless
    CHECK(provider.read().live == Color::Green);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(fs::path(settings.flag_file).parent_path())) ++files;
    CHECK(files == 1);  // no temporary file left behind

    provider.apply(Color::Blue, 100);
    CHECK_FALSE(fs::exists(settings.flag_file));
    provider.apply(Color::Blue, 100);  // already missing: fine
    CHECK(provider.read().live == Color::Blue);
}

TEST_CASE("flag file: a dangling symlink still counts as the flag being there") {
    ScratchDir dir;
    const ProviderSettings settings = flag_settings(dir);
    fs::create_directories(fs::path(settings.flag_file).parent_path());
    fs::create_symlink(dir.path() / "nowhere", settings.flag_file);
    FlagFileProvider provider(settings);
    CHECK(provider.read().live == Color::Green);
    provider.apply(Color::Blue, 100);
    CHECK_FALSE(fs::is_symlink(settings.flag_file));
}

TEST_CASE("flag file: only whole switches; plan says create or remove and changes nothing") {
    ScratchDir dir;
    const ProviderSettings settings = flag_settings(dir);
    FlagFileProvider provider(settings);
    CHECK(provider.weights() == WeightSupport::AllOrNothing);
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 50), doctest::Contains("cannot send 50 percent to green"),
                         gantry::UsageError);
    CHECK(provider.plan(Color::Green, 100) == std::vector<std::string>{"create " + settings.flag_file});
    CHECK(provider.plan(Color::Blue, 100) == std::vector<std::string>{"remove " + settings.flag_file});
    CHECK_FALSE(fs::exists(settings.flag_file));
    CHECK_FALSE(provider.in_flight(Color::Blue).has_value());
}

TEST_CASE("flag file: a folder that does not exist is a path the load balancer does not test: exit 2") {
    ScratchDir dir;
    ProviderSettings settings;
    settings.kind = "nginx";
    settings.flag_file = dir / "no-such-folder/green.flag";
    CHECK_THROWS_WITH_AS(FlagFileProvider{settings}, doctest::Contains("does not exist"), gantry::UsageError);
    CHECK_FALSE(fs::exists(dir / "no-such-folder"));  // not created
    // Not a permission test: root (CI containers) ignores permissions.
    gantry::write_file_atomically(dir.path() / "file", "not a folder\n");
    settings.flag_file = dir / "file/green.flag";
    CHECK_THROWS_AS(FlagFileProvider{settings}, gantry::UsageError);
}

TEST_CASE("flag file: a folder that stops being one after the start is an EnvironmentError") {
    ScratchDir dir;
    FlagFileProvider provider(flag_settings(dir));
    fs::remove_all(dir.path() / "state");
    gantry::write_file_atomically(dir.path() / "state", "not a folder\n");
    CHECK_THROWS_AS(provider.apply(Color::Green, 100), gantry::EnvironmentError);
    CHECK_THROWS_AS(provider.read(), gantry::EnvironmentError);
}

}  // TEST_SUITE
