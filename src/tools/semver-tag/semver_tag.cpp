#include "semver-tag/semver_tag.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/platform/log_text.hpp"
#include "gantry/http/http_client.hpp"
#include "gantry/git/git_remote.hpp"
#include "gantry/platform/clock.hpp"
#include "gantry/report/markdown.hpp"
#include "semver-tag/release_notes.hpp"
#include "semver-tag/release_summary.hpp"
#include "semver-tag/shallow_deepening.hpp"
#include "semver-tag/tag_publisher.hpp"

namespace semver_tag {

namespace {

using gantry::Bump;

std::string version_text(const std::optional<gantry::SemanticVersion>& version) {
    return version ? version->to_string() : "";
}

std::string status_text(const CommitVerdict& commit, const PackagePlan& package, const gantry::BumpRules& rules) {
    switch (commit.status) {
        case CommitStatus::OutsidePath: return fmt::format("outside {}", package.package.path);
        case CommitStatus::NotConventional: return "not conventional";
        case CommitStatus::Reverted: return fmt::format("reverted by {}", commit.related_id.substr(0, 7));
        case CommitStatus::RevertOfRange: return fmt::format("reverts {} (both cancelled)", commit.related_id.substr(0, 7));
        case CommitStatus::Counted: break;
    }
    std::string out;
    for (const CountedChange& counted : commit.changes) {
        if (!out.empty()) out += "; ";
        const auto& header = counted.change.header;
        std::string what = !header.type.empty() ? header.type : counted.change.is_revert ? "revert" : "untyped";
        if (!header.scope.empty()) what += "(" + header.scope + ")";
        if (counted.change.origin == gantry::ChangeOrigin::SquashedBullet) what = "squashed " + what;
        if (counted.change.origin == gantry::ChangeOrigin::Paragraph) what = "paragraph " + what;
        if (counted.change.is_revert && !counted.reverted_type.empty()) what += " of " + counted.reverted_type;
        if (counted.change.breaking) {
            what += header.exclamation ? "!" : " + BREAKING CHANGE";
            if (counted.bump != Bump::Major) {
                out += fmt::format("{} -> {} (breaking changes count for their type while 0.x)", what, gantry::to_string(counted.bump));
                continue;
            }
            const Bump applied = gantry::effective_bump(Bump::Major, package.base, rules);
            out += fmt::format("{} -> major{}", what, applied == Bump::Minor ? " (minor while 0.x)" : "");
            if (!counted.change.leniency.empty()) out += fmt::format(" (lenient: {})", counted.change.leniency);
        } else {
            out += fmt::format("{} -> {}", what, gantry::to_string(counted.bump));
        }
    }
    return out;
}

// One warning per change counted as breaking though written off the specification.
std::vector<std::string> leniency_warnings(const ReleasePlan& plan) {
    std::vector<std::string> warnings;
    for (const PackagePlan& package : plan.packages) {
        for (const CommitVerdict& commit : package.commits) {
            if (commit.status != CommitStatus::Counted) continue;
            for (const CountedChange& counted : commit.changes) {
                if (counted.change.leniency.empty()) continue;
                const std::string warning =
                    fmt::format("commit {} \"{}\" is read as a breaking change although {}, off the letter of "
                                "Conventional Commits 1.0; --strict would not count it",
                                commit.id.substr(0, 7), commit.summary, counted.change.leniency);
                if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end()) warnings.push_back(warning);
            }
        }
    }
    return warnings;
}

nlohmann::json commit_json(const CommitVerdict& commit, const PackagePlan& package, const gantry::BumpRules& rules) {
    static const char* const kStatus[] = {"counted", "not-conventional", "reverted", "revert", "outside-path"};
    nlohmann::json changes = nlohmann::json::array();
    for (const CountedChange& counted : commit.changes) {
        changes.push_back({{"type", counted.change.header.type},
                           {"scope", counted.change.header.scope},
                           {"description", counted.change.header.description},
                           {"breaking", counted.change.breaking},
                           {"squashed", counted.change.origin == gantry::ChangeOrigin::SquashedBullet},
                           {"bump", gantry::to_string(counted.bump)}});
        if (counted.change.origin == gantry::ChangeOrigin::Paragraph) changes.back()["paragraph"] = true;
        if (counted.change.is_revert) changes.back()["revert"] = true;
        if (!counted.change.leniency.empty()) changes.back()["lenient"] = counted.change.leniency;
    }
    return {{"id", commit.id},
            {"summary", commit.summary},
            {"status", kStatus[static_cast<int>(commit.status)]},
            {"bump", gantry::to_string(commit.bump)},
            {"changes", std::move(changes)},
            {"why", status_text(commit, package, rules)}};
}

nlohmann::json package_json(const PackagePlan& package, const gantry::BumpRules& rules, bool with_commits) {
    nlohmann::json out = {{"version", version_text(package.version)},
                          {"previous-version", version_text(package.base)},
                          {"previous-tag", package.base_tag},
                          {"tag", package.tag},
                          {"bump", gantry::to_string(package.released ? package.applied_bump : Bump::None)},
                          {"released", package.released},
                          {"prerelease", package.version && package.version->is_prerelease()},
                          {"reason", package.reason}};
    if (!package.package.name.empty()) {
        out["package"] = package.package.name;
        out["path"] = package.package.path;
    }
    if (with_commits) {
        nlohmann::json commits = nlohmann::json::array();
        for (const CommitVerdict& commit : package.commits) commits.push_back(commit_json(commit, package, rules));
        out["commits"] = std::move(commits);
    }
    return out;
}

// "why this version": one row per commit, then the verdict.
std::string explain_text(const ReleasePlan& plan, const gantry::BumpRules& rules) {
    std::string out;
    for (const PackagePlan& package : plan.packages) {
        const std::string name = package.package.name.empty() ? "" : gantry::log_text(package.package.name) + ": ";
        out += fmt::format("{}base {} ({})\n", name, package.base ? gantry::log_text(package.base_tag) : "none",
                           package.base ? "highest release tag reachable from HEAD" : "no release tag reachable from HEAD");
        std::vector<std::string> summaries;
        std::size_t width = 7;
        for (const CommitVerdict& commit : package.commits) {
            // Cut before escaping, so that an escape is never cut in half.
            summaries.push_back(commit.summary.size() > 60 ? gantry::log_text(commit.summary.substr(0, 57)) + "..."
                                                           : gantry::log_text(commit.summary));
            width = std::max(width, summaries.back().size());
        }
        out += fmt::format("{:<7}  {:<{}}  {:<5}  {}\n", "commit", "message", width, "bump", "why");
        for (std::size_t i = 0; i < package.commits.size(); ++i) {
            const CommitVerdict& commit = package.commits[i];
            out += fmt::format("{:<7}  {:<{}}  {:<5}  {}\n", commit.id.substr(0, 7), summaries[i], width,
                               commit.status == CommitStatus::Counted ? gantry::to_string(commit.bump) : "-",
                               gantry::log_text(status_text(commit, package, rules)));
        }
        if (package.released) {
            out += fmt::format("{}{} -> {}: {} bump{} -> tag {}\n", name, package.base ? package.base->to_string() : "(none)",
                               version_text(package.version), gantry::to_string(package.bump),
                               package.applied_bump != package.bump ? fmt::format(" applied as {} (0.x rule)", gantry::to_string(package.applied_bump)) : "",
                               gantry::log_text(package.tag));
        } else {
            out += fmt::format("{}nothing to release: {}\n", name, gantry::log_text(package.reason));
        }
    }
    return out;
}

}  // namespace

gantry::Outcome describe_plan(const ReleasePlan& plan, const Options& options, const gantry::Environment& environment,
                              const std::string& existing_changelog, bool pushed, bool deepened) {
    const PlanSettings settings = plan_settings(options, plan.channel.branch.empty() ? std::nullopt : std::optional(plan.channel.branch));
    const gantry::BumpRules& rules = settings.rules;
    gantry::Outcome outcome("semver-tag");
    const bool monorepo = !options.packages.empty();
    const std::optional<std::string> commit_url = options.commit_url ? options.commit_url : commit_url_from_environment(environment);

    std::string notes;
    nlohmann::json matrix = nlohmann::json::array();
    nlohmann::json packages = nlohmann::json::array();
    std::size_t released = 0;
    for (const PackagePlan& package : plan.packages) {
        if (package.released) {
            ++released;
            if (!notes.empty()) notes += "\n";
            notes += release_notes_markdown(package, plan.head_time, commit_url);
            nlohmann::json entry = package_json(package, rules, false);
            entry.erase("reason");
            entry.erase("released");
            matrix.push_back(std::move(entry));
        }
        packages.push_back(package_json(package, rules, true));
    }

    const PackagePlan& first = plan.packages.front();
    if (!monorepo) {
        outcome.json = package_json(first, rules, true);
    } else {
        outcome.json = {{"released", released > 0}, {"packages", packages}};
    }
    outcome.json["branch"] = plan.channel.branch;
    outcome.json["head"] = plan.head_id;
    outcome.json["dry-run"] = options.dry_run;
    outcome.json["commits-walked"] = plan.commits_walked;

    // stdout: the version (or each package's), the matrix, or the explanation.
    if (options.mode == Mode::Explain) {
        outcome.text = explain_text(plan, rules);
    } else if (options.matrix) {
        outcome.text = matrix.dump() + "\n";
    } else if (!monorepo) {
        outcome.text = version_text(first.version) + "\n";
    } else {
        for (const PackagePlan& package : plan.packages) {
            outcome.text += fmt::format("{} {}\n", gantry::log_text(package.package.name), version_text(package.version));
        }
    }
    if (!monorepo) {
        outcome.headline = first.released
                               ? fmt::format("{} ({} bump from {}, tag {}{})", version_text(first.version),
                                             gantry::to_string(first.applied_bump),
                                             first.base ? gantry::log_text(first.base_tag) : "nothing",
                                             gantry::log_text(first.tag), options.dry_run ? " not created: dry run" : "")
                               : fmt::format("{} (nothing to release: {})", version_text(first.version), gantry::log_text(first.reason));
    } else {
        outcome.headline = fmt::format("{} of {} packages released", released, plan.packages.size());
    }
    if (options.mode == Mode::Explain) outcome.headline = outcome.text;

    outcome.outputs.set("version", monorepo ? "" : version_text(first.version));
    outcome.outputs.set("previous-version", monorepo ? "" : version_text(first.base));
    outcome.outputs.set("tag", monorepo ? "" : first.tag);
    outcome.outputs.set("bump", std::string(gantry::to_string(monorepo || !first.released ? Bump::None : first.applied_bump)));
    outcome.outputs.set("released", released > 0);
    outcome.outputs.set("prerelease", !monorepo && first.released && first.version && first.version->is_prerelease());
    std::string changelog_file;
    if (options.notes_file && released > 0) {
        outcome.files.push_back({*options.notes_file, notes});
        changelog_file = *options.notes_file;
    }
    if (options.changelog && released > 0 && !options.dry_run) {
        outcome.files.push_back({*options.changelog, prepend_to_changelog(existing_changelog, notes)});
        if (changelog_file.empty()) changelog_file = *options.changelog;
    }
    outcome.outputs.set("changelog-file", changelog_file);
    outcome.outputs.set("pushed", pushed);
    outcome.json["pushed"] = pushed;
    outcome.json["deepened"] = deepened;
    if (deepened) {
        outcome.warnings.push_back(fmt::format("the shallow clone was deepened (git fetch --unshallow --tags {}); "
                                               "fetch the whole history in the checkout to skip this step",
                                               options.remote));
    }
    if (options.matrix) outcome.outputs.set("matrix", matrix.dump());
    const std::vector<std::string> lenient = leniency_warnings(plan);
    outcome.warnings.insert(outcome.warnings.end(), lenient.begin(), lenient.end());
    if (options.mode == Mode::Explain) {
        for (const std::string& warning : lenient) outcome.text += "warning: " + warning + "\n";
        outcome.headline = outcome.text;
    }

    outcome.summary_markdown =
        release_summary(plan, options.dry_run ? TagCreation::DryRun : TagCreation::Created, pushed, notes);
    for (const std::string& warning : lenient)
        outcome.summary_markdown +=
            "\n> [!WARNING]\n> " + gantry::markdown_escape(warning, gantry::MarkdownContext::ListItem) + "\n";
    return outcome;
}

namespace {

// The token and git user for --push git: --token, else the CI platform's own token.
std::optional<gantry::RemoteCredentials> git_credentials(const Options& options, const gantry::Environment& environment) {
    const gantry::CiPlatform platform = gantry::detect_platform(environment);
    const auto variable = [&](const char* name) {
        auto value = environment.get(name);
        return value && !value->empty() ? value : std::nullopt;
    };
    if (options.token) {
        return gantry::RemoteCredentials{platform == gantry::CiPlatform::GitlabCi ? "oauth2" : "x-access-token", *options.token};
    }
    if (platform == gantry::CiPlatform::GithubActions) {
        if (auto token = variable("GITHUB_TOKEN")) return gantry::RemoteCredentials{"x-access-token", *token};
    } else if (platform == gantry::CiPlatform::GitlabCi) {
        if (auto token = variable("GITLAB_TOKEN")) return gantry::RemoteCredentials{"oauth2", *token};
        if (auto token = variable("CI_JOB_TOKEN")) return gantry::RemoteCredentials{"gitlab-ci-token", *token};
    }
    return std::nullopt;  // the URL's own user and password, or none (file://, local paths)
}

}  // namespace

gantry::Outcome run(const Options& options, const gantry::Environment& environment) {
    std::optional<std::string> branch = options.branch;
    if (!branch) branch = branch_from_environment(environment);
    // Bad options are reported before the repository is looked at.
    PlanSettings settings = plan_settings(options, branch);
    gantry::GitRepository repository = gantry::GitRepository::open(options.repo);
    if (!branch) {
        branch = repository.head_branch();
        settings = plan_settings(options, branch);
    }
    bool deepened = false;
    std::string deepening_failure;
    if (repository.is_shallow()) {
        const DeepeningResult deepening = deepen_shallow_clone(repository, options.remote);
        if (deepening.deepened) {
            // libgit2 reads .git/shallow when the repository is opened.
            repository = gantry::GitRepository::open(options.repo);
            deepened = true;
        } else {
            deepening_failure = deepening.failure;
        }
    }
    ReleasePlan plan = [&] {
        try {
            return plan_release(repository, settings);
        } catch (const gantry::InputError& error) {
            if (deepening_failure.empty() || !repository.is_shallow()) throw;
            throw gantry::InputError(fmt::format("{} semver-tag could not deepen it itself: {}.", error.what(), deepening_failure));
        }
    }();

    bool pushed = false;
    std::vector<std::string> secrets;
    if (options.token) secrets.push_back(*options.token);
    if (!options.dry_run) {
        // The remote or forge is checked before anything is written, so a bad setup leaves no local tag behind.
        std::optional<ForgeTarget> forge;
        std::optional<gantry::TagPushSettings> git_push;
        if (options.push == PushMethod::Api) {
            const std::string token = options.token   ? *options.token
                                      : gantry::detect_platform(environment) == gantry::CiPlatform::GitlabCi
                                          ? environment.get("GITLAB_TOKEN").value_or("")
                                          : environment.get("GITHUB_TOKEN").value_or("");
            forge = forge_target_from_environment(environment, token);
            secrets.push_back(token);
        } else if (options.push == PushMethod::Git) {
            gantry::check_push_remote(repository, options.remote);
            git_push.emplace();
            git_push->remote = options.remote;
            git_push->credentials = git_credentials(options, environment);
            if (git_push->credentials) secrets.push_back(git_push->credentials->token);
            git_push->ca_file = options.cacert.value_or("");
            git_push->ssl_cert_file = environment.get("SSL_CERT_FILE").value_or("");
        }
        gantry::TagSignature signature = repository.tag_signature(
            environment.get("GIT_COMMITTER_NAME"), environment.get("GIT_COMMITTER_EMAIL"),
            {"semver-tag", "semver-tag@users.noreply.gantry"});
        signature.unix_seconds = gantry::stamp_time(environment);
        const auto pause = [](std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); };
        for (const PackagePlan& package : plan.packages) {
            if (!package.released) continue;
            const std::string message = fmt::format("Release {}\n", package.tag);
            repository.create_tag(package.tag, plan.head_id, options.tag_kind, message, signature);
            if (forge) {
                publish_tag(*forge,
                            {package.tag, plan.head_id, options.tag_kind, message, signature, gantry::utc_timestamp(*signature.unix_seconds)},
                            [](const gantry::http::HttpRequest& request) { return gantry::http::perform(request); },
                            pause);
                pushed = true;
            }
            if (git_push) {
                gantry::push_tag(repository, package.tag, plan.head_id, *git_push, pause);
                pushed = true;
            }
        }
    }
    std::string existing_changelog;
    if (options.changelog && !options.dry_run) {
        std::ifstream file(*options.changelog, std::ios::binary);
        if (file) {
            std::ostringstream content;
            content << file.rdbuf();
            existing_changelog = content.str();
        }
    }
    gantry::Outcome outcome = describe_plan(plan, options, environment, existing_changelog, pushed, deepened);
    for (std::string& secret : secrets) {
        if (!secret.empty()) outcome.secrets.push_back(std::move(secret));
    }
    return outcome;
}

}  // namespace semver_tag
