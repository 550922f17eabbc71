// Checking a SARIF log against what its consumers rely on, without holding its results in memory.
//
// SarifValidator reads one SARIF 2.1.0 log and returns a SarifValidation: every problem it finds,
// each with the JSON pointer of the value at fault (for a missing member, where it belongs), the
// line:column of the nearest value that exists, and a sentence saying what was expected. It checks
// the structure GitHub code scanning and the SARIF 2.1.0 schema depend on (a root object, version
// "2.1.0", runs, a non-empty tool.driver.name, results that are objects with a message, level and
// kind values from their enumerations, ruleIndex / rule.index within the driver's or the named
// extension's rules and agreeing with ruleId, regions that start at line and column 1 or later,
// artifactLocation.index within run.artifacts, string URIs, fingerprints, rule ids and
// automationDetails.id, rule security-severity from 0 to 10), then holds each run's tool and
// automationDetails and each result against the official SARIF 2.1.0 schema (sarif_schema.hpp),
// reporting what the schema rejects beyond those checks (an empty region, a stack without frames, a
// rule reference with neither index, id nor guid, a member the schema does not define, ...) at the
// start of the value, and, with SarifLimits::Github, the
// limits of github_limits.hpp: runs per file, results, rules and extensions per run, locations and
// thread-flow locations per result, tags per rule, the gzipped size of the file, and two runs of one
// tool and category. A missing version is a warning (read as 2.1.0), and so is a dangling
// ruleIndex / rule.index when the result also names its rule by id, or a dangling
// artifactLocation.index beside a uri (GitHub finds rules by id and files by uri); everything else
// is an error.
//
// Memory stays small whatever the size of the file: nlohmann's SAX parser streams the text (a file
// is read in chunks through zlib, so gzip-compressed files are read as they are), following only the
// log's skeleton, and each result - or a run's tool - is copied out on its own and read with simdjson
// On-Demand. Beyond one result, only the rule ids of the runs are held. A run whose results come
// before its tool (or whose artifact indexes come before run.artifacts) has them checked in a second
// pass over the file. Only the first `problems_kept` problems are kept in detail, but all are
// counted. Problems are never thrown: a file that is unreadable, empty or not JSON throws InputError
// (with file:line:column); JSON that is merely not valid SARIF is a problem.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gantry {

enum class SarifLimits { Github, None };
enum class SarifProblemSeverity { Error, Warning };

struct SarifProblem {
    SarifProblemSeverity severity = SarifProblemSeverity::Error;
    std::string pointer;  // RFC 6901; "" for the file as a whole
    int line = 0;         // 1-based; 0 when the problem concerns the whole file
    int column = 0;
    std::string message;
};

struct SarifValidationOptions {
    SarifLimits limits = SarifLimits::Github;
    std::size_t problems_kept = 50;  // per file
};

struct SarifValidation {
    std::string file;
    std::vector<SarifProblem> problems;  // the first problems_kept found, in document order, file-wide first
    std::size_t errors = 0;              // all of them, kept or not
    std::size_t warnings = 0;
    std::size_t runs = 0;
    std::size_t results = 0;

    bool valid() const { return errors == 0; }
    std::size_t problems_left_out() const { return errors + warnings - problems.size(); }
};

class SarifValidator {
public:
    explicit SarifValidator(SarifValidationOptions options = {});

    SarifValidation validate_file(const std::filesystem::path& path) const;
    SarifValidation validate_text(std::string_view text, const std::string& name) const;

private:
    SarifValidationOptions options_;
};

}  // namespace gantry
