#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/platform/outputs.hpp"

using gantry::Outputs;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Reads $GITHUB_OUTPUT the way the runner does (actions/runner SetOutputFileCommand).
Pairs read_github_output(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        lines.push_back(text.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    Pairs pairs;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        const auto equals = line.find('=');
        const auto heredoc = line.find("<<");
        if (equals != std::string::npos && (heredoc == std::string::npos || equals < heredoc)) {
            pairs.emplace_back(line.substr(0, equals), line.substr(equals + 1));
            continue;
        }
        REQUIRE(heredoc != std::string::npos);
        const std::string name = line.substr(0, heredoc);
        const std::string delimiter = line.substr(heredoc + 2);
        std::string value;
        bool first = true;
        for (++i; i < lines.size() && lines[i] != delimiter; ++i) {
            if (!first) value += '\n';
            value += lines[i];
            first = false;
        }
        REQUIRE(i < lines.size());  // the delimiter line was found
        pairs.emplace_back(name, value);
    }
    return pairs;
}

std::string delimiter_of(const std::string& github_output) {
    const auto start = github_output.find("<<") + 2;
    return github_output.substr(start, github_output.find('\n', start) - start);
}

}  // namespace

TEST_SUITE("outputs") {
    TEST_CASE("set() keeps insertion order and replaces a repeated name in place") {
        Outputs outputs("scan-gate");
        outputs.set("passed", false);
        outputs.set("critical", 3LL);
        outputs.set("passed", true);
        outputs.set("label", "literal");
        CHECK(outputs.values().back().second == "literal");
        outputs.set("label", std::string("kept"));
        REQUIRE(outputs.values().size() == 3);
        CHECK(outputs.values()[0] == std::pair<std::string, std::string>{"passed", "true"});
        CHECK(outputs.values()[1] == std::pair<std::string, std::string>{"critical", "3"});
        CHECK(outputs.tool_name() == "scan-gate");
    }

    TEST_CASE("single-line values are name=value; multi-line values use a heredoc") {
        Outputs outputs("t");
        outputs.set("a", std::string("x=y"));
        outputs.set("b", std::string("line1\nline2\n"));
        outputs.set("c", std::string("cr\ronly"));
        const std::string text = outputs.github_output_text(1);
        CHECK(text.rfind("a=x=y\nb<<ghadelimiter_", 0) == 0);
        const Pairs expected = {{"a", "x=y"}, {"b", "line1\nline2\n"}, {"c", "cr\ronly"}};
        CHECK(read_github_output(text) == expected);
    }

    TEST_CASE("the heredoc delimiter never occurs inside the value") {
        Outputs probe("t");
        probe.set("v", std::string("a\nb"));
        const std::string first_choice = delimiter_of(probe.github_output_text(42));
        REQUIRE(first_choice.size() > 20);

        // A value holding exactly the delimiter the same seed would pick first.
        const std::string hostile = "x\n" + first_choice + "\nmalicious=1";
        Outputs outputs("t");
        outputs.set("v", hostile);
        const std::string text = outputs.github_output_text(42);
        const std::string chosen = delimiter_of(text);
        CHECK(chosen != first_choice);
        CHECK(hostile.find(chosen) == std::string::npos);
        const Pairs expected = {{"v", hostile}};
        CHECK(read_github_output(text) == expected);
        CHECK(outputs.github_output_text(42) == text);  // reproducible for a given seed
    }

    TEST_CASE("dotenv keys are the tool and output names in upper snake case") {
        Outputs outputs("scan-gate");
        outputs.set("passed", true);
        outputs.set("previous-version", std::string("1.2.3"));
        CHECK(outputs.dotenv_key("weird.name") == "SCAN_GATE_WEIRD_NAME");
        const auto [text, warnings] = outputs.gitlab_dotenv_text();
        CHECK(text == "SCAN_GATE_PASSED=true\nSCAN_GATE_PREVIOUS_VERSION=1.2.3\n");
        CHECK(warnings.empty());
    }

    TEST_CASE("dotenv leaves out multi-line values with a warning") {
        Outputs outputs("t");
        outputs.set("one", std::string("1"));
        outputs.set("many", std::string("a\nb"));
        outputs.set("two", std::string("2"));
        const auto [text, warnings] = outputs.gitlab_dotenv_text();
        CHECK(text == "T_ONE=1\nT_TWO=2\n");
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].find("many") != std::string::npos);
        CHECK(warnings[0].find("single-line") != std::string::npos);
    }

    TEST_CASE("dotenv holds at most 20 variables") {
        Outputs outputs("t");
        for (int i = 0; i < 22; ++i) outputs.set("o" + std::to_string(i), static_cast<long long>(i));
        const auto [text, warnings] = outputs.gitlab_dotenv_text();
        CHECK(std::count(text.begin(), text.end(), '\n') == 20);
        CHECK(text.find("T_O19=19\n") != std::string::npos);
        CHECK(text.find("T_O20=") == std::string::npos);
        REQUIRE(warnings.size() == 2);
        CHECK(warnings[0].find("o20") != std::string::npos);
        CHECK(warnings[0].find("20 variables") != std::string::npos);
    }

    TEST_CASE("dotenv stays within 5 KB: a value that does not fit is left out, later small ones kept") {
        Outputs outputs("t");
        outputs.set("big", std::string(3000, 'a'));
        outputs.set("bigger", std::string(3000, 'b'));
        outputs.set("small", std::string("s"));
        const auto [text, warnings] = outputs.gitlab_dotenv_text();
        CHECK(text.size() <= Outputs::kDotenvMaxBytes);
        CHECK(text.find("T_BIG=") == 0);
        CHECK(text.find("T_BIGGER=") == std::string::npos);
        CHECK(text.find("T_SMALL=s\n") != std::string::npos);
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].find("bigger") != std::string::npos);

        Outputs exact("t");  // "T_X=" + value + "\n" exactly 5120 bytes fits
        exact.set("x", std::string(Outputs::kDotenvMaxBytes - 5, 'x'));
        CHECK(exact.gitlab_dotenv_text().second.empty());
        exact.set("x", std::string(Outputs::kDotenvMaxBytes - 4, 'x'));
        CHECK(exact.gitlab_dotenv_text().second.size() == 1);
    }

    TEST_CASE("to_json() is an object of the values") {
        Outputs outputs("t");
        CHECK(outputs.to_json() == nlohmann::json::object());
        outputs.set("passed", false);
        outputs.set("note", std::string("a\nb"));
        CHECK(outputs.to_json() == nlohmann::json{{"passed", "false"}, {"note", "a\nb"}});
    }
}
