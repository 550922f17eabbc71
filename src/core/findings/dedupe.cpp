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
#include <functional>
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
        if (finding.sarif_identity) {
            auto [candidate, end] = by_sarif_identity_.equal_range(sarif_hash(finding));
            for (; candidate != end; ++candidate) {
                if (same_sarif_result(survivors_[candidate->second], finding)) return candidate->second;
            }
            return std::nullopt;
        }
        for (const std::string_view id : identifiers_of(finding)) {
            if (!has_package(finding)) {
                if (const auto it = by_place_.find(index_key(finding.kind, place_of(finding), "", id)); it != by_place_.end()) {
                    return it->second;
                }
                continue;
            }
            if (!finding.purl.empty()) {
                const PackageKey key{finding.kind, purl_without_qualifiers(finding.purl), finding.version, id};
                if (const auto match = first_candidate(by_purl_, key, Named::ByPurl, [](const Finding&) { return true; })) {
                    return match;
                }
            }
            if (finding.package.empty()) {
                continue;
            }
            // Two purls that differ name different packages, even under the same name.
            const PackageKey key{finding.kind, finding.package, finding.version, id};
            if (const auto match = first_candidate(by_name_, key, Named::ByName, [&](const Finding& survivor) {
                    return finding.purl.empty() || survivor.purl.empty();
                })) {
                return match;
            }
        }
        return std::nullopt;
    }

    void register_identifiers(std::size_t index, const std::vector<std::string_view>& ids) {
        const Finding& survivor = survivors_[index];
        if (survivor.sarif_identity) {
            // Only a result of another identity (find_match() said so) or its own again after a merge.
            const auto [candidate, end] = by_sarif_identity_.equal_range(sarif_hash(survivor));
            if (std::none_of(candidate, end, [&](const auto& entry) { return entry.second == index; })) {
                by_sarif_identity_.emplace(sarif_hash(survivor), index);
            }
            return;
        }
        for (const std::string_view id : ids) {
            if (!has_package(survivor)) {
                by_place_.try_emplace(index_key(survivor.kind, place_of(survivor), "", id), index);
                continue;
            }
            if (!survivor.purl.empty()) {
                // The first survivor of a key keeps it.
                const PackageKey key{survivor.kind, purl_without_qualifiers(survivor.purl), survivor.version, id};
                const auto [entry, end] = by_purl_.equal_range(key.hash());
                if (std::none_of(entry, end, [&](const auto& e) { return has_key(survivors_[e.second.index], key, Named::ByPurl); })) {
                    by_purl_.emplace(key.hash(), Candidate{index, registrations_++});
                }
            }
            if (!survivor.package.empty()) {
                // Every survivor of a key is a candidate, once.
                const PackageKey key{survivor.kind, survivor.package, survivor.version, id};
                const auto [entry, end] = by_name_.equal_range(key.hash());
                if (std::none_of(entry, end, [&](const auto& e) { return e.second.index == index; })) {
                    by_name_.emplace(key.hash(), Candidate{index, registrations_++});
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
            survivor.scanner = survivor.scanner.empty() ? other.scanner : SharedText(survivor.scanner + ", " + other.scanner);
        }
        // What one scanner left empty another may know.
        const auto fill = []<typename Text>(Text& mine, Text& theirs) {
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

    // The package indexes keep a hash of (kind, package, version, identifier), not the text: a hash
    // match is confirmed against the survivor itself. Its kind, package and version never change, nor
    // does its purl once it has one, and its identifiers (identifiers_of) are exactly those it was
    // registered under: a merge only adds aliases, and registers each it adds.
    struct PackageKey {
        FindingKind kind;
        std::string_view package;  // purl without qualifiers, or name
        std::string_view version;
        std::string_view id;

        std::size_t hash() const {
            std::size_t h = static_cast<std::size_t>(kind);
            for (const std::string_view part : {package, version, id}) {
                h ^= std::hash<std::string_view>{}(part) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
            }
            return h;
        }
    };
    enum class Named { ByPurl, ByName };
    struct Candidate {
        std::size_t index;  // into survivors_
        std::size_t order;  // of registration: candidates of one key are tried in this order
    };
    using PackageIndex = std::unordered_multimap<std::size_t, Candidate>;

    static bool has_key(const Finding& survivor, const PackageKey& key, Named named) {
        if (survivor.kind != key.kind || survivor.version != key.version) return false;
        if (named == Named::ByPurl ? survivor.purl.empty() || purl_without_qualifiers(survivor.purl) != key.package
                                   : survivor.package != key.package) {
            return false;
        }
        if (!survivor.id.empty() && survivor.id == key.id) return true;
        return names_one_vulnerability(key.id) &&
               std::find(survivor.aliases.begin(), survivor.aliases.end(), key.id) != survivor.aliases.end();
    }

    // The earliest registered survivor of `key` that `accepts`.
    template <class Accepts>
    std::optional<std::size_t> first_candidate(const PackageIndex& index, const PackageKey& key, Named named,
                                               Accepts&& accepts) const {
        std::optional<Candidate> first;
        const auto [entry, end] = index.equal_range(key.hash());
        for (auto it = entry; it != end; ++it) {
            const Candidate& candidate = it->second;
            if (first && first->order < candidate.order) continue;
            const Finding& survivor = survivors_[candidate.index];
            if (has_key(survivor, key, named) && accepts(survivor)) first = candidate;
        }
        return first ? std::optional<std::size_t>(first->index) : std::nullopt;
    }

    // Results of one tool (as sarif-merge dedupes within a run of one tool). The index keeps a hash of
    // the two, not a copy. A hash match is confirmed against the survivor itself, whose scanner and
    // identity never change (it only ever merges with results of its own scanner and identity).
    static std::size_t sarif_hash(const Finding& finding) {
        const std::size_t scanner = std::hash<std::string_view>{}(finding.scanner);
        const std::size_t identity = static_cast<std::size_t>(finding.sarif_identity->low);
        return scanner ^ (identity + 0x9e3779b97f4a7c15ULL + (scanner << 6) + (scanner >> 2));
    }
    static bool same_sarif_result(const Finding& a, const Finding& b) {
        return a.sarif_identity == b.sarif_identity && a.scanner == b.scanner;
    }

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
    PackageIndex by_purl_;
    PackageIndex by_name_;
    std::size_t registrations_ = 0;
    std::unordered_map<std::string, std::size_t> by_place_;
    std::unordered_multimap<std::size_t, std::size_t> by_sarif_identity_;  // sarif_hash -> survivor
};

}  // namespace

FindingList deduplicate(FindingList findings) { return Deduplication().run(std::move(findings)); }

}  // namespace gantry
