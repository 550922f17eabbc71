#include <algorithm>
#include <cctype>
#include <charconv>

#include <nlohmann/json.hpp>

#include "check_syntax.hpp"
#include "gantry/base/error.hpp"
#include "gantry/checks/check_file.hpp"

namespace gantry::checks {

using namespace detail;

namespace {

// Splits an inline check into blank-separated tokens; "..." groups blanks; returns (token, column).
std::vector<std::pair<std::string, int>> tokenize(std::string_view text, const SourcePosition& where) {
    std::vector<std::pair<std::string, int>> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i >= text.size()) break;
        const int column = static_cast<int>(i) + 1;
        std::string token;
        bool quoted = false;
        while (i < text.size() && (quoted || !std::isspace(static_cast<unsigned char>(text[i])))) {
            // Quotes stay in the token: JSON values need them ("1" is a string); other tokens drop them.
            if (text[i] == '"') quoted = !quoted;
            token += text[i];
            ++i;
        }
        if (quoted) {
            SourcePosition at = where;
            at.column = column;
            throw InputError(at, "unterminated \" quote");
        }
        tokens.emplace_back(std::move(token), column);
    }
    return tokens;
}

}  // namespace

Check parse_inline_check(std::string_view text, int index, const Variables& variables, const CheckDefaults& defaults) {
    const SourcePosition origin{.file = "--check #" + std::to_string(index), .line = 1};
    const auto fail_at = [&](int column, const std::string& reason) {
        SourcePosition at = origin;
        at.column = column;
        throw InputError(at, reason);
    };
    require_utf8(text, origin.file, true);
    auto tokens = tokenize(text, origin);
    if (tokens.empty()) fail_at(1, "empty check (expected '[METHOD] URL [STATUS] [assertions]')");
    for (auto& [token, column] : tokens) {
        if (!token.starts_with("json:")) std::erase(token, '"');
    }
    for (auto& [token, column] : tokens) {
        try {
            token = variables.expand(token);
        } catch (const gantry::ValueError& e) {
            fail_at(column, e.what());
        }
    }
    Check check;
    check.declared_at = origin;
    check.request.timeout = defaults.timeout;
    check.request.ca_file = defaults.ca_file;
    check.retry = defaults.retry;
    apply_overrides(defaults, check.retry);
    std::size_t next = 0;
    if (tokens[0].first == "tcp" || tokens[0].first == "TCP") {
        check.kind = CheckKind::Tcp;
        check.request.protocol = http::Protocol::Tcp;
        ++next;
    } else if (is_method(tokens[0].first)) {
        check.request.method = tokens[0].first;
        ++next;
    }
    if (next >= tokens.size()) fail_at(static_cast<int>(text.size()) + 1, "missing URL after the method");
    const auto& [url, url_column] = tokens[next++];
    try {
        check.request.url = check.kind == CheckKind::Tcp ? tcp_address(url) : resolve_url(defaults.base_url, url);
    } catch (const gantry::ValueError& e) {
        fail_at(url_column, e.what());
    }
    check.name = (check.kind == CheckKind::Tcp ? std::string("tcp") : check.request.method) + " " + url;

    std::vector<StatusRange> statuses;
    for (; next < tokens.size(); ++next) {
        // Plain references, not a structured binding: the lambdas below capture them.
        const std::string& token = tokens[next].first;
        const int column = tokens[next].second;
        try {
            const auto limit_after = [&](std::string_view prefix) { return parse_duration(std::string_view(token).substr(prefix.size())); };
            if (!token.empty() && std::isdigit(static_cast<unsigned char>(token[0]))) {
                std::string_view rest = token;
                while (!rest.empty()) {
                    const auto comma = rest.find(',');
                    statuses.push_back(parse_status_range(rest.substr(0, comma)));
                    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
                }
            } else if (token.starts_with("<")) {
                check.limits.total = limit_after("<");
            } else if (token.starts_with("dns<")) {
                check.limits.dns = limit_after("dns<");
            } else if (token.starts_with("connect<")) {
                check.limits.connect = limit_after("connect<");
            } else if (token.starts_with("tls<")) {
                check.limits.tls = limit_after("tls<");
            } else if (token.starts_with("ttfb<")) {
                check.limits.first_byte = limit_after("ttfb<");
            } else if (token.starts_with("tls-days>=")) {
                long long days = 0;
                if (!parse_int(std::string_view(token).substr(10), days) || days < 0) throw gantry::ValueError("expected tls-days>=N with N >= 0");
                check.tls.min_days = days;
            } else if (token.starts_with("tls>=")) {
                const std::string version = token.substr(5);
                if (version != "1.0" && version != "1.1" && version != "1.2" && version != "1.3") throw gantry::ValueError("expected tls>=1.2 or tls>=1.3");
                check.tls.min_version = version;
            } else if (token == "tls-hostname") {
                check.tls.hostname = true;
            } else if (token == "insecure") {
                check.request.verification = http::TlsVerification::Insecure;
            } else if (token == "follow") {
                check.request.redirects = http::Redirects::Follow;
            } else if (token.starts_with("attempts=")) {
                long long attempts = 0;
                if (!parse_int(std::string_view(token).substr(9), attempts) || attempts < 1 || attempts > 100000) throw gantry::ValueError("expected attempts=N with N >= 1");
                check.retry.attempts = static_cast<int>(attempts);
            } else if (token.starts_with("weight=")) {
                long long weight = 0;
                if (!parse_int(std::string_view(token).substr(7), weight) || weight < 1 || weight > 1000000) throw gantry::ValueError("expected weight=N with N >= 1");
                check.weight = static_cast<int>(weight);
            } else if (token.starts_with("json:")) {
                check.json.push_back(parse_inline_json(std::string_view(token).substr(5)));
            } else if (token.starts_with("body~")) {
                check.body.push_back({BodyMatch::Contains, token.substr(5)});
            } else if (token.starts_with("body!~")) {
                check.body.push_back({BodyMatch::NotContains, token.substr(6)});
            } else if (token.starts_with("body=~")) {
                check.body.push_back({BodyMatch::Regex, token.substr(6), compile_regex(token.substr(6))});
            } else if (token.starts_with("header:")) {
                std::string_view spec = std::string_view(token).substr(7);
                HeaderAssertion assertion;
                const auto op = spec.find_first_of("=~");
                assertion.name = std::string(spec.substr(0, op));
                if (op == std::string_view::npos) {
                    assertion.match = TextMatch::Exists;
                } else {
                    assertion.match = spec[op] == '=' ? TextMatch::Equals : TextMatch::Contains;
                    assertion.value = std::string(spec.substr(op + 1));
                }
                if (assertion.name.empty()) throw gantry::ValueError("expected header:NAME, header:NAME=VALUE or header:NAME~TEXT");
                check.headers.push_back(std::move(assertion));
            } else if (token.starts_with("send:")) {
                std::string_view spec = std::string_view(token).substr(5);
                const auto eq = spec.find('=');
                if (eq == std::string_view::npos || eq == 0) throw gantry::ValueError("expected send:NAME=VALUE (a request header)");
                check.request.headers.emplace_back(std::string(spec.substr(0, eq)), std::string(spec.substr(eq + 1)));
            } else if (token.starts_with("data=")) {
                check.request.body = token.substr(5);
            } else {
                throw gantry::ValueError("unknown token '" + token +
                                            "' (expected a status like 200/2xx, <500ms, json:/p==v, body~TEXT, header:N=V, "
                                            "tls-days>=N, tls>=1.2, insecure, follow, attempts=N, weight=N, send:N=V or data=TEXT)");
            }
        } catch (const gantry::ValueError& e) {
            fail_at(column, e.what());
        } catch (const RegexSyntaxError& e) {
            fail_at(column, std::string("invalid regular expression: ") + e.what());
        }
    }
    if (!statuses.empty()) {
        if (check.kind == CheckKind::Tcp) fail_at(1, "a tcp check has no HTTP status");
        check.statuses = std::move(statuses);
    }
    if (check.kind == CheckKind::Http && check.request.body && !is_method(tokens[0].first)) check.request.method = "POST";
    if (check.retry.consecutive > check.retry.attempts) check.retry.attempts = check.retry.consecutive;
    return check;
}

JsonAssertion parse_inline_json(std::string_view spec) {
    JsonAssertion assertion;
    static const std::vector<std::pair<std::string_view, JsonOperator>> kOperators = {
        {"==", JsonOperator::Equals}, {"!=", JsonOperator::NotEquals}, {"<=", JsonOperator::LessOrEqual},
        {">=", JsonOperator::GreaterOrEqual}, {"~=", JsonOperator::Contains}, {"<", JsonOperator::Less},
        {">", JsonOperator::Greater}, {":", JsonOperator::Type}};
    std::size_t best = std::string_view::npos;
    std::size_t length = 0;
    for (const auto& [text, op] : kOperators) {
        const auto at = spec.find(text);
        if (at != std::string_view::npos && (at < best || (at == best && text.size() > length))) {
            best = at;
            length = text.size();
            assertion.op = op;
        }
    }
    assertion.pointer = std::string(spec.substr(0, best));
    if (best == std::string_view::npos) {
        assertion.op = JsonOperator::Exists;
    }
    try {
        nlohmann::json::json_pointer checked(assertion.pointer);
    } catch (const nlohmann::json::exception&) {
        throw gantry::ValueError("'" + assertion.pointer + "' is not a JSON pointer (expected json:/a/0/b==value)");
    }
    if (best == std::string_view::npos) return assertion;
    const std::string value(spec.substr(best + length));
    switch (assertion.op) {
        case JsonOperator::Equals:
        case JsonOperator::NotEquals: {
            const auto parsed = nlohmann::json::parse(value, nullptr, false);
            assertion.expected_json = parsed.is_discarded() ? nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) : parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            break;
        }
        case JsonOperator::Contains: assertion.expected_json = value; break;
        case JsonOperator::Type:
            if (value != "string" && value != "number" && value != "integer" && value != "boolean" && value != "array" &&
                value != "object" && value != "null") {
                throw gantry::ValueError("expected json:/p:TYPE with TYPE string, number, integer, boolean, array, object or null");
            }
            assertion.expected_json = value;
            break;
        default: {
            double number = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
            if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
                throw gantry::ValueError("expected a number after the comparison, found '" + value + "'");
            }
            assertion.expected_json = nlohmann::json(number).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
    }
    return assertion;
}

}  // namespace gantry::checks
