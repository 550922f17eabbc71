// An immutable text that many findings hold at once: one copy, shared, where a std::string was one
// copy per finding.
//
// The findings of a report repeat a few texts over and over: the scanner's name and the report's path
// on every finding, a rule's title on every result of that rule, a file's path on every result in that
// file. A SharedText is a reference-counted pointer to one such text (16 bytes in a Finding instead
// of 32, and no heap copy per finding): copying it copies the pointer, and the text never changes
// (assigning, appending to or clearing it replaces the pointer: other holders keep the old text). It reads like a `const std::string&` (it converts to
// one and to a std::string_view, compares with text, and is written to JSON as its text), so code
// that only reads a finding's fields needs no change; code that builds a text in place (appending,
// reading a JSON string into it) builds a std::string and assigns it. The empty text holds nothing.
// The count is atomic (std::shared_ptr), so findings may be copied across threads.
#pragma once

#include <compare>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace gantry {

class SharedText {
public:
    SharedText() = default;
    SharedText(std::string text)  // NOLINT(google-explicit-constructor): reads and assigns like a string
        : text_(text.empty() ? nullptr : std::make_shared<const std::string>(std::move(text))) {}
    SharedText(std::string_view text) : SharedText(std::string(text)) {}  // NOLINT(google-explicit-constructor)
    SharedText(const char* text) : SharedText(std::string_view(text)) {}  // NOLINT(google-explicit-constructor)

    // Replace the text (other holders keep the old one).
    void clear() noexcept { text_.reset(); }
    SharedText& operator+=(std::string_view more) { return *this = std::string(view()).append(more); }

    const std::string& str() const noexcept { return text_ ? *text_ : empty_text(); }
    operator const std::string&() const noexcept { return str(); }  // NOLINT(google-explicit-constructor)
    operator std::string_view() const noexcept { return str(); }    // NOLINT(google-explicit-constructor)

    bool empty() const noexcept { return !text_; }  // an empty text is never held
    std::size_t size() const noexcept { return str().size(); }
    const char* data() const noexcept { return str().data(); }
    const char* c_str() const noexcept { return str().c_str(); }
    std::string_view view() const noexcept { return str(); }
    bool starts_with(std::string_view prefix) const noexcept { return view().starts_with(prefix); }
    bool ends_with(std::string_view suffix) const noexcept { return view().ends_with(suffix); }
    std::size_t find(std::string_view text, std::size_t from = 0) const noexcept { return view().find(text, from); }
    std::size_t find(char c, std::size_t from = 0) const noexcept { return view().find(c, from); }

    // Whether two texts are the same object: true means equal text without comparing it.
    bool shares_with(const SharedText& other) const noexcept { return text_ == other.text_; }

    friend bool operator==(const SharedText& a, const SharedText& b) noexcept {
        return a.text_ == b.text_ || a.view() == b.view();
    }
    friend bool operator==(const SharedText& a, std::string_view b) noexcept { return a.view() == b; }
    friend bool operator==(const SharedText& a, const std::string& b) noexcept { return a.view() == b; }
    friend bool operator==(const SharedText& a, const char* b) noexcept { return a.view() == b; }
    friend std::strong_ordering operator<=>(const SharedText& a, const SharedText& b) noexcept {
        return a.view() <=> b.view();
    }
    friend std::strong_ordering operator<=>(const SharedText& a, std::string_view b) noexcept { return a.view() <=> b; }

    friend std::string operator+(const SharedText& a, std::string_view b) { return std::string(a.view()).append(b); }
    friend std::string operator+(const SharedText& a, const char* b) { return std::string(a.view()).append(b); }
    friend std::string operator+(const SharedText& a, const std::string& b) { return std::string(a.view()).append(b); }
    friend std::string operator+(std::string_view a, const SharedText& b) { return std::string(a).append(b.view()); }
    friend std::string operator+(const char* a, const SharedText& b) { return std::string(a).append(b.view()); }
    friend std::string operator+(const std::string& a, const SharedText& b) { return std::string(a).append(b.view()); }
    friend std::string operator+(std::string&& a, const SharedText& b) { return std::move(a.append(b.view())); }

    friend std::ostream& operator<<(std::ostream& out, const SharedText& text) { return out << text.view(); }

private:
    static const std::string& empty_text() noexcept {
        static const std::string empty;
        return empty;
    }

    std::shared_ptr<const std::string> text_;
};

// nlohmann::json writes it as its text (found by argument-dependent lookup; no JSON header needed here).
template <typename Json>
void to_json(Json& json, const SharedText& text) {
    json = text.str();
}

}  // namespace gantry

template <>
struct std::hash<gantry::SharedText> {
    std::size_t operator()(const gantry::SharedText& text) const noexcept {
        return std::hash<std::string_view>{}(text.view());
    }
};
