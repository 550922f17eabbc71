// libFuzzer target for the HTTP/1.1 load client's reading of an answer (src/core/http/http1_answer.cpp:
// http-parser's framing, the kept body and headers). The first byte picks the body limit, whether
// headers are kept and whether the answer is to a HEAD request; the second how the rest is cut into
// reads; the end of the input is the server closing the connection. A malformed or cut answer is an
// expected outcome; a crash, a sanitizer report or a body kept beyond its limit is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "../../src/core/http/http1_answer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint8_t mode = data[0];
    const std::size_t piece = static_cast<std::size_t>(data[1] % 64) + 1;
    const std::size_t limits[] = {0, 1, 16, 4096};
    const std::size_t limit = limits[mode & 3];
    gantry::http::Http1Answer answer;
    answer.begin((mode & 4) ? gantry::http::AnswerBody::None : gantry::http::AnswerBody::Expected,
                 (mode & 8) ? gantry::http::ResponseHeaders::Keep : gantry::http::ResponseHeaders::Skip, limit);
    const char* text = reinterpret_cast<const char*>(data + 2);
    std::size_t left = size - 2;
    auto progress = gantry::http::Http1Answer::Progress::Incomplete;
    while (left > 0 && progress == gantry::http::Http1Answer::Progress::Incomplete) {
        const std::size_t now = left < piece ? left : piece;
        progress = answer.feed(text, now);
        text += now;
        left -= now;
    }
    if (progress == gantry::http::Http1Answer::Progress::Incomplete) progress = answer.feed(text, 0);
    if (answer.response.body.size() > limit) std::abort();
    if (!(mode & 8) && !answer.response.headers.empty()) std::abort();
    if (progress == gantry::http::Http1Answer::Progress::Malformed && answer.error().empty()) std::abort();
    return 0;
}
