// The skeleton of a SARIF log walked once with nlohmann's SAX parser: events in, decisions out.
//
// sarif-merge and `sarif-merge validate` both read a log of any size the same way: follow only its
// skeleton (the root, runs, each run's members, the elements of a few arrays) and, for each value
// that starts there, decide what to do with it - enter it (it is skeleton too), keep it (a JSON tree
// built straight from the parser's events), copy it (its raw text, for a closer look with simdjson),
// or skip it (read past, nothing held). SarifSkeletonWalker owns the part both share: the stack of
// skeleton frames, the depth inside a value being kept, copied or skipped, and where each value
// starts (byte offset and line:column - a number or a scalar is known to have ended only once the
// byte after it is read). A SkeletonVisitor owns the decisions and what they mean. The walker holds
// nothing but the frames and the value being kept or copied; text that is not JSON throws the
// InputError of throw_json_text_error() ("a SARIF log (JSON)").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gantry/base/text_position.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/json/json_text_stream.hpp"

namespace gantry {

// What a skeleton frame is; which roles a visitor uses is up to it.
enum class SkeletonRole { Root, Runs, Run, Artifacts, Results };

enum class SkeletonAction {
    Enter,  // an object or array of the skeleton: its members are decided on one by one
    Keep,   // a JSON tree of the value, handed to SkeletonVisitor::kept()
    Copy,   // the value's text, handed to SkeletonVisitor::copied(); objects and arrays only (a scalar is skipped)
    Skip,   // read past
};

struct SkeletonDecision {
    SkeletonAction action = SkeletonAction::Skip;
    SkeletonRole role = SkeletonRole::Root;  // Enter: the frame's role
    std::size_t run = 0;                     // Enter with role Run: the run's index (other frames take their parent's)
};

struct SkeletonFrame {
    SkeletonRole role = SkeletonRole::Root;
    JsonCursor::Type type = JsonCursor::Type::object;  // object or array
    std::size_t run = 0;
    std::string key;           // objects: the member being read
    std::size_t elements = 0;  // arrays: elements begun so far
};

// A value that starts inside the skeleton (or the root).
struct SkeletonValue {
    JsonCursor::Type type = JsonCursor::Type::null;
    std::size_t offset = 0;   // of its first byte
    LineColumn position;      // of its first byte
    std::string_view text;    // strings: the decoded text
};

class SkeletonVisitor {
public:
    virtual ~SkeletonVisitor() = default;
    // `parent` is null for the root; in an array, parent->elements is the value's index.
    virtual SkeletonDecision begin(const SkeletonValue& value, SkeletonFrame* parent) = 0;
    virtual void kept(nlohmann::json value) { (void)value; }
    // `text` lives until the next event; `parent` is the frame the value was a member of.
    virtual void copied(const std::string& text, const SkeletonFrame& parent) {
        (void)text;
        (void)parent;
    }
    // A frame that was entered has ended.
    virtual void ended(const SkeletonFrame& frame) { (void)frame; }
};

class SarifSkeletonWalker final : public nlohmann::json_sax<nlohmann::json> {
public:
    SarifSkeletonWalker(const std::string& name, TextStream& stream, SkeletonVisitor& visitor)
        : name_(name), stream_(stream), visitor_(visitor) {}

    // The whole stream; throws InputError when it is not one JSON value.
    void walk();

    bool null() override;
    bool boolean(bool value) override;
    bool number_integer(number_integer_t value) override;
    bool number_unsigned(number_unsigned_t value) override;
    bool number_float(number_float_t value, const string_t& text) override;
    bool string(string_t& text) override;
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t size) override;
    bool start_array(std::size_t size) override;
    bool end_object() override;
    bool end_array() override;
    bool key(string_t& key) override;
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) override;

private:
    using Type = JsonCursor::Type;
    // nlohmann's own tree builder, fed the events of a value being kept.
    using Dom = nlohmann::detail::json_sax_dom_parser<nlohmann::json>;
    enum class Inside { Skeleton, Kept, Copied, Skipped };

    SkeletonDecision decide(Type type, std::size_t offset, std::string_view text = {});
    template <class Event>
    bool open(Type type, Event&& event);
    template <class Event>
    bool close(Event&& event);
    template <class Event>
    bool scalar(Type type, std::size_t length, Event&& event, std::string_view text = {});

    const std::string& name_;
    TextStream& stream_;
    SkeletonVisitor& visitor_;

    std::vector<SkeletonFrame> stack_;
    Inside inside_ = Inside::Skeleton;
    std::size_t depth_ = 0;  // inside a value being kept, copied or skipped
    nlohmann::json kept_;
    std::optional<Dom> dom_;  // set while a value is being kept
    ValuesSeen seen_ = ValuesSeen::None;
    std::string parse_error_;
};

}  // namespace gantry
