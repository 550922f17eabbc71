#include "gantry/semver/semantic_version.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace gantry {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_identifier_char(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }

struct Parsed {
    SemanticVersion version;
    std::string problem;  // empty when the text is a version
};

// Parses a numeric part (no leading zero, fits 64 bits) at text[pos...] up to `stop` or the end.
bool parse_number(std::string_view text, std::size_t& pos, std::string_view name, std::uint64_t& value,
                  std::string& problem) {
    const std::size_t start = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    if (pos == start) {
        problem = fmt::format("expected the {} version (digits) at column {}", name, start + 1);
        return false;
    }
    if (pos - start > 1 && text[start] == '0') {
        problem = fmt::format("leading zero in the {} version at column {}", name, start + 1);
        return false;
    }
    const auto [end, error] = std::from_chars(text.data() + start, text.data() + pos, value);
    if (error != std::errc() || end != text.data() + pos) {
        problem = fmt::format("the {} version at column {} is too large", name, start + 1);
        return false;
    }
    return true;
}

// Dot-separated identifiers from text[pos] to the end or to `terminator`.
bool parse_identifiers(std::string_view text, std::size_t& pos, char terminator, bool numeric_rules,
                       std::string_view what, std::vector<std::string>& out, std::string& problem) {
    while (true) {
        const std::size_t start = pos;
        while (pos < text.size() && is_identifier_char(text[pos])) ++pos;
        const std::string_view identifier = text.substr(start, pos - start);
        if (identifier.empty()) {
            problem = pos < text.size()
                          ? fmt::format("unexpected '{}' in the {} at column {}", text[pos], what, pos + 1)
                          : fmt::format("empty identifier in the {} at column {}", what, pos + 1);
            return false;
        }
        if (numeric_rules && all_digits(identifier) && identifier.size() > 1 && identifier[0] == '0') {
            problem = fmt::format("leading zero in the numeric {} identifier at column {}", what, start + 1);
            return false;
        }
        out.emplace_back(identifier);
        if (pos == text.size() || text[pos] == terminator) return true;
        if (text[pos] != '.') {
            problem = fmt::format("unexpected '{}' in the {} at column {}", text[pos], what, pos + 1);
            return false;
        }
        ++pos;
    }
}

Parsed parse(std::string_view text) {
    Parsed result;
    std::size_t pos = 0;
    SemanticVersion& v = result.version;
    const auto expect_dot = [&](std::string_view after) {
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            return true;
        }
        result.problem = pos < text.size()
                             ? fmt::format("expected '.' after the {} version at column {}, found '{}'", after, pos + 1, text[pos])
                             : fmt::format("expected '.' after the {} version at column {}", after, pos + 1);
        return false;
    };
    if (text.empty()) {
        result.problem = "empty version";
        return result;
    }
    if (!parse_number(text, pos, "major", v.major, result.problem) || !expect_dot("major") ||
        !parse_number(text, pos, "minor", v.minor, result.problem) || !expect_dot("minor") ||
        !parse_number(text, pos, "patch", v.patch, result.problem)) {
        return result;
    }
    if (pos < text.size() && text[pos] == '-') {
        ++pos;
        if (!parse_identifiers(text, pos, '+', true, "pre-release", v.prerelease, result.problem)) return result;
    }
    if (pos < text.size() && text[pos] == '+') {
        ++pos;
        if (!parse_identifiers(text, pos, '\0', false, "build metadata", v.build, result.problem)) return result;
    }
    if (pos < text.size()) {
        result.problem = fmt::format("unexpected '{}' at column {}", text[pos], pos + 1);
    }
    return result;
}

std::strong_ordering compare_identifier(const std::string& a, const std::string& b) {
    const bool a_numeric = all_digits(a);
    const bool b_numeric = all_digits(b);
    if (a_numeric && b_numeric) {
        // No leading zeros, so the longer number is the larger; same length compares as text.
        if (a.size() != b.size()) return a.size() <=> b.size();
        return a.compare(b) <=> 0;
    }
    if (a_numeric != b_numeric) return a_numeric ? std::strong_ordering::less : std::strong_ordering::greater;
    return a.compare(b) <=> 0;  // ASCII order
}

}  // namespace

SemanticVersion SemanticVersion::without_build() const {
    SemanticVersion v = *this;
    v.build.clear();
    return v;
}

SemanticVersion SemanticVersion::release() const { return SemanticVersion{major, minor, patch, {}, {}}; }

bool SemanticVersion::identical_to(const SemanticVersion& other) const {
    return major == other.major && minor == other.minor && patch == other.patch && prerelease == other.prerelease &&
           build == other.build;
}

std::string SemanticVersion::to_string() const {
    std::string text = fmt::format("{}.{}.{}", major, minor, patch);
    for (std::size_t i = 0; i < prerelease.size(); ++i) text += (i == 0 ? "-" : ".") + prerelease[i];
    for (std::size_t i = 0; i < build.size(); ++i) text += (i == 0 ? "+" : ".") + build[i];
    return text;
}

std::strong_ordering SemanticVersion::operator<=>(const SemanticVersion& other) const {
    if (auto c = major <=> other.major; c != 0) return c;
    if (auto c = minor <=> other.minor; c != 0) return c;
    if (auto c = patch <=> other.patch; c != 0) return c;
    // A pre-release has lower precedence than the release itself.
    if (prerelease.empty() || other.prerelease.empty()) {
        return other.prerelease.size() == prerelease.size() ? std::strong_ordering::equal
               : prerelease.empty()                          ? std::strong_ordering::greater
                                                             : std::strong_ordering::less;
    }
    const std::size_t common = std::min(prerelease.size(), other.prerelease.size());
    for (std::size_t i = 0; i < common; ++i) {
        if (auto c = compare_identifier(prerelease[i], other.prerelease[i]); c != 0) return c;
    }
    return prerelease.size() <=> other.prerelease.size();
}

std::optional<SemanticVersion> parse_semantic_version(std::string_view text) {
    Parsed parsed = parse(text);
    if (!parsed.problem.empty()) return std::nullopt;
    return std::move(parsed.version);
}

std::string semantic_version_problem(std::string_view text) { return parse(text).problem; }

SemanticVersion require_semantic_version(std::string_view text, std::string_view what) {
    Parsed parsed = parse(text);
    if (!parsed.problem.empty()) {
        throw InputError(fmt::format("{}: \"{}\" is not a SemVer 2.0.0 version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]): {}",
                                     what, text, parsed.problem));
    }
    return std::move(parsed.version);
}

}  // namespace gantry
