#include "gantry/checks/check_file.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "check_syntax.hpp"
#include "gantry/base/error.hpp"
#include "gantry/config/yaml_input.hpp"

namespace gantry::checks {

namespace {

using namespace detail;

// A YAML scalar as JSON: plain true/false/null/numbers keep their type; quoted scalars are strings.
nlohmann::json yaml_to_json(const YAML::Node& node, const YamlInput& yaml, const std::string& key,
                            const Variables& variables);

nlohmann::json scalar_to_json(const std::string& text, bool quoted) {
    if (!quoted) {
        if (text == "true" || text == "false") return text == "true";
        if (text == "null" || text == "~" || text.empty()) return nullptr;
        long long integer = 0;
        if (parse_int(text, integer)) return integer;
        double number = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(number)) return number;
    }
    return text;
}

std::string expand_at(const YamlInput& yaml, const YAML::Node& node, const std::string& key, const Variables& variables,
                      const std::string& text) {
    try {
        return variables.expand(text);
    } catch (const gantry::ValueError& e) {
        yaml.fail(node, key, e.what());
    }
}

nlohmann::json yaml_to_json(const YAML::Node& node, const YamlInput& yaml, const std::string& key,
                            const Variables& variables) {
    switch (node.Type()) {
        case YAML::NodeType::Sequence: {
            nlohmann::json array = nlohmann::json::array();
            for (std::size_t i = 0; i < node.size(); ++i) {
                array.push_back(yaml_to_json(node[i], yaml, key + "[" + std::to_string(i) + "]", variables));
            }
            return array;
        }
        case YAML::NodeType::Map: {
            nlohmann::json object = nlohmann::json::object();
            for (const auto& entry : node) {
                const std::string name = yaml.scalar(entry.first, key + " key");
                object[name] = yaml_to_json(entry.second, yaml, key + "." + name, variables);
            }
            return object;
        }
        case YAML::NodeType::Scalar:
            return scalar_to_json(expand_at(yaml, node, key, variables, node.Scalar()), node.Tag() == "!");
        default: return nullptr;
    }
}

// The reader of one check file; holds what every check needs.
class FileReader {
public:
    FileReader(const std::string& file, Variables& variables, const CheckDefaults& defaults)
        : yaml_(file), variables_(variables), defaults_(defaults) {}

    CheckSuite read(std::string_view text) {
        const YAML::Node root = yaml_.parse(std::string(text));
        if (!root.IsDefined() || root.IsNull()) {
            throw InputError(SourcePosition{.file = yaml_.name()}, "the check file is empty (expected a `checks:` list)");
        }
        // Secrets first: the values of other keys may use them.
        if (root.IsMap() && root["secrets"]) {
            for (const auto& name : yaml_.string_list(root["secrets"], "secrets")) variables_.mark_secret(name);
        }
        YAML::Node checks_node;
        std::string base_url = defaults_.base_url;
        std::string file_base_url;
        yaml_.read_fields(root, "", {
            {"secrets", [](const YAML::Node&, const std::string&) {}},
            {"base-url", [&](const YAML::Node& v, const std::string& k) { file_base_url = expanded(v, k); }},
            {"defaults", [&](const YAML::Node& v, const std::string& k) { read_defaults(v, k); }},
            {"checks", [&](const YAML::Node& v, const std::string&) { checks_node.reset(v); }},
        });
        base_url_ = base_url.empty() ? file_base_url : base_url;
        if (!checks_node.IsDefined() || checks_node.IsNull()) {
            yaml_.fail(root, "checks", "missing: the file needs a `checks:` list");
        }
        if (!checks_node.IsSequence()) yaml_.fail(checks_node, "checks", "expected a list of checks");
        for (std::size_t i = 0; i < checks_node.size(); ++i) {
            suite_.checks.push_back(read_check(checks_node[i], "checks[" + std::to_string(i) + "]"));
        }
        return std::move(suite_);
    }

private:
    std::string expanded(const YAML::Node& node, const std::string& key) {
        return expand_at(yaml_, node, key, variables_, yaml_.scalar(node, key));
    }

    Milliseconds duration(const YAML::Node& node, const std::string& key) {
        try {
            return parse_duration(yaml_.scalar(node, key));
        } catch (const gantry::ValueError& e) {
            yaml_.fail(node, key, e.what());
        }
    }

    void read_defaults(const YAML::Node& node, const std::string& where) {
        yaml_.read_fields(node, where, {
            {"timeout", [&](const YAML::Node& v, const std::string& k) { timeout_ = duration(v, k); }},
            {"retry", [&](const YAML::Node& v, const std::string& k) { read_retry(v, k, retry_); }},
            {"headers", [&](const YAML::Node& v, const std::string& k) { read_request_headers(v, k, headers_); }},
            {"insecure", [&](const YAML::Node& v, const std::string& k) { insecure_ = yaml_.boolean(v, k); }},
            {"redirects", [&](const YAML::Node& v, const std::string& k) { redirects_ = yaml_.boolean(v, k); }},
            {"status", [&](const YAML::Node& v, const std::string& k) { statuses_ = read_statuses(v, k); }},
        });
    }

    void read_request_headers(const YAML::Node& node, const std::string& where,
                              std::vector<std::pair<std::string, std::string>>& headers) {
        yaml_.expect_map(node, where);
        for (const auto& entry : node) {
            const std::string name = yaml_.scalar(entry.first, where + " key");
            if (name.empty() || name.find_first_of(": \r\n") != std::string::npos) {
                yaml_.fail(entry.first, where, "'" + name + "' is not a header name");
            }
            const std::string value = expanded(entry.second, where + "." + name);
            if (value.find_first_of("\r\n") != std::string::npos) {
                yaml_.fail(entry.second, where + "." + name, "a header value cannot contain a line break");
            }
            const auto same = std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return lower(h.first) == lower(name); });
            if (same != headers.end()) {
                same->second = value;
            } else {
                headers.emplace_back(name, value);
            }
        }
    }

    std::vector<StatusRange> read_statuses(const YAML::Node& node, const std::string& key) {
        std::vector<StatusRange> ranges;
        const auto add = [&](const YAML::Node& item) {
            try {
                ranges.push_back(parse_status_range(yaml_.scalar(item, key)));
            } catch (const gantry::ValueError& e) {
                yaml_.fail(item, key, e.what());
            }
        };
        if (node.IsSequence()) {
            for (const auto& item : node) add(item);
        } else {
            add(node);
        }
        if (ranges.empty()) yaml_.fail(node, key, "expected at least one status (200, 2xx or 500-503)");
        return ranges;
    }

    void read_retry(const YAML::Node& node, const std::string& where, RetryPolicy& retry) {
        yaml_.read_fields(node, where, {
            {"attempts", [&](const YAML::Node& v, const std::string& k) { retry.attempts = static_cast<int>(std::min(yaml_.integer(v, k, 1), 100000LL)); }},
            {"on", [&](const YAML::Node& v, const std::string& k) {
                 retry.retry_on.clear();
                 for (const auto& name : yaml_.string_list(v, k)) {
                     try {
                         for (const FailureKind kind : parse_failure_kinds(name)) retry.retry_on.insert(kind);
                     } catch (const gantry::ValueError& e) {
                         yaml_.fail(v, k, e.what());
                     }
                 }
             }},
            {"delay", [&](const YAML::Node& v, const std::string& k) { retry.base_delay = duration(v, k); }},
            {"max-delay", [&](const YAML::Node& v, const std::string& k) { retry.max_delay = duration(v, k); }},
            {"consecutive", [&](const YAML::Node& v, const std::string& k) { retry.consecutive = static_cast<int>(std::min(yaml_.integer(v, k, 1), 10000LL)); }},
        });
    }

    TextMatch text_match(const YAML::Node& node, const std::string& key, std::string& value, std::shared_ptr<const Regex>& regex) {
        if (node.IsScalar()) {
            value = expanded(node, key);
            return TextMatch::Equals;
        }
        if (!node.IsMap() || node.size() != 1) {
            yaml_.fail(node, key, "expected a value, or one of {equals: V}, {contains: V}, {regex: R}, {exists: true}, {absent: true}");
        }
        const auto entry = *node.begin();
        const std::string op = yaml_.scalar(entry.first, key);
        const std::string sub = key + "." + op;
        if (op == "exists" || op == "absent") {
            const bool flag = yaml_.boolean(entry.second, sub);
            return (op == "exists") == flag ? TextMatch::Exists : TextMatch::Absent;
        }
        value = expanded(entry.second, sub);
        if (op == "equals") return TextMatch::Equals;
        if (op == "contains") return TextMatch::Contains;
        if (op == "regex") {
            regex = read_regex(entry.second, sub, value);
            return TextMatch::Regex;
        }
        yaml_.fail(entry.first, key, "unknown match '" + op + "' (expected equals, contains, regex, exists or absent)");
    }

    std::shared_ptr<const Regex> read_regex(const YAML::Node& node, const std::string& key, const std::string& pattern) {
        try {
            return compile_regex(pattern);
        } catch (const RegexSyntaxError& e) {
            yaml_.fail(node, key, "invalid regular expression '" + pattern + "': " + e.what());
        }
    }

    void read_expect(const YAML::Node& node, const std::string& where, Check& check) {
        const auto limit = [&](std::optional<Milliseconds>& slot) {
            return [&, this](const YAML::Node& v, const std::string& k) { slot = duration(v, k); };
        };
        yaml_.read_fields(node, where, {
            {"status", [&](const YAML::Node& v, const std::string& k) { check.statuses = read_statuses(v, k); }},
            {"headers", [&](const YAML::Node& v, const std::string& k) {
                 yaml_.expect_map(v, k);
                 for (const auto& entry : v) {
                     HeaderAssertion assertion;
                     assertion.name = yaml_.scalar(entry.first, k + " key");
                     assertion.match = text_match(entry.second, k + "." + assertion.name, assertion.value, assertion.regex);
                     check.headers.push_back(std::move(assertion));
                 }
             }},
            {"body", [&](const YAML::Node& v, const std::string& k) {
                 if (v.IsScalar()) {
                     check.body.push_back({BodyMatch::Contains, expanded(v, k)});
                     return;
                 }
                 yaml_.read_fields(v, k, {
                     {"contains", [&](const YAML::Node& x, const std::string& kk) { add_body(check, BodyMatch::Contains, x, kk); }},
                     {"not-contains", [&](const YAML::Node& x, const std::string& kk) { add_body(check, BodyMatch::NotContains, x, kk); }},
                     {"regex", [&](const YAML::Node& x, const std::string& kk) { add_body(check, BodyMatch::Regex, x, kk); }},
                 });
             }},
            {"json", [&](const YAML::Node& v, const std::string& k) {
                 if (!v.IsSequence()) yaml_.fail(v, k, "expected a list of {pointer: /a/b, equals|exists|type|<|<=|>|>=: ...}");
                 for (std::size_t i = 0; i < v.size(); ++i) check.json.push_back(read_json_assertion(v[i], k + "[" + std::to_string(i) + "]"));
             }},
            {"time", limit(check.limits.total)},
            {"dns", limit(check.limits.dns)},
            {"connect", limit(check.limits.connect)},
            {"tls", [&](const YAML::Node& v, const std::string& k) {
                 if (v.IsScalar()) {
                     check.limits.tls = duration(v, k);
                     return;
                 }
                 read_tls(v, k, check);
             }},
            {"ttfb", limit(check.limits.first_byte)},
            {"certificate", [&](const YAML::Node& v, const std::string& k) { read_tls(v, k, check); }},
        });
    }

    void read_tls(const YAML::Node& node, const std::string& where, Check& check) {
        yaml_.read_fields(node, where, {
            {"min-days", [&](const YAML::Node& v, const std::string& k) { check.tls.min_days = yaml_.integer(v, k, 0); }},
            {"min-version", [&](const YAML::Node& v, const std::string& k) {
                 const std::string version = yaml_.scalar(v, k);
                 if (version != "1.0" && version != "1.1" && version != "1.2" && version != "1.3") {
                     yaml_.fail(v, k, "expected 1.0, 1.1, 1.2 or 1.3, found '" + version + "'");
                 }
                 check.tls.min_version = version;
             }},
            {"hostname", [&](const YAML::Node& v, const std::string& k) { check.tls.hostname = yaml_.boolean(v, k); }},
        });
    }

    void add_body(Check& check, BodyMatch match, const YAML::Node& node, const std::string& key) {
        for (const auto& item : yaml_.string_list(node, key)) {
            std::string value = expand_at(yaml_, node, key, variables_, item);
            std::shared_ptr<const Regex> regex = match == BodyMatch::Regex ? read_regex(node, key, value) : nullptr;
            check.body.push_back({match, std::move(value), std::move(regex)});
        }
    }

    JsonAssertion read_json_assertion(const YAML::Node& node, const std::string& where) {
        static const std::map<std::string, JsonOperator, std::less<>> kOperators = {
            {"equals", JsonOperator::Equals}, {"==", JsonOperator::Equals}, {"not-equals", JsonOperator::NotEquals},
            {"!=", JsonOperator::NotEquals}, {"exists", JsonOperator::Exists}, {"type", JsonOperator::Type},
            {"<", JsonOperator::Less}, {"<=", JsonOperator::LessOrEqual}, {">", JsonOperator::Greater},
            {">=", JsonOperator::GreaterOrEqual}, {"contains", JsonOperator::Contains}};
        yaml_.expect_map(node, where);
        JsonAssertion assertion;
        bool have_pointer = false;
        bool have_operator = false;
        for (const auto& entry : node) {
            const std::string key = yaml_.scalar(entry.first, where + " key");
            const std::string path = where + "." + key;
            if (key == "pointer") {
                assertion.pointer = expanded(entry.second, path);
                try {
                    nlohmann::json::json_pointer checked(assertion.pointer);
                } catch (const nlohmann::json::exception&) {
                    yaml_.fail(entry.second, path, "'" + assertion.pointer + "' is not a JSON pointer (expected /a/0/b)");
                }
                have_pointer = true;
                continue;
            }
            const auto op = kOperators.find(key);
            if (op == kOperators.end()) {
                yaml_.fail(entry.first, path, "unknown key (expected pointer and one of equals, not-equals, exists, type, contains, <, <=, >, >=)");
            }
            if (have_operator) yaml_.fail(entry.first, path, "one assertion per list item (write another item)");
            have_operator = true;
            assertion.op = op->second;
            switch (assertion.op) {
                case JsonOperator::Exists:
                    assertion.op = yaml_.boolean(entry.second, path) ? JsonOperator::Exists : JsonOperator::Absent;
                    break;
                case JsonOperator::Type: {
                    assertion.expected_json = yaml_.scalar(entry.second, path);
                    static const std::vector<std::string> kTypes = {"string", "number", "integer", "boolean", "array", "object", "null"};
                    if (std::find(kTypes.begin(), kTypes.end(), assertion.expected_json) == kTypes.end()) {
                        yaml_.fail(entry.second, path, "expected string, number, integer, boolean, array, object or null");
                    }
                    break;
                }
                case JsonOperator::Less:
                case JsonOperator::LessOrEqual:
                case JsonOperator::Greater:
                case JsonOperator::GreaterOrEqual:
                    assertion.expected_json = nlohmann::json(yaml_.number(entry.second, path)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                    break;
                case JsonOperator::Contains: assertion.expected_json = expanded(entry.second, path); break;
                default: assertion.expected_json = yaml_to_json(entry.second, yaml_, path, variables_).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); break;
            }
        }
        if (!have_pointer) yaml_.fail(node, where, "missing `pointer` (a JSON pointer such as /status)");
        if (!have_operator) assertion.op = JsonOperator::Exists;
        return assertion;
    }

    Check read_check(const YAML::Node& node, const std::string& where) {
        Check check;
        check.declared_at = SourcePosition{.file = yaml_.name(), .line = node.Mark().line + 1, .column = node.Mark().column + 1};
        check.request.timeout = timeout_;
        check.request.headers = headers_;
        check.request.ca_file = defaults_.ca_file;
        check.request.verification = insecure_ ? http::TlsVerification::Insecure : http::TlsVerification::Verify;
        check.request.redirects = redirects_ ? http::Redirects::Follow : http::Redirects::DoNotFollow;
        check.retry = retry_;
        if (statuses_) check.statuses = *statuses_;
        std::string url;
        std::optional<std::string> method;
        YAML::Node url_node = node;
        const auto shorthand = [&](std::string_view verb) {
            return [&, verb](const YAML::Node& v, const std::string& k) {
                if (!url.empty()) yaml_.fail(v, k, "the check already has a URL");
                url = expanded(v, k);
                url_node.reset(v);
                if (verb == "TCP") {
                    check.kind = CheckKind::Tcp;
                } else {
                    method = std::string(verb);
                }
            };
        };
        yaml_.read_fields(node, where, {
            {"name", [&](const YAML::Node& v, const std::string& k) { check.name = expanded(v, k); }},
            {"url", [&](const YAML::Node& v, const std::string& k) {
                 if (!url.empty()) yaml_.fail(v, k, "the check already has a URL");
                 url = expanded(v, k);
                 url_node.reset(v);
             }},
            {"method", [&](const YAML::Node& v, const std::string& k) {
                 const std::string m = yaml_.scalar(v, k);
                 if (m.empty() || !std::all_of(m.begin(), m.end(), [](unsigned char c) { return std::isupper(c) || c == '-'; })) {
                     yaml_.fail(v, k, "expected an HTTP method in capitals (GET, POST, ...), found '" + m + "'");
                 }
                 method = m;
             }},
            {"get", shorthand("GET")}, {"head", shorthand("HEAD")}, {"post", shorthand("POST")},
            {"put", shorthand("PUT")}, {"patch", shorthand("PATCH")}, {"delete", shorthand("DELETE")},
            {"tcp", shorthand("TCP")},
            {"headers", [&](const YAML::Node& v, const std::string& k) { read_request_headers(v, k, check.request.headers); }},
            {"body", [&](const YAML::Node& v, const std::string& k) {
                 if (check.request.body) yaml_.fail(v, k, "the check already has a body");
                 check.request.body = expanded(v, k);
             }},
            {"json", [&](const YAML::Node& v, const std::string& k) {
                 if (check.request.body) yaml_.fail(v, k, "the check already has a body");
                 check.request.body = yaml_to_json(v, yaml_, k, variables_).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                 set_default_header(check, "Content-Type", "application/json");
             }},
            {"redirects", [&](const YAML::Node& v, const std::string& k) {
                 check.request.redirects = yaml_.boolean(v, k) ? http::Redirects::Follow : http::Redirects::DoNotFollow;
             }},
            {"insecure", [&](const YAML::Node& v, const std::string& k) {
                 check.request.verification = yaml_.boolean(v, k) ? http::TlsVerification::Insecure : http::TlsVerification::Verify;
             }},
            {"timeout", [&](const YAML::Node& v, const std::string& k) { check.request.timeout = duration(v, k); }},
            {"status", [&](const YAML::Node& v, const std::string& k) { check.statuses = read_statuses(v, k); }},
            {"expect", [&](const YAML::Node& v, const std::string& k) { read_expect(v, k, check); }},
            {"retry", [&](const YAML::Node& v, const std::string& k) { read_retry(v, k, check.retry); }},
            {"weight", [&](const YAML::Node& v, const std::string& k) { check.weight = static_cast<int>(std::min(yaml_.integer(v, k, 1), 1000000LL)); }},
        });
        if (url.empty()) yaml_.fail(node, where, "missing `url` (or get:/post:/.../tcp: with the address)");
        if (check.kind == CheckKind::Tcp) {
            if (method || check.request.body) yaml_.fail(node, where, "a tcp check sends nothing: drop method/body");
            try {
                check.request.url = tcp_address(url);
            } catch (const gantry::ValueError& e) {
                yaml_.fail(url_node, where + ".tcp", e.what());
            }
            check.request.protocol = http::Protocol::Tcp;
        } else {
            check.request.method = method.value_or(check.request.body ? "POST" : "GET");
            try {
                check.request.url = resolve_url(base_url_, url);
            } catch (const gantry::ValueError& e) {
                yaml_.fail(url_node, where + ".url", e.what());
            }
        }
        apply_overrides(defaults_, check.retry);
        if (check.name.empty()) {
            check.name = check.kind == CheckKind::Tcp ? "tcp " + check.request.url : check.request.method + " " + url;
        }
        return check;
    }

    static void set_default_header(Check& check, const std::string& name, const std::string& value) {
        const auto same = std::find_if(check.request.headers.begin(), check.request.headers.end(),
                                       [&](const auto& h) { return lower(h.first) == lower(name); });
        if (same == check.request.headers.end()) check.request.headers.emplace_back(name, value);
    }

private:
    YamlInput yaml_;
    Variables& variables_;
    const CheckDefaults& defaults_;
    CheckSuite suite_;
    std::string base_url_;
    Milliseconds timeout_ = defaults_.timeout;
    RetryPolicy retry_ = defaults_.retry;
    std::vector<std::pair<std::string, std::string>> headers_;
    bool insecure_ = false;
    bool redirects_ = false;
    std::optional<std::vector<StatusRange>> statuses_;
};

}  // namespace

CheckSuite read_check_file(std::string_view text, const std::string& file_name, Variables& variables,
                           const CheckDefaults& defaults) {
    require_utf8(text, file_name, false);
    CheckSuite suite = FileReader(file_name, variables, defaults).read(text);
    make_names_unique(suite.checks);
    for (const auto& check : suite.checks) {
        if (check.request.verification == http::TlsVerification::Insecure) {
            suite.warnings.push_back(check.declared_at.describe() + ": check '" + check.name +
                                     "' does not verify the TLS certificate (insecure: true)");
        }
    }
    return suite;
}

Milliseconds duration_input(const Inputs& inputs, const std::string& name, const std::string& fallback) {
    try {
        return parse_duration(inputs.get_or(name, fallback));
    } catch (const gantry::ValueError& e) {
        throw UsageError("--" + name + ": " + e.what());
    }
}

}  // namespace gantry::checks
