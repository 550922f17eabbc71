#include "check_syntax.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <optional>

#include "gantry/base/error.hpp"
#include "gantry/text/regex.hpp"
#include "gantry/checks/check_file.hpp"
#include "gantry/report/utf8_text.hpp"

namespace gantry::checks {

namespace detail {

const std::vector<std::string_view> kMethods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

bool is_method(std::string_view text) {
    return std::find(kMethods.begin(), kMethods.end(), text) != kMethods.end();
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool parse_int(std::string_view text, long long& value) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}

void apply_overrides(const CheckDefaults& defaults, RetryPolicy& retry) {
    if (defaults.attempts_override) retry.attempts = *defaults.attempts_override;
    if (defaults.retry_on_override) retry.retry_on = *defaults.retry_on_override;
    if (retry.consecutive > retry.attempts) retry.attempts = retry.consecutive;
}

std::shared_ptr<const Regex> compile_regex(const std::string& pattern) {
    return std::make_shared<const Regex>(pattern);
}

// Reports and JUnit must be valid UTF-8, and a mangled byte in a URL is a mistake worth pointing
// at: the first invalid sequence is an error with its line and column.
void require_utf8(std::string_view text, const std::string& file, bool inline_check) {
    int line = 1;
    int column = 1;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t start = pos;
        const char32_t code_point = decode_utf8(text, pos);
        if (code_point == kUnicodeReplacementCharacter && text.substr(start, 3) != "\xEF\xBF\xBD") {
            throw InputError(SourcePosition{.file = file, .line = line, .column = column},
                             inline_check ? "the check is not valid UTF-8" : "the check file is not valid UTF-8");
        }
        if (code_point == U'\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
}

std::vector<FailureKind> parse_failure_kinds(std::string_view name) {
    if (name == "refused") return {FailureKind::Refused};
    if (name == "dns") return {FailureKind::Dns};
    if (name == "timeout") return {FailureKind::Timeout};
    if (name == "5xx") return {FailureKind::ServerError};
    if (name == "assertion") return {FailureKind::Assertion};
    if (name == "tls") return {FailureKind::Tls};
    if (name == "all") {
        return {FailureKind::Refused, FailureKind::Dns, FailureKind::Timeout, FailureKind::ServerError,
                FailureKind::Assertion, FailureKind::Tls, FailureKind::Other};
    }
    throw gantry::ValueError("unknown failure '" + std::string(name) +
                                "' (expected refused, dns, timeout, 5xx, assertion, tls or all)");
}


std::string tcp_address(std::string_view text) {
    std::string_view rest = text;
    if (rest.starts_with("tcp://")) rest.remove_prefix(6);
    const auto colon = rest.rfind(':');
    long long port = 0;
    if (colon == std::string_view::npos || colon == 0 || !parse_int(rest.substr(colon + 1), port) || port < 1 || port > 65535) {
        throw gantry::ValueError("expected host:port (port 1-65535), found '" + std::string(text) + "'");
    }
    return std::string(rest);
}

}  // namespace detail

using detail::parse_int;

std::string StatusRange::describe() const {
    if (low == high) return std::to_string(low);
    if (low % 100 == 0 && high == low + 99) return std::to_string(low / 100) + "xx";
    return std::to_string(low) + "-" + std::to_string(high);
}

const char* to_string(FailureKind kind) {
    switch (kind) {
        case FailureKind::Refused: return "refused";
        case FailureKind::Dns: return "dns";
        case FailureKind::Timeout: return "timeout";
        case FailureKind::ServerError: return "5xx";
        case FailureKind::Assertion: return "assertion";
        case FailureKind::Tls: return "tls";
        case FailureKind::Other: return "other";
    }
    return "other";
}

std::set<FailureKind> parse_retry_on(const std::vector<std::string>& names) {
    std::set<FailureKind> kinds;
    for (const auto& name : names) {
        for (const FailureKind kind : detail::parse_failure_kinds(name)) kinds.insert(kind);
    }
    return kinds;
}

// k6's durations are Go's: "1h30m", "2m30s", "1.5s", "300ms"; a bare number is milliseconds here, as
// a bare latency is in k6's thresholds.
Milliseconds parse_duration(std::string_view text) {
    const auto fail = [&]() -> Milliseconds {
        throw gantry::ValueError("expected a duration such as 250ms, 2s, 1.5s, 1m30s or 1h (at most a week), found '" + std::string(text) + "'");
    };
    constexpr double kWeekMs = 86400000.0 * 7;
    // The number at the front of `rest`, taken off it; nullopt when there is none.
    const auto number = [](std::string_view& rest) -> std::optional<double> {
        double value = 0;
        const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value, std::chars_format::fixed);
        if (ec != std::errc() || !std::isfinite(value) || value < 0) return std::nullopt;
        rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
        return value;
    };
    std::string_view rest = text;
    double total = 0;
    if (const auto bare = number(rest); bare && rest.empty()) {
        total = *bare;
    } else {
        rest = text;
        while (!rest.empty()) {
            const auto value = number(rest);
            if (!value) return fail();
            double scale = 0;
            if (rest.starts_with("ms")) {
                scale = 1;
                rest.remove_prefix(2);
            } else if (rest.starts_with("s") || rest.starts_with("m") || rest.starts_with("h")) {
                scale = rest[0] == 's' ? 1000 : rest[0] == 'm' ? 60000 : 3600000;
                rest.remove_prefix(1);
            } else {
                return fail();
            }
            total += *value * scale;
            if (total > kWeekMs) return fail();
        }
    }
    if (text.empty() || total > kWeekMs) return fail();  // the bare number's bound; the units' is checked as they add up
    return Milliseconds(static_cast<long long>(std::llround(total)));
}

StatusRange parse_status_range(std::string_view text) {
    const auto fail = [&]() -> StatusRange {
        throw gantry::ValueError("expected a status such as 200, 2xx or 500-503, found '" + std::string(text) + "'");
    };
    long long low = 0;
    long long high = 0;
    if (text.size() == 3 && (text.ends_with("xx") || text.ends_with("XX")) && text[0] >= '1' && text[0] <= '5') {
        low = (text[0] - '0') * 100;
        return {static_cast<int>(low), static_cast<int>(low + 99)};
    }
    if (const auto dash = text.find('-'); dash != std::string_view::npos) {
        if (!parse_int(text.substr(0, dash), low) || !parse_int(text.substr(dash + 1), high)) return fail();
    } else {
        if (!parse_int(text, low)) return fail();
        high = low;
    }
    if (low < 100 || high > 599 || low > high) return fail();
    return {static_cast<int>(low), static_cast<int>(high)};
}

std::string resolve_url(std::string_view base, std::string_view url) {
    if (url.find("://") != std::string_view::npos) {
        if (!url.starts_with("http://") && !url.starts_with("https://")) {
            throw gantry::ValueError("only http:// and https:// URLs are checked, found '" + std::string(url) + "'");
        }
        return std::string(url);
    }
    if (base.empty()) {
        throw gantry::ValueError("'" + std::string(url) + "' is relative and no base URL is set (--base-url or base-url:)");
    }
    if (!base.starts_with("http://") && !base.starts_with("https://")) {
        throw gantry::ValueError("the base URL '" + std::string(base) + "' must start with http:// or https://");
    }
    std::string joined(base);
    while (joined.ends_with('/')) joined.pop_back();
    if (!url.starts_with('/')) joined += '/';
    joined += url;
    return joined;
}

void make_names_unique(std::vector<Check>& checks) {
    // The next suffix to try per name, so that thousands of same-named checks stay linear.
    std::map<std::string, int> next_suffix;
    std::set<std::string> used;
    for (const auto& check : checks) used.insert(check.name);
    for (auto& check : checks) {
        const auto [slot, first] = next_suffix.try_emplace(check.name, 2);
        if (first) continue;
        std::string candidate;
        do {
            candidate = check.name + " (" + std::to_string(slot->second++) + ")";
        } while (used.count(candidate));
        used.insert(candidate);
        check.name = candidate;
    }
}

}  // namespace gantry::checks
