#include "gantry/vex/package_url.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace gantry {
namespace {

// purl-spec PURL-TYPES: the types whose namespace and name are case-insensitive (stored lowercase).
constexpr std::array<std::string_view, 10> kCaseInsensitiveTypes = {
    "alpm", "apk", "bitbucket", "composer", "deb", "github", "hex", "oci", "pub", "pypi"};

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

// A malformed escape is kept as written: a matcher has no business rejecting what a scanner wrote.
std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

namespace {

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string_view trim_slashes(std::string_view text) {
    while (!text.empty() && text.front() == '/') text.remove_prefix(1);
    while (!text.empty() && text.back() == '/') text.remove_suffix(1);
    return text;
}

}  // namespace

std::optional<PackageUrl> parse_package_url(std::string_view text) {
    text = text.substr(0, text.find('#'));
    text = text.substr(0, text.find('?'));
    if (text.size() < 4 || lowercase(std::string(text.substr(0, 4))) != "pkg:") return std::nullopt;
    text = trim_slashes(text.substr(4));  // "pkg://type/..." is tolerated, as the spec allows

    const auto type_end = text.find('/');
    if (type_end == std::string_view::npos || type_end == 0) return std::nullopt;
    PackageUrl purl;
    purl.type = lowercase(std::string(text.substr(0, type_end)));
    std::string_view rest = trim_slashes(text.substr(type_end + 1));

    // The version follows the last "@" of the remainder (a scoped npm namespace is written %40).
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        purl.version = percent_decode(rest.substr(at + 1));
        rest = rest.substr(0, at);
    }
    rest = trim_slashes(rest);
    const auto name_start = rest.rfind('/');
    purl.name = percent_decode(name_start == std::string_view::npos ? rest : rest.substr(name_start + 1));
    if (purl.name.empty()) return std::nullopt;
    if (name_start != std::string_view::npos) {
        std::string_view segments = rest.substr(0, name_start);
        while (!segments.empty()) {
            const auto slash = segments.find('/');
            const std::string_view segment = segments.substr(0, slash);
            if (!segment.empty()) {
                if (!purl.namespace_.empty()) purl.namespace_ += '/';
                purl.namespace_ += percent_decode(segment);
            }
            if (slash == std::string_view::npos) break;
            segments.remove_prefix(slash + 1);
        }
    }
    if (std::find(kCaseInsensitiveTypes.begin(), kCaseInsensitiveTypes.end(), purl.type) != kCaseInsensitiveTypes.end()) {
        purl.namespace_ = lowercase(std::move(purl.namespace_));
        purl.name = lowercase(std::move(purl.name));
    }
    if (purl.type == "pypi") std::replace(purl.name.begin(), purl.name.end(), '_', '-');
    return purl;
}

bool package_url_matches(std::string_view pattern, std::string_view purl) {
    const auto wanted = parse_package_url(pattern);
    const auto found = parse_package_url(purl);
    if (!wanted || !found) return false;
    if (wanted->type != found->type || wanted->namespace_ != found->namespace_ || wanted->name != found->name) {
        return false;
    }
    return !wanted->version || wanted->version == found->version;
}

}  // namespace gantry
