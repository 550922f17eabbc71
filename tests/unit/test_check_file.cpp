#include <doctest/doctest.h>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/checks/check_file.hpp"

using namespace gantry::checks;

namespace {

std::string read_error(const std::string& text, const CheckDefaults& defaults = {}) {
    gantry::Environment environment(std::map<std::string, std::string>{{"API_TOKEN", "t0ken"}});
    Variables variables(environment);
    try {
        read_check_file(text, "checks.yml", variables, defaults);
    } catch (const gantry::InputError& e) {
        return e.what();
    }
    return "no error";
}

std::string inline_error(const std::string& text) {
    try {
        parse_inline_check(text, 2, Variables(), CheckDefaults{});
    } catch (const gantry::InputError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("check file: every kind of check and expectation is read") {
    gantry::Environment environment(std::map<std::string, std::string>{{"API_TOKEN", "s3cret-token"}});
    Variables variables(environment);
    const CheckSuite suite = read_check_file(gantry::read_file(GANTRY_TEST_DATA_DIR "/smoke-test/checks.yml"),
                                             "checks.yml", variables, CheckDefaults{});
    REQUIRE(suite.checks.size() == 4);

    const Check& health = suite.checks[0];
    CHECK(health.name == "health");
    CHECK(health.declared_at.describe() == "checks.yml:8:5");
    CHECK(health.request.url == "https://staging.example.com/healthz");
    CHECK(health.request.method == "GET");
    CHECK(health.request.timeout == Milliseconds(3000));
    REQUIRE(health.request.headers.size() == 1);
    CHECK(health.request.headers[0].first == "Accept");
    CHECK(health.statuses == std::vector<StatusRange>{{200, 200}, {300, 399}});
    REQUIRE(health.headers.size() == 2);
    CHECK(health.headers[0].match == TextMatch::Contains);
    CHECK(health.headers[1].match == TextMatch::Exists);
    REQUIRE(health.body.size() == 2);
    CHECK(health.body[1].match == BodyMatch::NotContains);
    REQUIRE(health.json.size() == 4);
    CHECK(health.json[0].op == JsonOperator::Equals);
    CHECK(health.json[0].expected_json == "\"ok\"");
    CHECK(health.json[1].op == JsonOperator::GreaterOrEqual);
    CHECK(health.json[1].expected_json == "2.0");
    CHECK(health.json[2].op == JsonOperator::Type);
    CHECK(health.json[3].op == JsonOperator::Absent);
    CHECK(health.limits.total == Milliseconds(500));
    CHECK(health.limits.first_byte == Milliseconds(300));
    CHECK(health.tls.min_days == 14);
    CHECK(health.tls.min_version == "1.2");
    CHECK(health.tls.hostname);
    CHECK(health.retry.attempts == 4);
    CHECK(health.retry.retry_on == std::set<FailureKind>{FailureKind::Refused, FailureKind::ServerError});
    CHECK(health.retry.base_delay == Milliseconds(200));

    const Check& post = suite.checks[1];
    CHECK(post.name == "POST https://api.example.com/v1/items");
    CHECK(post.request.method == "POST");
    CHECK(post.request.headers.at(1) == std::pair<std::string, std::string>{"Authorization", "Bearer s3cret-token"});
    CHECK(post.request.headers.size() == 3);  // Accept, Authorization, Content-Type
    CHECK(nlohmann::json::parse(*post.request.body) == nlohmann::json{{"name", "x-dev"}, {"count", 3}, {"quoted", "3"}});
    CHECK(post.retry.attempts == 1);

    const Check& database = suite.checks[2];
    CHECK(database.kind == CheckKind::Tcp);
    CHECK(database.request.protocol == gantry::http::Protocol::Tcp);
    CHECK(database.request.url == "db.internal:5432");
    CHECK(database.limits.connect == Milliseconds(100));

    // Same name twice: made unique; wait mode raises attempts to the streak it needs.
    CHECK(suite.checks[3].name == "health (2)");
    CHECK(suite.checks[3].retry.consecutive == 3);
    CHECK(suite.checks[3].retry.attempts == 4);
    CHECK(suite.checks[3].request.verification == gantry::http::TlsVerification::Insecure);
    REQUIRE(suite.warnings.size() == 1);
    CHECK(suite.warnings[0] == "checks.yml:32:5: check 'health (2)' does not verify the TLS certificate (insecure: true)");

    CHECK(variables.secrets() == std::vector<std::string>{"s3cret-token"});
}

TEST_CASE("check file: --base-url wins over the file's base-url") {
    Variables variables;
    CheckDefaults defaults;
    defaults.base_url = "http://127.0.0.1:8080";
    const auto suite = read_check_file("base-url: https://prod\nchecks: [{get: /a}]\n", "c.yml", variables, defaults);
    CHECK(suite.checks.at(0).request.url == "http://127.0.0.1:8080/a");
}

TEST_CASE("check file: command-line retry settings win over the file") {
    Variables variables;
    CheckDefaults defaults;
    defaults.attempts_override = 7;
    const auto suite = read_check_file("checks: [{get: http://x/a, retry: {attempts: 2, delay: 1s, on: [5xx]}}]\n", "c.yml",
                                       variables, defaults);
    CHECK(suite.checks.at(0).retry.attempts == 7);
    CHECK(suite.checks.at(0).retry.base_delay == Milliseconds(1000));  // what the command line does not set stays
    CHECK(suite.checks.at(0).retry.retry_on == std::set<FailureKind>{FailureKind::ServerError});
}

TEST_CASE("check file: mistakes are reported with line, column and what was expected") {
    CHECK(read_error("") == "checks.yml: the check file is empty (expected a `checks:` list)");
    CHECK(read_error("checks: [") .find("checks.yml:1:") == 0);
    CHECK(read_error("base-url: http://x\n") == "checks.yml:1:1: checks: missing: the file needs a `checks:` list");
    CHECK(read_error("checks:\n  - get: http://x/\n    statu: 200\n") ==
          "checks.yml:3:5: checks[0].statu: unknown key (expected name, url, method, get, head, post, put, patch, "
          "delete, tcp, headers, body, json, redirects, insecure, timeout, status, expect, retry or weight)");
    CHECK(read_error("checks:\n  - get: http://x/\n    status: 600\n") ==
          "checks.yml:3:13: checks[0].status: expected a status such as 200, 2xx or 500-503, found '600'");
    CHECK(read_error("checks:\n  - get: /relative\n") ==
          "checks.yml:2:10: checks[0].url: '/relative' is relative and no base URL is set (--base-url or base-url:)");
    CHECK(read_error("checks:\n  - get: http://x/${NOPE}\n") ==
          "checks.yml:2:10: checks[0].get: variable NOPE is not set (set it in the environment, pass --var NOPE=VALUE, "
          "or write ${NOPE:-default})");
    CHECK(read_error("checks:\n  - get: http://x/\n    expect: {time: fast}\n") ==
          "checks.yml:3:20: checks[0].expect.time: expected a duration such as 250ms, 2s, 1.5s, 1m30s or 1h (at most a week), "
          "found 'fast'");
    CHECK(read_error("checks:\n  - get: http://x/\n    expect: {json: [{pointer: status, equals: 1}]}\n") ==
          "checks.yml:3:31: checks[0].expect.json[0].pointer: 'status' is not a JSON pointer (expected /a/0/b)");
    CHECK(read_error("checks:\n  - get: http://x/\n    expect: {body: {regex: \"(\"}}\n") .find("checks.yml:3:28: checks[0].expect.body.regex: invalid regular expression '('") == 0);
    CHECK(read_error("checks:\n  - tcp: db\n") ==
          "checks.yml:2:10: checks[0].tcp: expected host:port (port 1-65535), found 'db'");
    CHECK(read_error("checks:\n  - get: ftp://x/\n") ==
          "checks.yml:2:10: checks[0].url: only http:// and https:// URLs are checked, found 'ftp://x/'");
    CHECK(read_error("checks:\n  - name: x\n") ==
          "checks.yml:2:5: checks[0]: missing `url` (or get:/post:/.../tcp: with the address)");
    CHECK(read_error("checks:\n  - get: http://x/\n    retry: {attempts: 0}\n") ==
          "checks.yml:3:23: checks[0].retry.attempts: expected a whole number >= 1, found '0'");
    CHECK(read_error("checks:\n  - get: http://x/\n    retry: {on: [sometimes]}\n") .find("unknown failure 'sometimes'") != std::string::npos);
    CHECK(read_error("checks: {get: x}\n") == "checks.yml:1:9: checks: expected a list of checks");
}

TEST_CASE("inline checks: method, URL, statuses and assertions") {
    gantry::Environment environment(std::map<std::string, std::string>{{"HOST", "127.0.0.1:9"}});
    Variables variables(environment);
    CheckDefaults defaults;
    const Check check = parse_inline_check(
        "GET http://${HOST}/healthz 200,204 5xx json:/status==ok json:/n>=2 json:/list:array json:/x json:/v==\"1\" "
        "body~ready header:Content-Type~json <500ms ttfb<200ms tls-days>=14 attempts=3 send:X-Trace=1",
        1, variables, defaults);
    CHECK(check.name == "GET http://127.0.0.1:9/healthz");
    CHECK(check.declared_at.describe() == "--check #1:1");
    CHECK(check.request.url == "http://127.0.0.1:9/healthz");
    CHECK(check.statuses == std::vector<StatusRange>{{200, 200}, {204, 204}, {500, 599}});
    REQUIRE(check.json.size() == 5);
    CHECK(check.json[0].pointer == "/status");
    CHECK(check.json[0].expected_json == "\"ok\"");
    CHECK(check.json[1].op == JsonOperator::GreaterOrEqual);
    CHECK(check.json[2].op == JsonOperator::Type);
    CHECK(check.json[3].op == JsonOperator::Exists);
    CHECK(check.json[4].expected_json == "\"1\"");
    CHECK(check.body.at(0).value == "ready");
    CHECK(check.headers.at(0).match == TextMatch::Contains);
    CHECK(check.limits.total == Milliseconds(500));
    CHECK(check.limits.first_byte == Milliseconds(200));
    CHECK(check.tls.min_days == 14);
    CHECK(check.retry.attempts == 3);
    CHECK(check.request.headers.at(0).second == "1");

    const Check tcp = parse_inline_check("tcp localhost:5432 <100ms", 2, variables, defaults);
    CHECK(tcp.kind == CheckKind::Tcp);
    CHECK(tcp.request.url == "localhost:5432");

    const Check post = parse_inline_check("http://x/ data=\"a b\"", 3, variables, defaults);
    CHECK(post.request.method == "POST");
    CHECK(*post.request.body == "a b");
}

TEST_CASE("inline checks: errors point at the token") {
    CHECK(inline_error("") == "--check #2:1:1: empty check (expected '[METHOD] URL [STATUS] [assertions]')");
    CHECK(inline_error("GET") == "--check #2:1:4: missing URL after the method");
    CHECK(inline_error("GET http://x/ 2000") == "--check #2:1:15: expected a status such as 200, 2xx or 500-503, found '2000'");
    CHECK(inline_error("GET http://x/ <soon").find("--check #2:1:15: expected a duration") == 0);
    CHECK(inline_error("GET http://x/ json:status==1") ==
          "--check #2:1:15: 'status' is not a JSON pointer (expected json:/a/0/b==value)");
    CHECK(inline_error("GET http://x/ json:/n>=many") == "--check #2:1:15: expected a number after the comparison, found 'many'");
    CHECK(inline_error("GET http://x/ wat").find("--check #2:1:15: unknown token 'wat'") == 0);
    CHECK(inline_error("GET \"http://x/").find("--check #2:1:5: unterminated \" quote") == 0);
    CHECK(inline_error("tcp host:5432 200") == "--check #2:1:1: a tcp check has no HTTP status");
}

TEST_CASE("durations, statuses and URLs") {
    CHECK(parse_duration("250ms") == Milliseconds(250));
    CHECK(parse_duration("1.5s") == Milliseconds(1500));
    CHECK(parse_duration("2m") == Milliseconds(120000));
    CHECK(parse_duration("40") == Milliseconds(40));
    CHECK(parse_duration("1h") == Milliseconds(3600000));
    CHECK(parse_duration("1h30m") == Milliseconds(5400000));
    CHECK(parse_duration("2m30s") == Milliseconds(150000));
    CHECK(parse_duration("1m0.5s") == Milliseconds(60500));
    CHECK(parse_duration("1s250ms") == Milliseconds(1250));
    CHECK(parse_duration("168h") == Milliseconds(604800000));
    CHECK_THROWS_AS(parse_duration("169h"), gantry::ValueError);
    CHECK_THROWS_AS(parse_duration("1h30"), gantry::ValueError);  // a bare number only on its own
    CHECK_THROWS_AS(parse_duration("1x"), gantry::ValueError);
    CHECK_THROWS_AS(parse_duration(""), gantry::ValueError);
    CHECK_THROWS_AS(parse_duration("1e3s"), gantry::ValueError);
    CHECK_THROWS_AS(parse_duration("-1s"), gantry::ValueError);
    CHECK_THROWS_AS(parse_duration("ms"), gantry::ValueError);
    CHECK_THROWS_AS(parse_duration("1e300s"), gantry::ValueError);
    CHECK(parse_status_range("2xx") == StatusRange{200, 299});
    CHECK(parse_status_range("500-503") == StatusRange{500, 503});
    CHECK(parse_status_range("500-503").describe() == "500-503");
    CHECK(parse_status_range("3xx").describe() == "3xx");
    CHECK_THROWS_AS(parse_status_range("503-500"), gantry::ValueError);
    CHECK_THROWS_AS(parse_status_range("6xx"), gantry::ValueError);
    CHECK(resolve_url("https://a.example/", "/b") == "https://a.example/b");
    CHECK(resolve_url("https://a.example/api", "b") == "https://a.example/api/b");
    CHECK(resolve_url("", "http://c/") == "http://c/");
}

TEST_CASE("unique names: repeats get (2), (3), skipping names already taken") {
    std::vector<Check> checks(4);
    checks[0].name = "a";
    checks[1].name = "a";
    checks[2].name = "a (2)";
    checks[3].name = "a";
    make_names_unique(checks);
    CHECK(checks[0].name == "a");
    CHECK(checks[1].name == "a (3)");
    CHECK(checks[2].name == "a (2)");
    CHECK(checks[3].name == "a (4)");
}

TEST_CASE("check files and inline checks must be valid UTF-8") {
    CHECK(read_error("checks:\n  - get: http://x/\xff\n") == "checks.yml:2:19: the check file is not valid UTF-8");
    CHECK(inline_error("GET http://x/\xc3") == "--check #2:1:14: the check is not valid UTF-8");
    CHECK(read_error("checks:\n  - get: http://x/\xef\xbf\xbd\n") == "no error");  // U+FFFD itself is fine
}

TEST_CASE("regexes: invalid ones and huge repetition counts are refused when read") {
    CHECK(inline_error("GET http://x/ body=~a{99999999999}").find("--check #2:1:15: invalid regular expression") == 0);
    CHECK(inline_error("GET http://x/ body=~(").find("--check #2:1:15: invalid regular expression") == 0);
    CHECK(inline_error("GET http://x/ body=~v[0-9]{1,3}\\.2024010112345") == "no error");
    // PCRE2's own words and the offset in the pattern where it stopped.
    CHECK(inline_error("GET http://x/ body=~a{99999999999}") ==
          "--check #2:1:15: invalid regular expression: number too big in {} quantifier at offset 7");
    CHECK(read_error("checks:\n  - get: http://x/\n    expect: {body: {regex: \"ok(\"}}\n") ==
          "checks.yml:3:28: checks[0].expect.body.regex: invalid regular expression 'ok(': missing closing parenthesis at offset 3");
    CHECK(read_error("checks:\n  - get: http://x/\n    expect:\n      headers: {etag: {regex: \"[z-a]\"}}\n")
              .find("checks.yml:4:31: checks[0].expect.headers.etag.regex: invalid regular expression '[z-a]': range out of order "
                    "in character class at offset 3") == 0);
    // ECMAScript escapes and the whole-text $ are read as a check author means them.
    CHECK(inline_error("GET http://x/ body=~\\u00e9t\\u{e9}$") == "no error");
}
