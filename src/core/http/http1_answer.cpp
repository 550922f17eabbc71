#include "http1_answer.hpp"

#include <algorithm>
#include <cctype>

namespace gantry::http {

namespace {

std::string answer_lowercase(const char* data, std::size_t length) {
    std::string text(data, length);
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

void answer_trim(std::string& text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
    std::size_t start = 0;
    while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) ++start;
    text.erase(0, start);
}

bool answer_is_interim(const http_parser* parser) { return parser->status_code / 100 == 1 && parser->status_code != 101; }

}  // namespace

const http_parser_settings& Http1Answer::settings(ResponseHeaders headers) {
    static const auto make = [](ResponseHeaders kept) {
        http_parser_settings made{};
        http_parser_settings_init(&made);
        if (kept == ResponseHeaders::Keep) {
            made.on_header_field = &Http1Answer::on_header_field;
            made.on_header_value = &Http1Answer::on_header_value;
        }
        made.on_headers_complete = &Http1Answer::on_headers_complete;
        made.on_body = &Http1Answer::on_body;
        made.on_message_complete = &Http1Answer::on_message_complete;
        return made;
    };
    static const http_parser_settings keep = make(ResponseHeaders::Keep);
    static const http_parser_settings skip = make(ResponseHeaders::Skip);
    return headers == ResponseHeaders::Keep ? keep : skip;
}

void Http1Answer::begin(AnswerBody body, ResponseHeaders headers, std::size_t body_limit) {
    http_parser_init(&parser_, HTTP_RESPONSE);
    settings_ = &settings(headers);
    body_limit_ = body_limit;
    bytes_received_ = 0;
    no_body_ = body == AnswerBody::None;
    keep_headers_ = headers == ResponseHeaders::Keep;
    headers_done_ = false;
    header_value_last_ = false;
    complete_ = false;
    keep_alive_ = false;
    trailing_bytes_ = false;
}

Http1Answer::Progress Http1Answer::feed(const char* data, std::size_t size) {
    parser_.data = this;
    bytes_received_ += size;
    const std::size_t parsed = http_parser_execute(&parser_, settings_, data, size);
    if (complete_) {
        trailing_bytes_ = parsed != size;
        return Progress::Complete;
    }
    if (HTTP_PARSER_ERRNO(&parser_) != HPE_OK) return Progress::Malformed;
    return Progress::Incomplete;
}

std::string Http1Answer::error() const {
    return std::string("Weird server reply: ") + http_errno_description(static_cast<http_errno>(HTTP_PARSER_ERRNO(&parser_)));
}

int Http1Answer::on_header_field(http_parser* parser, const char* at, std::size_t length) {
    auto& answer = *static_cast<Http1Answer*>(parser->data);
    if (!answer.keep_headers_ || answer.headers_done_) return 0;  // trailers are not kept
    auto& headers = answer.response.headers;
    if (headers.empty() || answer.header_value_last_) {
        headers.emplace_back(answer_lowercase(at, length), std::string());
    } else {
        headers.back().first += answer_lowercase(at, length);  // a name split between two reads
    }
    answer.header_value_last_ = false;
    return 0;
}

int Http1Answer::on_header_value(http_parser* parser, const char* at, std::size_t length) {
    auto& answer = *static_cast<Http1Answer*>(parser->data);
    if (!answer.keep_headers_ || answer.headers_done_ || answer.response.headers.empty()) return 0;
    answer.response.headers.back().second.append(at, length);
    answer.header_value_last_ = true;
    return 0;
}

int Http1Answer::on_headers_complete(http_parser* parser) {
    auto& answer = *static_cast<Http1Answer*>(parser->data);
    for (auto& header : answer.response.headers) answer_trim(header.second);
    answer.header_value_last_ = false;
    if (answer_is_interim(parser)) {
        answer.response.headers.clear();  // the final answer's headers replace an interim one's
        return 0;
    }
    answer.headers_done_ = true;
    return answer.no_body_ ? 1 : 0;  // 1: no body follows, whatever the headers say
}

int Http1Answer::on_body(http_parser* parser, const char* at, std::size_t length) {
    auto& answer = *static_cast<Http1Answer*>(parser->data);
    std::string& body = answer.response.body;
    const std::size_t room = answer.body_limit_ > body.size() ? answer.body_limit_ - body.size() : 0;
    body.append(at, std::min(room, length));
    if (length > room) answer.response.body_truncated = true;
    return 0;
}

int Http1Answer::on_message_complete(http_parser* parser) {
    auto& answer = *static_cast<Http1Answer*>(parser->data);
    if (answer_is_interim(parser)) return 0;  // 100 Continue and the like: the final answer follows
    answer.complete_ = true;
    answer.keep_alive_ = http_should_keep_alive(parser) != 0;
    answer.response.status = static_cast<long>(parser->status_code);
    answer.response.http_version = parser->http_major == 1 && parser->http_minor == 0 ? "1.0" : "1.1";
    // Stop here: bytes after the answer (a server that was not asked to pipeline) are not read.
    http_parser_pause(parser, 1);
    return 0;
}

}  // namespace gantry::http
