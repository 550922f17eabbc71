#include "gantry/json/json_document.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/byte_order_mark.hpp"
#include "gantry/base/error.hpp"
#include "gantry/base/gzip.hpp"
#include "gantry/base/text_position.hpp"

namespace gantry {
namespace {

std::string reason_for(simdjson::error_code error) {
    switch (error) {
    case simdjson::TAPE_ERROR:
        return "invalid JSON: a comma, colon, bracket or brace is missing or out of place";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
        return "invalid JSON: the text ends before every object and array is closed (is the file truncated?)";
    case simdjson::NUMBER_ERROR:
        return "invalid JSON: malformed number";
    case simdjson::STRING_ERROR:
        return "invalid JSON: malformed string (bad escape sequence or unescaped control character)";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
        return "invalid JSON: expected true, false or null";
    case simdjson::UTF8_ERROR:
        return "invalid JSON: the text is not valid UTF-8";
    case simdjson::UNCLOSED_STRING:
        return "invalid JSON: a string is never closed (is the file truncated?)";
    case simdjson::EMPTY:
        return "the file is empty; expected a JSON report";
    case simdjson::CAPACITY:
        return "the file is too large to read (4 GiB at most)";
    case simdjson::DEPTH_ERROR:
        return "invalid JSON: nested too deeply";
    case simdjson::TRAILING_CONTENT:
        return "invalid JSON: unexpected content after the end of the document";
    case simdjson::MEMALLOC:
        return "not enough memory to read the file";
    default:
        return fmt::format("invalid JSON: {}", simdjson::error_message(error));
    }
}

// Accepts every event: used only to learn where nlohmann's parser first fails, for the errors simdjson
// reports before it has a position (invalid UTF-8, an unclosed string).
class ErrorLocator final : public nlohmann::json_sax<nlohmann::json> {
public:
    std::optional<std::size_t> error_offset;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
        // `position` counts the characters read, the offending one included.
        error_offset = position > 0 ? position - 1 : 0;
        return false;
    }
};

std::optional<std::size_t> locate_first_syntax_error(std::string_view text) {
    ErrorLocator locator;
    try {
        nlohmann::json::sax_parse(text.begin(), text.end(), &locator);
    } catch (const nlohmann::json::exception&) {
        // sax_parse reports through parse_error(); anything else leaves the position unknown.
    }
    return locator.error_offset;
}

}  // namespace

JsonDocument::JsonDocument(std::string name, simdjson::padded_string text)
    : name_(std::move(name)), text_(std::move(text)), whole_(text_.data(), text_.size()) {
    start_iterating();
}

JsonDocument::JsonDocument(const std::filesystem::path& path) : name_(path.string()) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        throw InputError(SourcePosition{name_}, "cannot read: it is a directory, not a report file");
    }
    file_ = PaddedFile::read(path, name_);
    if (is_gzip(file_.text())) {
        // report.sarif.gz: read as the JSON it holds; the size cap turns a zip bomb into bad input.
        text_ = simdjson::padded_string(gunzip(file_.text(), name_));
        file_ = PaddedFile();
        whole_ = {text_.data(), text_.size()};
    } else {
        whole_ = file_.text();
    }
    start_iterating();
}

JsonDocument::JsonDocument(std::string name, Fragments) : name_(std::move(name)) {}

simdjson::ondemand::value JsonDocument::fragment(std::string_view value, const TextOrigin& origin) {
    // Wrapped in brackets: simdjson hands out a scalar document only as a scalar, an element as a value.
    const std::size_t length = value.size() + 2;
    if (fragment_.size() < length + simdjson::SIMDJSON_PADDING) {
        fragment_.resize(length + simdjson::SIMDJSON_PADDING);
    }
    fragment_[0] = '[';
    std::memcpy(fragment_.data() + 1, value.data(), value.size());
    fragment_[length - 1] = ']';
    std::memset(fragment_.data() + length, 0, simdjson::SIMDJSON_PADDING);
    whole_ = std::string_view(fragment_.data(), length);
    origin_ = origin;
    start_iterating();
    simdjson::ondemand::array array;
    if (const auto error = document_.get_array().get(array)) {
        fail_syntax(error);
    }
    simdjson::ondemand::array_iterator element;
    if (const auto error = array.begin().get(element)) {
        fail_syntax(error);
    }
    simdjson::ondemand::value result;
    if (const auto error = (*element).get(result)) {
        fail_syntax(error);
    }
    return result;
}

LineColumn JsonDocument::position_of(std::size_t offset) const {
    const LineColumn local = line_column_at(text(), offset);
    if (!origin_) {
        return local;
    }
    if (origin_->line == 0) {
        return LineColumn{0, 0};  // a stream that does not count lines: no position to name
    }
    // Column 1 of the fragment's first line is the added '['; column 2 is the value's first byte.
    if (local.line == 1) {
        return LineColumn{origin_->line, origin_->column + std::max(local.column - 2, 0)};
    }
    return LineColumn{origin_->line + local.line - 1, local.column};
}

void JsonDocument::start_iterating() {
    start_ = origin_ ? 0 : utf8_byte_order_mark_length(whole_);
    const std::size_t length = whole_.size() - start_;
    // The view keeps the padding simdjson reads past the end: both owners have it after the last byte.
    const simdjson::padded_string_view view(whole_.data() + start_, length, length + simdjson::SIMDJSON_PADDING);
    const simdjson::error_code error = parser_.iterate(view).get(document_);
    if (!error) {
        return;
    }
    if (error == simdjson::EMPTY || error == simdjson::CAPACITY || error == simdjson::MEMALLOC) {
        throw InputError(SourcePosition{name_}, reason_for(error));
    }
    // simdjson found the problem while indexing, before it has a position to report.
    if (const auto offset = locate_first_syntax_error(text())) {
        fail_at_offset(*offset, reason_at(*offset, error));
    }
    throw InputError(SourcePosition{name_}, reason_for(error));
}

simdjson::ondemand::object JsonDocument::root_object() {
    simdjson::ondemand::json_type type;
    if (const auto error = document_.type().get(type)) {
        fail_syntax(error);
    }
    if (type != simdjson::ondemand::json_type::object) {
        std::string found;
        switch (type) {
        case simdjson::ondemand::json_type::array: found = "an array"; break;
        case simdjson::ondemand::json_type::string: found = "a string"; break;
        case simdjson::ondemand::json_type::number: found = "a number"; break;
        case simdjson::ondemand::json_type::boolean: found = "a boolean"; break;
        default: found = "null"; break;
        }
        // Trivy before 0.20 (SchemaVersion 1) wrote a bare array of results: say so rather than just "no".
        const std::string_view hint = type == simdjson::ondemand::json_type::array
                                          ? " (Trivy before 0.20 wrote an array; re-run with a newer Trivy)"
                                          : "";
        throw InputError(SourcePosition{name_},
                         fmt::format("expected a JSON object at the top level (a security report), found {}{}", found,
                                     hint));
    }
    simdjson::ondemand::object object;
    if (const auto error = document_.get_object().get(object)) {
        fail_syntax(error);
    }
    return object;
}

void JsonDocument::rewind() { document_.rewind(); }

void JsonDocument::expect_end() {
    // Past the last token simdjson reports no current location; a location means something follows.
    const char* location = nullptr;
    if (document_.current_location().get(location) == simdjson::SUCCESS) {
        fail_syntax(simdjson::TRAILING_CONTENT);
    }
}

std::size_t JsonDocument::current_offset() {
    const char* location = nullptr;
    const std::string_view text = this->text();
    if (document_.current_location().get(location) == simdjson::SUCCESS && location >= text.data() &&
        location <= text.data() + text.size()) {
        return static_cast<std::size_t>(location - text.data());
    }
    // simdjson says "out of bounds" once it has run past the last token: the text ended too early.
    return text.size();
}

void JsonDocument::fail_syntax(simdjson::error_code error) {
    // simdjson notices a missing bracket only when it has run out of tokens, and then points at the
    // start; the first place a strict parser gives up is where the text is cut or a bracket mismatched.
    if (error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
        const std::size_t offset = locate_first_syntax_error(text()).value_or(text().size());
        fail_at_offset(offset, reason_at(offset, error));
    }
    const std::size_t offset = current_offset();
    // Having run past the last token means the document stopped early, whatever simdjson expected next.
    fail_at_offset(offset, reason_for(offset >= text().find_last_not_of(" \t\r\n") + 1 && error == simdjson::TAPE_ERROR
                                          ? simdjson::INCOMPLETE_ARRAY_OR_OBJECT
                                          : error));
}

std::string JsonDocument::reason_at(std::size_t offset, simdjson::error_code error) const {
    // simdjson's "unclosed string" and "incomplete" also describe stray text in the middle of a file
    // (a lone quote in garbage, words after the document); only at the end do they mean truncation.
    const bool at_end = offset >= text().find_last_not_of(" \t\r\n") + 1;
    if (!at_end && (error == simdjson::UNCLOSED_STRING || error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT)) {
        return "invalid JSON: unexpected text here (expected a value, a comma, a colon or a closing bracket)";
    }
    return reason_for(error);
}

void JsonDocument::fail_at(const std::string& json_pointer, const std::string& reason) {
    // The value in question has not been consumed yet, so the current token is where it starts.
    const LineColumn position = position_of(current_offset());
    throw InputError(SourcePosition{name_, position.line, position.column, json_pointer}, reason);
}

void JsonDocument::fail_at_offset(std::size_t offset, const std::string& reason) const {
    const LineColumn position = position_of(offset);
    throw InputError(SourcePosition{name_, position.line, position.column, ""}, reason);
}

}  // namespace gantry
