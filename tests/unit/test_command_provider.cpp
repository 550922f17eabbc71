#include <filesystem>
#include <string>

#include <doctest/doctest.h>

#include "bluegreen-switch/command_provider.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "scratch_dir.hpp"

using namespace bluegreen_switch;
namespace fs = std::filesystem;
using gantry::testing::ScratchDir;

// The user's commands are real programs here; /bin/sh stands in for a user's script (tests only).

namespace {

// A "load balancer" that is a file: the switch command writes the colour into it, the read command
// prints it.
ProviderSettings file_balancer(const ScratchDir& dir) {
    const std::string state = (dir.path() / "live").string();
    ProviderSettings settings;
    settings.kind = "command";
    settings.switch_command = {"/bin/sh", "-c", "printf '%s\\n' \"$1\" > \"$2\"", "switch", "{color}", state};
    settings.read_command = {"cat", state};
    return settings;
}

}  // namespace

TEST_SUITE("command provider") {

TEST_CASE("command: --switch-command is required") {
    ProviderSettings settings;
    settings.kind = "command";
    CHECK_THROWS_WITH_AS(CommandProvider{settings}, "--switch-command is required with --provider command",
                         gantry::UsageError);
}

TEST_CASE("command: placeholders are substituted inside arguments, never through a shell") {
    ProviderSettings settings;
    settings.kind = "command";
    settings.blue = "be_blue";
    settings.green = "be green; rm -rf /";
    settings.switch_command = {"lb", "--to={target}", "{color}", "{percent}%", "{unknown}", "{target}{color}"};
    CommandProvider provider(settings);
    CHECK(provider.substitute(settings.switch_command, Color::Blue, 100) ==
          std::vector<std::string>{"lb", "--to=be_blue", "blue", "100%", "{unknown}", "be_blueblue"});
    CHECK(provider.substitute(settings.switch_command, Color::Green, 30) ==
          std::vector<std::string>{"lb", "--to=be green; rm -rf /", "green", "30%", "{unknown}", "be green; rm -rf /green"});
    CHECK(provider.plan(Color::Green, 30) ==
          std::vector<std::string>{"run: lb '--to=be green; rm -rf /' green 30% '{unknown}' 'be green; rm -rf /green'"});

    // A substituted value is not expanded again.
    settings.blue = "{color}";
    CHECK(CommandProvider{settings}.substitute({"{target}"}, Color::Blue, 100) == std::vector<std::string>{"{color}"});
    // Defaults: the colour names.
    ProviderSettings plain;
    plain.switch_command = {"x", "{target}"};
    CHECK(CommandProvider{plain}.substitute(plain.switch_command, Color::Green, 100) == std::vector<std::string>{"x", "green"});
}

TEST_CASE("command: switch then read back through real commands") {
    ScratchDir dir;
    CommandProvider provider(file_balancer(dir));
    provider.apply(Color::Green, 100);
    ProviderReading reading = provider.read();
    CHECK(reading.live == Color::Green);
    CHECK(reading.green_percent == 100);
    CHECK(reading.detail.find("printed green") != std::string::npos);
    provider.apply(Color::Blue, 100);
    CHECK(provider.read().live == Color::Blue);
}

TEST_CASE("command: the read command may print the --blue/--green names; anything else is an InputError") {
    ScratchDir dir;
    ProviderSettings settings = file_balancer(dir);
    settings.blue = "be_blue";
    settings.green = "be_green";
    CommandProvider provider(settings);
    gantry::write_file_atomically(dir.path() / "live", "  be_green\n");
    CHECK(provider.read().live == Color::Green);
    gantry::write_file_atomically(dir.path() / "live", "GREEN\n");
    CHECK(provider.read().live == Color::Green);
    gantry::write_file_atomically(dir.path() / "live", "purple\n");
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains("printed 'purple'; expected blue or green"), gantry::InputError);
}

TEST_CASE("command: without a read command the live colour is unknown") {
    ProviderSettings settings;
    settings.switch_command = {"true"};
    CommandProvider provider(settings);
    const ProviderReading reading = provider.read();
    CHECK_FALSE(reading.live.has_value());
    CHECK(reading.detail == "live colour unknown: no --read-command");
    CHECK_FALSE(provider.in_flight(Color::Blue).has_value());
}

TEST_CASE("command: weighted only when the switch command takes {percent}") {
    ProviderSettings settings;
    settings.switch_command = {"true", "{target}"};
    CommandProvider whole(settings);
    CHECK(whole.weights() == WeightSupport::AllOrNothing);
    CHECK_THROWS_WITH_AS(whole.apply(Color::Green, 10), doctest::Contains("no {percent} argument"), gantry::UsageError);
    CHECK_THROWS_AS(whole.plan(Color::Green, 10), gantry::UsageError);

    settings.switch_command = {"true", "--weight={percent}"};
    CommandProvider weighted(settings);
    CHECK(weighted.weights() == WeightSupport::Weighted);
    weighted.apply(Color::Green, 10);
    CHECK_THROWS_AS(weighted.apply(Color::Green, 101), gantry::UsageError);
}

TEST_CASE("command: a failing command is an EnvironmentError with its argv and its last 20 lines") {
    ProviderSettings settings;
    settings.switch_command = {"/bin/sh", "-c", "i=1; while [ $i -le 30 ]; do echo line$i; i=$((i+1)); done; exit 4"};
    CommandProvider provider(settings);
    try {
        provider.apply(Color::Green, 100);
        FAIL("expected an EnvironmentError");
    } catch (const gantry::EnvironmentError& error) {
        const std::string message = error.what();
        CHECK(message.find("/bin/sh -c 'i=1;") == 0);
        CHECK(message.find("failed (exit code 4):\nline11\n") != std::string::npos);
        CHECK(message.find("line10\n") == std::string::npos);
        CHECK(message.find("line30") != std::string::npos);
    }
    settings.switch_command = {"gantry-no-such-switch"};
    CHECK_THROWS_WITH_AS(CommandProvider{settings}.apply(Color::Blue, 100), doctest::Contains("gantry-no-such-switch"),
                         gantry::EnvironmentError);
    settings.switch_command = {"sleep", "30"};
    settings.timeout = std::chrono::milliseconds(200);
    CHECK_THROWS_WITH_AS(CommandProvider{settings}.apply(Color::Blue, 100), doctest::Contains("did not finish within 200 ms"),
                         gantry::EnvironmentError);
}

TEST_CASE("command: the in-flight command gets the colour and prints a whole number") {
    ProviderSettings settings;
    settings.switch_command = {"true"};
    settings.blue = "b1";
    settings.in_flight_command = {"/bin/sh", "-c", "if [ \"$1\" = blue ] && [ \"$2\" = b1 ]; then echo ' 7'; else echo 0; fi",
                                  "count", "{color}", "{target}"};
    CommandProvider provider(settings);
    CHECK(provider.in_flight(Color::Blue) == 7);
    CHECK(provider.in_flight(Color::Green) == 0);
    settings.in_flight_command = {"echo", "many"};
    CHECK_THROWS_WITH_AS(CommandProvider{settings}.in_flight(Color::Blue), doctest::Contains("printed 'many'"),
                         gantry::InputError);
}

}  // TEST_SUITE
