#include <doctest/doctest.h>

#include "gantry/findings/cvss.hpp"

using gantry::cvss3_base_score;

TEST_SUITE("cvss") {

// Each vector's score as the report that carries it states it (npm audit gives both; the rest are the
// NVD scores of the CVEs in the fixtures).
TEST_CASE("CVSS v3.x base scores") {
    CHECK(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == 9.8);
    CHECK(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H") == 7.5);
    CHECK(cvss3_base_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L") == 5.3);
    CHECK(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N") == 5.3);
    CHECK(cvss3_base_score("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L") == 5.6);
    CHECK(cvss3_base_score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H") == 7.8);
    // Scope changed: other privilege weights and the 1.08 factor.
    CHECK(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H") == 10.0);
    CHECK(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N") == 7.7);
    CHECK(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:H") == 8.2);
    CHECK(cvss3_base_score("CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H") == 8.5);
    CHECK(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N") == 0.0);
}

TEST_CASE("metrics in any order, temporal and environmental ones ignored") {
    CHECK(cvss3_base_score("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N") == 9.8);
    CHECK(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H") == 9.8);
}

TEST_CASE("anything but a complete v3.x vector has no score") {
    CHECK_FALSE(cvss3_base_score(""));
    CHECK_FALSE(cvss3_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P"));  // CVSS v2
    CHECK_FALSE(cvss3_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"));
    CHECK_FALSE(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"));         // A missing
    CHECK_FALSE(cvss3_base_score("CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));  // AV twice
    CHECK_FALSE(cvss3_base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));     // unknown value
    CHECK_FALSE(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:HH"));
    CHECK_FALSE(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/"));
}

}  // TEST_SUITE
