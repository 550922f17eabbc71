#include <doctest/doctest.h>

#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <string>
#include <vector>

#include "gantry/base/error.hpp"
#include "gantry/git/git_repository.hpp"
#include "gantry/git/history_walk.hpp"

namespace fs = std::filesystem;
using gantry::GitCommit;
using gantry::GitRepository;

namespace {

// A fresh copy of tests/data/semver/make-history.sh's repository, removed at the end of the test.
struct HistoryRepository {
    fs::path dir;
    HistoryRepository() {
        dir = fs::temp_directory_path() / ("gantry-git-test-" + std::to_string(std::rand()) + "-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        const std::string command = std::string("bash '") + GANTRY_TEST_DATA_DIR + "/semver/make-history.sh' '" + dir.string() + "' >/dev/null 2>&1";
        REQUIRE(std::system(command.c_str()) == 0);
    }
    ~HistoryRepository() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
};

std::vector<std::string> summaries(const GitRepository& repository, const std::string& from, const std::vector<std::string>& stop,
                                   gantry::HistoryParents parents) {
    std::vector<std::string> out;
    gantry::walk_history(repository, from, stop, parents, [&](const GitCommit& commit) {
        out.push_back(commit.summary());
        return gantry::WalkControl::Continue;
    });
    return out;
}

}  // namespace

TEST_SUITE("git") {
    TEST_CASE("opening: a folder inside the repository works; elsewhere it is an InputError with the fix") {
        HistoryRepository fixture;
        const GitRepository repository = GitRepository::open(fixture.dir / "pkg");
        CHECK(fs::equivalent(repository.work_dir(), fixture.dir));
        CHECK(repository.head_branch() == "main");
        CHECK_FALSE(repository.is_shallow());

        const fs::path empty = fixture.dir.parent_path() / (fixture.dir.filename().string() + "-empty");
        fs::create_directories(empty);
        try {
            (void)GitRepository::open(empty);
            FAIL("expected an InputError");
        } catch (const gantry::InputError& error) {
            CHECK(std::string(error.what()).find("not a git repository") != std::string::npos);
            CHECK(std::string(error.what()).find("--repo") != std::string::npos);
        }
        fs::remove_all(empty);
        CHECK_THROWS_AS(GitRepository::open(fixture.dir / "missing"), gantry::InputError);
    }

    TEST_CASE("tags with a prefix, peeled to commits, annotated told apart") {
        HistoryRepository fixture;
        const GitRepository repository = GitRepository::open(fixture.dir);
        const auto tags = repository.tags("v");
        REQUIRE(tags.size() == 2);
        CHECK(tags[0].name == "v1.0.0");
        CHECK(tags[0].annotated);
        CHECK(tags[1].name == "v1.1.0");
        CHECK_FALSE(tags[1].annotated);
        CHECK(repository.read_commit(tags[0].commit_id).summary() == "feat: A");
        CHECK(repository.tags("").size() == 3);
        CHECK(repository.find_tag("not-a-version").has_value());
        CHECK_FALSE(repository.find_tag("v9").has_value());
    }

    TEST_CASE("the walk stops at the base and can follow first parents only") {
        HistoryRepository fixture;
        const GitRepository repository = GitRepository::open(fixture.dir);
        const std::string head = repository.head_commit_id();
        const std::string base = repository.find_tag("v1.1.0")->commit_id;
        CHECK(summaries(repository, head, {base}, gantry::HistoryParents::All) ==
              std::vector<std::string>{"docs: D", "Merge branch 'topic'", "feat: T", "feat(pkg): C"});
        CHECK(summaries(repository, head, {base}, gantry::HistoryParents::First) ==
              std::vector<std::string>{"docs: D", "Merge branch 'topic'", "feat(pkg): C"});
        CHECK(summaries(repository, head, {}, gantry::HistoryParents::All).size() == 6);
        CHECK(repository.is_ancestor(base, head));
        CHECK_FALSE(repository.is_ancestor(head, base));
        CHECK(repository.is_ancestor(head, head));
    }

    TEST_CASE("path object ids change only with the path") {
        HistoryRepository fixture;
        const GitRepository repository = GitRepository::open(fixture.dir);
        std::vector<GitCommit> commits;
        gantry::walk_history(repository, repository.head_commit_id(), {}, gantry::HistoryParents::First,
                             [&](const GitCommit& commit) {
                                 commits.push_back(commit);
                                 return gantry::WalkControl::Continue;
                             });
        REQUIRE(commits.size() == 5);  // D, M, C, B, A
        CHECK(repository.path_object_id(commits[0].id, "pkg") == repository.path_object_id(commits[1].id, "pkg"));
        CHECK(repository.path_object_id(commits[2].id, "pkg") != "");
        CHECK(repository.path_object_id(commits[3].id, "pkg") == "");
        CHECK(repository.path_object_id(commits[0].id, "pkg/x.txt") != "");
    }

    TEST_CASE("creating tags: annotated and lightweight; an existing name is an InputError") {
        HistoryRepository fixture;
        GitRepository repository = GitRepository::open(fixture.dir);
        const std::string head = repository.head_commit_id();
        // GIT_COMMITTER_NAME/EMAIL (given here) win over the configuration and the fallback.
        const gantry::TagSignature signature = repository.tag_signature("Releaser", "r@example.invalid", {"x", "x@y"});
        CHECK(signature.name == "Releaser");
        CHECK(signature.email == "r@example.invalid");
        repository.create_tag("v1.2.0", head, gantry::TagKind::Annotated, "Release v1.2.0\n", signature);
        repository.create_tag("light", head, gantry::TagKind::Lightweight, "", signature);
        const auto annotated = repository.find_tag("v1.2.0");
        REQUIRE(annotated);
        CHECK(annotated->annotated);
        CHECK(annotated->commit_id == head);
        CHECK_FALSE(repository.find_tag("light")->annotated);
        CHECK_THROWS_AS(repository.create_tag("v1.2.0", head, gantry::TagKind::Lightweight, "", signature), gantry::InputError);
        CHECK_THROWS_AS(repository.create_tag("bad..name", head, gantry::TagKind::Lightweight, "", signature), gantry::InputError);
    }
}
