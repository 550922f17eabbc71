// What `sarif-merge validate` gathers about one file while it walks it, and how values are shown in
// its messages. Internal to src/core/sarif (the validator's files).
//
// RunFacts holds what the results of one run refer to (tool name, category, rule tables, artifact
// count) and whether a second pass must check them; ProblemLog counts every problem and keeps the
// first ones with their place, in document order; Seen<T> is a scalar met in a result with the byte
// it starts at. shown()/shown_string() cut long values for messages.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/text_position.hpp"
#include "gantry/sarif/rule_reference.hpp"
#include "gantry/sarif/sarif_validator.hpp"

namespace gantry::sarif_validation {

// The place of a problem about the file as a whole.
constexpr std::size_t kNoOffset = std::numeric_limits<std::size_t>::max();

// Whether JSON null in a place means "absent" (most members) or is itself wrong (array elements).
enum class NullMeans { Absent, Wrong };

inline std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// A value as it appears in a message: long tokens cut.
inline std::string shown(std::string_view token) {
    constexpr std::size_t kLongest = 60;
    token = trimmed(token);
    return token.size() > kLongest ? fmt::format("{}...", token.substr(0, kLongest)) : std::string(token);
}

inline std::string shown_string(std::string_view text) {
    return shown(nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// GitHub's category is automationDetails.id up to its last "/" (the rest names one run of it).
inline std::string category_of(std::string_view automation_id) {
    const auto slash = automation_id.rfind('/');
    return std::string(slash == std::string_view::npos ? automation_id : automation_id.substr(0, slash));
}

// What the results of one run refer to, gathered as the file is read.
struct RunFacts {
    enum class SecondPass { None, Everything, ArtifactIndexes };

    std::size_t offset = 0;
    LineColumn position;
    bool is_object = false;
    bool has_tool = false;
    bool has_artifacts = false;
    bool has_external_tables = false;  // run.externalPropertyFileReferences: tables may live elsewhere
    std::string tool_name;
    std::string category;
    // The rules of the driver and the extensions ("" as the id of a rule without one).
    RunRuleTables rules;
    std::size_t artifacts = 0;
    // Results read before the tool are checked in a second pass; so are artifact indexes met before
    // run.artifacts (which may come later, or never).
    SecondPass second_pass = SecondPass::None;
    bool artifact_indexes_unchecked = false;

    std::size_t extensions() const { return rules.extensions(); }
};

// Where a scalar member of a result was met: its value and the byte it starts at.
template <class T>
struct Seen {
    std::optional<T> value;
    std::size_t offset = kNoOffset;
};

// The problems of one file: all counted, the first ones kept with their place.
class ProblemLog {
public:
    ProblemLog(SarifValidation& validation, std::size_t kept) : validation_(validation), kept_(kept) {}

    bool full() const { return validation_.problems.size() >= kept_; }
    void count(SarifProblemSeverity severity) {
        ++(severity == SarifProblemSeverity::Error ? validation_.errors : validation_.warnings);
    }
    // `offset` orders the kept problems; kNoOffset for the file as a whole (listed first).
    void add(SarifProblemSeverity severity, std::string pointer, std::size_t offset, LineColumn position,
             std::string message) {
        count(severity);
        if (full()) return;
        validation_.problems.push_back({severity, std::move(pointer), position.line, position.column, std::move(message)});
        offsets_.push_back(offset);
    }
    // A file-wide problem worth seeing even when the list is full.
    void add_first(std::string message) {
        count(SarifProblemSeverity::Error);
        validation_.problems.insert(validation_.problems.begin(),
                                    {SarifProblemSeverity::Error, "", 0, 0, std::move(message)});
        offsets_.insert(offsets_.begin(), kNoOffset);
        if (validation_.problems.size() > kept_) {
            validation_.problems.pop_back();
            offsets_.pop_back();
        }
    }
    // Document order, file-wide problems first.
    void sort() {
        std::vector<std::size_t> order(offsets_.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        const auto key = [&](std::size_t i) { return offsets_[i] == kNoOffset ? 0 : offsets_[i] + 1; };
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
        std::vector<SarifProblem> sorted;
        sorted.reserve(order.size());
        for (const std::size_t i : order) sorted.push_back(std::move(validation_.problems[i]));
        validation_.problems = std::move(sorted);
    }

private:
    SarifValidation& validation_;
    std::size_t kept_;
    std::vector<std::size_t> offsets_;
};

}  // namespace gantry::sarif_validation
