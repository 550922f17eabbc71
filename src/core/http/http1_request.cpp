#include "gantry/http/http1_request.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string_view>

#include <curl/curl.h>

#include "gantry/base/error.hpp"
#include "gantry/version.hpp"

namespace gantry::http {

namespace {

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

bool has_header(const HttpRequest& request, std::string_view name) {
    return std::any_of(request.headers.begin(), request.headers.end(), [&](const auto& header) { return same_name(header.first, name); });
}

// A parsed URL through libcurl's URL API (no transfer handle): the same parser libcurl's own
// transfers use, so both clients read a URL alike.
class ParsedUrl {
public:
    explicit ParsedUrl(const std::string& url) : handle_(curl_url(), &curl_url_cleanup) {
        valid_ = handle_ && curl_url_set(handle_.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK;
    }
    bool valid() const { return valid_; }
    std::optional<std::string> part(CURLUPart which, unsigned flags = 0) const {
        char* text = nullptr;
        if (!valid_ || curl_url_get(handle_.get(), which, &text, flags) != CURLUE_OK || !text) return std::nullopt;
        std::string value(text);
        curl_free(text);
        return value;
    }

private:
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle_;
    bool valid_ = false;
};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string unbracketed(std::string host) {
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return host;
}

// Whether no_proxy names `host` for certain. nullopt: an entry libcurl may read otherwise (a CIDR range).
std::optional<bool> no_proxy_covers(std::string_view list, const std::string& host) {
    std::optional<bool> covered = false;
    while (!list.empty()) {
        const auto comma = list.find(',');
        std::string_view entry = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.front()))) entry.remove_prefix(1);
        while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.back()))) entry.remove_suffix(1);
        if (entry.empty()) continue;
        if (entry == "*") return true;
        if (entry.find('/') != std::string_view::npos) {
            covered = std::nullopt;
            continue;
        }
        if (entry.front() == '.') entry.remove_prefix(1);
        const std::string name = lower(unbracketed(std::string(entry)));
        if (host == name || (host.size() > name.size() && host.ends_with(name) && host[host.size() - name.size() - 1] == '.')) return true;
    }
    return covered;
}

}  // namespace

std::optional<std::string> http1_obstacle(const HttpRequest& request, const Environment& environment) {
    if (request.protocol != Protocol::Http) return "a TCP connect check";
    if (request.redirects == Redirects::Follow) return "redirects are followed";
    const ParsedUrl url(request.url);
    if (!url.valid()) return "a URL libcurl reads itself";
    const std::string scheme = lower(url.part(CURLUPART_SCHEME).value_or(""));
    if (scheme != "http") return "a " + scheme + ":// URL (TLS)";
    if (url.part(CURLUPART_USER) || url.part(CURLUPART_PASSWORD)) return "credentials in the URL";
    if (has_header(request, "Accept-Encoding")) return "an Accept-Encoding header (libcurl decodes the answer)";
    if (has_header(request, "Transfer-Encoding") || has_header(request, "Expect")) return "a Transfer-Encoding or Expect header";
    std::optional<std::string> proxy = environment.get("http_proxy");
    if (!proxy || proxy->empty()) proxy = environment.get("all_proxy");
    if (!proxy || proxy->empty()) proxy = environment.get("ALL_PROXY");
    if (proxy && !proxy->empty()) {
        std::optional<std::string> no_proxy = environment.get("no_proxy");
        if (!no_proxy || no_proxy->empty()) no_proxy = environment.get("NO_PROXY");
        const std::string host = lower(unbracketed(url.part(CURLUPART_HOST).value_or("")));
        if (!no_proxy || no_proxy_covers(*no_proxy, host) != true) return "a proxy from the environment (http_proxy/all_proxy)";
    }
    return std::nullopt;
}

Http1Request build_http1_request(const HttpRequest& request) {
    const ParsedUrl url(request.url);
    const std::optional<std::string> host = url.part(CURLUPART_HOST);
    if (!host) throw InputError("cannot parse the URL " + request.url);
    Http1Request built;
    built.host = unbracketed(*host);
    const std::optional<std::string> explicit_port = url.part(CURLUPART_PORT);
    built.port = explicit_port.value_or("80");
    built.head = request.method == "HEAD";
    std::string target = url.part(CURLUPART_PATH).value_or("/");
    if (target.empty()) target = "/";
    if (const auto query = url.part(CURLUPART_QUERY)) target += "?" + *query;

    std::string& out = built.bytes;
    out.reserve(256 + (request.body ? request.body->size() : 0));
    out += request.method + " " + target + " HTTP/1.1\r\n";
    const auto add_default = [&](std::string_view name, const std::string& value) {
        if (!has_header(request, name)) out.append(name).append(": ").append(value).append("\r\n");
    };
    add_default("Host", explicit_port ? *host + ":" + *explicit_port : *host);
    add_default("User-Agent", std::string("gantry-smoke-test/") + build_info::kVersion);
    add_default("Accept", "*/*");
    for (const auto& [name, value] : request.headers) out += name + ": " + value + "\r\n";
    if (request.body) {
        add_default("Content-Type", "application/x-www-form-urlencoded");
        if (!has_header(request, "Content-Length")) out += "Content-Length: " + std::to_string(request.body->size()) + "\r\n";
    }
    out += "\r\n";
    if (request.body) out += *request.body;
    return built;
}

}  // namespace gantry::http
