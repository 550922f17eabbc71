// The canary analysis's `kind: checks` metric against real servers on loopback: the analysis file's
// new fields, the check file read before any traffic moves (a missing or malformed file is an
// InputError naming the file and line), and measurements that send the checks to the new colour -
// only the new colour - with the result the number of checks that failed. Each colour is a python3
// http.server serving its own folder, so which colour answered is a matter of which files exist.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "bluegreen-switch/analysis_checks.hpp"
#include "bluegreen-switch/canary_analysis.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "loopback_servers.hpp"
#include "scratch_dir.hpp"

using namespace bluegreen_switch;
using namespace std::chrono_literals;
using gantry::testing::BackgroundProcess;
using gantry::testing::ScratchDir;

namespace {

// Both colours serve /index.html; only green serves /ready (written by the test).
struct Colours {
    Colours() {
        for (const char* colour : {"blue", "green"}) {
            std::filesystem::create_directories(dir.path() / colour);
            gantry::write_file_atomically(dir.path() / colour / "index.html", colour);
        }
        gantry::write_file_atomically(dir.path() / "green" / "ready", "ok");
        blue_port = gantry::testing::free_port();
        green_port = gantry::testing::free_port();
        blue = std::make_unique<BackgroundProcess>(std::vector<std::string>{
            "python3", "-m", "http.server", std::to_string(blue_port), "--bind", "127.0.0.1", "--directory", dir / "blue"});
        green = std::make_unique<BackgroundProcess>(std::vector<std::string>{
            "python3", "-m", "http.server", std::to_string(green_port), "--bind", "127.0.0.1", "--directory", dir / "green"});
        REQUIRE(blue->running());
        REQUIRE(green->running());
        // Up to 30 s: python3 starts slowly on a busy machine.
        REQUIRE_MESSAGE(gantry::testing::eventually([&] { return answers(blue_port) && answers(green_port); }, 600),
                        "the colours' servers did not start");
        provider.kind = "command";
        provider.blue = "127.0.0.1:" + std::to_string(blue_port);
        provider.green = "127.0.0.1:" + std::to_string(green_port);
    }

    static bool answers(int port) {
        return gantry::testing::http_get("http://127.0.0.1:" + std::to_string(port) + "/", 1000ms).status == 200;
    }

    // An analysis file in the scratch folder with one checks metric reading `checks.yml`.
    AnalysisSpec analysis(const std::string& extra = "") const {
        const std::string file = dir / "canary.yml";
        gantry::write_file_atomically(file, "metrics:\n  - name: canary-checks\n    kind: checks\n    file: checks.yml\n" + extra);
        return read_analysis_file(file);
    }

    void check_file(const std::string& text) const { gantry::write_file_atomically(dir / "checks.yml", text); }

    ScratchDir dir{"gantry-canary-checks"};
    int blue_port = 0;
    int green_port = 0;
    std::unique_ptr<BackgroundProcess> blue;
    std::unique_ptr<BackgroundProcess> green;
    ProviderSettings provider;
};

const char* const kTwoChecks = R"(checks:
  - name: home
    url: http://${TARGET}/
    status: 200
  - name: ready
    url: http://${TARGET}/ready
    status: 200
    expect:
      body: {contains: ok}
)";

}  // namespace

TEST_CASE("a checks metric: its file, its default condition, and what belongs to other kinds") {
    const AnalysisSpec spec = parse_analysis("metrics:\n  - {name: c, kind: checks, file: sub/checks.yml}\n", "deploy/canary.yml");
    REQUIRE(spec.metrics.size() == 1);
    const MetricSpec& metric = spec.metrics[0];
    CHECK(metric.kind == MetricKind::Checks);
    CHECK(metric.check_file == "deploy/sub/checks.yml");  // beside the analysis file
    CHECK(metric.check_file_at.line == 2);
    CHECK(metric.condition.text() == "result == 0");
    CHECK_FALSE(spec.uses_prometheus());
    CHECK(parse_analysis("metrics:\n  - {name: c, kind: checks, file: c.yml, condition: result <= 1}\n", "a.yml")
              .metrics[0].condition.text() == "result <= 1");

    const auto refused = [](const std::string& yaml, const std::string& expected) {
        CAPTURE(yaml);
        CHECK_THROWS_WITH_AS(parse_analysis(yaml, "canary.yml"), doctest::Contains(expected.c_str()), gantry::InputError);
    };
    refused("metrics:\n  - {name: c, kind: checks}\n", "a checks metric expects file:");
    refused("metrics:\n  - {name: c, kind: checks, file: c.yml, query: up}\n", "query belongs to prometheus metrics");
    refused("metrics:\n  - {name: c, kind: checks, file: c.yml, figure: error-rate}\n", "figure belongs to witness metrics");
    refused("metrics:\n  - {name: c, kind: prometheus, query: up, condition: result < 1, file: c.yml}\n",
            "file belongs to checks metrics");
    refused("metrics:\n  - {name: c, kind: checks, file: ''}\n", "expected the path of a smoke-test check file");
}

TEST_CASE("a checks metric's file is read before any traffic moves: missing or malformed is exit 2 at its line") {
    ScratchDir dir{"gantry-canary-checks"};
    ProviderSettings provider;
    provider.kind = "command";
    const std::string analysis_file = dir / "canary.yml";
    gantry::write_file_atomically(analysis_file, "metrics:\n  - name: c\n    kind: checks\n    file: missing.yml\n");
    const AnalysisSpec missing = read_analysis_file(analysis_file);
    try {
        load_analysis_checks(missing, provider, "", gantry::Environment{});
        FAIL("no error");
    } catch (const gantry::InputError& error) {
        CHECK(error.code() == gantry::ExitCode::BadInput);
        CHECK(std::string(error.what()) == analysis_file + ":4:11: metrics[0].file: expected a smoke-test check file, and '" +
                                               (dir / "missing.yml") + "' does not exist");
    }

    gantry::write_file_atomically(dir / "missing.yml", "checks:\n  - name: x\n    url: http://${NOT_SET}/\n");
    try {
        load_analysis_checks(missing, provider, "", gantry::Environment{});
        FAIL("no error");
    } catch (const gantry::InputError& error) {
        CHECK(error.position().file == dir / "missing.yml");
        CHECK(error.position().line == 3);
        CHECK(std::string(error.what()).find("NOT_SET") != std::string::npos);
    }
}

TEST_CASE("a checks metric sends its checks to the new colour; the result is how many failed") {
    Colours colours;
    colours.check_file(kTwoChecks);
    const AnalysisSpec spec = colours.analysis();
    AnalysisChecks checks = load_analysis_checks(spec, colours.provider, "", gantry::Environment{});
    {
        CanaryAnalysis analysis(spec, std::nullopt, CanaryAnalysis::Clock::now(), {}, {.color = Color::Green, .checks = &checks});
        analysis.begin_step(10, 0ms, nullptr);
        const auto failure = analysis.end_step(nullptr);
        CHECK_FALSE(failure.has_value());
        REQUIRE(analysis.record().measurements.size() == 1);
        const MetricMeasurement& m = analysis.record().measurements[0];
        CHECK(m.outcome == MeasureOutcome::Passed);
        REQUIRE(m.values.size() == 1);
        CHECK(m.values[0].value == 0);
        CHECK(m.detail.starts_with("2 checks, none failed; "));
    }
    {
        // Blue has no /ready: sent to blue (as a rollback to blue would), one check of two fails.
        CanaryAnalysis analysis(spec, std::nullopt, CanaryAnalysis::Clock::now(), {}, {.color = Color::Blue, .checks = &checks});
        analysis.begin_step(25, 0ms, nullptr);
        const auto failure = analysis.end_step(nullptr);
        REQUIRE(failure.has_value());
        CHECK(failure->find("metric 'canary-checks' at step 25%: 1 failed-checks, expected result == 0") != std::string::npos);
        CHECK(analysis.record().verdict == AnalysisVerdict::Failed);
        REQUIRE(analysis.record().measurements.size() == 1);
        const MetricMeasurement& m = analysis.record().measurements[0];
        CHECK(m.outcome == MeasureOutcome::Failed);
        CHECK(m.values.at(0).value == 1);
        CHECK(m.detail.starts_with("2 checks, 1 failed (ready: "));
    }
}

TEST_CASE("a checks metric's condition may tolerate failed checks") {
    Colours colours;
    colours.check_file(kTwoChecks);
    const AnalysisSpec spec = colours.analysis("    condition: result <= 1\n");
    AnalysisChecks checks = load_analysis_checks(spec, colours.provider, "", gantry::Environment{});
    CanaryAnalysis analysis(spec, std::nullopt, CanaryAnalysis::Clock::now(), {}, {.color = Color::Blue, .checks = &checks});
    analysis.begin_step(50, 0ms, nullptr);
    CHECK_FALSE(analysis.end_step(nullptr).has_value());
    analysis.finish();
    CHECK(analysis.record().verdict == AnalysisVerdict::Passed);
    CHECK(analysis.record().measurements.at(0).values.at(0).value == 1);
}
