#include <doctest/doctest.h>

#include "gantry/base/error.hpp"
#include "scan-gate/policy.hpp"

using namespace scan_gate;
using gantry::Finding;
using gantry::FindingKind;
using gantry::Severity;

TEST_SUITE("policy") {
TEST_CASE("a full policy file is read") {
    const Policy p = parse_policy_yaml(R"(
fail-on: critical
max:
  high: 5
  medium: 20
fixed-only: true
min-cvss: 4.5
kinds: [vulnerability, secret]
scope:
  targets:
    exclude: ["**/test/**"]
  packages: ["lodash*", "pkg:npm/*"]
allow-permanent-waivers: yes
expiry-warning-days: 30
)", "policy.yaml");
    CHECK(p.fail_on == Severity::Critical);
    CHECK(p.fail_on_configured);
    CHECK(p.budget(Severity::High) == 5);
    CHECK(p.budget(Severity::Medium) == 20);
    CHECK_FALSE(p.budget(Severity::Critical).has_value());
    CHECK(p.fix_filter == FixFilter::FixableOnly);
    CHECK(p.min_cvss == doctest::Approx(4.5));
    CHECK(p.kinds == std::vector<FindingKind>{FindingKind::Vulnerability, FindingKind::Secret});
    CHECK(p.targets.exclude == std::vector<std::string>{"**/test/**"});
    CHECK(p.packages.include.size() == 2);
    CHECK(p.permanent_waivers == PermanentWaivers::Allowed);
    CHECK(p.expiry_warning_days == 30);
}

TEST_CASE("fail-on none is an explicit choice") {
    const Policy p = parse_policy_yaml("fail-on: none\n", "p.yaml");
    CHECK_FALSE(p.fail_on.has_value());
    CHECK(p.fail_on_configured);
}

TEST_CASE("an empty file is the empty policy") {
    const Policy p = parse_policy_yaml("", "p.yaml");
    CHECK_FALSE(p.fail_on.has_value());
    CHECK_FALSE(p.has_budget());
}

TEST_CASE("mistakes name the file, line and key") {
    auto message = [](const std::string& text) {
        try {
            parse_policy_yaml(text, "policy.yaml");
        } catch (const gantry::InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("max:\n  high: five\n") == "policy.yaml:2:9: max.high: expected a whole number >= 0, found 'five'");
    CHECK(message("fail-on: severe\n").find("policy.yaml:1:10: fail-on: expected a severity") == 0);
    CHECK(message("fial-on: high\n").find("policy.yaml:1:1: fial-on: unknown key (expected fail-on, max, ") == 0);
    CHECK(message("max: [1, 2]\n").find("expected a mapping") != std::string::npos);
    CHECK(message("min-cvss: 11\n").find("between 0 and 10") != std::string::npos);
    CHECK(message("kinds: [vuln]\n").find("unknown kind 'vuln'") != std::string::npos);
    CHECK(message("fail-on: [high\n").find("policy.yaml:") == 0);
    CHECK(message("- a\n- b\n").find("expected a mapping") != std::string::npos);
    CHECK(message("scope:\n  images: [a]\n").find("scope.images: unknown key") != std::string::npos);
}

TEST_CASE("budgets from flags") {
    CHECK(parse_budget("high=5") == std::pair{Severity::High, 5LL});
    CHECK(parse_budget("CRITICAL=0") == std::pair{Severity::Critical, 0LL});
    CHECK_THROWS_AS(parse_budget("high"), gantry::UsageError);
    CHECK_THROWS_AS(parse_budget("high=-1"), gantry::UsageError);
    CHECK_THROWS_AS(parse_budget("high=5x"), gantry::UsageError);
    CHECK_THROWS_AS(parse_budget("severe=1"), gantry::UsageError);
}

TEST_CASE("scope rules") {
    Finding f;
    f.id = "CVE-1";
    f.kind = FindingKind::Vulnerability;
    f.package = "lodash";
    f.purl = "pkg:npm/lodash@4.17.20";
    f.target = "app/test/package-lock.json";
    f.cvss_score = 5.0;

    Policy p;
    CHECK_FALSE(out_of_scope_reason(p, f).has_value());
    p.kinds = {FindingKind::Secret};
    CHECK(out_of_scope_reason(p, f) == "kind vulnerability not included");
    p.kinds.clear();
    p.targets.exclude = {"*/test/*"};
    CHECK(out_of_scope_reason(p, f) == "target excluded");
    p.targets.exclude.clear();
    p.targets.include = {"src/*"};
    CHECK(out_of_scope_reason(p, f) == "target not in scope");
    p.targets.include = {"app/*"};
    CHECK_FALSE(out_of_scope_reason(p, f).has_value());
    p.packages.exclude = {"pkg:npm/*"};
    CHECK(out_of_scope_reason(p, f) == "package excluded");
    p.packages.exclude.clear();
    p.min_cvss = 7.0;
    CHECK(out_of_scope_reason(p, f) == "CVSS below minimum");
    f.cvss_score.reset();
    CHECK_FALSE(out_of_scope_reason(p, f).has_value());  // no score: kept
}

TEST_CASE("globs cross directory separators") {
    CHECK(glob_match("*.json", "a/b/c.json"));
    CHECK(glob_match("**/test/**", "x/test/y"));
    CHECK_FALSE(glob_match("src/*", "lib/a"));
}
}
