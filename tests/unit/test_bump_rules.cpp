#include <doctest/doctest.h>

#include "gantry/base/error.hpp"
#include "gantry/semver/bump_rules.hpp"

using gantry::Bump;
using gantry::BumpRules;
using gantry::next_version;
using gantry::parse_semantic_version;

namespace {

gantry::CommitChange change(const char* type, bool breaking = false) {
    return {.header = {.type = type, .scope = "", .exclamation = breaking, .description = "x"}, .breaking = breaking};
}

std::string next(const char* base, Bump bump, const BumpRules& rules = BumpRules()) {
    return next_version(parse_semantic_version(base), bump, rules, *parse_semantic_version("0.1.0")).to_string();
}

}  // namespace

TEST_SUITE("bump rules") {
    TEST_CASE("default rules: feat minor, fix/perf/revert patch, others none, breaking major") {
        const BumpRules rules;
        CHECK(rules.bump_for(change("feat")) == Bump::Minor);
        CHECK(rules.bump_for(change("fix")) == Bump::Patch);
        CHECK(rules.bump_for(change("perf")) == Bump::Patch);
        CHECK(rules.bump_for(change("revert")) == Bump::Patch);
        CHECK(rules.bump_for(change("docs")) == Bump::None);
        CHECK(rules.bump_for(change("defeat")) == Bump::None);
        CHECK(rules.bump_for(change("docs", true)) == Bump::Major);
    }

    TEST_CASE("a revert bumps by what it reverts; semantic-release releases a patch for any revert") {
        const BumpRules rules;
        gantry::CommitChange revert = change("revert");
        revert.is_revert = true;
        const auto reverting = [](const char* title) {
            return gantry::RevertedCommit{"0123456", title, gantry::parse_conventional_header(title), gantry::RevertMatch::Id};
        };
        CHECK(rules.bump_for(revert, reverting("feat: x")) == Bump::Patch);
        CHECK(rules.bump_for(revert, reverting("fix!: x")) == Bump::Patch);
        CHECK(rules.bump_for(revert, reverting("docs: typo")) == Bump::None);
        CHECK(rules.bump_for(revert, reverting("Update README")) == Bump::Patch);  // unknown: the revert type's bump
        CHECK(rules.bump_for(revert) == Bump::Patch);
        const BumpRules semantic_release(gantry::ReadingPreset::ConventionalCommits);
        gantry::CommitChange untyped_revert;
        untyped_revert.is_revert = true;
        CHECK(semantic_release.bump_for(untyped_revert, reverting("docs: typo")) == Bump::Patch);
        const BumpRules cocogitto(gantry::ReadingPreset::Cocogitto);
        CHECK(cocogitto.bump_for(revert, reverting("feat: x")) == Bump::None);
    }

    TEST_CASE("presets bring their tools' rules") {
        const BumpRules semantic_release(gantry::ReadingPreset::Angular);
        CHECK(semantic_release.bump_for(change("feat")) == Bump::Minor);
        CHECK(semantic_release.bump_for(change("FEAT")) == Bump::Minor);
        CHECK(semantic_release.bump_for(change("Feat")) == Bump::None);  // matched as written
        CHECK(semantic_release.bump_for(change("perf")) == Bump::Patch);
        CHECK(semantic_release.bump_for(change("revert")) == Bump::None);  // a revert is by its pattern, not its type
        CHECK(semantic_release.zero_major_breaking == gantry::ZeroMajorBreaking::Major);
        const BumpRules release_please(gantry::ReadingPreset::ReleasePlease);
        CHECK(release_please.bump_for(change("feature")) == Bump::Minor);
        CHECK(release_please.bump_for(change("revert")) == Bump::Patch);
        CHECK(release_please.bump_for(change("Fix")) == Bump::None);
        const BumpRules cocogitto(gantry::ReadingPreset::Cocogitto);
        CHECK(cocogitto.bump_for(change("Fix")) == Bump::Patch);
        CHECK(cocogitto.bump_for(change("perf")) == Bump::None);
        CHECK(cocogitto.zero_major_breaking == gantry::ZeroMajorBreaking::TypeBump);
    }

    TEST_CASE("rules are configurable; bad rules are usage errors") {
        BumpRules rules;
        rules.add_rule("docs=patch", "--bump-rule");
        rules.add_rule("feat=patch", "--bump-rule");
        rules.add_rule("FIX=none", "--bump-rule");
        CHECK(rules.bump_for(change("docs")) == Bump::Patch);
        CHECK(rules.bump_for(change("feat")) == Bump::Patch);
        CHECK(rules.bump_for(change("fix")) == Bump::None);
        CHECK_THROWS_AS(rules.add_rule("docs", "--bump-rule"), gantry::UsageError);
        CHECK_THROWS_AS(rules.add_rule("docs=huge", "--bump-rule"), gantry::UsageError);
        CHECK_THROWS_AS(rules.add_rule("=patch", "--bump-rule"), gantry::UsageError);
        CHECK_THROWS_AS(rules.add_rule("do cs=patch", "--bump-rule"), gantry::UsageError);
    }

    TEST_CASE("the largest bump wins and combining never lowers it") {
        CHECK(gantry::max_bump(Bump::Patch, Bump::Minor) == Bump::Minor);
        CHECK(gantry::max_bump(Bump::Major, Bump::Patch) == Bump::Major);
        CHECK(gantry::max_bump(Bump::None, Bump::None) == Bump::None);
    }

    TEST_CASE("next versions") {
        CHECK(next("1.2.3", Bump::Patch) == "1.2.4");
        CHECK(next("1.2.3", Bump::Minor) == "1.3.0");
        CHECK(next("1.2.3", Bump::Major) == "2.0.0");
        CHECK(next("1.2.3", Bump::None) == "1.2.3");
        CHECK(next("1.2.3+build.7", Bump::Patch) == "1.2.4");
    }

    TEST_CASE("the 0.x rule: breaking bumps minor while major is 0, unless configured") {
        CHECK(next("0.4.2", Bump::Major) == "0.5.0");
        BumpRules rules;
        rules.zero_major_breaking = gantry::ZeroMajorBreaking::Major;
        CHECK(next("0.4.2", Bump::Major, rules) == "1.0.0");
        CHECK(gantry::effective_bump(Bump::Major, parse_semantic_version("0.4.2"), BumpRules()) == Bump::Minor);
        CHECK(gantry::effective_bump(Bump::Major, parse_semantic_version("1.4.2"), BumpRules()) == Bump::Major);
    }

    TEST_CASE("a pre-release base leads to its own release when the bump fits, never below it") {
        CHECK(next("1.3.0-rc.2", Bump::Patch) == "1.3.0");
        CHECK(next("1.3.0-rc.2", Bump::Minor) == "1.3.0");
        CHECK(next("1.3.0-rc.2", Bump::Major) == "2.0.0");
        CHECK(next("2.0.0-rc.1", Bump::Major) == "2.0.0");
        CHECK(next("1.3.1-rc.1", Bump::Minor) == "1.4.0");
        for (const char* base : {"1.3.0-rc.2", "1.2.3", "0.0.1", "2.0.0-rc.1"}) {
            for (Bump bump : {Bump::Patch, Bump::Minor, Bump::Major}) {
                CAPTURE(base);
                CHECK(*parse_semantic_version(next(base, bump)) > *parse_semantic_version(base));
            }
        }
    }

    TEST_CASE("no base: the initial version") {
        CHECK(next_version(std::nullopt, Bump::Patch, BumpRules(), *parse_semantic_version("1.0.0")).to_string() == "1.0.0");
    }
}
