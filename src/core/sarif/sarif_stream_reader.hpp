// One pass over a SARIF log streamed in chunks, handing out only what sarif-merge keeps.
//
// StreamedSarifReader runs nlohmann's SAX parser over a TextStream and follows the skeleton of the
// log (root, runs, each run's members), building a JSON tree, straight from the parser's events, only
// for the values the pass needs: the run's tables (StreamPass::Tables: is_run_table() members) or one
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

// One pass of nlohmann's SAX parser over a SARIF log streamed in chunks: follows the skeleton (root,
// runs, each run's members) and builds a JSON tree, straight from the parser's events, only for the
// values the pass needs - the run's tables (StreamPass::Tables) or one result at a time
// (StreamPass::Results). Everything else is read past without being kept. Values of the wrong type in
// the skeleton throw InputError with file:line:column and JSON pointer.
class StreamedSarifReader final : public nlohmann::json_sax<sarif_stream::Json> {
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

    void read() {
        if (!parse_json_text(stream_, *this)) throw_json_text_error(stream_, name_, parse_error_, seen_, "a SARIF log (JSON)");
    }

    bool null() override { return scalar(Type::null, 4, [](Dom& dom) { return dom.null(); }); }
    bool boolean(bool value) override {
        return scalar(Type::boolean, value ? 4 : 5, [&](Dom& dom) { return dom.boolean(value); });
    }
    // A number is known to have ended only once the byte after it is read.
    bool number_integer(number_integer_t value) override {
        return scalar(Type::number, 2, [&](Dom& dom) { return dom.number_integer(value); });
    }
    bool number_unsigned(number_unsigned_t value) override {
        return scalar(Type::number, 2, [&](Dom& dom) { return dom.number_unsigned(value); });
    }
    bool number_float(number_float_t value, const string_t& text) override {
        return scalar(Type::number, 2, [&](Dom& dom) { return dom.number_float(value, text); });
    }
    bool string(string_t& text) override {
        last_string_ = &text;
        return scalar(Type::string, text.size() + 2, [&](Dom& dom) { return dom.string(text); });
    }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t size) override {
        return open(Type::object, [&](Dom& dom) { return dom.start_object(size); });
    }
    bool start_array(std::size_t size) override {
        return open(Type::array, [&](Dom& dom) { return dom.start_array(size); });
    }
    bool end_object() override { return close([](Dom& dom) { return dom.end_object(); }); }
    bool end_array() override { return close([](Dom& dom) { return dom.end_array(); }); }
    bool key(string_t& key) override {
        if (dom_) return dom_->key(key);
        if (skipped_ == 0) stack_.back().key = key;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) override {
        parse_error_ = error.what();
        return false;
    }

private:
    using Type = JsonCursor::Type;
    // nlohmann's own tree builder, fed the events of a value being kept.
    using Dom = nlohmann::detail::json_sax_dom_parser<sarif_stream::Json>;
    enum class Role { Root, Runs, Run, Results };
    enum class Action { Enter, Keep, Skip };
    struct Frame {
        Role role;
        std::size_t run = 0;
        std::string key;  // objects: the member being read
    };
    struct Step {
        Action action = Action::Skip;
        Role role = Role::Root;
    };

    template <class Event>
    bool open(Type type, Event&& event) {
        seen_ = ValuesSeen::Some;
        if (dom_) {
            ++depth_;
            return event(*dom_);
        }
        if (skipped_ > 0) {
            ++skipped_;
            return true;
        }
        const Step step = begin_value(type, stream_.consumed() - 1);  // the { or [ just read
        if (step.action == Action::Enter) {
            const std::size_t run = step.role == Role::Run ? current_run_ : stack_.empty() ? 0 : stack_.back().run;
            stack_.push_back({step.role, run, {}});
        } else if (step.action == Action::Keep) {
            start_keeping();
            depth_ = 1;
            return event(*dom_);
        } else {
            skipped_ = 1;
        }
        return true;
    }

    template <class Event>
    bool close(Event&& event) {
        if (dom_) {
            const bool ok = event(*dom_);
            if (--depth_ == 0) deliver();
            return ok;
        }
        if (skipped_ > 0) {
            --skipped_;
            return true;
        }
        const Frame frame = std::move(stack_.back());
        stack_.pop_back();
        if (frame.role == Role::Run && handlers_.on_run_end) handlers_.on_run_end(frame.run);
        return true;
    }

    template <class Event>
    bool scalar(Type type, std::size_t length, Event&& event) {
        seen_ = ValuesSeen::Some;
        if (dom_) return event(*dom_);
        if (skipped_ > 0) return true;
        const std::size_t consumed = stream_.consumed();
        if (begin_value(type, consumed >= length ? consumed - length : 0).action == Action::Keep) {
            start_keeping();
            const bool ok = event(*dom_);
            deliver();
            return ok;
        }
        return true;
    }

    void start_keeping() {
        kept_ = sarif_stream::Json();
        dom_.emplace(kept_, true);
    }

    void deliver() {
        dom_.reset();
        if (keeping_result_) {
            handlers_.on_result(std::move(kept_), place_);
        } else {
            handlers_.on_run_table(table_key_, std::move(kept_), place_);
        }
    }

    [[noreturn]] void wrong(Type type, std::string pointer, std::string_view expected, LineColumn position) const {
        throw InputError(SourcePosition{name_, position.line, position.column, std::move(pointer)},
                         fmt::format("expected {}, found {}", expected, describe_json_type(type)));
    }

    Step begin_value(Type type, std::size_t offset) {
        const LineColumn position = stream_.position_of(offset);
        if (stack_.empty()) {
            if (type != Type::object) wrong(type, "", "an object", position);
            return {Action::Enter, Role::Root};
        }
        Frame& parent = stack_.back();
        switch (parent.role) {
            case Role::Root:
                if (parent.key == "version") {
                    if (pass_ == StreamPass::Tables && handlers_.on_version) {
                        handlers_.on_version(type == Type::string && last_string_ ? std::string_view(*last_string_) : std::string_view());
                    }
                } else if (parent.key == "runs") {
                    if (type == Type::array) return {Action::Enter, Role::Runs};
                    if (type != Type::null) wrong(type, "/runs", "an array", position);
                }
                return {};
            case Role::Runs:
                // Counted over the file, not per array: a second "runs" member continues the first.
                current_run_ = runs_seen_++;
                if (type != Type::object && type != Type::null) {
                    wrong(type, fmt::format("/runs/{}", current_run_), "an object", position);
                }
                if (handlers_.on_run_start) handlers_.on_run_start(current_run_);
                if (type == Type::object) return {Action::Enter, Role::Run};
                if (handlers_.on_run_end) handlers_.on_run_end(current_run_);
                return {};
            case Role::Run:
                if (pass_ == StreamPass::Tables) {
                    if (!is_run_table(parent.key)) return {};
                    keeping_result_ = false;
                    table_key_ = parent.key;
                    place_ = {fmt::format("/runs/{}/{}", parent.run, parent.key), position};
                    return {Action::Keep};
                }
                if (parent.key != "results") return {};
                if (type == Type::array) {
                    results_seen_ = 0;
                    return {Action::Enter, Role::Results};
                }
                if (type != Type::null) wrong(type, fmt::format("/runs/{}/results", parent.run), "an array", position);
                return {};
            case Role::Results:
                keeping_result_ = true;
                place_ = {fmt::format("/runs/{}/results/{}", parent.run, results_seen_++), position};
                return {Action::Keep};
        }
        return {};
    }

    StreamPass pass_;
    const std::string& name_;
    TextStream& stream_;
    Handlers handlers_;

    std::vector<Frame> stack_;
    std::size_t skipped_ = 0;  // depth inside a value being read past
    std::optional<Dom> dom_;   // set while a value is being kept
    std::size_t depth_ = 0;    // depth inside it
    sarif_stream::Json kept_;
    bool keeping_result_ = false;
    std::string table_key_;
    ValuePlace place_;
    std::size_t runs_seen_ = 0;
    std::size_t current_run_ = 0;
    std::size_t results_seen_ = 0;
    ValuesSeen seen_ = ValuesSeen::None;
    std::string parse_error_;
    const string_t* last_string_ = nullptr;  // the string being read, while scalar() looks at it
};

}  // namespace gantry
