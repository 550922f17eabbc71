#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_reader.hpp"
#include "gantry/vex/vex_document.hpp"

using namespace gantry;

namespace {

std::filesystem::path vex_fixture(const std::string& name) {
    return std::filesystem::path(GANTRY_TEST_DATA_DIR) / "vex" / name;
}

std::string error_reading(const std::string& text) {
    try {
        read_vex_text(text, "bad.vex.json");
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

std::chrono::sys_days day(int y, unsigned m, unsigned d) {
    return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

}  // namespace

TEST_SUITE("vex documents") {

TEST_CASE("Trivy's OpenVEX fixture: subcomponents are the products, the impact statement is kept") {
    const VexDocument doc = read_vex_document(vex_fixture("trivy-integration.openvex.json"));
    CHECK(doc.format == VexFormat::OpenVex);
    CHECK(doc.id == "aquasecurity/trivy:613fd55abbc2857b5ca28b07a26f3cd4c8b0ddc4c8a97c57497a2d4c4880d7fc");
    REQUIRE(doc.statements.size() == 1);
    const VexStatement& s = doc.statements[0];
    CHECK(s.vulnerability_ids == std::vector<std::string>{"CVE-2022-23628"});
    CHECK(s.products == std::vector<std::string>{"pkg:golang/github.com/open-policy-agent/opa@v0.35.0"});
    CHECK(s.status == VexStatus::NotAffected);
    CHECK(effect_of(s.status) == VexEffect::Waives);
    CHECK(s.justification == "vulnerable_code_not_in_execute_path");
    CHECK(s.impact_statement == "The vulnerable code isn't called");
    CHECK(s.pointer == "/statements/0");
    // 2024-07-09T11:38:00+04:00 is 07:38 UTC on the same day (the document's timestamp).
    CHECK(s.date == day(2024, 7, 9));
}

TEST_CASE("a statement's own timestamp wins over the document's, in UTC") {
    const VexDocument doc = read_vex_document(vex_fixture("trivy-multiple.openvex.json"));
    REQUIRE(doc.statements.size() == 2);
    CHECK(doc.statements[0].status == VexStatus::Affected);
    CHECK(doc.statements[0].date == day(2023, 1, 15));  // 01:02:03-06:00 = 07:02 UTC
    CHECK(doc.statements[1].date == day(2023, 1, 17));  // the document's 19:07:16-06:00 = 01:07 UTC next day
}

TEST_CASE("CycloneDX VEX: a BOM-link whose fragment is a purl names that package, references are aliases") {
    const VexDocument doc = read_vex_document(vex_fixture("bom-examples.vex.cdx.json"));
    CHECK(doc.format == VexFormat::CycloneDx);
    REQUIRE(doc.statements.size() == 1);
    const VexStatement& s = doc.statements[0];
    CHECK(s.vulnerability_ids ==
          std::vector<std::string>{"CVE-2020-25649", "SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302"});
    CHECK(s.products == std::vector<std::string>{"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"});
    CHECK(s.status == VexStatus::NotAffected);
    CHECK(s.justification == "code_not_reachable");
    CHECK(s.impact_statement.starts_with("Automated dataflow analysis"));
    CHECK(s.pointer == "/vulnerabilities/0");
    CHECK_FALSE(s.date);
}

TEST_CASE("CycloneDX refs that name no component with a purl are kept as unresolved") {
    const VexDocument trivy = read_vex_document(vex_fixture("trivy-testdata.cdx.json"));
    REQUIRE(trivy.statements.size() == 1);
    CHECK(trivy.statements[0].products.empty());
    CHECK(trivy.statements[0].unresolved_refs ==
          std::vector<std::string>{"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#jackson-databind-2.8.0"});
    const VexDocument cisa = read_vex_document(vex_fixture("cisa-case1-not-affected.cdx.json"));
    REQUIRE(cisa.statements.size() == 1);
    CHECK(cisa.statements[0].unresolved_refs == std::vector<std::string>{"product-ABC"});
    CHECK(cisa.statements[0].date == day(2022, 3, 3));  // metadata.timestamp
}

TEST_CASE("hand-written CycloneDX: bom-refs resolve to component purls; analysis.lastUpdated dates it") {
    const VexDocument doc = read_vex_document(vex_fixture("handwritten-bom-refs.cdx.json"));
    REQUIRE(doc.statements.size() == 2);
    CHECK(doc.statements[0].status == VexStatus::FalsePositive);
    CHECK(doc.statements[0].products ==
          std::vector<std::string>{"pkg:golang/github.com/docker/distribution@v2.7.1%2Bincompatible?type=module"});
    CHECK(doc.statements[0].date == day(2026, 11, 20));  // 17:30-08:00 is 01:30 UTC the next day
    CHECK(doc.statements[1].status == VexStatus::Exploitable);
    CHECK(effect_of(doc.statements[1].status) == VexEffect::WaivesNothing);
    CHECK(doc.statements[1].date == day(2026, 11, 20));  // metadata.timestamp
}

TEST_CASE("covering a finding takes the id (or an alias) and the package purl") {
    const Report report = read_report(vex_fixture("gomod.trivy.json"));
    const VexDocument doc = read_vex_document(vex_fixture("trivy-integration.openvex.json"));
    int covered = 0;
    for (const auto& finding : report.findings) {
        if (vex_statement_covers(doc.statements[0], finding)) {
            ++covered;
            CHECK(finding.id == "CVE-2022-23628");
        }
    }
    CHECK(covered == 1);
    Finding other_version;
    other_version.id = "CVE-2022-23628";
    other_version.purl = "pkg:golang/github.com/open-policy-agent/opa@v0.36.0";
    CHECK_FALSE(vex_statement_covers(doc.statements[0], other_version));
    Finding by_alias;
    by_alias.id = "GHSA-hcw3-j74m-qc58";
    by_alias.aliases = {"cve-2022-23628"};
    by_alias.purl = "pkg:golang/github.com/open-policy-agent/opa@v0.35.0";
    CHECK(vex_statement_covers(doc.statements[0], by_alias));
}

TEST_CASE("OpenVEX 0.0.x strings for the vulnerability and products are accepted") {
    const VexDocument doc = read_vex_text(
        R"({"@context":"https://openvex.dev/ns","statements":[{"vulnerability":"CVE-2023-1","products":["pkg:npm/a@1"],"status":"fixed"}]})",
        "old.json");
    REQUIRE(doc.statements.size() == 1);
    CHECK(doc.statements[0].vulnerability_ids == std::vector<std::string>{"CVE-2023-1"});
    CHECK(doc.statements[0].products == std::vector<std::string>{"pkg:npm/a@1"});
    CHECK_FALSE(doc.statements[0].date);
}

TEST_CASE("bad documents name the file, the JSON pointer and what was expected") {
    CHECK(error_reading(R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a"}],"status":"maybe"}]})")
              .find("(at /statements/0/status): expected a status: not_affected, affected, fixed or under_investigation, found \"maybe\"") !=
          std::string::npos);
    CHECK(error_reading(R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":{}})").find("(at /statements): expected an array of statements, found an object") !=
          std::string::npos);
    CHECK(error_reading(R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-1"},"status":"fixed"}]})")
              .find("(at /statements/0): a statement needs products") != std::string::npos);
    CHECK(error_reading(R"({"@context":"https://openvex.dev/ns/v0.2.0","timestamp":"yesterday","statements":[]})")
              .find("(at /timestamp): expected an RFC 3339 date-time") != std::string::npos);
    CHECK(error_reading(R"({"@context":"https://example.com/other","statements":[]})").find("(at /@context): expected an OpenVEX context") !=
          std::string::npos);
    CHECK(error_reading(R"({"bomFormat":"CycloneDX","vulnerabilities":[{"id":"CVE-1","analysis":{"state":"ok"},"affects":[{"ref":"a"}]}]})")
              .find("(at /vulnerabilities/0/analysis/state): expected an analysis state") != std::string::npos);
    CHECK(error_reading(R"({"bomFormat":"CycloneDX","specVersion":"1.5","components":[]})").find("is an SBOM, not VEX") != std::string::npos);
    CHECK(error_reading(R"({"bomFormat":"CycloneDX","vulnerabilities":[{"id":"CVE-1","affects":[{"ref":"a"}]}]})")
              .find("it is a vulnerability report, not VEX") != std::string::npos);
    CHECK(error_reading(R"({"document":{},"product_tree":{},"vulnerabilities":[]})").find("a CSAF document is not read as VEX") !=
          std::string::npos);
    CHECK(error_reading(R"({"SchemaVersion":2,"Results":[]})").find("bad.vex.json: not a VEX document: expected an OpenVEX document") !=
          std::string::npos);
    CHECK(error_reading("[1,2]").find("bad.vex.json") != std::string::npos);
    CHECK(error_reading(R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[]} x)").find("bad.vex.json") != std::string::npos);
}

TEST_CASE("RFC 3339 days in UTC") {
    CHECK(parse_rfc3339_day("2026-12-31") == day(2026, 12, 31));
    CHECK(parse_rfc3339_day("2026-12-31T23:30:00-01:00") == day(2027, 1, 1));
    CHECK(parse_rfc3339_day("2026-01-01T00:30:00.5+01:00") == day(2025, 12, 31));
    CHECK(parse_rfc3339_day("2023-01-16T19:07:16.853479631-06:00") == day(2023, 1, 17));
    CHECK_FALSE(parse_rfc3339_day("2026-02-30"));
    CHECK_FALSE(parse_rfc3339_day("2026-12-31T10:00:00"));
    CHECK_FALSE(parse_rfc3339_day("2026-12-31T10:00:00+0100"));
    CHECK_FALSE(parse_rfc3339_day("soon"));
}

}  // TEST_SUITE
