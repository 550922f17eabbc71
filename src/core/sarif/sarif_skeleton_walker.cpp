#include "sarif_skeleton_walker.hpp"

#include <utility>

namespace gantry {

void SarifSkeletonWalker::walk() {
    if (!parse_json_text(stream_, *this)) throw_json_text_error(stream_, name_, parse_error_, seen_, "a SARIF log (JSON)");
}

SkeletonDecision SarifSkeletonWalker::decide(Type type, std::size_t offset, std::string_view text) {
    SkeletonFrame* parent = stack_.empty() ? nullptr : &stack_.back();
    const SkeletonDecision decision = visitor_.begin({type, offset, stream_.position_of(offset), text}, parent);
    // Counted after the visitor has read the value's index from it.
    if (parent && parent->type == Type::array) ++parent->elements;
    return decision;
}

template <class Event>
bool SarifSkeletonWalker::open(Type type, Event&& event) {
    seen_ = ValuesSeen::Some;
    if (inside_ != Inside::Skeleton) {
        ++depth_;
        return inside_ == Inside::Kept ? event(*dom_) : true;
    }
    const std::size_t offset = stream_.consumed() - 1;  // the { or [ just read
    const SkeletonDecision decision = decide(type, offset);
    switch (decision.action) {
        case SkeletonAction::Enter: {
            const std::size_t run =
                decision.role == SkeletonRole::Run ? decision.run : stack_.empty() ? 0 : stack_.back().run;
            stack_.push_back({decision.role, type, run, {}, 0});
            return true;
        }
        case SkeletonAction::Keep:
            kept_ = nlohmann::json();
            dom_.emplace(kept_, true);
            inside_ = Inside::Kept;
            depth_ = 1;
            return event(*dom_);
        case SkeletonAction::Copy:
            stream_.start_capture(type == Type::object ? '{' : '[');
            inside_ = Inside::Copied;
            depth_ = 1;
            return true;
        case SkeletonAction::Skip:
            inside_ = Inside::Skipped;
            depth_ = 1;
            return true;
    }
    return true;
}

template <class Event>
bool SarifSkeletonWalker::close(Event&& event) {
    switch (inside_) {
        case Inside::Kept: {
            const bool ok = event(*dom_);
            if (--depth_ == 0) {
                dom_.reset();
                inside_ = Inside::Skeleton;
                visitor_.kept(std::move(kept_));
            }
            return ok;
        }
        case Inside::Copied:
            if (--depth_ == 0) {
                inside_ = Inside::Skeleton;
                visitor_.copied(stream_.stop_capture(), stack_.back());
            }
            return true;
        case Inside::Skipped:
            if (--depth_ == 0) inside_ = Inside::Skeleton;
            return true;
        case Inside::Skeleton: break;
    }
    const SkeletonFrame frame = std::move(stack_.back());
    stack_.pop_back();
    visitor_.ended(frame);
    return true;
}

template <class Event>
bool SarifSkeletonWalker::scalar(Type type, std::size_t length, Event&& event, std::string_view text) {
    seen_ = ValuesSeen::Some;
    if (inside_ == Inside::Kept) return event(*dom_);
    if (inside_ != Inside::Skeleton) return true;
    const std::size_t consumed = stream_.consumed();
    const SkeletonDecision decision = decide(type, consumed >= length ? consumed - length : 0, text);
    if (decision.action != SkeletonAction::Keep) return true;
    kept_ = nlohmann::json();
    dom_.emplace(kept_, true);
    const bool ok = event(*dom_);
    dom_.reset();
    visitor_.kept(std::move(kept_));
    return ok;
}

bool SarifSkeletonWalker::null() { return scalar(Type::null, 4, [](Dom& dom) { return dom.null(); }); }

bool SarifSkeletonWalker::boolean(bool value) {
    return scalar(Type::boolean, value ? 4 : 5, [&](Dom& dom) { return dom.boolean(value); });
}

// A number is known to have ended only once the byte after it is read.
bool SarifSkeletonWalker::number_integer(number_integer_t value) {
    return scalar(Type::number, 2, [&](Dom& dom) { return dom.number_integer(value); });
}

bool SarifSkeletonWalker::number_unsigned(number_unsigned_t value) {
    return scalar(Type::number, 2, [&](Dom& dom) { return dom.number_unsigned(value); });
}

bool SarifSkeletonWalker::number_float(number_float_t value, const string_t& text) {
    return scalar(Type::number, 2, [&](Dom& dom) { return dom.number_float(value, text); });
}

bool SarifSkeletonWalker::string(string_t& text) {
    return scalar(Type::string, text.size() + 2, [&](Dom& dom) { return dom.string(text); }, text);
}

bool SarifSkeletonWalker::start_object(std::size_t size) {
    return open(Type::object, [&](Dom& dom) { return dom.start_object(size); });
}

bool SarifSkeletonWalker::start_array(std::size_t size) {
    return open(Type::array, [&](Dom& dom) { return dom.start_array(size); });
}

bool SarifSkeletonWalker::end_object() {
    return close([](Dom& dom) { return dom.end_object(); });
}

bool SarifSkeletonWalker::end_array() {
    return close([](Dom& dom) { return dom.end_array(); });
}

bool SarifSkeletonWalker::key(string_t& key) {
    if (inside_ == Inside::Kept) return dom_->key(key);
    if (inside_ == Inside::Skeleton) stack_.back().key = key;
    return true;
}

bool SarifSkeletonWalker::parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) {
    parse_error_ = error.what();
    return false;
}

}  // namespace gantry
