#include "gantry/report/report_uri.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace gantry {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool is_unreserved(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool is_sub_delim(char c) { return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos; }

// Encodes what may not appear; `allowed` says which delimiters stay literal.
template <typename Allowed>
std::string percent_encode(std::string_view text, Allowed allowed) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool escape_start = c == '%' && i + 2 < text.size() && is_hex(text[i + 1]) && is_hex(text[i + 2]);
        if (is_unreserved(c) || escape_start || (c != '%' && allowed(c))) {
            out += c;
        } else {
            out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        }
    }
    return out;
}

bool has_scheme(std::string_view text) {
    const auto separator = text.find("://");
    if (separator == std::string_view::npos || separator == 0 || !is_alpha(text.front())) return false;
    return std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(separator),
                       [](char c) { return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'; });
}

}  // namespace

std::optional<std::string> web_url(std::string_view url) {
    std::string_view rest = url;
    if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
    } else {
        return std::nullopt;
    }
    if (rest.empty() || rest.front() == '/' || rest.front() == '?' || rest.front() == '#') return std::nullopt;
    // A second "#" is not allowed; "[" and "]" only around an IPv6 host, which scanners do not link.
    bool seen_fragment = false;
    return std::string(url.substr(0, url.size() - rest.size())) +
           percent_encode(rest, [&](char c) {
               if (c == '#') return !std::exchange(seen_fragment, true);
               return is_sub_delim(c) || c == ':' || c == '/' || c == '?' || c == '@';
           });
}

std::string artifact_uri(std::string_view path) {
    if (has_scheme(path)) {
        const auto separator = path.find("://");
        return std::string(path.substr(0, separator + 3)) +
               percent_encode(path.substr(separator + 3),
                              [](char c) { return is_sub_delim(c) || c == ':' || c == '/' || c == '@'; });
    }
    std::string normalised(path);
    std::replace(normalised.begin(), normalised.end(), '\\', '/');
    std::string_view rest = normalised;
    while (rest.starts_with("./")) rest.remove_prefix(2);
    if (rest.empty()) return "unknown";
    const bool windows_drive = rest.size() >= 3 && is_alpha(rest[0]) && rest[1] == ':' && rest[2] == '/';
    if (rest.front() == '/' || windows_drive) {
        // RFC 8089: file:///var/lib/x, file:///C:/src/x (the drive letter's colon may stay).
        return std::string(windows_drive ? "file:///" : "file://") +
               percent_encode(rest, [](char c) { return is_sub_delim(c) || c == '/' || c == '@' || c == ':'; });
    }
    return percent_encode(rest, [](char c) { return is_sub_delim(c) || c == '/' || c == '@'; });
}

}  // namespace gantry
