// Minified JSON laid out as nlohmann's dump(2) lays it out, while it is being written.
//
// JsonIndentingOutput is a std::ostream that takes JSON text and writes it on to another stream
// indented by two spaces per level: one member or element per line, "key": value with one space,
// empty objects and arrays as {} and [], no newline at the end (write that to the sink after
// finish(), as dump(2) + "\n" would). Whitespace outside strings is dropped and every token is copied
// as it is, so the output equals nlohmann::json::parse(text).dump(2) exactly when the text is
// already in nlohmann's own minified form - its escapes, number forms and key order, which is what
// dump(-1) writes - and is the same layout of the same tokens otherwise. The text is not validated:
// it must be one well-formed JSON value (what the writer feeding it already guarantees). Memory is
// one fixed buffer whatever the size of the text. finish() hands the buffered bytes to the sink and
// must be called before the sink is closed (the destructor does not, so a failed write is not hidden).
#pragma once

#include <memory>
#include <ostream>

namespace gantry {

class JsonIndentingOutput : public std::ostream {
public:
    explicit JsonIndentingOutput(std::ostream& sink);
    ~JsonIndentingOutput() override;
    JsonIndentingOutput(const JsonIndentingOutput&) = delete;
    JsonIndentingOutput& operator=(const JsonIndentingOutput&) = delete;

    // Writes what is buffered to the sink and flushes it. Idempotent.
    void finish();

private:
    class Buffer;
    std::unique_ptr<Buffer> buffer_;
};

}  // namespace gantry
