// Cross-scanner deduplication: one pass, with hash indexes from (kind, package, version, identifier) to
// the surviving finding, so a report of 100,000 findings is deduplicated in linear time.
//
// Package identity: two findings that both carry a purl are compared by purl (without qualifiers and
// subpath: Trivy and Grype disagree on those); otherwise by package name. SARIF results of one tool
// are the same when sarif-merge would take them for the same (sarif_result_identity.hpp). Other
// findings without a package (misconfiguration, secret, a licence found in a file) are the same only
// at the same place - same target, file, line, column and message - or every result of one rule would
// collapse into one.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gantry/findings/dedupe.hpp"
#include "gantry/findings/report_formats.hpp"

namespace gantry {
namespace {

std::string_view purl_without_qualifiers(std::string_view purl) { return purl.substr(0, purl.find_first_of("?#")); }

std::string index_key(FindingKind kind, std::string_view package, std::string_view version, std::string_view id) {
    std::string key;
    key.reserve(package.size() + version.size() + id.size() + 4);
    key += static_cast<char>('0' + static_cast<int>(kind));
    key += '\n';
    key += package;
    key += '\n';
    key += version;
    key += '\n';
    key += id;
    return key;
}

std::string place_of(const Finding& finding) {
    std::string place = finding.target;
    if (finding.location) {
        place += '\n';
        place += finding.location->path;
        place += ':';
        place += std::to_string(finding.location->start_line);
        place += ':';
        place += std::to_string(finding.location->start_column);
    }
    // One SARIF rule can fire twice on one line for different things (Trivy: two packages of an image).
    place += '\n';
    place += finding.message;
    return place;
}

bool has_package(const Finding& finding) { return !finding.purl.empty() || !finding.package.empty(); }

// Aliases that name exactly one vulnerability. Vendor advisories (RHSA-, DSA-, USN-, ALAS...) fix many
// CVEs at once: linking through them would merge different vulnerabilities of one package.
bool names_one_vulnerability(std::string_view alias) {
    for (const std::string_view prefix : {"CVE-", "GHSA-", "PYSEC-", "RUSTSEC-", "GO-", "OSV-", "GSD-"}) {
        if (alias.starts_with(prefix)) {
            return true;
        }
    }
    return false;
}

std::vector<std::string_view> identifiers_of(const Finding& finding) {
    std::vector<std::string_view> ids;
    ids.reserve(finding.aliases.size() + 1);
    if (!finding.id.empty()) {
        ids.push_back(finding.id);
    }
    for (const std::string& alias : finding.aliases) {
        if (names_one_vulnerability(alias)) {
            ids.push_back(alias);
        }
    }
    return ids;
}

class Deduplication {
public:
    // In place: survivors move to the front of the one list, so a report of 100,000 findings is
    // never held twice. The indexes name positions before `kept` only.
    FindingList run(FindingList findings) {
        survivors_ = std::move(findings);
        std::size_t kept = 0;
        for (std::size_t i = 0; i < survivors_.size(); ++i) {
            if (const auto match = find_match(survivors_[i])) {
                merge(*match, std::move(survivors_[i]));
                continue;
            }
            if (kept != i) {
                survivors_[kept] = std::move(survivors_[i]);
            }
            register_identifiers(kept, identifiers_of(survivors_[kept]));
            ++kept;
        }
        survivors_.erase(survivors_.begin() + static_cast<std::ptrdiff_t>(kept), survivors_.end());
        return std::move(survivors_);
    }

private:
    std::optional<std::size_t> find_match(const Finding& finding) const {
        if (!finding.sarif_identity.empty()) {
            const auto it = by_sarif_identity_.find(sarif_key(finding));
            return it == by_sarif_identity_.end() ? std::nullopt : std::optional<std::size_t>(it->second);
        }
        for (const std::string_view id : identifiers_of(finding)) {
            if (!has_package(finding)) {
                if (const auto it = by_place_.find(index_key(finding.kind, place_of(finding), "", id)); it != by_place_.end()) {
                    return it->second;
                }
                continue;
            }
            if (!finding.purl.empty()) {
                const auto it = by_purl_.find(index_key(finding.kind, purl_without_qualifiers(finding.purl), finding.version, id));
                if (it != by_purl_.end()) {
                    return it->second;
                }
            }
            if (finding.package.empty()) {
                continue;
            }
            const auto it = by_name_.find(index_key(finding.kind, finding.package, finding.version, id));
            if (it == by_name_.end()) {
                continue;
            }
            for (const std::size_t candidate : it->second) {
                // Two purls that differ name different packages, even under the same name.
                if (finding.purl.empty() || survivors_[candidate].purl.empty()) {
                    return candidate;
                }
            }
        }
        return std::nullopt;
    }

    void register_identifiers(std::size_t index, const std::vector<std::string_view>& ids) {
        const Finding& survivor = survivors_[index];
        if (!survivor.sarif_identity.empty()) {
            by_sarif_identity_.try_emplace(sarif_key(survivor), index);
            return;
        }
        for (const std::string_view id : ids) {
            if (!has_package(survivor)) {
                by_place_.try_emplace(index_key(survivor.kind, place_of(survivor), "", id), index);
                continue;
            }
            if (!survivor.purl.empty()) {
                by_purl_.try_emplace(index_key(survivor.kind, purl_without_qualifiers(survivor.purl), survivor.version, id),
                                     index);
            }
            if (!survivor.package.empty()) {
                auto& candidates = by_name_[index_key(survivor.kind, survivor.package, survivor.version, id)];
                if (std::find(candidates.begin(), candidates.end(), index) == candidates.end()) {
                    candidates.push_back(index);
                }
            }
        }
    }

    void merge(std::size_t index, Finding other) {
        Finding& survivor = survivors_[index];
        const bool gains_purl = survivor.purl.empty() && !other.purl.empty();
        survivor.severity = std::max(survivor.severity, other.severity);
        if (other.cvss_score && (!survivor.cvss_score || *other.cvss_score > *survivor.cvss_score)) {
            survivor.cvss_score = other.cvss_score;
        }
        const std::size_t known_aliases = survivor.aliases.size();
        add_alias(survivor, other.id);
        for (const std::string& alias : other.aliases) {
            add_alias(survivor, alias);
        }
        tidy_aliases(survivor);
        if (!other.scanner.empty() && !lists_scanner(survivor.scanner, other.scanner)) {
            survivor.scanner = survivor.scanner.empty() ? other.scanner : survivor.scanner + ", " + other.scanner;
        }
        // What one scanner left empty another may know.
        const auto fill = [](std::string& mine, std::string& theirs) {
            if (mine.empty()) {
                mine = std::move(theirs);
            }
        };
        fill(survivor.purl, other.purl);
        fill(survivor.fixed_version, other.fixed_version);
        fill(survivor.title, other.title);
        fill(survivor.url, other.url);
        fill(survivor.target, other.target);
        // A report's "not affected" about this vulnerability of this package holds whoever found it.
        fill(survivor.vex_analysis, other.vex_analysis);
        if (survivor.fix_state == FixState::Unknown) {
            survivor.fix_state = other.fix_state;
        }
        if (!survivor.location) {
            survivor.location = std::move(other.location);
        }

        std::vector<std::string_view> new_ids;
        if (gains_purl) {
            new_ids = identifiers_of(survivor);
        } else {
            for (std::size_t i = std::min(known_aliases, survivor.aliases.size()); i < survivor.aliases.size(); ++i) {
                if (names_one_vulnerability(survivor.aliases[i])) {
                    new_ids.push_back(survivor.aliases[i]);
                }
            }
        }
        register_identifiers(index, new_ids);
    }

    // Results of one tool (as sarif-merge dedupes within a run of one tool).
    static std::string sarif_key(const Finding& finding) { return finding.scanner + '\x1f' + finding.sarif_identity; }

    static bool lists_scanner(std::string_view scanners, std::string_view scanner) {
        std::size_t start = 0;
        while (start <= scanners.size()) {
            const std::size_t comma = scanners.find(", ", start);
            if (scanners.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start) == scanner) {
                return true;
            }
            if (comma == std::string_view::npos) {
                return false;
            }
            start = comma + 2;
        }
        return false;
    }

    FindingList survivors_;
    std::unordered_map<std::string, std::size_t> by_purl_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_name_;
    std::unordered_map<std::string, std::size_t> by_place_;
    std::unordered_map<std::string, std::size_t> by_sarif_identity_;
};

}  // namespace

FindingList deduplicate(FindingList findings) { return Deduplication().run(std::move(findings)); }

}  // namespace gantry
