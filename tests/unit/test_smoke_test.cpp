// smoke-test's run() end to end against the loopback servers of tests/smoke/run.sh (suite
// "loopback"), delivered the way main() does, to see that secrets never leave unmasked.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/cli/outcome.hpp"
#include "scratch_dir.hpp"
#include "smoke-test/smoke_test.hpp"
#include "smoke-test/smoke_test_spec.hpp"

namespace fs = std::filesystem;
using gantry::testing::ScratchDir;

namespace {

std::string loopback(const char* name) {
    const char* value = std::getenv(name);
    REQUIRE_MESSAGE(value != nullptr, name << " is not set: run tests/smoke/run.sh BUILD_DIR");
    return value;
}

}  // namespace

TEST_SUITE("loopback" * doctest::skip(std::getenv("GANTRY_LOOPBACK_HTTP") == nullptr)) {

TEST_CASE("smoke-test: a check file with secrets; every output masks them") {
    ScratchDir scratch;
    gantry::write_file_atomically(scratch / "checks.yml", R"(secrets: [API_TOKEN]
checks:
  - name: health
    get: /json
    expect:
      json: [{pointer: /status, equals: ok}]
  - name: authorised
    get: /headers
    headers: {Authorization: "Bearer ${API_TOKEN}", Cookie: "session=cookie-in-request"}
    expect:
      json: [{pointer: /authorization, equals: "nope"}]
  - name: login
    get: /cookie?v=set-by-server-42
    expect:
      headers: {set-cookie: "wrong"}
  - name: database
    tcp: ${LOOPBACK_ADDRESS}
)");
    const std::string http = loopback("GANTRY_LOOPBACK_HTTP");
    gantry::Environment environment(std::map<std::string, std::string>{
        {"API_TOKEN", "tok-SECRET-123"}, {"LOOPBACK_ADDRESS", http.substr(7)}});
    smoke_test::Options options;
    options.check_file = scratch / "checks.yml";
    options.base_url = http;
    options.junit_file = scratch / "junit.xml";
    std::ostringstream progress_stream;
    const gantry::Outcome outcome =
        smoke_test::run(options, environment, {smoke_test::ProgressStyle::PlainLines, &progress_stream});
    CHECK(outcome.exit_code == gantry::ExitCode::Failed);
    CHECK(outcome.outputs.values().at(0) == std::pair<std::string, std::string>{"passed", "2"});
    CHECK(outcome.outputs.values().at(1) == std::pair<std::string, std::string>{"failed", "2"});
    const auto& checks = outcome.json.at("checks");
    CHECK(checks[0].at("passed") == true);
    CHECK(checks[1].at("failures")[0].get<std::string>().find("tok-SECRET-123") != std::string::npos);  // unmasked until delivered
    CHECK(checks[3].at("kind") == "tcp");
    CHECK(checks[3].at("passed") == true);
    CHECK(progress_stream.str().find("tok-SECRET-123") == std::string::npos);
    CHECK(progress_stream.str().find("[4/4]") != std::string::npos);

    // Delivered as on GitHub: masks first, then nothing secret in stdout, JSON, summary or JUnit.
    const char* argv[] = {"smoke-test", "--format", "github", "--json", nullptr, "--summary-file", nullptr};
    const std::string json_path = scratch / "verdict.json";
    const std::string summary_path = scratch / "summary.md";
    argv[4] = json_path.c_str();
    argv[6] = summary_path.c_str();
    const gantry::CommandLine command_line = gantry::parse_command_line(smoke_test::spec(), 7, argv, gantry::Environment());
    std::ostringstream out, err;
    CHECK(gantry::deliver(outcome, command_line, gantry::Environment(), out, err) == 1);
    CHECK(out.str().find("::add-mask::tok-SECRET-123") != std::string::npos);
    CHECK(out.str().find("::add-mask::set-by-server-42") != std::string::npos);
    CHECK(out.str().find("::add-mask::cookie-in-request") != std::string::npos);
    const std::string after_masks = out.str().substr(out.str().rfind("::add-mask::"));
    const std::string after_first_line = after_masks.substr(after_masks.find('\n'));
    for (const std::string secret : {"tok-SECRET-123", "set-by-server-42", "cookie-in-request"}) {
        CHECK(after_first_line.find(secret) == std::string::npos);
        CHECK(gantry::read_file(json_path).find(secret) == std::string::npos);
        CHECK(gantry::read_file(summary_path).find(secret) == std::string::npos);
        CHECK(gantry::read_file(scratch / "junit.xml").find(secret) == std::string::npos);
        CHECK(err.str().find(secret) == std::string::npos);
    }
    CHECK(gantry::read_file(scratch / "junit.xml").find("***") != std::string::npos);
}

TEST_CASE("smoke-test: shards split the checks; --cacert trusts the private CA") {
    const std::string http = loopback("GANTRY_LOOPBACK_HTTP");
    smoke_test::Options options;
    options.inline_checks = {"GET " + http + "/status/200", "GET " + http + "/status/201 201",
                             "GET " + loopback("GANTRY_LOOPBACK_TLS_GOOD") + "/json tls-days>=30",
                             "GET " + http + "/status/203 203"};
    options.ca_file = loopback("GANTRY_LOOPBACK_CA");
    options.shard = {2, 2};
    const gantry::Outcome second = smoke_test::run(options, gantry::Environment());
    REQUIRE(second.json.at("checks").size() == 2);
    CHECK(second.json.at("checks")[0].at("status") == 201);
    CHECK(second.json.at("checks")[1].at("status") == 203);
    options.shard = {1, 2};
    const gantry::Outcome first = smoke_test::run(options, gantry::Environment());
    CHECK(first.exit_code == gantry::ExitCode::Success);
    CHECK(std::stoi(first.outputs.values().back().second) >= 398);  // min-cert-days
}

}  // TEST_SUITE
