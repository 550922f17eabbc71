// What both VEX readers share: telling the kinds apart, statuses, dates and matching a finding.
#include "gantry/vex/vex_document.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/vex/package_url.hpp"

namespace gantry {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// Reads "NN" of exactly `width` digits at `text[at]`; nullopt otherwise.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t width) {
    if (at + width > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + width; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

enum class Kind { OpenVex, CycloneDx };

// Top-level keys decide, without reading a value, as the report reader does.
Kind sniff(JsonDocument& document) {
    std::vector<std::string> keys;
    auto root = document.root_object();
    bool has_document = false;
    for (auto field_result : root) {
        simdjson::ondemand::field field;
        if (const auto error = std::move(field_result).get(field)) document.fail_syntax(error);
        std::string_view key;
        if (const auto error = field.unescaped_key().get(key)) document.fail_syntax(error);
        if (key == "@context" || key == "statements") return Kind::OpenVex;
        if (key == "bomFormat") return Kind::CycloneDx;
        if (key == "document") has_document = true;
        if (keys.size() < 10) keys.emplace_back(key);
    }
    std::string listed;
    for (const auto& key : keys) listed += (listed.empty() ? "" : ", ") + key;
    if (has_document) {
        throw InputError(SourcePosition{document.name()},
                         "a CSAF document is not read as VEX: expected an OpenVEX document or a CycloneDX BOM "
                         "with vulnerabilities[] (vexctl can turn CSAF into OpenVEX)");
    }
    throw InputError(SourcePosition{document.name()},
                     fmt::format("not a VEX document: expected an OpenVEX document (\"@context\": "
                                 "\"https://openvex.dev/ns/v0.2.0\", \"statements\": [...]) or a CycloneDX BOM "
                                 "(\"bomFormat\": \"CycloneDX\") with vulnerabilities[] (top-level keys: {})",
                                 listed.empty() ? "none" : listed));
}

VexDocument read_sniffed(JsonDocument& document) {
    const Kind kind = sniff(document);
    document.rewind();
    VexDocument read = kind == Kind::OpenVex ? read_openvex(document) : read_cyclonedx_vex(document);
    document.expect_end();
    return read;
}

template <class Read>
VexDocument guarded(const std::string& name, Read&& read) {
    try {
        return read();
    } catch (const simdjson::simdjson_error& error) {
        throw InputError(SourcePosition{name}, fmt::format("invalid JSON: {}", error.what()));
    }
}

}  // namespace

std::string_view to_string(VexFormat format) {
    return format == VexFormat::OpenVex ? "openvex" : "cyclonedx";
}

std::string_view to_string(VexStatus status) {
    switch (status) {
    case VexStatus::NotAffected: return "not_affected";
    case VexStatus::Fixed: return "fixed";
    case VexStatus::Affected: return "affected";
    case VexStatus::UnderInvestigation: return "under_investigation";
    case VexStatus::Resolved: return "resolved";
    case VexStatus::ResolvedWithPedigree: return "resolved_with_pedigree";
    case VexStatus::FalsePositive: return "false_positive";
    case VexStatus::Exploitable: return "exploitable";
    case VexStatus::InTriage: return "in_triage";
    }
    return "under_investigation";
}

VexEffect effect_of(VexStatus status) {
    switch (status) {
    case VexStatus::NotAffected:
    case VexStatus::Fixed:
    case VexStatus::Resolved:
    case VexStatus::ResolvedWithPedigree:
    case VexStatus::FalsePositive: return VexEffect::Waives;
    case VexStatus::Affected:
    case VexStatus::UnderInvestigation:
    case VexStatus::Exploitable:
    case VexStatus::InTriage: return VexEffect::WaivesNothing;
    }
    return VexEffect::WaivesNothing;
}

std::optional<std::chrono::sys_days> parse_rfc3339_day(std::string_view text) {
    using namespace std::chrono;
    const auto year = digits(text, 0, 4);
    const auto month = digits(text, 5, 2);
    const auto day = digits(text, 8, 2);
    if (!year || !month || !day || text[4] != '-' || text[7] != '-') return std::nullopt;
    const year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                              std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok()) return std::nullopt;
    sys_days result{date};
    if (text.size() == 10) return result;
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
    const auto hour = digits(text, 11, 2);
    const auto minute = digits(text, 14, 2);
    const auto second = digits(text, 17, 2);
    if (!hour || !minute || !second || text[13] != ':' || text[16] != ':' || *hour > 23 || *minute > 59 ||
        *second > 60) {
        return std::nullopt;
    }
    std::size_t at = 19;
    if (at < text.size() && text[at] == '.') {
        ++at;
        const std::size_t first_digit = at;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
        if (at == first_digit) return std::nullopt;
    }
    if (at >= text.size()) return std::nullopt;  // RFC 3339 requires the offset
    int offset_minutes = 0;
    if (text[at] == 'Z' || text[at] == 'z') {
        ++at;
    } else if (text[at] == '+' || text[at] == '-') {
        const auto offset_hour = digits(text, at + 1, 2);
        const auto offset_minute = digits(text, at + 4, 2);
        if (!offset_hour || !offset_minute || text[at + 3] != ':' || *offset_hour > 23 || *offset_minute > 59) {
            return std::nullopt;
        }
        offset_minutes = (*offset_hour * 60 + *offset_minute) * (text[at] == '+' ? 1 : -1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != text.size()) return std::nullopt;
    // Local time minus the offset is UTC; only the day is kept.
    const auto utc = result + hours{*hour} + minutes{*minute} - minutes{offset_minutes};
    return floor<days>(utc);
}

VexDocument read_vex_document(const std::filesystem::path& path) {
    const std::string name = path.string();
    return guarded(name, [&] {
        JsonDocument document(path);
        return read_sniffed(document);
    });
}

VexDocument read_vex_text(std::string_view text, const std::string& name) {
    return guarded(name, [&] {
        JsonDocument document(name, simdjson::padded_string(text));
        return read_sniffed(document);
    });
}

bool vex_statement_covers(const VexStatement& statement, const Finding& finding) {
    if (finding.purl.empty()) return false;
    const bool id_match = std::any_of(statement.vulnerability_ids.begin(), statement.vulnerability_ids.end(),
                                      [&](const std::string& id) {
                                          return iequals(id, finding.id) ||
                                                 std::any_of(finding.aliases.begin(), finding.aliases.end(),
                                                             [&](const std::string& a) { return iequals(id, a); });
                                      });
    if (!id_match) return false;
    return std::any_of(statement.products.begin(), statement.products.end(),
                       [&](const std::string& product) { return package_url_matches(product, finding.purl); });
}

}  // namespace gantry
