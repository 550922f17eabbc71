#include <doctest/doctest.h>

#include <string>

#include "gantry/findings/finding.hpp"
#include "gantry/findings/report_formats.hpp"

using namespace gantry;

TEST_SUITE("finding") {

TEST_CASE("severity names round-trip and parse leniently") {
    for (const Severity severity : kSeveritiesDescending) {
        CHECK(parse_severity(to_string(severity)) == severity);
    }
    CHECK(to_string(Severity::Critical) == "critical");
    CHECK(parse_severity("CRITICAL") == Severity::Critical);
    CHECK(parse_severity("High") == Severity::High);
    CHECK(parse_severity("moderate") == Severity::Medium);
    CHECK(parse_severity("Negligible") == Severity::Low);
    CHECK(parse_severity("Info") == Severity::Low);
    CHECK(parse_severity("none") == Severity::Unknown);
    CHECK(parse_severity("UNKNOWN") == Severity::Unknown);
    CHECK_FALSE(parse_severity("severe").has_value());
    CHECK_FALSE(parse_severity("").has_value());
    CHECK_FALSE(parse_severity("high ").has_value());
}

TEST_CASE("severities are ordered") {
    CHECK(Severity::Critical > Severity::High);
    CHECK(Severity::High >= Severity::High);
    CHECK(Severity::Low > Severity::Unknown);
    CHECK(kSeveritiesDescending[0] == Severity::Critical);
    CHECK(kSeveritiesDescending[4] == Severity::Unknown);
}

TEST_CASE("scores map to the CVSS v3 bands") {
    CHECK(severity_from_score(10.0) == Severity::Critical);
    CHECK(severity_from_score(9.0) == Severity::Critical);
    CHECK(severity_from_score(8.99) == Severity::High);
    CHECK(severity_from_score(7.0) == Severity::High);
    CHECK(severity_from_score(6.9) == Severity::Medium);
    CHECK(severity_from_score(4.0) == Severity::Medium);
    CHECK(severity_from_score(3.9) == Severity::Low);
    CHECK(severity_from_score(0.1) == Severity::Low);
    CHECK(severity_from_score(0.0) == Severity::Unknown);
    CHECK(severity_from_score(-1.0) == Severity::Unknown);
}

TEST_CASE("finding kinds and fix states have stable names") {
    for (const FindingKind kind :
         {FindingKind::Vulnerability, FindingKind::Misconfiguration, FindingKind::Secret, FindingKind::Code}) {
        CHECK(parse_finding_kind(to_string(kind)) == kind);
    }
    CHECK(parse_finding_kind("Secret") == FindingKind::Secret);
    CHECK_FALSE(parse_finding_kind("vuln").has_value());
    CHECK(to_string(FixState::Unknown) == "unknown");
    CHECK(to_string(FixState::Fixed) == "fixed");
    CHECK(to_string(FixState::NotFixed) == "not-fixed");
    CHECK(to_string(FixState::WontFix) == "wont-fix");
    CHECK(to_string(FixState::Deferred) == "deferred");
    CHECK(to_string(FixState::EndOfLife) == "end-of-life");
}

TEST_CASE("is_fixable trusts the fix state, and the fixed version only when the state is unknown") {
    Finding finding;
    CHECK_FALSE(is_fixable(finding));
    finding.fixed_version = "1.2.3";
    CHECK(is_fixable(finding));
    finding.fix_state = FixState::NotFixed;
    CHECK_FALSE(is_fixable(finding));
    finding.fix_state = FixState::Fixed;
    finding.fixed_version.clear();
    CHECK(is_fixable(finding));
    finding.fix_state = FixState::WontFix;
    CHECK_FALSE(is_fixable(finding));
}

TEST_CASE("baseline_key depends on id, package, version and target only") {
    Finding a;
    a.id = "CVE-2024-0727";
    a.package = "openssl";
    a.version = "3.0.11";
    a.target = "api (debian 12.5)";
    Finding b = a;
    b.severity = Severity::Critical;
    b.scanner = "grype";
    b.title = "other words";
    CHECK(baseline_key(a) == baseline_key(b));
    for (std::string Finding::*field : {&Finding::id, &Finding::package, &Finding::version}) {
        Finding changed = a;
        changed.*field += "x";
        CHECK(baseline_key(changed) != baseline_key(a));
    }
    Finding retargeted = a;
    retargeted.target = a.target + "x";
    CHECK(baseline_key(retargeted) != baseline_key(a));
    // Moving text between fields must not give the same key.
    Finding shifted = a;
    shifted.id = "CVE-2024-0727openssl";
    shifted.package = "";
    CHECK(baseline_key(shifted) != baseline_key(a));
}

TEST_CASE("aliases never repeat and never repeat the id") {
    Finding finding;
    add_alias(finding, "GHSA-1");
    add_alias(finding, "GHSA-1");
    add_alias(finding, "");
    add_alias(finding, "CVE-1");
    CHECK(finding.aliases == std::vector<std::string>{"GHSA-1", "CVE-1"});
    finding.id = "CVE-1";
    tidy_aliases(finding);
    CHECK(finding.aliases == std::vector<std::string>{"GHSA-1"});
}

TEST_CASE("first_line keeps one trimmed line and cuts long text at a character boundary") {
    CHECK(first_line("") == "");
    CHECK(first_line("  \n\n  Title here  \nsecond line") == "Title here");
    CHECK(first_line("one\r\ntwo") == "one");
    const std::string long_text = std::string(199, 'a') + "\xC3\xA9" + "tail";  // 'é' straddles the cut
    const std::string cut = first_line(long_text);
    CHECK(cut == std::string(199, 'a') + "...");
    CHECK(first_line(std::string(200, 'b')) == std::string(200, 'b'));
}

}  // TEST_SUITE
