// semver-tag's run(): options from the inputs, the release plan, the tag, the Outcome.
//
// run() opens the repository, plans the release (release_plan.hpp), creates the tag on HEAD unless
// --dry-run (or in Mode::Explain, which never writes), and describes the result: stdout gets the
// next version (one "name version" line per package with --package, the JSON list with --matrix);
// the JSON verdict has version, previous-version, tag, bump, released, prerelease, the reason and,
// per package, every commit with what it counted for; outputs carry the same names; the step
// summary holds the release notes. Nothing to release is exit 0 with released=false. A shallow clone
// is deepened first (shallow_deepening.hpp; "deepened": true in the JSON, a note on stderr); when that
// fails and the history stops before the base, the exit-2 message names the fix and why deepening
// failed. --push git publishes through gantry::push_tag (git_remote.hpp), --push api through
// publish_tag (tag_publisher.hpp); both are checked for a token before any local tag is written.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gantry/cli/inputs.hpp"
#include "gantry/cli/outcome.hpp"
#include "gantry/git/git_repository.hpp"
#include "gantry/platform/environment.hpp"
#include "semver-tag/release_plan.hpp"

namespace semver_tag {

enum class Mode { Release, Explain };
enum class PushMethod { None, Git, Api };

struct Options {
    Mode mode = Mode::Release;
    std::string repo = ".";
    bool dry_run = false;
    std::string tag_prefix = "v";
    std::optional<std::string> initial_version;      // nullopt: the preset's (0.1.0, or 1.0.0 as semantic-release and release-please)
    std::vector<std::string> bump_rules;
    std::optional<std::string> zero_major_breaking;  // nullopt: the preset's
    std::string preset = "gantry";
    bool strict = false;
    bool first_parent = false;
    std::optional<std::string> branch;
    std::vector<std::string> release_branches = {"main", "master"};
    std::vector<std::string> prerelease_branches;
    std::optional<std::string> build_metadata;
    std::vector<std::string> packages;  // NAME=PATH
    std::string package_tag_prefix = "{name}/v";
    bool matrix = false;
    gantry::TagKind tag_kind = gantry::TagKind::Annotated;
    PushMethod push = PushMethod::None;
    std::string remote = "origin";
    std::optional<std::string> token;
    std::optional<std::string> cacert;
    std::optional<std::string> notes_file;
    std::optional<std::string> changelog;
    std::optional<std::string> commit_url;
};

Options options_from_inputs(const gantry::Inputs& inputs, Mode mode);

// The plan's settings from the options (validates versions, rules and packages).
PlanSettings plan_settings(const Options& options, const std::optional<std::string>& branch);

gantry::Outcome run(const Options& options, const gantry::Environment& environment);

// The outcome of a plan (no I/O): used by run() and by tests.
gantry::Outcome describe_plan(const ReleasePlan& plan, const Options& options, const gantry::Environment& environment,
                              const std::string& existing_changelog, bool pushed = false, bool deepened = false);

}  // namespace semver_tag
