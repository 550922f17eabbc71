#include <doctest/doctest.h>

#include "gantry/vex/package_url.hpp"

using namespace gantry;

TEST_SUITE("package url") {

TEST_CASE("components are split and percent-decoded; qualifiers and subpath are dropped") {
    const auto purl = parse_package_url("pkg:deb/debian/libstdc%2B%2B6@12.2.0-14%2Bdeb12u1?arch=arm64&distro=debian-12.11#sub");
    REQUIRE(purl);
    CHECK(purl->type == "deb");
    CHECK(purl->namespace_ == "debian");
    CHECK(purl->name == "libstdc++6");
    CHECK(purl->version == "12.2.0-14+deb12u1");
}

TEST_CASE("namespaces with several segments and scoped npm packages") {
    const auto go = parse_package_url("pkg:golang/github.com/open-policy-agent/opa@v0.35.0");
    REQUIRE(go);
    CHECK(go->namespace_ == "github.com/open-policy-agent");
    CHECK(go->name == "opa");
    const auto npm = parse_package_url("pkg:npm/%40angular/core@16.0.0");
    REQUIRE(npm);
    CHECK(npm->namespace_ == "@angular");
    CHECK(npm->name == "core");
    CHECK(npm->version == "16.0.0");
}

TEST_CASE("the type is case-insensitive everywhere, namespace and name only where the spec says so") {
    CHECK(package_url_matches("PKG:DEB/Debian/Bash", "pkg:deb/debian/bash@5.1"));
    CHECK(package_url_matches("pkg:pypi/Django_Rest", "pkg:pypi/django-rest@1.0"));
    CHECK_FALSE(package_url_matches("pkg:maven/Org.Example/Lib", "pkg:maven/org.example/lib@1.0"));
    CHECK(package_url_matches("pkg:Maven/org.example/lib", "pkg:maven/org.example/lib@1.0"));
}

TEST_CASE("a pattern without a version matches every version; with one, only that version") {
    CHECK(package_url_matches("pkg:golang/golang.org/x/text", "pkg:golang/golang.org/x/text@v0.3.6"));
    CHECK(package_url_matches("pkg:golang/golang.org/x/text@v0.3.6", "pkg:golang/golang.org/x/text@v0.3.6"));
    CHECK_FALSE(package_url_matches("pkg:golang/golang.org/x/text@v0.3.7", "pkg:golang/golang.org/x/text@v0.3.6"));
    // "+" written raw in one and %2B in the other is the same version.
    CHECK(package_url_matches("pkg:golang/github.com/docker/distribution@v2.7.1+incompatible",
                              "pkg:golang/github.com/docker/distribution@v2.7.1%2Bincompatible?type=module"));
    CHECK_FALSE(package_url_matches("pkg:golang/golang.org/x/text", "pkg:golang/golang.org/x/net@v0.3.6"));
}

TEST_CASE("text that is not a purl neither parses nor matches") {
    CHECK_FALSE(parse_package_url(""));
    CHECK_FALSE(parse_package_url("jackson-databind-2.8.0"));
    CHECK_FALSE(parse_package_url("pkg:npm"));
    CHECK_FALSE(parse_package_url("pkg:/name"));
    CHECK_FALSE(package_url_matches("urn:cdx:x/1#ref", "pkg:npm/a@1"));
    CHECK_FALSE(package_url_matches("pkg:npm/a", ""));
}

}  // TEST_SUITE
