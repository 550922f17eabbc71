#include "gantry/report/junit.hpp"

#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "gantry/report/utf8_text.hpp"

namespace gantry {

namespace {

bool allowed_in_xml(char32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

// Valid UTF-8 holding only characters XML 1.0 allows.
std::string xml_clean(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const char32_t c = decode_utf8(text, pos);
        if (allowed_in_xml(c)) append_utf8(out, c);
    }
    return out;
}

// Escapes text that is already clean. Line breaks and tabs are written as references so that
// attribute-value normalisation does not turn them into spaces.
std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            case '\r': out += "&#13;"; break;
            case '\n': out += "&#10;"; break;
            case '\t': out += "&#9;"; break;
            default: out += c;
        }
    }
    return out;
}

// Element text keeps its line breaks readable; only \r needs a reference (parsers fold it into \n).
std::string xml_escape_text(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '\r': out += "&#13;"; break;
            default: out += c;
        }
    }
    return out;
}

double usable_seconds(double seconds) { return std::isfinite(seconds) && seconds > 0 ? seconds : 0.0; }

std::string format_seconds(double seconds) { return fmt::format("{:.3f}", usable_seconds(seconds)); }

struct Counts {
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::size_t errors = 0;
    std::size_t skipped = 0;
    double seconds = 0;
};

std::string count_attributes(const Counts& counts) {
    return fmt::format(R"(tests="{}" failures="{}" errors="{}" skipped="{}" time="{}")", counts.tests,
                       counts.failures, counts.errors, counts.skipped, format_seconds(counts.seconds));
}

}  // namespace

void JunitReport::add_case(TestCase test_case) {
    test_case.classname = xml_clean(test_case.classname);
    test_case.name = xml_clean(test_case.name);
    if (test_case.name.empty()) test_case.name = "(unnamed)";
    test_case.message = xml_clean(test_case.message);
    test_case.details = xml_clean(test_case.details);

    const std::pair<std::string, std::string> requested{test_case.classname, test_case.name};
    if (!used_names_.insert(requested).second) {
        int& suffix = next_suffix_.try_emplace(requested, 2).first->second;
        // A case may already be literally called "x (2)", so keep counting until a name is free.
        while (!used_names_.emplace(test_case.classname, fmt::format("{} ({})", requested.second, suffix)).second)
            ++suffix;
        test_case.name = fmt::format("{} ({})", requested.second, suffix);
        ++suffix;
    }
    cases_.push_back(std::move(test_case));
}

std::string JunitReport::render() const {
    Counts counts;
    for (const auto& test_case : cases_) {
        ++counts.tests;
        counts.seconds += usable_seconds(test_case.seconds);
        switch (test_case.status) {
            case TestStatus::Failed: ++counts.failures; break;
            case TestStatus::Error: ++counts.errors; break;
            case TestStatus::Skipped: ++counts.skipped; break;
            case TestStatus::Passed: break;
        }
    }
    const std::string suite = xml_escape(xml_clean(suite_));
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<testsuites name=\"{}\" {}>\n", suite, count_attributes(counts));
    out += fmt::format("  <testsuite name=\"{}\" {}>\n", suite, count_attributes(counts));
    for (const auto& test_case : cases_) {
        out += fmt::format(R"(    <testcase classname="{}" name="{}" time="{}")", xml_escape(test_case.classname),
                           xml_escape(test_case.name), format_seconds(test_case.seconds));
        const auto outcome = [&](std::string_view element) {
            out += fmt::format("      <{} message=\"{}\"", element, xml_escape(test_case.message));
            // Surefire's schema gives <failure> and <error> a type; <skipped> has only a message.
            if (element != "skipped") out += fmt::format(" type=\"{}\"", element);
            if (test_case.details.empty()) {
                out += "/>\n";
            } else {
                out += fmt::format(">{}</{}>\n", xml_escape_text(test_case.details), element);
            }
        };
        switch (test_case.status) {
            case TestStatus::Passed:
                if (test_case.details.empty()) {
                    out += "/>\n";
                    continue;
                }
                out += fmt::format(">\n      <system-out>{}</system-out>\n", xml_escape_text(test_case.details));
                break;
            case TestStatus::Failed: out += ">\n"; outcome("failure"); break;
            case TestStatus::Error: out += ">\n"; outcome("error"); break;
            case TestStatus::Skipped: out += ">\n"; outcome("skipped"); break;
        }
        out += "    </testcase>\n";
    }
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

}  // namespace gantry
