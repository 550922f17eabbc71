// libFuzzer target for the streaming reader of large reports (Trivy, Grype, SARIF): the first byte
// picks the buffer size (1 to 256 bytes, so that values cross its boundaries), the rest is the report.
// Besides crashes, it checks the streaming reader against the whole-document reader: a report the
// stream reads must be read whole too, to the same findings (read_report() trusts the stream then);
// a report the stream rejects is read again whole by read_report(), so only the other way is a bug.
// The stream is run both as tests run it (lines counted) and as read_report() streams a file (not
// counted): the two must accept the same texts and read the same findings.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"

namespace {

bool same(const gantry::Report& a, const gantry::Report& b) {
    if (a.findings.size() != b.findings.size() || a.scanner != b.scanner || a.warnings != b.warnings ||
        a.suppressed != b.suppressed) {
        return false;
    }
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
        const gantry::Finding& x = a.findings[i];
        const gantry::Finding& y = b.findings[i];
        if (x.id != y.id || x.package != y.package || x.severity != y.severity || x.target != y.target ||
            x.title != y.title || x.message != y.message || x.sarif_identity != y.sarif_identity) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t buffer_size = std::size_t{data[0]} + 1;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    std::optional<gantry::Report> streamed;
    try {
        streamed = gantry::read_report_streamed_text(text, "fuzz.json", buffer_size);
    } catch (const gantry::Error&) {
        return 0;  // rejected: read_report() reads it again whole
    }
    std::optional<gantry::Report> uncounted;
    try {
        uncounted = gantry::read_report_streamed_text(text, "fuzz.json", buffer_size, gantry::LinePositions::Uncounted);
    } catch (const gantry::Error&) {
        std::abort();  // counting lines or not must not change what the stream accepts
    }
    if (streamed.has_value() != uncounted.has_value() || (streamed && !same(*streamed, *uncounted))) std::abort();
    if (!streamed) return 0;
    try {
        const gantry::Report whole = gantry::read_report_text(text, "fuzz.json");
        if (!same(*streamed, whole)) std::abort();
    } catch (const gantry::Error&) {
        std::abort();  // the stream accepted what the whole-document reader rejects
    }
    return 0;
}
