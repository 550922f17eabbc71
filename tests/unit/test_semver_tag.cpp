#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <unistd.h>

#include "gantry/base/error.hpp"
#include "semver-tag/release_channel.hpp"
#include "semver-tag/release_notes.hpp"
#include "gantry/cli/inputs.hpp"
#include "semver-tag/semver_tag.hpp"
#include "semver-tag/semver_tag_spec.hpp"

using namespace semver_tag;
namespace fs = std::filesystem;

namespace {

gantry::Environment env(const std::map<std::string, std::string>& variables) { return gantry::Environment(variables); }

}  // namespace

TEST_SUITE("semver-tag") {
    TEST_CASE("channels: pre-release rules first, then release globs; unknown branch releases") {
        const std::vector<PrereleaseRule> rules = {parse_prerelease_rule("develop=rc"), parse_prerelease_rule("beta/*=beta")};
        CHECK(choose_channel("main", {"main", "release/*"}, rules).kind == ChannelKind::Release);
        CHECK(choose_channel("release/1.x", {"main", "release/*"}, rules).kind == ChannelKind::Release);
        const ReleaseChannel develop = choose_channel("develop", {"main"}, rules);
        CHECK(develop.kind == ChannelKind::Prerelease);
        CHECK(develop.identifier == "rc");
        CHECK(choose_channel("beta/x", {"main"}, rules).identifier == "beta");
        CHECK(choose_channel("feature/x", {"main"}, rules).kind == ChannelKind::None);
        CHECK(choose_channel(std::nullopt, {"main"}, rules).kind == ChannelKind::Release);
        CHECK_THROWS_AS(parse_prerelease_rule("develop"), gantry::UsageError);
        CHECK_THROWS_AS(parse_prerelease_rule("develop=r_c"), gantry::UsageError);
    }

    TEST_CASE("the branch from GitHub and GitLab variables") {
        CHECK(branch_from_environment(env({{"GITHUB_ACTIONS", "true"}, {"GITHUB_REF_NAME", "main"}})) == "main");
        CHECK(branch_from_environment(gantry::Environment(
                  {{"GITHUB_ACTIONS", "true"}, {"GITHUB_REF_NAME", "v1.0.0"}, {"GITHUB_REF_TYPE", "tag"}})) == std::nullopt);
        CHECK(branch_from_environment(gantry::Environment(
                  {{"GITHUB_ACTIONS", "true"}, {"GITHUB_REF_NAME", "12/merge"}, {"GITHUB_HEAD_REF", "feature"}})) == "feature");
        CHECK(branch_from_environment(env({{"GITLAB_CI", "true"}, {"CI_COMMIT_BRANCH", "develop"}})) == "develop");
        CHECK(branch_from_environment(env({{"CI_COMMIT_BRANCH", "develop"}})) == std::nullopt);
    }

    TEST_CASE("settings: packages, versions and rules are validated") {
        Options options;
        options.packages = {"api=./services/api/", "web=apps/web"};
        options.package_tag_prefix = "{name}@";
        const PlanSettings settings = plan_settings(options, "main");
        REQUIRE(settings.packages.size() == 2);
        CHECK(settings.packages[0].path == "services/api");
        CHECK(settings.packages[0].tag_prefix == "api@");
        options.packages = {"api=../outside"};
        CHECK_THROWS_AS(plan_settings(options, "main"), gantry::UsageError);
        options.packages = {"api=a", "api=b"};
        CHECK_THROWS_AS(plan_settings(options, "main"), gantry::UsageError);
        options.packages = {};
        options.initial_version = "1.0";
        CHECK_THROWS_AS(plan_settings(options, "main"), gantry::InputError);
        options.initial_version = "1.0.0-rc.1";
        CHECK_THROWS_AS(plan_settings(options, "main"), gantry::UsageError);
        options.initial_version = "1.0.0";
        options.build_metadata = "a..b";
        CHECK_THROWS_AS(plan_settings(options, "main"), gantry::UsageError);
        options.build_metadata = "build.7";
        CHECK(plan_settings(options, "main").build_metadata == std::vector<std::string>{"build", "7"});
    }

    TEST_CASE("settings: a preset brings its tool's reading, rules, 0.x rule and first version; explicit options win") {
        const auto parse = [](std::vector<const char*> args) {
            args.insert(args.begin(), "semver-tag");
            const gantry::CommandLine command_line =
                gantry::parse_command_line(spec(), static_cast<int>(args.size()), args.data(), gantry::Environment());
            return plan_settings(options_from_inputs(command_line.inputs, Mode::Release), "main");
        };
        PlanSettings settings = parse({});
        CHECK(settings.reading.preset == gantry::ReadingPreset::Gantry);
        CHECK(settings.reading.leniency == gantry::Leniency::Lenient);
        CHECK(settings.initial_version.to_string() == "0.1.0");
        CHECK(settings.rules.zero_major_breaking == gantry::ZeroMajorBreaking::Minor);
        CHECK(parse({"--strict"}).reading.leniency == gantry::Leniency::Strict);
        settings = parse({"--preset", "conventionalcommits"});
        CHECK(settings.reading.preset == gantry::ReadingPreset::ConventionalCommits);
        CHECK(settings.initial_version.to_string() == "1.0.0");
        CHECK(settings.rules.zero_major_breaking == gantry::ZeroMajorBreaking::Major);
        settings = parse({"--preset", "release-please", "--zero-major-breaking", "minor", "--initial-version", "0.2.0"});
        CHECK(settings.rules.zero_major_breaking == gantry::ZeroMajorBreaking::Minor);
        CHECK(settings.initial_version.to_string() == "0.2.0");
        CHECK(parse({"--preset", "cocogitto"}).rules.zero_major_breaking == gantry::ZeroMajorBreaking::TypeBump);
        CHECK_THROWS_AS(parse({"--preset", "angular", "--strict"}), gantry::UsageError);
        CHECK_THROWS_AS(parse({"--preset", "svu"}), gantry::UsageError);
    }

    TEST_CASE("release notes: breaking first, sections by type, scopes, links; none-bump types left out") {
        PackagePlan plan;
        plan.version = gantry::parse_semantic_version("2.0.0");
        plan.released = true;
        CommitVerdict feat{.id = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", .summary = "feat(ui)!: new look", .status = CommitStatus::Counted};
        feat.changes.push_back({{.header = {.type = "feat", .scope = "ui", .exclamation = true, .description = "new look"},
                                 .breaking = true, .breaking_description = "the old theme is gone"}, gantry::Bump::Major});
        CommitVerdict fix{.id = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", .summary = "fix: crash", .status = CommitStatus::Counted};
        fix.changes.push_back({{.header = {.type = "fix", .description = "crash"}}, gantry::Bump::Patch});
        CommitVerdict docs{.id = "3333333ccccccccccccccccccccccccccccccccc", .summary = "docs: x", .status = CommitStatus::Counted};
        docs.changes.push_back({{.header = {.type = "docs", .description = "x"}}, gantry::Bump::None});
        plan.commits = {feat, fix, docs};
        const std::string notes = release_notes_markdown(plan, 1700000000, "https://gitlab.example/g/p/-/commit/{sha}");
        CHECK(notes ==
              "## 2.0.0 (2023-11-14)\n\n### ⚠ BREAKING CHANGES\n\n"
              "- **ui:** the old theme is gone ([1111111](https://gitlab.example/g/p/-/commit/1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa))\n"
              "\n### Features\n\n- **ui:** new look ([1111111](https://gitlab.example/g/p/-/commit/1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa))\n"
              "\n### Bug Fixes\n\n- crash ([2222222](https://gitlab.example/g/p/-/commit/2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb))\n");
        CHECK(release_notes_markdown(plan, 0, std::nullopt).find("- crash (2222222)") != std::string::npos);
    }

    TEST_CASE("commit links from the CI environment") {
        CHECK(commit_url_from_environment(env({{"GITHUB_REPOSITORY", "a/b"}})) == "https://github.com/a/b/commit/{sha}");
        CHECK(commit_url_from_environment(env({{"GITHUB_REPOSITORY", "a/b"}, {"GITHUB_SERVER_URL", "https://ghe.example"}})) ==
              "https://ghe.example/a/b/commit/{sha}");
        CHECK(commit_url_from_environment(env({{"CI_PROJECT_URL", "https://gitlab.com/g/p"}})) ==
              "https://gitlab.com/g/p/-/commit/{sha}");
        CHECK_FALSE(commit_url_from_environment(gantry::Environment()).has_value());
    }

    TEST_CASE("changelog: notes go under the title, or at the top") {
        CHECK(prepend_to_changelog("# Changelog\n\n## 1.0.0\n", "## 1.1.0\n") == "# Changelog\n\n## 1.1.0\n\n## 1.0.0\n");
        CHECK(prepend_to_changelog("## 1.0.0\n", "## 1.1.0\n") == "## 1.1.0\n\n## 1.0.0\n");
        CHECK(prepend_to_changelog("", "## 1.1.0\n") == "## 1.1.0\n");
    }

    TEST_CASE("run: a repository's plan in one walk; packages see only their paths; nothing to release is exit 0") {
        const fs::path dir = fs::temp_directory_path() / ("gantry-semver-tag-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        const std::string command = std::string("bash '") + GANTRY_TEST_DATA_DIR + "/semver/make-history.sh' '" + dir.string() + "' >/dev/null 2>&1";
        REQUIRE(std::system(command.c_str()) == 0);
        Options options;
        options.repo = dir.string();
        options.dry_run = true;
        gantry::Outcome outcome = run(options, gantry::Environment());
        CHECK(outcome.text == "1.2.0\n");  // feat(pkg): C and feat: T since v1.1.0
        CHECK(outcome.json["bump"] == "minor");
        CHECK(outcome.json["previous-version"] == "1.1.0");
        CHECK(outcome.json["commits"].size() == 4);
        CHECK(outcome.exit_code == gantry::ExitCode::Success);

        options.packages = {"pkg=pkg"};
        options.package_tag_prefix = "v";  // the package shares the repository's tags here
        outcome = run(options, gantry::Environment());
        CHECK(outcome.text == "pkg 1.2.0\n");
        const auto& commits = outcome.json["packages"][0]["commits"];
        int outside = 0;
        for (const auto& commit : commits) outside += commit["status"] == "outside-path" ? 1 : 0;
        CHECK(outside == 3);

        options.packages = {};
        options.bump_rules = {"feat=none"};
        outcome = run(options, gantry::Environment());
        CHECK(outcome.text == "1.1.0\n");
        CHECK(outcome.json["released"] == false);
        CHECK(outcome.exit_code == gantry::ExitCode::Success);
        fs::remove_all(dir);
    }

    TEST_CASE("--push git: parsed with --remote and --cacert; the tag lands in the remote, pushed=true, the token masked") {
        const char* argv[] = {"semver-tag", "--push", "git", "--cacert", "ca.pem", "--token", "t0ken"};
        const gantry::CommandLine command_line = gantry::parse_command_line(spec(), 7, argv, gantry::Environment());
        Options options = options_from_inputs(command_line.inputs, Mode::Release);
        CHECK(options.push == PushMethod::Git);
        CHECK(options.remote == "origin");
        CHECK(options.cacert == "ca.pem");

        const fs::path dir = fs::temp_directory_path() / ("gantry-semver-push-" + std::to_string(::getpid()));
        const fs::path bare = dir.string() + "-remote.git";
        fs::create_directories(dir);
        REQUIRE(std::system((std::string("bash '") + GANTRY_TEST_DATA_DIR + "/semver/make-history.sh' '" + dir.string() +
                             "' >/dev/null 2>&1 && git init -q --bare '" + bare.string() + "'").c_str()) == 0);
        options.repo = dir.string();
        options.remote = "file://" + bare.string();
        options.cacert.reset();
        const gantry::Outcome outcome = run(options, gantry::Environment());
        CHECK(outcome.text == "1.2.0\n");
        CHECK(outcome.json["pushed"] == true);
        CHECK(outcome.json["deepened"] == false);
        CHECK(std::find(outcome.secrets.begin(), outcome.secrets.end(), "t0ken") != outcome.secrets.end());
        const gantry::GitRepository remote = gantry::GitRepository::open(bare);
        REQUIRE(remote.find_tag("v1.2.0"));
        CHECK(remote.find_tag("v1.2.0")->commit_id == gantry::GitRepository::open(dir).head_commit_id());

        // An SSH remote is refused before the local tag is made.
        options.remote = "git@example.invalid:o/r.git";
        options.dry_run = false;
        REQUIRE(std::system(("cd '" + dir.string() + "' && git -c user.name=T -c user.email=t@e commit -q --allow-empty -m 'fix: x'").c_str()) == 0);
        CHECK_THROWS_AS(run(options, gantry::Environment()), gantry::UsageError);
        CHECK_FALSE(gantry::GitRepository::open(dir).find_tag("v1.2.1"));
        fs::remove_all(dir);
        fs::remove_all(bare);
    }
}
