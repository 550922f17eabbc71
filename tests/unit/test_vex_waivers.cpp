#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "gantry/vex/vex_document.hpp"
#include "scan-gate/verdict.hpp"
#include "scan-gate/vex_waivers.hpp"

using namespace scan_gate;

namespace {

gantry::VexDocument openvex(const std::string& statements) {
    return gantry::read_vex_text(R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[)" + statements + "]}",
                                 "test.openvex.json");
}

gantry::Finding opa() {
    gantry::Finding f;
    f.id = "CVE-2022-23628";
    f.package = "github.com/open-policy-agent/opa";
    f.version = "v0.35.0";
    f.purl = "pkg:golang/github.com/open-policy-agent/opa@v0.35.0";
    f.severity = gantry::Severity::Medium;
    return f;
}

constexpr const char* kDated =
    R"({"vulnerability":{"name":"CVE-2022-23628"},"timestamp":"2026-01-01T00:00:00Z",)"
    R"("products":[{"@id":"pkg:golang/github.com/open-policy-agent/opa"}],"status":"not_affected"})";

}  // namespace

TEST_SUITE("vex waivers") {

TEST_CASE("vex-max-age: a statement exactly that old still applies, one day older is expired") {
    const auto from = vex_waivers({openvex(kDated)}, 180);
    REQUIRE(from.waivers.size() == 1);
    CHECK(from.waivers[0].expires->to_string() == "2026-06-30");
    CHECK(from.waivers[0].format == WaiverFormat::OpenVex);
    CHECK(from.waivers[0].where() == "test.openvex.json#/statements/0");
    Policy policy;
    const Verdict on_time = judge({opa()}, policy, from.waivers, Baseline{}, *parse_calendar_date("2026-06-30"));
    CHECK(on_time.findings[0].disposition == Disposition::Waived);
    CHECK(on_time.findings[0].reason == "VEX not_affected");
    const Verdict late = judge({opa()}, policy, from.waivers, Baseline{}, *parse_calendar_date("2026-07-01"));
    CHECK(late.findings[0].disposition == Disposition::Counted);
    REQUIRE(late.warnings.size() == 1);
    CHECK(late.warnings[0].starts_with("VEX statement for CVE-2022-23628 (test.openvex.json#/statements/0) expired on 2026-06-30"));
}

TEST_CASE("without vex-max-age statements never expire; without any date they are said not to age") {
    CHECK_FALSE(vex_waivers({openvex(kDated)}, std::nullopt).waivers[0].expires);
    const auto undated = vex_waivers(
        {openvex(R"({"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a"}],"status":"fixed"})")}, 180);
    REQUIRE(undated.waivers.size() == 1);
    CHECK_FALSE(undated.waivers[0].expires);
    REQUIRE(undated.warnings.size() == 1);
    CHECK(undated.warnings[0].find("vex-max-age cannot age it") != std::string::npos);
}

TEST_CASE("statuses that waive nothing make no waiver, and a later one cancels an earlier waiving one") {
    const auto affected = vex_waivers(
        {openvex(R"({"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a"}],"status":"affected"})")}, std::nullopt);
    CHECK(affected.waivers.empty());
    const std::string later = std::string(kDated) +
                              R"(,{"vulnerability":{"name":"CVE-2022-23628"},"timestamp":"2026-02-01T00:00:00Z",)"
                              R"("products":[{"@id":"pkg:golang/github.com/open-policy-agent/opa@v0.35.0"}],"status":"under_investigation"})";
    const auto superseded = vex_waivers({openvex(later)}, std::nullopt);
    CHECK(superseded.waivers.empty());
    REQUIRE(superseded.warnings.size() == 1);
    CHECK(superseded.warnings[0].find("superseded by a later under_investigation statement") != std::string::npos);
    // An older under_investigation statement does not cancel a newer not_affected one.
    const std::string earlier = R"({"vulnerability":{"name":"CVE-2022-23628"},"timestamp":"2025-12-01T00:00:00Z",)"
                                R"("products":[{"@id":"pkg:golang/github.com/open-policy-agent/opa"}],"status":"under_investigation"},)" +
                                std::string(kDated);
    CHECK(vex_waivers({openvex(earlier)}, std::nullopt).waivers.size() == 1);
}

TEST_CASE("a document that speaks about no finding is a warning; one that does counts the findings") {
    std::vector<std::string> warnings;
    const auto infos = match_vex_documents(
        {openvex(kDated), openvex(R"({"vulnerability":{"name":"CVE-2022-23628"},"products":[{"@id":"pkg:golang/github.com/other/opa"}],"status":"affected"})")},
        {opa()}, warnings);
    REQUIRE(infos.size() == 2);
    CHECK(infos[0].findings_covered == 1);
    CHECK(infos[1].findings_covered == 0);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].starts_with("VEX document test.openvex.json matches none of the findings"));
}

}  // TEST_SUITE
