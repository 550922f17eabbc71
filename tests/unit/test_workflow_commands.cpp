#include <doctest/doctest.h>

#include "gantry/platform/workflow_commands.hpp"

using gantry::Annotation;
using gantry::AnnotationLevel;
using gantry::CiPlatform;

TEST_SUITE("workflow_commands") {
    TEST_CASE("data escapes % CR LF, and % first") {
        CHECK(gantry::escape_workflow_data("100% done\r\nnext") == "100%25 done%0D%0Anext");
        CHECK(gantry::escape_workflow_data("%0A") == "%250A");
        CHECK(gantry::escape_workflow_data("a:b,c") == "a:b,c");
        CHECK(gantry::escape_workflow_data("").empty());
    }

    TEST_CASE("properties also escape : and ,") {
        CHECK(gantry::escape_workflow_property("C:\\a,b%\n") == "C%3A\\a%2Cb%25%0A");
        CHECK(gantry::escape_workflow_property("::") == "%3A%3A");
    }

    TEST_CASE("an annotation lists its set properties in the runner's order") {
        Annotation annotation;
        annotation.level = AnnotationLevel::Error;
        annotation.message = "bad: 50%\nsee docs";
        annotation.title = "CVE-1, high";
        annotation.file = "src/a,b.c";
        annotation.line = 3;
        annotation.end_line = 4;
        annotation.column = 5;
        annotation.end_column = 6;
        CHECK(gantry::github_annotation(annotation) ==
              "::error file=src/a%2Cb.c,line=3,endLine=4,col=5,endColumn=6,title=CVE-1%2C high::bad: 50%25%0Asee docs\n");
    }

    TEST_CASE("unset properties are omitted; levels name the command") {
        Annotation annotation;
        annotation.message = "m";
        CHECK(gantry::github_annotation(annotation) == "::error::m\n");
        annotation.level = AnnotationLevel::Warning;
        annotation.file = "f";
        CHECK(gantry::github_annotation(annotation) == "::warning file=f::m\n");
        annotation.level = AnnotationLevel::Notice;
        annotation.line = 7;
        CHECK(gantry::github_annotation(annotation) == "::notice file=f,line=7::m\n");
    }

    TEST_CASE("add-mask masks each line of a multi-line secret, skipping empty lines") {
        CHECK(gantry::github_add_mask("s3cr3t") == "::add-mask::s3cr3t\n");
        CHECK(gantry::github_add_mask("line1\r\n\nline2%\n") == "::add-mask::line1\n::add-mask::line2%25\n");
        CHECK(gantry::github_add_mask("").empty());
    }

    TEST_CASE("groups: GitHub commands, GitLab sections, nothing on a shell") {
        CHECK(gantry::group_start(CiPlatform::GithubActions, "details", "Details: 100%", 0) == "::group::Details: 100%25\n");
        CHECK(gantry::group_end(CiPlatform::GithubActions, "details", 0) == "::endgroup::\n");
        CHECK(gantry::group_start(CiPlatform::GitlabCi, "scan-gate", "Verdict", 1700000000) ==
              "\x1b[0Ksection_start:1700000000:scan-gate[collapsed=true]\r\x1b[0KVerdict\n");
        CHECK(gantry::group_end(CiPlatform::GitlabCi, "scan-gate", 1700000001) ==
              "\x1b[0Ksection_end:1700000001:scan-gate\r\x1b[0K\n");
        CHECK(gantry::group_start(CiPlatform::Shell, "x", "y", 0).empty());
        CHECK(gantry::group_end(CiPlatform::Shell, "x").empty());
    }

    TEST_CASE("GitLab section names are sanitised and titles kept on one line") {
        CHECK(gantry::group_start(CiPlatform::GitlabCi, "my step/1", "a\nb", 5) ==
              "\x1b[0Ksection_start:5:my_step_1[collapsed=true]\r\x1b[0Ka\\nb\n");
        // A title cannot end the header early or open a section of its own.
        CHECK(gantry::group_start(CiPlatform::GitlabCi, "x", "t\r\x1b[0Ksection_end:5:x\r\x1b[0K", 5) ==
              "\x1b[0Ksection_start:5:x[collapsed=true]\r\x1b[0Kt\\r\\u001b[0Ksection_end:5:x\\r\\u001b[0K\n");
        const std::string now = gantry::group_start(CiPlatform::GitlabCi, "n", "t");
        CHECK(now.find("section_start:") != std::string::npos);
        CHECK(now.find(":n[collapsed=true]") != std::string::npos);
    }
}
