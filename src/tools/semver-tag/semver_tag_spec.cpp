#include "semver-tag/semver_tag_spec.hpp"

namespace semver_tag {

namespace {

gantry::ToolSpec make_spec() {
    using gantry::InputType;
    gantry::ToolSpec s;
    s.name = "semver-tag";
    s.summary = "Compute the next SemVer version from Conventional Commits and tag it";
    s.description =
        "semver-tag reads the repository in-process (libgit2: no git executable, no \"dubious ownership\" "
        "failure when the checkout belongs to another user). The base is the highest SemVer 2.0.0 tag with "
        "the tag prefix that HEAD can reach; the walk stops there. The commits since are read with a strict "
        "Conventional Commits 1.0 parser: type, scope, '!', BREAKING CHANGE / BREAKING-CHANGE footers; "
        "under a title that is not conventional, the bullet lines of a squash-merge body that are "
        "conventional headers themselves; and reverts (git's Revert \"...\", also with a (#123) suffix, "
        "revert: headers, or git's \"This reverts commit <id>.\" line): a revert of a commit of the same "
        "release cancels it, a revert of an earlier one bumps a patch when the reverted commit released "
        "something. Breaking changes written slightly off the specification (the BREAKING CHANGE text on "
        "the next line, the line inside a paragraph, the footer under a title that is not conventional) "
        "count, with a warning naming the commit; --strict ignores them. The largest bump wins: breaking -> "
        "major (minor while the major version is 0, see --zero-major-breaking), feat -> minor, "
        "fix/perf/revert -> patch, other types -> none, each overridable with --bump-rule. --preset reads "
        "commits the way semantic-release (conventionalcommits, angular), release-please or cocogitto does, "
        "for the same answers after a migration.\n\n"
        "Branches listed in --prerelease-branch get pre-releases: 1.3.0-rc.N, N one more than the highest "
        "existing 1.3.0-rc.* tag. With --package, every package (a path and its own tag prefix, e.g. "
        "api/v1.2.3) gets its own version from the commits that touch its path, all in one walk; "
        "--matrix prints them as a JSON list for a job matrix.\n\n"
        "Without --dry-run the tag is created (annotated unless --tag-type lightweight) on HEAD; pushing it "
        "is the job's next step (git push origin TAG), or --push git pushes it to the remote in-process, or --push "
        "api creates it through GitHub's or GitLab's REST API. HEAD already carrying the tag is a no-op: "
        "released=false, exit 0; so is \"nothing to release\". A shallow clone is deepened with `git fetch "
        "--unshallow --tags` when git is on PATH; otherwise, when its history stops before the base, it is an "
        "error (exit 2) naming the fix: fetch-depth: 0 on GitHub, GIT_DEPTH: 0 on GitLab. "
        "`semver-tag explain` prints, commit by commit, why the version is what it is.";
    s.inputs = {
        {.name = "repo",
         .description = "The repository (or a folder inside it).",
         .default_value = ".",
         .value_name = "DIR"},
        {.name = "dry-run",
         .type = InputType::Boolean,
         .description = "Compute and report the next version but create no tag and change no file except "
                        "--notes-file, --json and the summary."},
        {.name = "tag-prefix",
         .description = "The prefix of version tags: v for v1.2.3 (--tag-prefix '' on the command line for bare "
                        "1.2.3). Tags with the prefix that are not SemVer 2.0.0 are ignored.",
         .default_value = "v",
         .value_name = "PREFIX"},
        {.name = "initial-version",
         .description = "The first version, released when no version tag is reachable yet (1.0.0 by default with "
                        "the conventionalcommits, angular and release-please presets).",
         .default_value = "0.1.0",
         .value_name = "VERSION"},
        {.name = "bump-rule",
         .type = InputType::List,
         .description = "Maps a commit type to a bump, as TYPE=BUMP with BUMP one of major, minor, patch, none "
                        "(repeatable): docs=patch, chore=none. Defaults: feat=minor, fix=patch, perf=patch, "
                        "revert=patch; breaking changes are always major. One per line.",
         .value_name = "TYPE=BUMP"},
        {.name = "zero-major-breaking",
         .description = "What a breaking change bumps while the major version is 0: minor (SemVer's initial "
                        "development phase) or major (leave 0.x). By default major with the conventionalcommits, "
                        "angular and release-please presets; with cocogitto's a breaking change counts only for "
                        "its type while 0.x.",
         .default_value = "minor",
         .value_name = "BUMP",
         .choices = {"minor", "major"}},
        {.name = "preset",
         .description = "Whose reading of commit messages to apply: gantry (semver-tag's own, above), "
                        "conventionalcommits or angular (semantic-release's commit-analyzer with that preset), "
                        "release-please, or cocogitto. A preset also brings that tool's bump rules, 0.x rule and "
                        "first version unless --bump-rule, --zero-major-breaking or --initial-version say "
                        "otherwise. The differences are tabulated in the README.",
         .default_value = "gantry",
         .value_name = "NAME",
         .choices = {"gantry", "conventionalcommits", "angular", "release-please", "cocogitto"}},
        {.name = "strict",
         .type = InputType::Boolean,
         .description = "Keep to the letter of Conventional Commits 1.0: a BREAKING CHANGE whose text starts on "
                        "the next line, that sits inside a paragraph, or that is under a title that is not "
                        "conventional does not count (by default it does, with a warning). Not with --preset."},
        {.name = "first-parent",
         .type = InputType::Boolean,
         .description = "Follow only the first parent of merge commits: the merges on the release branch count, "
                        "the commits inside merged branches do not."},
        {.name = "branch",
         .description = "The branch being released. Default: GITHUB_HEAD_REF / GITHUB_REF_NAME on GitHub, "
                        "CI_COMMIT_BRANCH on GitLab, else the branch HEAD points at.",
         .value_name = "NAME"},
        {.name = "release-branches",
         .type = InputType::List,
         .description = "Globs of the branches that release (when the branch is known). On other branches that "
                        "are not pre-release branches nothing is released. One per line.",
         .default_value = "main\nmaster",
         .value_name = "GLOB"},
        {.name = "prerelease-branch",
         .type = InputType::List,
         .description = "A branch glob that makes pre-releases, as GLOB=ID: develop=rc gives 1.3.0-rc.1, "
                        "1.3.0-rc.2, ... (repeatable). One per line.",
         .value_name = "GLOB=ID"},
        {.name = "build-metadata",
         .description = "Build metadata to append to the version and tag: 1.3.0+BUILD (ignored for precedence).",
         .value_name = "BUILD"},
        {.name = "package",
         .type = InputType::List,
         .description = "A package of a monorepo, as NAME=PATH (repeatable): its version comes from the commits "
                        "that change files under PATH and its tags carry --package-tag-prefix. One per line.",
         .value_name = "NAME=PATH"},
        {.name = "package-tag-prefix",
         .description = "The tag prefix of each package; {name} stands for the package name.",
         .default_value = "{name}/v",
         .value_name = "PREFIX"},
        {.name = "matrix",
         .type = InputType::Boolean,
         .description = "With --package: print the released packages as a JSON list of objects (package, path, "
                        "version, previous-version, tag, bump) for fromJSON() in a GitHub job matrix or GitLab's "
                        "parallel:matrix, and set the matrix output."},
        {.name = "tag-type",
         .description = "The kind of tag to create.",
         .default_value = "annotated",
         .value_name = "KIND",
         .choices = {"annotated", "lightweight"}},
        {.name = "push",
         .description = "Publish the tag: git pushes refs/tags/TAG to --remote in-process (https, http, file or a "
                        "local path; the token below, or the user and password in the remote's URL); api creates it "
                        "through the forge's REST API (GitHub: a tag object and a ref; GitLab: the tags API); none "
                        "leaves it in the local repository. Both retry network failures, and a tag already there on "
                        "the same commit counts as published. Not with --dry-run.",
         .default_value = "none",
         .value_name = "HOW",
         .choices = {"none", "git", "api"}},
        {.name = "remote",
         .description = "With --push git, and for deepening a shallow clone: the remote's name or URL.",
         .default_value = "origin",
         .value_name = "REMOTE"},
        {.name = "token",
         .description = "The token for --push git and --push api. Default: GITHUB_TOKEN on GitHub (the job needs "
                        "contents: write; sent as user x-access-token to git), GITLAB_TOKEN on GitLab (api scope for "
                        "--push api), else CI_JOB_TOKEN for --push git (user gitlab-ci-token). Never printed.",
         .value_name = "TOKEN"},
        {.name = "cacert",
         .description = "With --push git: a PEM file of the CA certificates to trust for an https remote. Default: "
                        "SSL_CERT_FILE, else /etc/ssl/certs/ca-certificates.crt.",
         .value_name = "FILE"},
        {.name = "notes-file",
         .description = "Write the release notes (Markdown grouped by type, breaking changes first) to this file.",
         .value_name = "FILE",
         .artifact = gantry::Artifact::File,
         .component_default = "gantry-release-notes.md"},
        {.name = "changelog",
         .description = "Prepend the release notes to this file (e.g. CHANGELOG.md), created when missing. Not "
                        "with --dry-run.",
         .value_name = "FILE"},
        {.name = "commit-url",
         .description = "Link for commits in the notes, {sha} standing for the commit id. Default: derived from "
                        "GITHUB_SERVER_URL/GITHUB_REPOSITORY or CI_PROJECT_URL.",
         .value_name = "URL"},
    };
    s.outputs = {
        {"version", "The next version (or the current one when nothing is released)"},
        {"previous-version", "The base version (empty when there was none)"},
        {"tag", "The tag of the version"},
        {"bump", "major, minor, patch or none"},
        {"released", "true when a new version is released (the tag is created, or would be with --dry-run)"},
        {"prerelease", "true when the version is a pre-release"},
        {"changelog-file", "The file the release notes were written to, if any"},
        {"pushed", "true when the tag was published (--push git or --push api)"},
        {"matrix", "With --matrix: the released packages as a JSON list"},
    };
    s.examples = {
        {"Print the next version without tagging", "semver-tag --dry-run"},
        {"Tag HEAD, then push the tag", "version=$(semver-tag) && git push origin \"v$version\""},
        {"Pre-releases on develop, release notes to a file",
         "semver-tag --prerelease-branch develop=rc --notes-file notes.md"},
        {"Two packages of a monorepo as a job matrix",
         "semver-tag --package api=services/api --package web=apps/web --matrix --dry-run"},
        {"Why this version, commit by commit", "semver-tag explain"},
    };
    s.branding_icon = "tag";
    s.branding_color = "green";
    return s;
}

}  // namespace

const gantry::ToolSpec& spec() {
    static const gantry::ToolSpec instance = make_spec();
    return instance;
}

}  // namespace semver_tag
