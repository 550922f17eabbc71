#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "gantry/report/junit.hpp"

using namespace gantry;

namespace {

std::string read_test_data(const std::string& name) {
    std::ifstream in(std::string(GANTRY_TEST_DATA_DIR) + "/report/" + name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing test data " << name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++count;
    return count;
}

}  // namespace

TEST_SUITE("junit") {

TEST_CASE("JUnit report renders every status with counts and three-decimal times") {
    JunitReport report("smoke-test");
    report.add_case({"checks", "GET /health", TestStatus::Passed, 0.0421, "", ""});
    report.add_case({"checks", "GET /login", TestStatus::Failed, 1.5, "status 500, expected 200", "body: oops"});
    report.add_case({"checks", "TLS expiry", TestStatus::Error, 0, "connection refused", ""});
    report.add_case({"checks", "GET /admin", TestStatus::Skipped, 0, "not configured", ""});
    report.add_case({"checks", "GET /log", TestStatus::Passed, 0.25, "", "retried twice"});
    CHECK(report.render() == read_test_data("all-statuses.junit.xml"));
}

TEST_CASE("JUnit escapes markup in names, attributes and bodies") {
    JunitReport report("suite <&>");
    report.add_case({"a\"b", "x < y & 'z'", TestStatus::Failed, 0, "line1\nline2 \"q\"", "<tag> & ]]>"});
    const std::string xml = report.render();
    CHECK(xml.find(R"(<testsuite name="suite &lt;&amp;&gt;")") != std::string::npos);
    CHECK(xml.find(R"(classname="a&quot;b" name="x &lt; y &amp; &apos;z&apos;")") != std::string::npos);
    CHECK(xml.find(R"(message="line1&#10;line2 &quot;q&quot;")") != std::string::npos);
    CHECK(xml.find(">&lt;tag&gt; &amp; ]]&gt;</failure>") != std::string::npos);
    CHECK(xml.find("<tag>") == std::string::npos);
}

TEST_CASE("JUnit drops characters XML 1.0 forbids and repairs invalid UTF-8") {
    JunitReport report("s");
    report.add_case({"c", std::string("bell\x07 nul\0 esc\x1b", 15), TestStatus::Failed, 0,
                     "bad \xff byte", "caf\xc3\xa9 ok, half \xc3"});
    const std::string xml = report.render();
    CHECK(xml.find(R"(name="bell nul esc")") != std::string::npos);
    CHECK(xml.find("bad \xef\xbf\xbd byte") != std::string::npos);
    CHECK(xml.find("caf\xc3\xa9 ok, half \xef\xbf\xbd<") != std::string::npos);
    for (char c : xml) {
        const auto byte = static_cast<unsigned char>(c);
        CHECK_FALSE((byte < 0x20 && c != '\n'));
    }
}

TEST_CASE("JUnit makes repeated classname + name pairs unique") {
    JunitReport report("s");
    report.add_case({"c", "x", TestStatus::Passed});
    report.add_case({"c", "x (2)", TestStatus::Passed});  // literally taken already
    report.add_case({"c", "x", TestStatus::Passed});
    report.add_case({"c", "x", TestStatus::Passed});
    report.add_case({"other", "x", TestStatus::Passed});  // another class: no clash
    const std::string xml = report.render();
    CHECK(count_of(xml, R"(classname="c" name="x")") == 1);
    CHECK(count_of(xml, R"~(classname="c" name="x (2)")~") == 1);
    CHECK(count_of(xml, R"~(classname="c" name="x (3)")~") == 1);
    CHECK(count_of(xml, R"~(classname="c" name="x (4)")~") == 1);
    CHECK(count_of(xml, R"(classname="other" name="x")") == 1);
    CHECK(count_of(xml, "<testcase ") == 5);
}

TEST_CASE("JUnit names that only differ in dropped characters still end up unique") {
    JunitReport report("s");
    report.add_case({"c", "x", TestStatus::Passed});
    report.add_case({"c", "x\x01", TestStatus::Passed});
    const std::string xml = report.render();
    CHECK(count_of(xml, R"(name="x")") == 1);
    CHECK(count_of(xml, R"~(name="x (2)")~") == 1);
}

TEST_CASE("JUnit gives an empty name a visible one") {
    JunitReport report("s");
    report.add_case({"c", "", TestStatus::Passed});
    CHECK(report.render().find(R"~(name="(unnamed)")~") != std::string::npos);
}

TEST_CASE("JUnit writes unusable times as zero and sums the rest") {
    JunitReport report("s");
    report.add_case({"c", "a", TestStatus::Passed, -3});
    report.add_case({"c", "b", TestStatus::Passed, std::numeric_limits<double>::quiet_NaN()});
    report.add_case({"c", "d", TestStatus::Passed, std::numeric_limits<double>::infinity()});
    report.add_case({"c", "e", TestStatus::Passed, 1.0005});
    report.add_case({"c", "f", TestStatus::Passed, 2.25});
    const std::string xml = report.render();
    CHECK(count_of(xml, R"(time="0.000")") == 3);
    CHECK(xml.find(R"(tests="5" failures="0" errors="0" skipped="0" time="3.250")") != std::string::npos);
}

TEST_CASE("JUnit with no cases is still a valid, empty suite") {
    const std::string xml = JunitReport("empty").render();
    CHECK(xml ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<testsuites name=\"empty\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000\">\n"
          "  <testsuite name=\"empty\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000\">\n"
          "  </testsuite>\n</testsuites>\n");
}

TEST_CASE("JUnit output is the same for the same cases") {
    const auto build = [] {
        JunitReport report("s");
        report.add_case({"c", "x", TestStatus::Failed, 0.5, "m", "d"});
        report.add_case({"c", "x", TestStatus::Passed, 0.1});
        return report.render();
    };
    CHECK(build() == build());
}

}  // TEST_SUITE
