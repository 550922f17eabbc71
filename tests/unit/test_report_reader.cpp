#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"

using namespace gantry;
namespace fs = std::filesystem;

namespace {

std::string error_reading(const std::string& text, const std::string& name = "report.json") {
    try {
        read_report_text(text, name);
    } catch (const InputError& error) {
        return error.what();
    } catch (const std::exception& error) {
        return std::string("WRONG EXCEPTION TYPE: ") + error.what();
    }
    return "";
}

fs::path reports_dir() { return fs::path(GANTRY_TEST_DATA_DIR) / "reports"; }
fs::path paths_dir() { return reports_dir() / "paths"; }

std::vector<fs::path> relative_to_paths_dir(const std::vector<fs::path>& paths) {
    std::vector<fs::path> relative;
    for (const fs::path& path : paths) {
        relative.push_back(path.lexically_relative(paths_dir().lexically_normal()));
    }
    return relative;
}

// A fresh empty directory under the system temp folder, removed at the end of the test.
struct TemporaryDirectory {
    fs::path path;
    TemporaryDirectory() {
        path = fs::temp_directory_path() / ("gantry-h2-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TemporaryDirectory() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

}  // namespace

TEST_SUITE("report reader") {

TEST_CASE("format names") {
    CHECK(to_string(ReportFormat::Trivy) == "trivy");
    CHECK(to_string(ReportFormat::Grype) == "grype");
    CHECK(to_string(ReportFormat::Sarif) == "sarif");
    CHECK(to_string(ReportFormat::GitlabSecurity) == "gitlab");
}

TEST_CASE("the format is sniffed from the top-level keys, not the file name") {
    CHECK(read_report_text(R"({"SchemaVersion": 2})", "x.sarif").format == ReportFormat::Trivy);
    CHECK(read_report_text(R"({"ArtifactName": "a", "Results": []})", "x.json").format == ReportFormat::Trivy);
    CHECK(read_report_text(R"({"matches": []})", "x.sarif").format == ReportFormat::Grype);
    CHECK(read_report_text(R"({"$schema": "s", "version": "2.1.0", "runs": []})", "x.json").format == ReportFormat::Sarif);
    CHECK(read_report_text(R"({"version": "15.0.6", "vulnerabilities": []})", "x.json").format ==
          ReportFormat::GitlabSecurity);
    CHECK(read_report_text(R"({"vulnerabilities": [], "remediations": [], "scan": {}})", "x.json").format ==
          ReportFormat::GitlabSecurity);
    // A huge first value is skipped, not parsed, on the way to the deciding key.
    CHECK(read_report_text(R"({"descriptor": {"a": [[[[1, 2, {"b": "c"}]]]]}, "matches": []})", "x.json").format ==
          ReportFormat::Grype);
}

TEST_CASE("an unknown document lists its top-level keys") {
    const std::string message = error_reading(R"({"vulnerabilities": [], "foo": 1, "bar": {"x": 2}})", "odd.json");
    CHECK(message == "odd.json: not a Trivy, Grype, SARIF, GitLab security, CycloneDX, OSV-Scanner or npm audit "
                     "report (top-level keys: vulnerabilities, foo, bar)");
    CHECK(error_reading("{}", "empty-object.json").find("(top-level keys: none)") != std::string::npos);
    const std::string many = error_reading(
        R"({"k1":1,"k2":1,"k3":1,"k4":1,"k5":1,"k6":1,"k7":1,"k8":1,"k9":1,"k10":1,"k11":1,"k12":1})");
    CHECK(many.find("k10, ...)") != std::string::npos);
    CHECK(many.find("k11") == std::string::npos);
}

TEST_CASE("empty input and non-objects") {
    CHECK(error_reading("", "empty.json") == "empty.json: the file is empty; expected a JSON report");
    CHECK(error_reading("  \n\t ", "blank.json").find("blank.json: the file is empty") == 0);
    CHECK(error_reading("[1, 2]", "array.json") ==
          "array.json: expected a JSON object at the top level (a security report), found an array "
          "(Trivy before 0.20 wrote an array; re-run with a newer Trivy)");
    CHECK(error_reading("\"text\"", "s.json").find("found a string") != std::string::npos);
    CHECK(error_reading("42", "n.json").find("found a number") != std::string::npos);
    CHECK(error_reading("null", "n.json").find("found null") != std::string::npos);
}

TEST_CASE("a scanner's log in front of the report: what is there, where, and where the report starts") {
    const std::string grype_log =
        "[0000]  WARN some package(s) are missing CPEs. This may result in missing vulnerabilities.\n"
        "[0003]  INFO found 3 vulnerability matches\n"
        "{\"matches\": []}\n";
    CHECK(error_reading(grype_log, "grype.json") ==
          "grype.json:1:1: expected a JSON report, found text \"[0000]  WARN some package(s) are missing CPEs. This may "
          "resu...\"; a JSON object starts at 3:1: was the scanner's log written into the same file? Send its standard "
          "error elsewhere, or let the scanner write the report file itself");
    // Trivy's log lines, with terminal colours; blank lines before them.
    CHECK(error_reading("\n  2024-05-02T10:00:00Z\t\x1b[34mINFO\x1b[0m\tVulnerability scanning is enabled\n  {\"Results\": []}",
                        "trivy.json") ==
          "trivy.json:2:3: expected a JSON report, found text \"2024-05-02T10:00:00Z INFO Vulnerability scanning is "
          "enabled\"; a JSON object starts at 3:3: was the scanner's log written into the same file? Send its standard "
          "error elsewhere, or let the scanner write the report file itself");
    // No report anywhere: just what was found.
    CHECK(error_reading("Error: no such image\n", "none.json") ==
          "none.json:1:1: expected a JSON report, found text \"Error: no such image\"");
    // A cut never splits a UTF-8 character: the 60th byte starts a check mark, which is kept whole.
    CHECK(error_reading(" \xE2\x9C\x94 Vulnerability DB" + std::string(39, '.') + "\xE2\x9C\x94\xE2\x9C\x94\n{}", "ui.json")
              .find(std::string(39, '.') + "\xE2\x9C\x94...\"") != std::string::npos);
    // Real JSON arrays are still reported as arrays.
    CHECK(error_reading("[\n  {\"Target\": \"x\"}\n]", "old.json").find("found an array (Trivy before 0.20") != std::string::npos);
}

TEST_CASE("syntax errors name the line and column") {
    // Line 3 has a doubled comma; the error points into that line.
    const std::string doubled_comma = "{\n  \"SchemaVersion\": 2,\n  \"Results\": [{\"Target\": \"a\",, \"Class\": \"x\"}]\n}";
    const std::string message = error_reading(doubled_comma, "broken.json");
    CHECK(message.find("broken.json:3:") == 0);
    CHECK(message.find("invalid JSON") != std::string::npos);

    CHECK(error_reading(R"({"matches": [} )", "m.json").find("m.json:1:") == 0);
    CHECK(error_reading(R"({"matches" [] })", "m.json").find("m.json:1:") == 0);
    CHECK(error_reading(R"({"matches": [{"vulnerability": {"id": "CVE-1", "severity": tru}}]})", "m.json") ==
          "m.json:1:60: invalid JSON: expected true, false or null");
}

TEST_CASE("a truncated file says where it ends") {
    const std::string truncated = "{\n  \"SchemaVersion\": 2,\n  \"Results\": [\n    {\"Target\": \"a\"";
    const std::string message = error_reading(truncated, "cut.json");
    CHECK(message.find("cut.json:4:") == 0);
    CHECK(message.find("truncated") != std::string::npos);
    CHECK(error_reading("{\"matches\": [", "cut.json").find("cut.json:1:") == 0);
    CHECK(error_reading("{", "cut.json").find("cut.json:1:") == 0);
    // Every bracket closed but the outermost: still a cut-off file, located at its end.
    CHECK(error_reading("{\"matches\": []\n", "cut.json") ==
          "cut.json:2:1: invalid JSON: the text ends before every object and array is closed (is the file truncated?)");
    CHECK(error_reading("{\"Results\": [{\"Target\": \"a\"}", "cut.json").find("truncated") != std::string::npos);
    CHECK(error_reading("{\"runs\": [{\"results\": [{\"ruleId\": \"abc", "cut.sarif").find("cut.sarif:1:") == 0);
}

TEST_CASE("invalid UTF-8 and unclosed strings are located") {
    const std::string bad_utf8 = "{\"Results\": [{\n\"Target\": \"a\xFF\xFE\"}]}";
    const std::string message = error_reading(bad_utf8, "utf8.json");
    CHECK(message.find("utf8.json:2:") == 0);
    CHECK(message.find("UTF-8") != std::string::npos);
}

TEST_CASE("content after the document is an error") {
    const std::string message = error_reading("{\"matches\": []}\n{\"matches\": []}", "two.json");
    CHECK(message.find("two.json:2:1") == 0);
    CHECK(message.find("after the end") != std::string::npos);
    CHECK(error_reading("{\"matches\": []}  \n\n").empty());
}

TEST_CASE("pointers escape '/' and '~' in keys") {
    const std::string message =
        error_reading(R"({"Results": [{"Vulnerabilities": [{"CVSS": {"a/b~c": {"V3Score": "x"}}}]}]})");
    CHECK(message.find("/Results/0/Vulnerabilities/0/CVSS/a~1b~0c/V3Score") != std::string::npos);
}

TEST_CASE("deeply nested values that are skipped do not matter; deep nesting is not a crash") {
    const std::string deep = std::string(5000, '[') + std::string(5000, ']');
    CHECK(error_reading("{\"SchemaVersion\": 2, \"Metadata\": " + deep + "}").empty());
    // Nesting inside a field the reader walks is bounded by the format, so it is a type error at worst.
    CHECK(error_reading("{\"Results\": [" + deep + "]}").find("(at /Results/0): expected an object, found an array") !=
          std::string::npos);
}

TEST_CASE("read_report reads files and says why it cannot") {
    const Report report = read_report(reports_dir() / "grype" / "image.grype.json");
    CHECK(report.format == ReportFormat::Grype);
    CHECK(report.findings.size() == 4);

    const fs::path missing = reports_dir() / "no-such-report.json";
    CHECK_THROWS_WITH_AS(read_report(missing), doctest::Contains((missing.string() + ": cannot read").c_str()), InputError);
    CHECK_THROWS_WITH_AS(read_report(reports_dir()), doctest::Contains("is a directory"), InputError);
    CHECK_THROWS_WITH_AS(read_report(paths_dir() / "notes.txt"),
                         doctest::Contains("notes.txt:1:1: expected a JSON report, found text \"not a report\""), InputError);
}

TEST_CASE("expand_report_paths: files, directories and globs") {
    const fs::path dir = paths_dir();
    using Paths = std::vector<fs::path>;

    CHECK(relative_to_paths_dir(expand_report_paths({(dir / "notes.txt").string()})) == Paths{"notes.txt"});
    // A directory: every *.json and *.sarif (gzipped too) below it, sorted, hidden folders skipped.
    CHECK(relative_to_paths_dir(expand_report_paths({dir.string()})) ==
          Paths{"a.json", "b.sarif", "sub/c.json", "sub/deeper/d.sarif", "sub/deeper/f.sarif.gz"});
    CHECK(relative_to_paths_dir(expand_report_paths({(dir / "*.json").string()})) == Paths{"a.json"});
    CHECK(relative_to_paths_dir(expand_report_paths({(dir / "**" / "*.sarif").string()})) ==
          Paths{"b.sarif", "sub/deeper/d.sarif"});
    CHECK(relative_to_paths_dir(expand_report_paths({(dir / "su?" / "[bc]*.json").string()})) == Paths{"sub/c.json"});
    CHECK(relative_to_paths_dir(expand_report_paths({(dir / "*" / "deeper").string()})) ==
          Paths{"sub/deeper/d.sarif", "sub/deeper/f.sarif.gz"});
    // Hidden entries only match a pattern that starts with a dot.
    CHECK(relative_to_paths_dir(expand_report_paths({(dir / ".h*" / "*.json").string()})) == Paths{".hidden/e.json"});
    // Several arguments: sorted, without duplicates, paths normalised.
    CHECK(relative_to_paths_dir(expand_report_paths({(dir / "sub" / ".." / "a.json").string(), (dir / "*.json").string(),
                                                     (dir / "b.sarif").string()})) == Paths{"a.json", "b.sarif"});
}

TEST_CASE("expand_report_paths: nothing found is an error") {
    const fs::path dir = paths_dir();
    CHECK_THROWS_WITH_AS(expand_report_paths({(dir / "missing.json").string()}),
                         doctest::Contains("missing.json: no such file or directory"), InputError);
    CHECK_THROWS_WITH_AS(expand_report_paths({(dir / "*.xml").string()}),
                         doctest::Contains("*.xml: no report file matches this pattern"), InputError);
    CHECK_THROWS_WITH_AS(expand_report_paths({(dir / "nowhere" / "**" / "*.json").string()}),
                         doctest::Contains("no report file matches"), InputError);
    CHECK_THROWS_AS(expand_report_paths({""}), InputError);
    TemporaryDirectory empty;
    CHECK_THROWS_WITH_AS(expand_report_paths({empty.path.string()}), doctest::Contains("holds no *.json or *.sarif"),
                         InputError);
    CHECK(expand_report_paths({}).empty());
}

}  // TEST_SUITE
