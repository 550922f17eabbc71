// bluegreen-switch's flow (run()) end to end with the command provider over real files and real
// processes: the "load balancer" is a file holding the live colour, switched by `sh -c` commands
// written by the test. Real nginx, HAProxy and Caddy are exercised by tests/bluegreen/run.sh.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "bluegreen-switch/bluegreen_switch.hpp"
#include "bluegreen-switch/switch_lock.hpp"
#include "bluegreen-switch/switch_state.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace bluegreen_switch;

namespace {

class Lab {
public:
    Lab() { set_live("blue"); }
    std::string operator/(const std::string& name) const { return dir_ / name; }
    void set_live(const std::string& color) const { gantry::write_file_atomically(dir_ / "live", color + "\n"); }
    std::string live() const {
        std::string text = gantry::read_file(dir_ / "live");
        while (!text.empty() && text.back() == '\n') text.pop_back();
        return text;
    }
    // Options for the command provider whose traffic is the file "live".
    Options options(std::optional<Color> to) const {
        Options options;
        options.mode = to ? Mode::Switch : Mode::Rollback;
        options.to = to;
        options.provider.kind = "command";
        options.provider.read_command = {"cat", *this / "live"};
        options.provider.switch_command = {"sh", "-c", "echo {color} > \"$0\"", *this / "live"};
        options.state_file = *this / "state.json";
        options.audit_log = *this / "audit.jsonl";
        options.lock_file = *this / "state.lock";
        options.settle = std::chrono::milliseconds(0);
        options.drain_timeout = std::chrono::milliseconds(0);
        return options;
    }

private:
    gantry::testing::ScratchDir dir_{"gantry-bluegreen"};
};

gantry::Environment no_environment() { return gantry::Environment(std::map<std::string, std::string>{}); }

}  // namespace

TEST_SUITE("bluegreen-switch") {
    TEST_CASE("parse_steps accepts increasing percentages that end at 100") {
        CHECK(parse_steps("100") == std::vector<int>{100});
        CHECK(parse_steps("10, 50%,100") == std::vector<int>{10, 50, 100});
        CHECK_THROWS_AS(parse_steps("50,10,100"), gantry::UsageError);
        CHECK_THROWS_AS(parse_steps("10,50"), gantry::UsageError);
        CHECK_THROWS_AS(parse_steps("0,100"), gantry::UsageError);
        CHECK_THROWS_AS(parse_steps("ten"), gantry::UsageError);
        CHECK_THROWS_AS(parse_steps(""), gantry::UsageError);
    }

    TEST_CASE("the state file round-trips and rejects what it cannot read with a JSON pointer") {
        Lab lab;
        CHECK_FALSE(read_switch_state(lab / "missing.json").has_value());
        SwitchState state{.live = Color::Green, .previous = Color::Blue, .pending = std::nullopt,
                          .provider = "nginx", .version = "1.2.3", .switched_at = "2026-11-22T10:00:00Z"};
        write_switch_state(lab / "s.json", state);
        const auto back = read_switch_state(lab / "s.json");
        REQUIRE(back);
        CHECK(back->live == Color::Green);
        CHECK(back->previous == Color::Blue);
        CHECK_FALSE(back->pending);
        CHECK(back->version == "1.2.3");
        gantry::write_file_atomically(lab / "bad.json", R"({"live": "purple"})");
        try {
            read_switch_state(lab / "bad.json");
            FAIL("expected an InputError");
        } catch (const gantry::InputError& e) {
            CHECK(std::string(e.what()).find("/live") != std::string::npos);
        }
        gantry::write_file_atomically(lab / "truncated.json", R"({"live": "gr)");
        CHECK_THROWS_AS(read_switch_state(lab / "truncated.json"), gantry::InputError);
    }

    TEST_CASE("a held lock stops a second switch with a message naming the holder") {
        Lab lab;
        const SwitchLock first(lab / "x.lock");
        try {
            const SwitchLock second(lab / "x.lock");
            FAIL("the second lock was granted");
        } catch (const gantry::Error& e) {
            CHECK(e.code() == gantry::ExitCode::Failed);
            CHECK(std::string(e.what()).find("lock") != std::string::npos);
            CHECK(std::string(e.what()).find("pid ") != std::string::npos);
        }
    }

    TEST_CASE("switch, nothing to do, rollback") {
        Lab lab;
        auto outcome = run(lab.options(Color::Green), no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Success);
        CHECK(lab.live() == "green");
        CHECK(outcome.json["switched"] == true);
        CHECK(outcome.json["live-color"] == "green");
        CHECK(outcome.json["previous-color"] == "blue");
        auto state = read_switch_state(lab / "state.json");
        REQUIRE(state);
        CHECK(state->live == Color::Green);
        CHECK(state->previous == Color::Blue);
        CHECK_FALSE(state->pending);

        outcome = run(lab.options(Color::Green), no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Success);
        CHECK(outcome.json["nothing-to-do"] == true);
        CHECK(outcome.json["switched"] == false);

        outcome = run(lab.options(std::nullopt), no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Success);
        CHECK(lab.live() == "blue");
        CHECK(outcome.json["action"] == "rollback");
        const std::string audit = gantry::read_file(lab / "audit.jsonl");
        CHECK(audit.find("\"action\":\"switch\"") != std::string::npos);
        CHECK(audit.find("\"action\":\"done\"") != std::string::npos);
    }

    TEST_CASE("drift is refused unless forced") {
        Lab lab;
        REQUIRE(run(lab.options(Color::Green), no_environment()).exit_code == gantry::ExitCode::Success);
        lab.set_live("blue");  // someone switched by hand
        auto outcome = run(lab.options(Color::Green), no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Failed);
        CHECK(outcome.json["drift"] == true);
        CHECK(outcome.headline.find("drift") != std::string::npos);
        CHECK(lab.live() == "blue");
        auto forced = lab.options(Color::Green);
        forced.drift = DriftPolicy::Force;
        CHECK(run(forced, no_environment()).exit_code == gantry::ExitCode::Success);
        CHECK(lab.live() == "green");
    }

    TEST_CASE("a dry run changes nothing and lists the commands") {
        Lab lab;
        auto options = lab.options(Color::Green);
        options.execution = Execution::DryRun;
        const auto outcome = run(options, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Success);
        CHECK(lab.live() == "blue");
        CHECK_FALSE(fs::exists(lab / "state.json"));
        CHECK_FALSE(fs::exists(lab / "audit.jsonl"));
        CHECK_FALSE(fs::exists(lab / "state.lock"));
        REQUIRE(outcome.json.contains("plan"));
        CHECK(outcome.json["plan"].dump().find("green") != std::string::npos);
    }

    TEST_CASE("an unhealthy target is not switched to") {
        Lab lab;
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        gantry::write_file_atomically(lab / "health.yml", "checks:\n  - get: http://127.0.0.1:1/healthz\n");
        auto options = lab.options(Color::Green);
        options.health_file = lab / "health.yml";
        const auto outcome = run(options, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Failed);
        CHECK(lab.live() == "blue");
        CHECK(outcome.json["switched"] == false);
        CHECK(outcome.json["reason"].get<std::string>().find("unhealthy") != std::string::npos);
    }

    TEST_CASE("a failing verification rolls back") {
        Lab lab;
        gantry::write_file_atomically(lab / "verify.yml", "checks:\n  - tcp: 127.0.0.1:1\n");
        auto options = lab.options(Color::Green);
        options.verify_file = lab / "verify.yml";
        auto outcome = run(options, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Failed);
        CHECK(outcome.json["rolled-back"] == true);
        CHECK(lab.live() == "blue");
        CHECK_FALSE(fs::exists(lab / "state.json"));  // as before the run: there was none

        // With a recorded state, the rollback leaves it byte for byte as it was.
        REQUIRE(run(lab.options(Color::Green), no_environment()).exit_code == gantry::ExitCode::Success);
        const std::string before = gantry::read_file(lab / "state.json");
        options = lab.options(Color::Blue);
        options.verify_file = lab / "verify.yml";
        CHECK(run(options, no_environment()).exit_code == gantry::ExitCode::Failed);
        CHECK(lab.live() == "green");
        CHECK(gantry::read_file(lab / "state.json") == before);
    }

    TEST_CASE("an interrupted switch is completed by the rerun even when the provider already reads the target") {
        Lab lab;
        lab.set_live("green");
        write_switch_state(lab / "state.json", SwitchState{.live = Color::Blue, .pending = Color::Green});
        const auto outcome = run(lab.options(Color::Green), no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Success);
        CHECK(outcome.json["interrupted-switch-found"] == true);
        CHECK(outcome.json["switched"] == true);
        const auto state = read_switch_state(lab / "state.json");
        REQUIRE(state);
        CHECK(state->live == Color::Green);
        CHECK_FALSE(state->pending);
    }

    TEST_CASE("a failed provider step leaves the state file exactly as it was, and says so") {
        Lab lab;
        REQUIRE(run(lab.options(Color::Green), no_environment()).exit_code == gantry::ExitCode::Success);
        const std::string before = gantry::read_file(lab / "state.json");
        auto options = lab.options(Color::Blue);
        options.provider.switch_command = {"false"};
        const auto outcome = run(options, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Environment);
        CHECK(gantry::read_file(lab / "state.json") == before);  // no "pending" left behind
        CHECK(lab.live() == "green");
        CHECK(outcome.json["verdict"] == "ERROR");
        CHECK(outcome.json["reason"].get<std::string>().find("as it was") != std::string::npos);
        // The rollback target survives: --rollback still goes back to blue.
        const auto rollback = run(lab.options(std::nullopt), no_environment());
        CHECK(rollback.exit_code == gantry::ExitCode::Success);
        CHECK(rollback.json["switched"] == true);
        CHECK(lab.live() == "blue");
    }

    TEST_CASE("a failed first switch leaves no state file, as there was none") {
        Lab lab;
        auto options = lab.options(Color::Green);
        options.provider.switch_command = {"false"};
        CHECK(run(options, no_environment()).exit_code == gantry::ExitCode::Environment);
        CHECK_FALSE(fs::exists(lab / "state.json"));
    }

    TEST_CASE("a step that fails half-way is rolled back by the tool before it gives up") {
        Lab lab;
        // Switching to green moves the traffic and then fails; switching to blue works.
        auto options = lab.options(Color::Green);
        options.provider.switch_command = {"sh", "-c", "echo {color} > \"$0\"; [ {color} = blue ]", lab / "live"};
        const auto outcome = run(options, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Environment);
        CHECK(lab.live() == "blue");
        CHECK(outcome.json["reason"].get<std::string>().find("rolled back to blue") != std::string::npos);
        CHECK_FALSE(fs::exists(lab / "state.json"));
    }

    TEST_CASE("a step whose rollback cannot be confirmed keeps pending and says what the next run does") {
        Lab lab;
        auto options = lab.options(Color::Green);
        // Moves traffic to green whatever it is asked, and fails: green stays live.
        options.provider.switch_command = {"sh", "-c", "echo green > \"$0\"; exit 1", lab / "live"};
        const auto outcome = run(options, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Environment);
        const auto state = read_switch_state(lab / "state.json");
        REQUIRE(state);
        CHECK(state->live == Color::Blue);
        CHECK(state->pending == Color::Green);
        const std::string reason = outcome.json["reason"];
        CHECK(reason.find("--to green completes the switch") != std::string::npos);
        // The next run completes it with a working command.
        const auto rerun = run(lab.options(Color::Green), no_environment());
        CHECK(rerun.exit_code == gantry::ExitCode::Success);
        CHECK(rerun.json["interrupted"].get<std::string>().find("completing it") != std::string::npos);
        const auto after = read_switch_state(lab / "state.json");
        REQUIRE(after);
        CHECK(after->live == Color::Green);
        CHECK(after->previous == Color::Blue);
        CHECK_FALSE(after->pending);
    }

    TEST_CASE("after an interrupted switch to green, --to blue undoes it and says so; the history is unchanged") {
        Lab lab;
        lab.set_live("green");  // the kill came after the load balancer moved
        write_switch_state(lab / "state.json", SwitchState{.live = Color::Blue, .previous = Color::Green, .pending = Color::Green});
        const auto outcome = run(lab.options(Color::Blue), no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Success);
        CHECK(lab.live() == "blue");
        const std::string note = outcome.json["interrupted"];
        CHECK(note.find("a switch to green was interrupted") != std::string::npos);
        CHECK(note.find("undoing it: the load balancer is set back to blue") != std::string::npos);
        CHECK(outcome.headline.find("completed") == std::string::npos);
        const auto state = read_switch_state(lab / "state.json");
        REQUIRE(state);
        CHECK(state->live == Color::Blue);
        CHECK(state->previous == Color::Green);  // as before the interrupted switch
        CHECK_FALSE(state->pending);
    }

    TEST_CASE("--rollback after an interrupted switch goes back to the last confirmed colour") {
        Lab lab;
        lab.set_live("green");
        write_switch_state(lab / "state.json", SwitchState{.live = Color::Blue, .pending = Color::Green});
        const auto outcome = run(lab.options(std::nullopt), no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Success);
        CHECK(lab.live() == "blue");
        CHECK(outcome.json["target"] == "blue");
    }

    TEST_CASE("every input is read before anything changes: a bad --verify file is exit 2 with traffic where it was") {
        Lab lab;
        auto options = lab.options(Color::Green);
        options.verify_file = lab / "missing-verify.yml";
        auto outcome = run(options, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::BadInput);
        CHECK(lab.live() == "blue");
        CHECK_FALSE(fs::exists(lab / "state.json"));
        gantry::write_file_atomically(lab / "verify.yml", "checks:\n  - get: http://127.0.0.1:1/${NOT_DEFINED}\n");
        options.verify_file = lab / "verify.yml";
        outcome = run(options, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::BadInput);
        CHECK(outcome.json["reason"].get<std::string>().find("verify.yml:2") != std::string::npos);
        CHECK(lab.live() == "blue");
        const std::string audit = gantry::read_file(lab / "audit.jsonl");
        CHECK(audit.find("\"action\":\"switch\"") == std::string::npos);
        CHECK(audit.find("\"action\":\"result\"") != std::string::npos);
        // A CA bundle without a certificate, and the health file: the same.
        options = lab.options(Color::Green);
        gantry::write_file_atomically(lab / "ca.pem", "not a certificate\n");
        options.ca_file = lab / "ca.pem";
        CHECK(run(options, no_environment()).exit_code == gantry::ExitCode::BadInput);
        options = lab.options(Color::Green);
        gantry::write_file_atomically(lab / "health.yml", "checks: [unclosed\n");
        options.health_file = lab / "health.yml";
        CHECK(run(options, no_environment()).exit_code == gantry::ExitCode::BadInput);
        CHECK(lab.live() == "blue");
        CHECK_FALSE(fs::exists(lab / "state.json"));
    }

    TEST_CASE("--steps on a provider without weights is exit 2 unless it is --steps 100") {
        Lab lab;
        auto options = lab.options(Color::Green);
        options.steps = {10, 50, 100};
        const auto outcome = run(options, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::BadInput);
        CHECK(outcome.json["reason"].get<std::string>().find("only --steps 100") != std::string::npos);
        CHECK(lab.live() == "blue");
        options.steps = {100};
        CHECK(run(options, no_environment()).exit_code == gantry::ExitCode::Success);
    }

    TEST_CASE("a run refused by the lock still writes its result and audit line") {
        Lab lab;
        const SwitchLock held(lab / "state.lock");
        const auto outcome = run(lab.options(Color::Green), no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Failed);
        CHECK(outcome.json["verdict"] == "REFUSED");
        CHECK(outcome.json["reason"].get<std::string>().find("lock") != std::string::npos);
        CHECK(lab.live() == "blue");
        const std::string audit = gantry::read_file(lab / "audit.jsonl");
        CHECK(audit.find("\"action\":\"result\"") != std::string::npos);
        CHECK(audit.find("\"verdict\":\"REFUSED\"") != std::string::npos);
    }

    TEST_CASE("--status exits 1 on drift and on an interrupted switch") {
        Lab lab;
        auto status = lab.options(std::nullopt);
        status.mode = Mode::Status;
        CHECK(run(status, no_environment()).exit_code == gantry::ExitCode::Success);  // no state yet
        REQUIRE(run(lab.options(Color::Green), no_environment()).exit_code == gantry::ExitCode::Success);
        CHECK(run(status, no_environment()).exit_code == gantry::ExitCode::Success);
        lab.set_live("blue");
        auto outcome = run(status, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Failed);
        CHECK(outcome.json["drift"] == true);
        write_switch_state(lab / "state.json", SwitchState{.live = Color::Blue, .pending = Color::Green});
        outcome = run(status, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Failed);
        CHECK(outcome.json["interrupted-switch-found"] == true);
        CHECK(gantry::read_file(lab / "audit.jsonl").find("\"mode\":\"status\"") == std::string::npos);  // --status only reads
    }

    TEST_CASE("a malformed state file names the way out, and --repair-state takes it") {
        Lab lab;
        gantry::write_file_atomically(lab / "state.json", "{\"live\": \"gr");
        auto outcome = run(lab.options(Color::Green), no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::BadInput);
        const std::string reason = outcome.json["reason"];
        CHECK(reason.find("--repair-state") != std::string::npos);
        CHECK(reason.find("remove " + (lab / "state.json")) != std::string::npos);
        CHECK(lab.live() == "blue");

        auto repair = lab.options(std::nullopt);
        repair.mode = Mode::RepairState;
        outcome = run(repair, no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Success);
        CHECK(outcome.json["verdict"] == "REPAIRED");
        const auto state = read_switch_state(lab / "state.json");
        REQUIRE(state);
        CHECK(state->live == Color::Blue);
        CHECK(gantry::read_file(lab / "audit.jsonl").find("\"action\":\"repair-state\"") != std::string::npos);
        CHECK(run(lab.options(Color::Green), no_environment()).exit_code == gantry::ExitCode::Success);
        CHECK(lab.live() == "green");
    }

    TEST_CASE("without a URL through the load balancer the result says the switch was not confirmed") {
        Lab lab;
        const auto outcome = run(lab.options(Color::Green), no_environment());
        CHECK(outcome.exit_code == gantry::ExitCode::Success);
        CHECK(outcome.json["confirmed"].is_null());
        CHECK(outcome.json["confirmation"].get<std::string>().find("not confirmed") != std::string::npos);
    }
}
