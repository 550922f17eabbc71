#include "gantry/sarif/sarif_validator.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "gantry/base/error.hpp"
#include "gantry/base/gzip.hpp"
#include "gantry/base/text_position.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/json/json_text_stream.hpp"
#include "gantry/sarif/github_limits.hpp"
#include "gantry/sarif/sarif_schema.hpp"
#include "sarif_skeleton_walker.hpp"
#include "sarif_validation_facts.hpp"
#include "sarif_value_checker.hpp"

namespace gantry {

namespace {

using namespace sarif_validation;

// Whether the text fed to it gzips to more than `limit` bytes at zlib's default level, as GitHub's
// upload action compresses it. Compression stops once the limit is passed: a 1 GB log need not be
// compressed whole to know it is too big.
class GzipMeter {
public:
    explicit GzipMeter(std::size_t limit) : limit_(limit), counter_(nullptr) {}

    void feed(std::string_view text) {
        if (counter_.compressed_bytes() > limit_) return;
        counter_.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    // Call once, after the last feed().
    bool exceeded() {
        counter_.finish();
        return counter_.compressed_bytes() > limit_;
    }

private:
    std::size_t limit_;
    GzipOutput counter_;
};

enum class Pass { First, Second };

// The validator's decisions over the SarifSkeletonWalker it shares with sarif-merge: it follows the
// root, runs, each run's members and the elements of artifacts and results; the values it needs to
// look into - a run's tool and automationDetails, each result - are copied out one at a time and
// handed to a ValueChecker. Everything else is read past.
class Skeleton final : private SkeletonVisitor {
public:
    Skeleton(Pass pass, const std::string& name, TextStream& stream, std::vector<RunFacts>& runs, ProblemLog& log,
             SarifValidation& validation, const SarifValidationOptions& options, const SarifSchema& schema)
        : pass_(pass), name_(name), stream_(stream), runs_(runs), log_(log), validation_(validation), options_(options),
          schema_(schema) {}

    // The whole file; throws InputError for text that is not JSON.
    void walk() { SarifSkeletonWalker(name_, stream_, *this).walk(); }

    // After the first pass: what only the whole file tells.
    void check_whole_log() {
        if (!root_is_object_) return;
        if (!has_version_) {
            log_.add(SarifProblemSeverity::Warning, "/version", root_offset_, root_position_,
                     "missing; read as SARIF 2.1.0 (add \"version\": \"2.1.0\")");
        }
        if (!has_runs_) log_.add(SarifProblemSeverity::Error, "/runs", root_offset_, root_position_, "missing; expected an array of runs");
        if (github() && runs_.size() > github_limits::kRunsPerFile) {
            log_.add(SarifProblemSeverity::Error, "/runs", runs_offset_, runs_position_,
                     fmt::format("expected at most {} runs in one file (GitHub's limit), found {}",
                                 github_limits::kRunsPerFile, runs_.size()));
        }
    }

private:
    using Role = SkeletonRole;
    using Action = SkeletonAction;
    enum class Capture { None, Tool, AutomationDetails, Result };

    bool github() const { return options_.limits == SarifLimits::Github; }
    bool first() const { return pass_ == Pass::First; }

    void problem(std::string pointer, std::size_t offset, LineColumn position, std::string message) {
        log_.add(SarifProblemSeverity::Error, std::move(pointer), offset, position, std::move(message));
    }

    // Copy the value out for a ValueChecker.
    SkeletonDecision copy(Capture capture, const SkeletonValue& value) {
        capture_ = capture;
        capture_offset_ = value.offset;
        capture_position_ = value.position;
        return {Action::Copy};
    }

    void ended(const SkeletonFrame& frame) override {
        if (first() && frame.role == Role::Run) {
            RunFacts& run = runs_[frame.run];
            if (!run.has_tool) {
                problem(fmt::format("/runs/{}/tool", frame.run), run.offset, run.position,
                        "missing; expected a tool with a driver that names it");
            }
            if (run.artifact_indexes_unchecked && run.second_pass == RunFacts::SecondPass::None) {
                run.second_pass = RunFacts::SecondPass::ArtifactIndexes;
            }
        } else if (first() && frame.role == Role::Results && github() &&
                   frame.elements > github_limits::kResultsPerRun) {
            problem(fmt::format("/runs/{}/results", frame.run), results_offset_, results_position_,
                    fmt::format("expected at most {} results in a run (GitHub's limit), found {}",
                                github_limits::kResultsPerRun, frame.elements));
        }
    }

    // The rules of the skeleton: where a value of this type may appear, and what it is for.
    SkeletonDecision begin(const SkeletonValue& value, SkeletonFrame* parent) override {
        const Type type = value.type;
        const std::size_t offset = value.offset;
        const LineColumn position = value.position;
        const auto wrong = [&](std::string pointer, std::string_view expected, NullMeans null = NullMeans::Absent) {
            if (first() && (type != Type::null || null == NullMeans::Wrong)) {
                problem(std::move(pointer), offset, position,
                        fmt::format("expected {}, found {}", expected, describe_json_type(type)));
            }
            return SkeletonDecision{};
        };
        if (!parent) {
            root_offset_ = offset;
            root_position_ = position;
            if (type == Type::object) {
                root_is_object_ = true;
                return {Action::Enter, Role::Root};
            }
            return wrong("", "a SARIF log (a JSON object with \"version\" and \"runs\")", NullMeans::Wrong);
        }
        switch (parent->role) {
            case Role::Root:
                if (parent->key == "version") {
                    if (!first()) return {};
                    has_version_ = type != Type::null;
                    if (type != Type::string) return wrong("/version", "the string \"2.1.0\"");
                    if (value.text != "2.1.0") {
                        problem("/version", offset, position,
                                fmt::format("expected \"2.1.0\", found {}: GitHub code scanning reads SARIF 2.1.0 only",
                                            shown_string(value.text)));
                    }
                    return {};
                }
                if (parent->key == "runs") {
                    has_runs_ = has_runs_ || type != Type::null;
                    runs_offset_ = offset;
                    runs_position_ = position;
                    if (type == Type::array) return {Action::Enter, Role::Runs};
                    return wrong("/runs", "an array of runs");
                }
                return {};
            case Role::Runs: {
                const std::size_t index = parent->elements;
                if (first()) {
                    runs_.emplace_back();
                    runs_.back().offset = offset;
                    runs_.back().position = position;
                    runs_.back().is_object = type == Type::object;
                }
                if (type == Type::object) return {Action::Enter, Role::Run, index};
                return wrong(fmt::format("/runs/{}", index), "a run object", NullMeans::Wrong);
            }
            case Role::Run: {
                RunFacts& run = runs_[parent->run];
                const std::string& key = parent->key;
                if (key == "tool") {
                    if (!first()) return {};
                    run.has_tool = run.has_tool || type != Type::null;
                    if (type == Type::object) return copy(Capture::Tool, value);
                    return wrong(fmt::format("/runs/{}/tool", parent->run), "an object with a driver");
                }
                if (key == "automationDetails") {
                    if (!first()) return {};
                    if (type == Type::object) return copy(Capture::AutomationDetails, value);
                    return wrong(fmt::format("/runs/{}/automationDetails", parent->run), "an object with an id");
                }
                if (key == "externalPropertyFileReferences") {
                    if (first()) run.has_external_tables = run.has_external_tables || type == Type::object;
                    return {};
                }
                if (key == "artifacts") {
                    if (!first()) return {};
                    run.has_artifacts = run.has_artifacts || type == Type::array;
                    if (type == Type::array) return {Action::Enter, Role::Artifacts};
                    return wrong(fmt::format("/runs/{}/artifacts", parent->run), "an array of artifacts");
                }
                if (key == "results") {
                    if (first()) {
                        results_offset_ = offset;
                        results_position_ = position;
                        if (!run.has_tool) run.second_pass = RunFacts::SecondPass::Everything;
                    }
                    if (type == Type::array) return {Action::Enter, Role::Results};
                    return wrong(fmt::format("/runs/{}/results", parent->run), "an array of result objects");
                }
                return {};
            }
            case Role::Artifacts:
                ++runs_[parent->run].artifacts;
                return {};
            case Role::Results: {
                const RunFacts& run = runs_[parent->run];
                result_index_ = parent->elements;
                if (first()) ++validation_.results;
                const bool checked_now =
                    first() ? run.second_pass != RunFacts::SecondPass::Everything
                            : run.second_pass != RunFacts::SecondPass::None;
                if (!checked_now) return {};
                if (type == Type::object) return copy(Capture::Result, value);
                if (first() || run.second_pass == RunFacts::SecondPass::Everything) {
                    log_.add(SarifProblemSeverity::Error, fmt::format("/runs/{}/results/{}", parent->run, result_index_),
                             offset, position, fmt::format("expected a result object, found {}", describe_json_type(type)));
                }
                return {};
            }
        }
        return {};
    }

    void copied(const std::string& text, const SkeletonFrame& parent) override {
        const std::size_t run_index = parent.run;
        RunFacts& run = runs_[run_index];
        JsonDocument value(name_, simdjson::padded_string(text));
        const auto reports = !first() && run.second_pass == RunFacts::SecondPass::ArtifactIndexes
                                 ? ValueChecker::Reports::ArtifactIndexesOnly
                                 : ValueChecker::Reports::All;
        switch (capture_) {
            case Capture::Tool: {
                ValueChecker checker(value, fmt::format("/runs/{}/tool", run_index), capture_offset_, capture_position_,
                                     log_, options_);
                checker.check_tool(run);
                checker.check_schema(schema_, "tool");
                break;
            }
            case Capture::AutomationDetails: {
                ValueChecker checker(value, fmt::format("/runs/{}/automationDetails", run_index), capture_offset_,
                                     capture_position_, log_, options_);
                checker.check_automation_details(run);
                checker.check_schema(schema_, "runAutomationDetails");
                break;
            }
            case Capture::Result: {
                ValueChecker checker(value, fmt::format("/runs/{}/results/{}", run_index, result_index_),
                                     capture_offset_, capture_position_, log_, options_, reports);
                checker.check_result(run);
                if (first() || run.second_pass == RunFacts::SecondPass::Everything) checker.check_schema(schema_, "result");
                break;
            }
            case Capture::None: break;
        }
        capture_ = Capture::None;
    }

    Pass pass_;
    const std::string& name_;
    TextStream& stream_;
    std::vector<RunFacts>& runs_;
    ProblemLog& log_;
    SarifValidation& validation_;
    const SarifValidationOptions& options_;
    const SarifSchema& schema_;

    Capture capture_ = Capture::None;
    std::size_t capture_offset_ = 0;
    LineColumn capture_position_;
    std::size_t result_index_ = 0;

    bool root_is_object_ = false;
    bool has_version_ = false;
    bool has_runs_ = false;
    std::size_t root_offset_ = 0;
    LineColumn root_position_;
    std::size_t runs_offset_ = 0;
    LineColumn runs_position_;
    std::size_t results_offset_ = 0;
    LineColumn results_position_;
};

// Since July 2025 GitHub rejects an upload in which two runs share a tool and a category.
void check_run_identities(const std::vector<RunFacts>& runs, ProblemLog& log) {
    std::map<std::pair<std::string_view, std::string_view>, std::size_t> first_of;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const RunFacts& run = runs[i];
        if (!run.is_object || run.tool_name.empty()) continue;
        const auto [it, inserted] =
            first_of.emplace(std::pair<std::string_view, std::string_view>{run.tool_name, run.category}, i);
        if (inserted) continue;
        log.add(SarifProblemSeverity::Error, fmt::format("/runs/{}", i), run.offset, run.position,
                fmt::format("expected one run per tool and category, found a second run of {} with {} (the first "
                            "is /runs/{}); GitHub rejects such uploads: give each run its own category in "
                            "automationDetails.id (\"category/\"), or merge them with sarif-merge",
                            shown_string(run.tool_name),
                            run.category.empty() ? std::string("no category") : "category " + shown_string(run.category),
                            it->second));
    }
}

using OpenSource = std::function<std::unique_ptr<ByteSource>()>;

SarifValidation validate_source(const std::string& name, const OpenSource& open, const SarifValidationOptions& options) {
    const SarifSchema schema;
    SarifValidation validation;
    validation.file = name;
    ProblemLog log(validation, options.problems_kept);
    std::vector<RunFacts> runs;
    const bool github = options.limits == SarifLimits::Github;
    GzipMeter meter(github_limits::kGzippedBytes);
    {
        TextStream stream(open(), github ? TextStream::ChunkObserver([&](std::string_view chunk) { meter.feed(chunk); })
                                         : TextStream::ChunkObserver());
        Skeleton skeleton(Pass::First, name, stream, runs, log, validation, options, schema);
        skeleton.walk();
        skeleton.check_whole_log();
    }
    if (github) {
        check_run_identities(runs, log);
        if (meter.exceeded()) {
            log.add_first(fmt::format("expected at most {:g} MiB once gzipped (GitHub's upload limit), found more; split "
                                      "the runs over several uploads",
                                      static_cast<double>(github_limits::kGzippedBytes) / (1024.0 * 1024.0)));
        }
    }
    const bool second_pass = std::any_of(runs.begin(), runs.end(), [](const RunFacts& run) {
        return run.second_pass != RunFacts::SecondPass::None;
    });
    if (second_pass) {
        TextStream stream(open());
        Skeleton skeleton(Pass::Second, name, stream, runs, log, validation, options, schema);
        skeleton.walk();
    }
    validation.runs = runs.size();
    log.sort();
    return validation;
}

}  // namespace

SarifValidator::SarifValidator(SarifValidationOptions options) : options_(options) {}

SarifValidation SarifValidator::validate_file(const std::filesystem::path& path) const {
    const std::string name = path.string();
    return validate_source(name, [&] { return std::make_unique<FileSource>(path, name); }, options_);
}

SarifValidation SarifValidator::validate_text(std::string_view text, const std::string& name) const {
    return validate_source(name, [&] { return std::make_unique<TextSource>(text); }, options_);
}

}  // namespace gantry
