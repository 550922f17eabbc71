#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/json/json_stream.hpp"
#include "gantry/json/streamed_object.hpp"
#include "fixture_files.hpp"

using namespace gantry;

namespace {

// Buffer sizes that put values, keys, escapes and line ends across the buffer's boundaries.
const std::vector<std::size_t> kBufferSizes = {1, 4, 5, 7, 13, 64, 1000, JsonStream::kDefaultBufferSize};

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string describe(const Report& report) {
    std::string out = fmt::format("{} {} {} suppressed {}\n", report.path, to_string(report.format), report.scanner,
                                  report.suppressed);
    for (const std::string& warning : report.warnings) out += "warning " + warning + "\n";
    for (const Finding& f : report.findings) {
        out += fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n", f.id, fmt::join(f.aliases, ","),
                           f.package, f.version, f.purl, f.fixed_version, static_cast<int>(f.fix_state),
                           static_cast<int>(f.severity), f.cvss_score ? fmt::format("{}", *f.cvss_score) : "-",
                           f.target, static_cast<int>(f.kind), f.scanner,
                           f.location ? fmt::format("{}:{}-{}", f.location->path, f.location->start_line,
                                                    f.location->end_line)
                                      : "-",
                           f.title, f.url, f.source_file, f.message,
                           f.sarif_identity ? fmt::format("{:x}{:x}", f.sarif_identity->high, f.sarif_identity->low) : "-",
                           static_cast<int>(f.origin),
                           f.dependency_file);
    }
    return out;
}

// The message read_report_text() gives for `text`, or "" when it reads it.
std::string whole_error(const std::string& text, const std::string& name) {
    try {
        read_report_text(text, name);
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

std::string streamed_error(const std::string& text, const std::string& name, std::size_t buffer_size) {
    try {
        const auto report = read_report_streamed_text(text, name, buffer_size);
        REQUIRE(report.has_value());
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

std::vector<std::filesystem::path> streamed_fixtures() {
    using gantry::testing::Depth;
    const std::filesystem::path data(GANTRY_TEST_DATA_DIR);
    return gantry::testing::fixture_files({data / "reports" / "trivy", data / "reports" / "grype", data / "reports" / "sarif",
                                           data / "cyclonedx", data / ".." / "conformance" / "reports" / "trivy",
                                           data / ".." / "conformance" / "reports" / "sarif",
                                           data / ".." / ".." / "samples" / "reports"},
                                          {".json", ".sarif"}, Depth::TopLevel);
}

}  // namespace

TEST_CASE("the streaming reader finds what the whole-document reader finds, whatever the buffer size") {
    const auto files = streamed_fixtures();
    REQUIRE(files.size() >= 8);
    std::size_t streamed = 0;
    for (const auto& path : files) {
        CAPTURE(path.string());
        const std::string text = read_file(path);
        const std::string name = path.filename().string();
        const std::string whole = describe(read_report_text(text, name));
        for (const std::size_t size : kBufferSizes) {
            CAPTURE(size);
            const auto report = read_report_streamed_text(text, name, size);
            if (!report) break;  // a format read only whole
            CHECK(describe(*report) == whole);
            // As read_report() streams a file: without counting lines, the same findings.
            const auto uncounted = read_report_streamed_text(text, name, size, gantry::LinePositions::Uncounted);
            REQUIRE(uncounted);
            CHECK(describe(*uncounted) == whole);
            ++streamed;
        }
    }
    CHECK(streamed >= 8 * kBufferSizes.size());
}

TEST_CASE("a value of the wrong type inside a streamed element is placed in the original text") {
    // Line 8 holds the bad value; the element starts on line 5, after a result's other fields.
    const std::string text = "{\n  \"SchemaVersion\": 2,\n  \"Results\": [\n    {\"Target\": \"a\", \"Vulnerabilities\": [\n"
                             "      {\"VulnerabilityID\": \"CVE-1\", \"Severity\": \"HIGH\"},\n"
                             "      {\"VulnerabilityID\": \"CVE-2\",\n"
                             "       \"PkgName\": \"p\",\n"
                             "       \"Severity\": 7}\n"
                             "    ]}\n  ]\n}\n";
    const std::string expected = whole_error(text, "r.json");
    REQUIRE(expected.find("r.json:8:20") != std::string::npos);
    REQUIRE(expected.find("/Results/0/Vulnerabilities/1/Severity") != std::string::npos);
    for (const std::size_t size : kBufferSizes) {
        CAPTURE(size);
        CHECK(streamed_error(text, "r.json", size) == expected);
    }
}

TEST_CASE("a syntax error inside a streamed element is placed in the original text") {
    const std::string grype = "{\"matches\": [\n  {\"vulnerability\": {\"id\": \"CVE-1\"}},\n"
                              "  {\"vulnerability\": {\"id\": \"CVE-2\", \"severity\": tru}}\n]}\n";
    const std::string expected = whole_error(grype, "g.json");
    REQUIRE(expected.find("g.json:3:49") != std::string::npos);
    for (const std::size_t size : kBufferSizes) {
        CAPTURE(size);
        CHECK(streamed_error(grype, "g.json", size) == expected);
    }
}

TEST_CASE("the stream's own errors name the line and column of the whole text") {
    struct Case {
        std::string text;
        std::string place;
    };
    const std::vector<Case> cases = {
        // A missing comma between two elements of a streamed array.
        {"{\"matches\": [\n  {\"a\": 1}\n  {\"b\": 2}\n]}", "s.json:3:3:"},
        // The text ends inside an element (the position is the end of the text).
        {"{\"matches\": [\n  {\"a\": \"x\\\"y\"},\n  {\"b\": [1, 2", "s.json:3:14:"},
        // A string that is never closed.
        {"{\"runs\": [{\"results\": [{\"message\": \"never", "s.json:1:42:"},
        // Content after the report.
        {"{\"SchemaVersion\": 2, \"Results\": []}\n\n  x", "s.json:3:3:"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        for (const std::size_t size : kBufferSizes) {
            CAPTURE(size);
            const std::string message = streamed_error(c.text, "s.json", size);
            CHECK(message.starts_with(c.place));
            CHECK(!whole_error(c.text, "s.json").empty());
        }
    }
}

TEST_CASE("the stream refuses what the whole-document reader refuses (found by the differential fuzz target)") {
    const std::vector<std::string> texts = {
        // A raw control character in a key of the outline.
        std::string("{\"Sche\x03ma\": 2, \"Results\": []}"),
        // Brackets of different kinds closing each other inside a value no reader looks into: the
        // parser only counts depth there, the stream must not accept the value either.
        "{\"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}}, \"artifacts\": [{\"a\": [1}], \"results\": []}]}",
    };
    for (const std::string& text : texts) {
        CAPTURE(text);
        CHECK(!whole_error(text, "s.json").empty());
        for (const std::size_t size : kBufferSizes) {
            CAPTURE(size);
            CHECK(!streamed_error(text, "s.json", size).empty());
        }
    }
}

TEST_CASE("a JsonStream hands out values with their origin across buffer boundaries") {
    const std::string text = "\xEF\xBB\xBF{\"k\": [\"a\\\"\\\\\", {\"x\": [1, {\"y\": \"}]\"}]},\n\t-1.5e3 , true,null]}";
    for (const std::size_t size : kBufferSizes) {
        CAPTURE(size);
        JsonStream stream(std::make_unique<TextSource>(text), "t.json", size);
        stream.expect('{');
        CHECK(stream.read_key() == "k");
        stream.expect(':');
        stream.expect('[');
        std::vector<std::string> values;
        std::vector<std::string> origins;
        while (true) {
            const JsonStream::Span span = stream.read_value();
            values.emplace_back(span.bytes);
            origins.push_back(fmt::format("{}@{}:{}", span.origin.offset, span.origin.line, span.origin.column));
            if (stream.expect_one_of(",]") == ']') break;
        }
        stream.expect('}');
        stream.expect_end();
        CHECK(values == std::vector<std::string>{"\"a\\\"\\\\\"", "{\"x\": [1, {\"y\": \"}]\"}]}", "-1.5e3", "true", "null"});
        CHECK(origins == std::vector<std::string>{"7@1:8", "16@1:17", "42@2:2", "51@2:11", "56@2:16"});
    }
}

TEST_CASE("a JsonStream that does not count lines gives offsets only, in origins and in its errors") {
    const std::string text = "{\"k\": [1,\n 2\n 3]}";
    for (const std::size_t size : kBufferSizes) {
        CAPTURE(size);
        JsonStream stream(std::make_unique<TextSource>(text), "t.json", size, LinePositions::Uncounted);
        stream.expect('{');
        CHECK(stream.read_key() == "k");
        stream.expect(':');
        stream.expect('[');
        const JsonStream::Span first = stream.read_value();
        CHECK(fmt::format("{}@{}:{}", first.origin.offset, first.origin.line, first.origin.column) == "7@0:0");
        stream.expect(',');
        const JsonStream::Span second = stream.read_value();
        CHECK(second.origin.offset == 11);
        CHECK(second.origin.line == 0);
        std::string message;
        try {
            stream.expect_one_of(",]");  // the newline and "3": a missing comma
        } catch (const InputError& e) {
            message = e.what();
        }
        CHECK(message == "t.json: at byte 15: invalid JSON: a comma, colon, bracket or brace is missing or out of place");
    }
}

TEST_CASE("a value larger than the buffer grows it, and skipped values do not") {
    std::string big = "{\"skip\": [";
    for (int i = 0; i < 1000; ++i) big += "\"0123456789\",";
    big += "0], \"keep\": {\"a\": \"" + std::string(5000, 'x') + "\"}}";
    JsonStream stream(std::make_unique<TextSource>(big), "b.json", 16);
    stream.expect('{');
    CHECK(stream.read_key() == "skip");
    stream.expect(':');
    stream.skip_value();
    stream.expect(',');
    CHECK(stream.read_key() == "keep");
    stream.expect(':');
    CHECK(stream.read_value().bytes.size() == 5000 + 9);
    stream.expect('}');
    stream.expect_end();
}

TEST_CASE("SARIF rules after the results are found when streamed") {
    const std::string sarif =
        "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"ruleId\": \"R1\", \"message\": {\"text\": \"m\"}}],"
        " \"tool\": {\"driver\": {\"name\": \"t\", \"rules\": [{\"id\": \"R1\", \"shortDescription\": {\"text\": \"Rule one\"},"
        " \"defaultConfiguration\": {\"level\": \"error\"}}]}}}]}";
    const Report whole = read_report_text(sarif, "late.sarif");
    REQUIRE(whole.findings.size() == 1);
    CHECK(whole.findings[0].title == "Rule one");
    for (const std::size_t size : kBufferSizes) {
        const auto streamed = read_report_streamed_text(sarif, "late.sarif", size);
        REQUIRE(streamed.has_value());
        CHECK(describe(*streamed) == describe(whole));
    }
}
