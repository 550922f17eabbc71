#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <string>
#include <vector>

#include "gantry/base/error.hpp"
#include "gantry/git/git_remote.hpp"
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

    TEST_CASE("pushing a tag to a file:// remote: pushed, then already published; another commit is an InputError") {
        HistoryRepository fixture;
        const fs::path bare = fixture.dir.parent_path() / (fixture.dir.filename().string() + "-remote.git");
        REQUIRE(std::system(("git init -q --bare '" + bare.string() + "' >/dev/null 2>&1").c_str()) == 0);
        GitRepository repository = GitRepository::open(fixture.dir);
        const std::string head = repository.head_commit_id();
        repository.create_tag("v9.0.0", head, gantry::TagKind::Annotated, "Release v9.0.0\n", {"T", "t@example.invalid"});

        gantry::TagPushSettings settings;
        settings.remote = "file://" + bare.string();
        std::vector<std::chrono::milliseconds> pauses;
        const gantry::PushPause pause = [&](std::chrono::milliseconds duration) { pauses.push_back(duration); };
        CHECK(gantry::push_tag(repository, "v9.0.0", head, settings, pause) == gantry::TagPushResult::Pushed);
        const GitRepository remote = GitRepository::open(bare);
        REQUIRE(remote.find_tag("v9.0.0"));
        CHECK(remote.find_tag("v9.0.0")->commit_id == head);
        CHECK(remote.find_tag("v9.0.0")->annotated);

        // A local path names the same remote; the tag is there already.
        settings.remote = bare.string();
        CHECK(gantry::push_tag(repository, "v9.0.0", head, settings, pause) == gantry::TagPushResult::AlreadyPublished);

        // v1.1.0 exists on the remote at B; pushing a v1.1.0 on HEAD must not move it.
        CHECK(gantry::push_tag(repository, "v1.1.0", repository.find_tag("v1.1.0")->commit_id, settings, pause) ==
              gantry::TagPushResult::Pushed);
        try {
            gantry::push_tag(repository, "v1.1.0", head, settings, pause);
            FAIL("expected an InputError");
        } catch (const gantry::InputError& error) {
            const std::string message = error.what();
            CHECK(message.find(head) != std::string::npos);
            CHECK(message.find(repository.find_tag("v1.1.0")->commit_id) != std::string::npos);
        }
        CHECK(pauses.empty());
        std::error_code ignored;
        fs::remove_all(bare, ignored);
    }

    TEST_CASE("pushing: SSH and git:// remotes and unknown remote names are UsageErrors; a URL's password is masked") {
        HistoryRepository fixture;
        GitRepository repository = GitRepository::open(fixture.dir);
        for (const std::string remote : {"git@gitlab.example:group/app.git", "ssh://git@github.example/o/r.git", "git://example/r.git"}) {
            try {
                gantry::check_push_remote(repository, remote);
                FAIL("expected a UsageError for " << remote);
            } catch (const gantry::UsageError& error) {
                CHECK(std::string(error.what()).find("only https://, http://, file:// and local-path remotes") != std::string::npos);
            }
        }
        CHECK_THROWS_AS(gantry::check_push_remote(repository, "upstream"), gantry::UsageError);
        CHECK_NOTHROW(gantry::check_push_remote(repository, "https://example.invalid/o/r.git"));
        CHECK(gantry::remote_display_url(repository, "https://gitlab-ci-token:s3cret@gitlab.example/g/r.git") ==
              "https://gitlab-ci-token:***@gitlab.example/g/r.git");
    }

    TEST_CASE("pushing: a remote that does not answer is retried 3 times, 1 s then 2 s apart, then an EnvironmentError") {
        HistoryRepository fixture;
        GitRepository repository = GitRepository::open(fixture.dir);
        gantry::TagPushSettings settings;
        settings.remote = "http://127.0.0.1:1/nobody/listens.git";  // port 1: connection refused at once
        settings.credentials = gantry::RemoteCredentials{"x-access-token", "s3cret-token"};
        std::vector<std::chrono::milliseconds> pauses;
        try {
            gantry::push_tag(repository, "v1.1.0", repository.find_tag("v1.1.0")->commit_id, settings,
                             [&](std::chrono::milliseconds duration) { pauses.push_back(duration); });
            FAIL("expected an EnvironmentError");
        } catch (const gantry::EnvironmentError& error) {
            CHECK(std::string(error.what()).find("failed 3 times") != std::string::npos);
            CHECK(std::string(error.what()).find("s3cret-token") == std::string::npos);
        }
        CHECK(pauses == std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(1000), std::chrono::milliseconds(2000)});
    }
}
