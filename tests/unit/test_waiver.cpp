#include <doctest/doctest.h>

#include "gantry/base/error.hpp"
#include "scan-gate/waiver.hpp"

using namespace scan_gate;
using gantry::Finding;

namespace {

Finding lodash() {
    Finding f;
    f.id = "CVE-2021-23337";
    f.aliases = {"GHSA-35jh-r3h4-6jhm"};
    f.package = "lodash";
    f.version = "4.17.20";
    f.purl = "pkg:npm/lodash@4.17.20";
    f.fixed_version = "4.17.21";
    f.fix_state = gantry::FixState::Fixed;
    f.target = "app/package-lock.json";
    return f;
}

std::string error_of(const std::string& text, PermanentWaivers permanent = PermanentWaivers::Rejected) {
    try {
        parse_waivers(text, "waivers.yaml", permanent);
    } catch (const gantry::InputError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_SUITE("waivers") {
TEST_CASE("gantry waiver files") {
    const auto waivers = parse_waivers(R"(waivers:
  - id: CVE-2021-23337
    purl: pkg:npm/lodash
    path: "app/*"
    reason: not reachable
    expires: 2027-01-31
    owner: team-a
)", "waivers.yaml", PermanentWaivers::Rejected);
    REQUIRE(waivers.size() == 1);
    const Waiver& w = waivers[0];
    CHECK(w.format == WaiverFormat::Gantry);
    CHECK(w.id == "CVE-2021-23337");
    CHECK(w.purls == std::vector<std::string>{"pkg:npm/lodash"});
    CHECK(w.expires->to_string() == "2027-01-31");
    CHECK(w.owner == "team-a");
    CHECK(w.line == 2);
    CHECK(waiver_matches(w, lodash()));
}

TEST_CASE("a bare list is a gantry waiver file") {
    const auto waivers = parse_waivers("- id: CVE-1\n  reason: r\n  expires: 2030-01-01\n", "w.yaml",
                                       PermanentWaivers::Rejected);
    CHECK(waivers.size() == 1);
}

TEST_CASE("gantry waivers need a reason and, unless allowed, an expiry") {
    CHECK(error_of("waivers:\n  - id: CVE-1\n    expires: 2030-01-01\n").find("needs a `reason`") != std::string::npos);
    CHECK(error_of("waivers:\n  - id: CVE-1\n    reason: r\n").find("needs an `expires` date") != std::string::npos);
    CHECK(error_of("waivers:\n  - id: CVE-1\n    reason: r\n", PermanentWaivers::Allowed) == "no error");
    CHECK(error_of("waivers:\n  - reason: r\n    expires: 2030-01-01\n").find("needs an `id`") != std::string::npos);
    CHECK(error_of("waivers:\n  - id: CVE-1\n    reason: r\n    expires: 31/12/2030\n") ==
          "waivers.yaml:4:14: waivers[0].expires: expected a date as YYYY-MM-DD, found '31/12/2030'");
    CHECK(error_of("waivers:\n  - id: CVE-1\n    reason: r\n    expires: 2030-01-01\n    colour: red\n")
              .find("waivers.yaml:5:5: waivers[0].colour: unknown key") == 0);
    CHECK(error_of("waivers: {id: 1}\n").find("expected a list of waivers") != std::string::npos);
    CHECK(error_of("owner: me\n").find("not a waiver file") != std::string::npos);
    CHECK(error_of("waivers:\n  - id: [CVE-1\n").find("waivers.yaml:") == 0);
}

TEST_CASE(".trivyignore") {
    const auto waivers = parse_waivers(R"(# Accepted until the base image moves to bookworm
CVE-2023-45853 exp:2027-01-01

CVE-2011-3374
GHSA-35jh-r3h4-6jhm   # build-time only
)", ".trivyignore", PermanentWaivers::Rejected);
    REQUIRE(waivers.size() == 3);
    CHECK(waivers[0].format == WaiverFormat::TrivyIgnore);
    CHECK(waivers[0].id == "CVE-2023-45853");
    CHECK(waivers[0].expires->to_string() == "2027-01-01");
    CHECK(waivers[0].reason == "Accepted until the base image moves to bookworm");
    CHECK(waivers[0].line == 2);
    CHECK_FALSE(waivers[1].expires.has_value());  // permanent: Trivy's own rules
    CHECK(waivers[1].reason == "listed in .trivyignore");
    CHECK(waivers[2].reason == "build-time only");
    CHECK(waiver_matches(waivers[2], lodash()));  // by alias
}

TEST_CASE("a broken .trivyignore line is reported with its line") {
    try {
        parse_waivers("CVE-1\nCVE-2 exp:2027-13-01\n", ".trivyignore", PermanentWaivers::Rejected);
        FAIL("expected an error");
    } catch (const gantry::InputError& e) {
        CHECK(std::string(e.what()) == ".trivyignore:2: expected exp:YYYY-MM-DD, found 'exp:2027-13-01'");
    }
    try {
        parse_waivers("CVE-1\nCVE-2 until next year\n", ".trivyignore", PermanentWaivers::Rejected);
        FAIL("expected an error");
    } catch (const gantry::InputError& e) {
        CHECK(std::string(e.what()).find(".trivyignore:2:") == 0);
    }
}

TEST_CASE(".trivyignore.yaml") {
    const auto waivers = parse_waivers(R"(vulnerabilities:
  - id: CVE-2021-23337
    paths:
      - "app/package-lock.json"
    statement: Accepted
    expired_at: 2027-02-01
  - id: CVE-2024-0001
    purls: ["pkg:npm/axios@0.26.1"]
misconfigurations:
  - id: AVD-DS-0002
secrets:
  - id: aws-access-key-id
    paths: ["test/**"]
licenses:
  - id: GPL-3.0
)", ".trivyignore.yaml", PermanentWaivers::Rejected);
    REQUIRE(waivers.size() == 5);
    CHECK(waivers[0].format == WaiverFormat::TrivyIgnoreYaml);
    CHECK(waivers[0].reason == "Accepted");
    CHECK(waivers[0].expires->to_string() == "2027-02-01");
    CHECK(waiver_matches(waivers[0], lodash()));
    Finding other = lodash();
    other.target = "web/package-lock.json";
    CHECK_FALSE(waiver_matches(waivers[0], other));
    CHECK(waivers[2].kind == gantry::FindingKind::Misconfiguration);
    CHECK_FALSE(waiver_matches(waivers[2], lodash()));
    // licenses: waive licence findings (kind license) by licence name.
    CHECK(waivers[4].kind == gantry::FindingKind::License);
    Finding gpl;
    gpl.kind = gantry::FindingKind::License;
    gpl.id = "GPL-3.0";
    gpl.package = "gcc";
    CHECK(waiver_matches(waivers[4], gpl));
    gpl.kind = gantry::FindingKind::Vulnerability;
    CHECK_FALSE(waiver_matches(waivers[4], gpl));
}

TEST_CASE(".grype.yaml ignore rules") {
    const auto waivers = parse_waivers(R"(check-for-app-update: false
ignore:
  - vulnerability: GHSA-35jh-r3h4-6jhm
  - vulnerability: CVE-2023-45853
    fix-state: wont-fix
  - package:
      name: lodash
      version: 4.17.20
      type: npm
  - package:
      location: "/usr/lib/**"
)", ".grype.yaml", PermanentWaivers::Rejected);
    REQUIRE(waivers.size() == 4);
    CHECK(waivers[0].format == WaiverFormat::GrypeConfig);
    CHECK(waiver_matches(waivers[0], lodash()));
    CHECK_FALSE(waiver_matches(waivers[1], lodash()));
    CHECK(waiver_matches(waivers[2], lodash()));
    Finding newer = lodash();
    newer.version = "4.17.21";
    CHECK_FALSE(waiver_matches(waivers[2], newer));
    CHECK_FALSE(waiver_matches(waivers[3], lodash()));
}

TEST_CASE("purl matching ignores qualifiers and, without @, the version") {
    Waiver w;
    w.purls = {"pkg:npm/lodash@4.17.20"};
    CHECK(waiver_matches(w, lodash()));
    w.purls = {"pkg:npm/lodash@4.17.19"};
    CHECK_FALSE(waiver_matches(w, lodash()));
    Finding deb = lodash();
    deb.purl = "pkg:deb/debian/zlib1g@1.2.13?arch=amd64&distro=debian-12";
    w.purls = {"pkg:deb/debian/zlib1g"};
    CHECK(waiver_matches(w, deb));
}
}
