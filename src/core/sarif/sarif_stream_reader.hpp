// One pass over a SARIF log streamed in chunks, handing out only what sarif-merge keeps.
//
// StreamedSarifReader decides, over the SarifSkeletonWalker validate shares, which values of the
// log's skeleton (root, runs, each run's members) sarif-merge needs; a JSON tree is built, straight
// from the parser's events, only for those: the run's tables (StreamPass::Tables: is_run_table() members) or one
// result at a time (StreamPass::Results). Everything else is read past without being kept. Values of
// the wrong type in the skeleton throw InputError with file:line:column and JSON pointer; text that is
// not JSON throws the InputError of throw_json_text_error().
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/base/text_position.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/json/json_text_stream.hpp"
#include "sarif_skeleton_walker.hpp"

namespace gantry {

namespace sarif_stream {
using Json = nlohmann::json;
}  // namespace sarif_stream

// The members of a run that its results refer to, read before the results.
inline bool is_run_table(std::string_view key) {
    return key == "tool" || key == "artifacts" || key == "logicalLocations" || key == "threadFlowLocations" ||
           key == "taxonomies" || key == "automationDetails" || key == "originalUriBaseIds" || key == "webRequests" ||
           key == "webResponses" || key == "externalPropertyFileReferences";
}

enum class StreamPass { Tables, Results };

// Where a value handed out by StreamedSarifReader starts, for messages.
struct ValuePlace {
    std::string pointer;
    LineColumn position;
};

// One pass over a SARIF log streamed in chunks (SarifSkeletonWalker), deciding for the merge: the
// run's tables (StreamPass::Tables) or one result at a time (StreamPass::Results) are kept as JSON
// trees and handed out; everything else is read past. Values of the wrong type in the skeleton throw
// InputError with file:line:column and JSON pointer.
class StreamedSarifReader final : private SkeletonVisitor {
public:
    struct Handlers {
        std::function<void(std::string_view version)> on_version;  // "" when it is not a string
        std::function<void(std::size_t run)> on_run_start;  // every element of runs, even null
        std::function<void(std::size_t run)> on_run_end;
        std::function<void(std::string_view key, sarif_stream::Json value, const ValuePlace& place)> on_run_table;
        std::function<void(sarif_stream::Json value, const ValuePlace& place)> on_result;
    };

    StreamedSarifReader(StreamPass pass, const std::string& name, TextStream& stream, Handlers handlers)
        : pass_(pass), name_(name), stream_(stream), handlers_(std::move(handlers)) {}

    void read() { SarifSkeletonWalker(name_, stream_, *this).walk(); }

private:
    using Type = JsonCursor::Type;
    using Role = SkeletonRole;
    using Action = SkeletonAction;

    void kept(sarif_stream::Json value) override {
        if (keeping_result_) {
            handlers_.on_result(std::move(value), place_);
        } else {
            handlers_.on_run_table(table_key_, std::move(value), place_);
        }
    }

    void ended(const SkeletonFrame& frame) override {
        if (frame.role == Role::Run && handlers_.on_run_end) handlers_.on_run_end(frame.run);
    }

    [[noreturn]] void wrong(Type type, std::string pointer, std::string_view expected, LineColumn position) const {
        throw InputError(SourcePosition{name_, position.line, position.column, std::move(pointer)},
                         fmt::format("expected {}, found {}", expected, describe_json_type(type)));
    }

    SkeletonDecision begin(const SkeletonValue& value, SkeletonFrame* parent) override {
        const Type type = value.type;
        const LineColumn position = value.position;
        if (!parent) {
            if (type != Type::object) wrong(type, "", "an object", position);
            return {Action::Enter, Role::Root};
        }
        switch (parent->role) {
            case Role::Root:
                if (parent->key == "version") {
                    if (pass_ == StreamPass::Tables && handlers_.on_version) handlers_.on_version(value.text);
                } else if (parent->key == "runs") {
                    if (type == Type::array) return {Action::Enter, Role::Runs};
                    if (type != Type::null) wrong(type, "/runs", "an array", position);
                }
                return {};
            case Role::Runs: {
                // Counted over the file, not per array: a second "runs" member continues the first.
                const std::size_t run = runs_seen_++;
                if (type != Type::object && type != Type::null) wrong(type, fmt::format("/runs/{}", run), "an object", position);
                if (handlers_.on_run_start) handlers_.on_run_start(run);
                if (type == Type::object) return {Action::Enter, Role::Run, run};
                if (handlers_.on_run_end) handlers_.on_run_end(run);
                return {};
            }
            case Role::Run:
                if (pass_ == StreamPass::Tables) {
                    if (!is_run_table(parent->key)) return {};
                    keeping_result_ = false;
                    table_key_ = parent->key;
                    place_ = {fmt::format("/runs/{}/{}", parent->run, parent->key), position};
                    return {Action::Keep};
                }
                if (parent->key != "results") return {};
                if (type == Type::array) return {Action::Enter, Role::Results};
                if (type != Type::null) wrong(type, fmt::format("/runs/{}/results", parent->run), "an array", position);
                return {};
            case Role::Results:
                keeping_result_ = true;
                place_ = {fmt::format("/runs/{}/results/{}", parent->run, parent->elements), position};
                return {Action::Keep};
            case Role::Artifacts: break;  // not entered here
        }
        return {};
    }

    StreamPass pass_;
    const std::string& name_;
    TextStream& stream_;
    Handlers handlers_;

    bool keeping_result_ = false;
    std::string table_key_;
    ValuePlace place_;
    std::size_t runs_seen_ = 0;
};

}  // namespace gantry
