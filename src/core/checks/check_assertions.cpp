#include "gantry/checks/check_assertions.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/text/regex.hpp"

namespace gantry::checks {

namespace {

std::string ms_text(std::int64_t microseconds) {
    return fmt::format("{} ms", (microseconds + 500) / 1000);
}

std::string quote_text(std::string_view text, std::size_t limit = 80) {
    std::string shown(text.substr(0, limit));
    if (text.size() > limit) shown += "...";
    return nlohmann::json(shown).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct RegexVerdict {
    bool matched = false;
    std::string gave_up;  // why the matcher stopped before it could tell (a PCRE2 limit), else empty
};

// The whole text is searched: PCRE2 keeps its backtracking off the machine stack and within limits.
RegexVerdict regex_search(const std::shared_ptr<const Regex>& compiled, const std::string& pattern, std::string_view text) {
    try {
        // The check readers compile every pattern once; only an assertion built by hand arrives without.
        if (compiled) return {compiled->search(text), {}};
        return {Regex(pattern).search(text), {}};
    } catch (const InputError& e) {  // RegexMatchError, or RegexSyntaxError for a hand-built pattern
        return {false, e.what()};
    }
}

bool type_matches(const nlohmann::json& value, const std::string& type) {
    if (type == "string") return value.is_string();
    if (type == "number") return value.is_number();
    if (type == "integer") return value.is_number_integer() || (value.is_number_float() && value.get<double>() == static_cast<double>(static_cast<long long>(value.get<double>())));
    if (type == "boolean") return value.is_boolean();
    if (type == "array") return value.is_array();
    if (type == "object") return value.is_object();
    if (type == "null") return value.is_null();
    return false;
}

std::string type_name(const nlohmann::json& value) {
    if (value.is_number()) return "number";
    return value.type_name();
}

// Numbers compare by value (1 == 1.0); the rest structurally.
bool json_equal(const nlohmann::json& a, const nlohmann::json& b) {
    if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
    return a == b;
}

std::optional<std::string> check_json(const JsonAssertion& assertion, const nlohmann::json& document) {
    const nlohmann::json::json_pointer pointer(assertion.pointer);
    const bool present = document.contains(pointer);
    const std::string where = "json " + (assertion.pointer.empty() ? std::string("(root)") : assertion.pointer);
    if (assertion.op == JsonOperator::Absent) {
        if (present) return where + ": expected no value, found " + quote_text(document.at(pointer).dump());
        return std::nullopt;
    }
    if (!present) return where + ": no such value";
    const nlohmann::json& value = document.at(pointer);
    const auto shown = [&] { return value.is_string() ? quote_text(value.get<std::string>()) : quote_text(value.dump()); };
    switch (assertion.op) {
        case JsonOperator::Exists: return std::nullopt;
        case JsonOperator::Equals: {
            const auto expected = nlohmann::json::parse(assertion.expected_json);
            if (!json_equal(value, expected)) return where + ": expected " + expected.dump() + ", found " + value.dump().substr(0, 80);
            return std::nullopt;
        }
        case JsonOperator::NotEquals: {
            const auto expected = nlohmann::json::parse(assertion.expected_json);
            if (json_equal(value, expected)) return where + ": expected anything but " + expected.dump();
            return std::nullopt;
        }
        case JsonOperator::Type:
            if (!type_matches(value, assertion.expected_json)) {
                return where + ": expected " + assertion.expected_json + ", found " + type_name(value);
            }
            return std::nullopt;
        case JsonOperator::Contains: {
            const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
            if (text.find(assertion.expected_json) == std::string::npos) {
                return where + ": expected to contain " + quote_text(assertion.expected_json) + ", found " + shown();
            }
            return std::nullopt;
        }
        default: break;
    }
    const double limit = nlohmann::json::parse(assertion.expected_json).get<double>();
    if (!value.is_number()) return where + ": expected a number, found " + type_name(value) + " " + shown();
    const double number = value.get<double>();
    const char* symbol = "";
    bool ok = false;
    switch (assertion.op) {
        case JsonOperator::Less: symbol = "<"; ok = number < limit; break;
        case JsonOperator::LessOrEqual: symbol = "<="; ok = number <= limit; break;
        case JsonOperator::Greater: symbol = ">"; ok = number > limit; break;
        case JsonOperator::GreaterOrEqual: symbol = ">="; ok = number >= limit; break;
        default: break;
    }
    if (ok) return std::nullopt;
    return fmt::format("{}: expected {} {}, found {}", where, symbol, nlohmann::json(limit).dump(), value.dump());
}

int tls_rank(std::string_view version) {
    // "TLSv1.3" from OpenSSL, "1.3" from a check.
    if (version.starts_with("TLSv")) version.remove_prefix(4);
    if (version == "1") return 10;
    if (version == "1.0") return 10;
    if (version == "1.1") return 11;
    if (version == "1.2") return 12;
    if (version == "1.3") return 13;
    return 0;
}

FailureKind transport_kind(http::TransportFailure failure) {
    switch (failure) {
        case http::TransportFailure::Dns: return FailureKind::Dns;
        case http::TransportFailure::Refused: return FailureKind::Refused;
        case http::TransportFailure::Timeout: return FailureKind::Timeout;
        case http::TransportFailure::Tls:
        case http::TransportFailure::Certificate: return FailureKind::Tls;
        default: return FailureKind::Other;
    }
}

}  // namespace

AttemptVerdict evaluate_attempt(const Check& check, const http::HttpResponse& response) {
    AttemptVerdict verdict;
    const auto fail = [&](FailureKind kind, std::string message) {
        if (verdict.passed) verdict.failure = kind;
        verdict.passed = false;
        verdict.failures.push_back(std::move(message));
    };
    if (response.failure != http::TransportFailure::None) {
        std::string message = response.failure == http::TransportFailure::Timeout
                                  ? fmt::format("timed out after {}: {}", ms_text(response.timings.total_us), response.transport_error)
                                  : response.transport_error;
        fail(transport_kind(response.failure), std::move(message));
        return verdict;
    }
    const http::Timings& t = response.timings;
    if (check.kind == CheckKind::Http) {
        const bool status_ok = std::any_of(check.statuses.begin(), check.statuses.end(),
                                           [&](const StatusRange& r) { return r.contains(response.status); });
        if (!status_ok) {
            std::string expected;
            for (const auto& range : check.statuses) expected += (expected.empty() ? "" : ", ") + range.describe();
            const FailureKind kind = (response.status >= 500 || response.status == 429) ? FailureKind::ServerError : FailureKind::Assertion;
            fail(kind, fmt::format("status {}, expected {}", response.status, expected));
        }
        for (const auto& assertion : check.headers) {
            const auto value = response.header(assertion.name);
            switch (assertion.match) {
                case TextMatch::Exists:
                    if (!value) fail(FailureKind::Assertion, "header " + assertion.name + ": missing");
                    break;
                case TextMatch::Absent:
                    if (value) fail(FailureKind::Assertion, "header " + assertion.name + ": expected absent, found " + quote_text(*value));
                    break;
                case TextMatch::Equals:
                    if (!value || *value != assertion.value) {
                        fail(FailureKind::Assertion, "header " + assertion.name + ": expected " + quote_text(assertion.value) +
                                                         ", found " + (value ? quote_text(*value) : "nothing"));
                    }
                    break;
                case TextMatch::Contains:
                    if (!value || value->find(assertion.value) == std::string::npos) {
                        fail(FailureKind::Assertion, "header " + assertion.name + ": expected to contain " + quote_text(assertion.value) +
                                                         ", found " + (value ? quote_text(*value) : "nothing"));
                    }
                    break;
                case TextMatch::Regex: {
                    const RegexVerdict verdict = value ? regex_search(assertion.regex, assertion.value, *value) : RegexVerdict{};
                    if (!verdict.gave_up.empty()) {
                        fail(FailureKind::Assertion, "header " + assertion.name + ": /" + assertion.value + "/: " + verdict.gave_up);
                    } else if (!verdict.matched) {
                        fail(FailureKind::Assertion, "header " + assertion.name + ": expected to match /" + assertion.value +
                                                         "/, found " + (value ? quote_text(*value) : "nothing"));
                    }
                    break;
                }
            }
        }
        for (const auto& assertion : check.body) {
            switch (assertion.match) {
                case BodyMatch::Contains:
                    if (response.body.find(assertion.value) == std::string::npos) {
                        fail(FailureKind::Assertion, "body: does not contain " + quote_text(assertion.value));
                    }
                    break;
                case BodyMatch::NotContains:
                    if (response.body.find(assertion.value) != std::string::npos) {
                        fail(FailureKind::Assertion, "body: contains " + quote_text(assertion.value));
                    }
                    break;
                case BodyMatch::Regex: {
                    const RegexVerdict verdict = regex_search(assertion.regex, assertion.value, response.body);
                    if (!verdict.gave_up.empty()) {
                        fail(FailureKind::Assertion, "body: /" + assertion.value + "/: " + verdict.gave_up);
                    } else if (!verdict.matched) {
                        fail(FailureKind::Assertion, "body: does not match /" + assertion.value + "/");
                    }
                    break;
                }
            }
        }
        if (!check.json.empty()) {
            const auto document = nlohmann::json::parse(response.body, nullptr, false);
            if (document.is_discarded()) {
                fail(FailureKind::Assertion, "body is not JSON" + std::string(response.body_truncated ? " (cut at the size limit)" : "") +
                                                 ": " + quote_text(response.body, 60));
            } else {
                for (const auto& assertion : check.json) {
                    if (auto message = check_json(assertion, document)) fail(FailureKind::Assertion, std::move(*message));
                }
            }
        }
    }
    const auto limit = [&](const std::optional<Milliseconds>& max, std::int64_t measured_us, const char* what) {
        if (max && measured_us > max->count() * 1000) {
            fail(FailureKind::Assertion, fmt::format("{} {} > limit {} ms", what, ms_text(measured_us), max->count()));
        }
    };
    limit(check.limits.total, t.total_us, "time");
    limit(check.limits.dns, t.dns_phase_us(), "dns");
    limit(check.limits.connect, t.connect_phase_us(), "connect");
    limit(check.limits.tls, t.tls_phase_us(), "tls handshake");
    limit(check.limits.first_byte, t.first_byte_us, "time to first byte");

    const TlsExpectations& tls = check.tls;
    if (tls.min_days || tls.min_version || tls.hostname) {
        if (!response.tls.present) {
            fail(FailureKind::Tls, "tls: no certificate seen (is the URL https://?)");
        } else {
            if (tls.min_days && response.tls.days_left && *response.tls.days_left < *tls.min_days) {
                fail(FailureKind::Tls, fmt::format("certificate expires in {} days (on {}), expected at least {}",
                                                   *response.tls.days_left, response.tls.not_after, *tls.min_days));
            }
            if (tls.min_version && tls_rank(response.tls.version) < tls_rank(*tls.min_version)) {
                fail(FailureKind::Tls, "tls: negotiated " + response.tls.version + ", expected at least TLSv" + *tls.min_version);
            }
            if (tls.hostname && !response.tls.hostname_matches) {
                fail(FailureKind::Tls, "certificate " + response.tls.subject + " does not match the host name");
            }
        }
    }
    return verdict;
}

std::size_t body_bytes_read(const Check& check) {
    if (check.kind != CheckKind::Http || (check.json.empty() && check.body.empty())) return 0;
    return check.request.body_limit;
}

}  // namespace gantry::checks
