#include <doctest/doctest.h>

#include "scan-gate/verdict.hpp"

using namespace scan_gate;
using gantry::Finding;
using gantry::FixState;
using gantry::Severity;

namespace {

Finding make(const std::string& id, Severity severity, FixState fix, const std::string& package = "pkg") {
    Finding f;
    f.id = id;
    f.severity = severity;
    f.fix_state = fix;
    f.package = package;
    f.version = "1.0";
    f.target = "image";
    if (fix == FixState::Fixed) f.fixed_version = "1.1";
    return f;
}

const CalendarDate kToday{2026, 11, 22};

long long counted(const Verdict& v, Severity s) { return v.counts[static_cast<int>(s)].of(Disposition::Counted); }

}  // namespace

TEST_SUITE("verdict") {
TEST_CASE("fail-on counts findings at or above the threshold") {
    Policy p;
    p.fail_on = Severity::High;
    const auto v = judge({make("A", Severity::Medium, FixState::Fixed), make("B", Severity::High, FixState::Fixed),
                          make("C", Severity::Critical, FixState::Fixed)},
                         p, {}, {}, kToday);
    CHECK_FALSE(v.passed);
    REQUIRE(v.violations.size() == 1);
    CHECK(v.violations[0].rule == "fail-on");
    CHECK(v.violations[0].actual == 2);
    CHECK(v.violations[0].message == "2 counted findings are high or above (fail-on high)");
    CHECK(v.all.total == 3);
    CHECK(v.all.of(Disposition::Counted) == 3);
}

TEST_CASE("budgets per severity") {
    Policy p;
    p.budget(Severity::High) = 1;
    p.budget(Severity::Critical) = 0;
    auto v = judge({make("A", Severity::High, FixState::Fixed)}, p, {}, {}, kToday);
    CHECK(v.passed);
    v = judge({make("A", Severity::High, FixState::Fixed), make("B", Severity::High, FixState::Fixed, "other")}, p, {},
              {}, kToday);
    CHECK_FALSE(v.passed);
    REQUIRE(v.violations.size() == 1);
    CHECK(v.violations[0].severity == Severity::High);
    CHECK(v.violations[0].limit == 1);
    CHECK(v.violations[0].actual == 2);
}

TEST_CASE("fixed-only sets unfixable findings aside") {
    Policy p;
    p.fail_on = Severity::Low;
    p.fix_filter = FixFilter::FixableOnly;
    const auto v = judge({make("A", Severity::Critical, FixState::WontFix), make("B", Severity::Low, FixState::NotFixed),
                          make("C", Severity::Critical, FixState::Unknown)},
                         p, {}, {}, kToday);
    CHECK(v.passed);
    CHECK(v.all.of(Disposition::NotFixable) == 3);
    CHECK(v.findings[0].reason == "no fix available (wont-fix)");
}

TEST_CASE("waivers: applied, expired, expiring, unused") {
    Policy p;
    p.fail_on = Severity::High;
    p.expiry_warning_days = 14;
    std::vector<Waiver> waivers(4);
    waivers[0].id = "A";
    waivers[0].reason = "accepted";
    waivers[0].expires = CalendarDate{2027, 6, 1};
    waivers[1].id = "B";
    waivers[1].reason = "was accepted";
    waivers[1].expires = CalendarDate{2026, 11, 21};  // yesterday
    waivers[2].id = "C";
    waivers[2].reason = "soon";
    waivers[2].expires = CalendarDate{2026, 11, 22};  // today: still applies
    waivers[3].id = "Z";
    waivers[3].reason = "nothing matches";
    waivers[3].expires = CalendarDate{2027, 6, 1};
    const auto v = judge({make("A", Severity::Critical, FixState::Fixed), make("B", Severity::High, FixState::Fixed),
                          make("C", Severity::High, FixState::Fixed)},
                         p, waivers, {}, kToday);
    CHECK(v.findings[0].disposition == Disposition::Waived);
    CHECK(v.findings[0].reason == "accepted");
    CHECK(v.findings[1].disposition == Disposition::Counted);  // expired waiver no longer applies
    CHECK(v.findings[2].disposition == Disposition::Waived);
    CHECK(v.waivers[0].state == WaiverState::Applied);
    CHECK(v.waivers[1].state == WaiverState::Expired);
    CHECK(v.waivers[1].matches == 1);
    CHECK(v.waivers[2].state == WaiverState::ExpiringSoon);
    CHECK(v.waivers[2].days_left == 0);
    CHECK(v.waivers[3].state == WaiverState::Unused);
    CHECK_FALSE(v.passed);
    REQUIRE(v.warnings.size() == 2);
    CHECK(v.warnings[0].find("expired on 2026-11-21 and no longer applies") != std::string::npos);
    CHECK(v.warnings[1].find("expires on 2026-11-22, in 0 days") != std::string::npos);
}

TEST_CASE("baseline findings do not count, matched by id or alias, package, version and target") {
    Baseline baseline;
    Finding old = make("CVE-1", Severity::Critical, FixState::Fixed);
    old.aliases = {"GHSA-1"};
    baseline.add(old);
    Policy p;
    p.fail_on = Severity::High;
    Finding same_by_alias = make("GHSA-1", Severity::Critical, FixState::Fixed);
    Finding other_version = make("CVE-1", Severity::Critical, FixState::Fixed);
    other_version.version = "2.0";
    const auto v = judge({same_by_alias, other_version}, p, {}, baseline, kToday);
    CHECK(v.findings[0].disposition == Disposition::Baseline);
    CHECK(v.findings[1].disposition == Disposition::Counted);
    CHECK(counted(v, Severity::Critical) == 1);
}

TEST_CASE("baseline targets are compared only within one scanner") {
    Finding old = make("CVE-1", Severity::High, FixState::Fixed);
    old.scanner = "trivy";
    old.target = "img (debian 12.5)";
    Baseline baseline;
    baseline.add(old);
    Finding same_scanner_other_target = old;
    same_scanner_other_target.target = "other-lock.json";
    Finding from_grype = old;
    from_grype.scanner = "grype";
    from_grype.target = "img";
    Finding merged = from_grype;
    merged.scanner = "grype, trivy";
    CHECK_FALSE(baseline.contains(same_scanner_other_target));
    CHECK(baseline.contains(from_grype));
    CHECK(baseline.contains(merged));
    CHECK(baseline.contains(old));
}

TEST_CASE("baseline image targets match across tags and digests") {
    Finding old = make("CVE-1", Severity::High, FixState::Fixed);
    old.scanner = "trivy";
    old.target = "reg.example.com:5000/shop/api:main-41 (debian 12.5)";
    Baseline baseline;
    baseline.add(old);
    Finding retagged = old;
    retagged.target = "reg.example.com:5000/shop/api:mr-7 (debian 12.5)";
    Finding by_digest = old;
    by_digest.target = "reg.example.com:5000/shop/api@sha256:0123abcd";
    Finding other_image = old;
    other_image.target = "reg.example.com:5000/shop/web:mr-7 (debian 12.5)";
    CHECK(baseline.contains(retagged));
    CHECK(baseline.contains(by_digest));
    CHECK_FALSE(baseline.contains(other_image));
}

TEST_CASE("each finding lands in exactly one column, scope first") {
    Policy p;
    p.kinds = {gantry::FindingKind::Vulnerability};
    p.fix_filter = FixFilter::FixableOnly;
    Finding secret = make("aws-key", Severity::Critical, FixState::Unknown);
    secret.kind = gantry::FindingKind::Secret;
    std::vector<Waiver> waivers(1);
    waivers[0].id = "aws-key";
    waivers[0].reason = "test key";
    const auto v = judge({secret}, p, waivers, {}, kToday);
    CHECK(v.findings[0].disposition == Disposition::Ignored);
    CHECK(v.waivers[0].matches == 0);
    long long sum = 0;
    for (auto d : kDispositions) sum += v.all.of(d);
    CHECK(sum == v.all.total);
}

TEST_CASE("top findings: most severe first, then highest score") {
    Policy p;
    auto a = make("A", Severity::High, FixState::Fixed);
    a.cvss_score = 7.1;
    auto b = make("B", Severity::Critical, FixState::Fixed);
    auto c = make("C", Severity::High, FixState::Fixed);
    c.cvss_score = 8.9;
    const auto v = judge({a, b, c}, p, {}, {}, kToday);
    const auto top = top_findings(v, 2);
    REQUIRE(top.size() == 2);
    CHECK(top[0]->finding.id == "B");
    CHECK(top[1]->finding.id == "C");
}
}

TEST_SUITE("verdict: the report's own VEX analysis") {
TEST_CASE("a finding the report says is not affected is waived with the report's words; a waiver file still wins") {
    Policy p;
    p.fail_on = Severity::Low;
    Finding not_affected = make("CVE-1", Severity::Critical, FixState::Fixed);
    not_affected.vex_analysis = "not_affected (code_not_reachable): only the CLI uses it";
    Finding both = make("CVE-2", Severity::Critical, FixState::Fixed);
    both.vex_analysis = "false_positive";
    Waiver waiver;
    waiver.id = "CVE-2";
    waiver.reason = "accepted until the rebuild";
    waiver.expires = CalendarDate{2027, 1, 1};
    const auto v = judge({not_affected, both}, p, {waiver}, {}, kToday);
    CHECK(v.passed);
    REQUIRE(v.findings.size() == 2);
    CHECK(v.findings[0].disposition == Disposition::Waived);
    CHECK(v.findings[0].reason == "by the report's own VEX analysis: not_affected (code_not_reachable): only the CLI uses it");
    CHECK(v.findings[0].waiver_index == -1);
    CHECK(v.findings[1].reason == "accepted until the rebuild");
    CHECK(v.findings[1].waiver_index == 0);
    CHECK(v.all.of(Disposition::Waived) == 2);
}
}
