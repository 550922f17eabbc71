#include "gantry/semver/bump_rules.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace gantry {

std::string_view to_string(Bump bump) {
    switch (bump) {
        case Bump::None: return "none";
        case Bump::Patch: return "patch";
        case Bump::Minor: return "minor";
        case Bump::Major: return "major";
    }
    return "none";
}

std::optional<Bump> parse_bump(std::string_view text) {
    for (Bump bump : {Bump::None, Bump::Patch, Bump::Minor, Bump::Major}) {
        if (text == to_string(bump)) return bump;
    }
    return std::nullopt;
}

Bump max_bump(Bump a, Bump b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

BumpRules::BumpRules(ReadingPreset preset) {
    switch (preset) {
        case ReadingPreset::Gantry:
            by_type_ = {{"feat", Bump::Minor}, {"fix", Bump::Patch}, {"perf", Bump::Patch}, {"revert", Bump::Patch}};
            break;
        case ReadingPreset::ConventionalCommits:
        case ReadingPreset::Angular:
            // commit-analyzer's default release rules (the Angular and JSHint ones; the others need
            // fields these presets never parse).
            by_type_ = {{"feat", Bump::Minor}, {"FEAT", Bump::Minor}, {"fix", Bump::Patch}, {"FIX", Bump::Patch}, {"perf", Bump::Patch}};
            type_case_ = TypeCase::AsWritten;
            revert_bump_ = RevertBump::AlwaysPatch;
            zero_major_breaking = ZeroMajorBreaking::Major;
            break;
        case ReadingPreset::ReleasePlease:
            // DefaultVersioningStrategy (feat, feature -> minor) over the commits the changelog shows
            // (fix, perf, revert; the other types are hidden and release nothing alone).
            by_type_ = {{"feat", Bump::Minor}, {"feature", Bump::Minor}, {"fix", Bump::Patch}, {"perf", Bump::Patch}, {"revert", Bump::Patch}};
            type_case_ = TypeCase::AsWritten;
            revert_bump_ = RevertBump::ByType;
            zero_major_breaking = ZeroMajorBreaking::Major;
            break;
        case ReadingPreset::Cocogitto:
            by_type_ = {{"feat", Bump::Minor}, {"fix", Bump::Patch}};
            revert_bump_ = RevertBump::ByType;
            zero_major_breaking = ZeroMajorBreaking::TypeBump;
            break;
    }
}

std::string BumpRules::key(std::string_view type) const {
    std::string out(type);
    if (type_case_ == TypeCase::Insensitive) {
        std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    return out;
}

void BumpRules::set(std::string type, Bump bump) { by_type_[key(type)] = bump; }

void BumpRules::add_rule(std::string_view rule, std::string_view what) {
    const std::size_t eq = rule.find('=');
    const auto bad = [&](std::string_view why) {
        return UsageError(fmt::format("{}: bad bump rule \"{}\": {} (expected TYPE=BUMP with BUMP one of major, minor, "
                                      "patch, none, e.g. docs=patch)", what, rule, why));
    };
    if (eq == std::string_view::npos) throw bad("no '='");
    const std::string_view type = rule.substr(0, eq);
    const std::string_view bump_text = rule.substr(eq + 1);
    if (type.empty() || !parse_conventional_header(std::string(type) + ": x")) throw bad("the type is not a Conventional Commits type");
    const auto bump = parse_bump(bump_text);
    if (!bump) throw bad(fmt::format("unknown bump \"{}\"", bump_text));
    set(std::string(type), *bump);
}

Bump BumpRules::bump_for_type(std::string_view type) const {
    const auto it = by_type_.find(key(type));
    return it == by_type_.end() ? Bump::None : it->second;
}

Bump BumpRules::bump_for(const CommitChange& change, const std::optional<RevertedCommit>& reverts) const {
    if (change.breaking) return Bump::Major;
    if (change.is_revert) {
        switch (revert_bump_) {
            case RevertBump::AlwaysPatch: return max_bump(Bump::Patch, bump_for_type(change.header.type));
            case RevertBump::FollowsReverted:
                if (reverts && reverts->header) {
                    const bool released = reverts->header->exclamation || bump_for_type(reverts->header->type) != Bump::None;
                    return released ? Bump::Patch : Bump::None;
                }
                return bump_for_type("revert");
            case RevertBump::ByType: break;
        }
    }
    return bump_for_type(change.header.type);
}

std::vector<std::string> BumpRules::releasing_types() const {
    std::vector<std::string> types;
    for (const auto& [type, bump] : by_type_) {
        if (bump != Bump::None) types.push_back(type);
    }
    return types;
}

Bump effective_bump(Bump bump, const std::optional<SemanticVersion>& base, const BumpRules& rules) {
    if (bump == Bump::Major && base && base->major == 0 && rules.zero_major_breaking == ZeroMajorBreaking::Minor) {
        return Bump::Minor;
    }
    return bump;
}

SemanticVersion next_version(const std::optional<SemanticVersion>& base, Bump bump, const BumpRules& rules,
                             const SemanticVersion& initial) {
    if (!base) return initial;
    const SemanticVersion from = *base;
    SemanticVersion next = from.release();
    switch (effective_bump(bump, base, rules)) {
        case Bump::None: return next;
        case Bump::Patch:
            // 1.3.0-rc.2 + patch is 1.3.0 (the release the pre-release led up to), not 1.3.1.
            if (!from.is_prerelease()) ++next.patch;
            break;
        case Bump::Minor:
            if (!from.is_prerelease() || from.patch != 0) {
                ++next.minor;
                next.patch = 0;
            }
            break;
        case Bump::Major:
            if (!from.is_prerelease() || from.patch != 0 || from.minor != 0) {
                ++next.major;
                next.minor = 0;
                next.patch = 0;
            }
            break;
    }
    return next;
}

}  // namespace gantry
