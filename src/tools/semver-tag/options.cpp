#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/semver/semantic_version.hpp"
#include "semver-tag/semver_tag.hpp"

namespace semver_tag {

namespace {

std::optional<std::string> non_empty(const gantry::Inputs& inputs, const std::string& name) {
    auto value = inputs.get(name);
    if (value && value->empty()) return std::nullopt;
    return value;
}

// "api=services/api" -> {api, services/api, api/v}
PackageSpec parse_package(const std::string& text, const std::string& prefix_template) {
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        throw gantry::UsageError(fmt::format("--package: \"{}\" is not NAME=PATH (e.g. api=services/api)", text));
    }
    PackageSpec package;
    package.name = text.substr(0, eq);
    package.path = text.substr(eq + 1);
    while (package.path.rfind("./", 0) == 0) package.path.erase(0, 2);
    while (!package.path.empty() && package.path.back() == '/') package.path.pop_back();
    if (package.path.empty() || package.path == "." || package.path.front() == '/' ||
        package.path.find("..") != std::string::npos) {
        throw gantry::UsageError(fmt::format("--package {}: the path must be a folder inside the repository", text));
    }
    package.tag_prefix = prefix_template;
    for (std::size_t at = package.tag_prefix.find("{name}"); at != std::string::npos;
         at = package.tag_prefix.find("{name}", at + package.name.size())) {
        package.tag_prefix.replace(at, 6, package.name);
    }
    return package;
}

}  // namespace

Options options_from_inputs(const gantry::Inputs& inputs, Mode mode) {
    Options options;
    options.mode = mode;
    options.repo = inputs.get_or("repo", ".");
    if (options.repo.empty()) options.repo = ".";
    options.dry_run = inputs.flag("dry-run") || mode == Mode::Explain;
    options.tag_prefix = inputs.get_or("tag-prefix", "v");
    // An explicit value wins over the preset's default; the declared default is the gantry preset's.
    if (inputs.source("initial-version") != gantry::InputSource::Default) options.initial_version = inputs.get_or("initial-version", "");
    options.bump_rules = inputs.list("bump-rule");
    if (inputs.source("zero-major-breaking") != gantry::InputSource::Default) {
        options.zero_major_breaking = inputs.get_or("zero-major-breaking", "minor");
    }
    options.preset = inputs.get_or("preset", "gantry");
    options.strict = inputs.flag("strict");
    options.first_parent = inputs.flag("first-parent");
    options.branch = non_empty(inputs, "branch");
    options.release_branches = inputs.list("release-branches");
    options.prerelease_branches = inputs.list("prerelease-branch");
    options.build_metadata = non_empty(inputs, "build-metadata");
    options.packages = inputs.list("package");
    options.package_tag_prefix = inputs.get_or("package-tag-prefix", "{name}/v");
    options.matrix = inputs.flag("matrix");
    options.tag_kind = inputs.get_or("tag-type", "annotated") == "lightweight" ? gantry::TagKind::Lightweight
                                                                              : gantry::TagKind::Annotated;
    const std::string push = inputs.get_or("push", "none");
    options.push = push == "api" ? PushMethod::Api : push == "git" ? PushMethod::Git : PushMethod::None;
    options.remote = inputs.get_or("remote", "origin");
    if (options.remote.empty()) options.remote = "origin";
    options.token = non_empty(inputs, "token");
    options.cacert = non_empty(inputs, "cacert");
    options.notes_file = non_empty(inputs, "notes-file");
    options.changelog = non_empty(inputs, "changelog");
    options.commit_url = non_empty(inputs, "commit-url");
    if (options.matrix && options.packages.empty()) {
        throw gantry::UsageError("--matrix needs packages: pass --package NAME=PATH for each");
    }
    return options;
}

PlanSettings plan_settings(const Options& options, const std::optional<std::string>& branch) {
    PlanSettings settings;
    const auto preset = gantry::parse_reading_preset(options.preset);
    if (!preset) {
        throw gantry::UsageError(fmt::format("--preset {}: expected one of gantry, conventionalcommits, angular, release-please, "
                                             "cocogitto", options.preset));
    }
    if (options.strict && *preset != gantry::ReadingPreset::Gantry) {
        throw gantry::UsageError(fmt::format("--strict applies to semver-tag's own reading; --preset {} reads commits as {} "
                                             "does, leniencies included", options.preset, options.preset));
    }
    settings.reading = {*preset, options.strict ? gantry::Leniency::Strict : gantry::Leniency::Lenient};
    settings.rules = gantry::BumpRules(*preset);
    // semantic-release and release-please release 1.0.0 first.
    const bool starts_at_one = *preset == gantry::ReadingPreset::ConventionalCommits || *preset == gantry::ReadingPreset::Angular ||
                               *preset == gantry::ReadingPreset::ReleasePlease;
    const std::string initial_version = options.initial_version.value_or(starts_at_one ? "1.0.0" : "0.1.0");
    settings.initial_version = gantry::require_semantic_version(initial_version, "--initial-version");
    if (settings.initial_version.is_prerelease() || !settings.initial_version.build.empty()) {
        throw gantry::UsageError(fmt::format("--initial-version {}: expected a release version without pre-release or "
                                             "build metadata, e.g. 0.1.0", initial_version));
    }
    for (const std::string& rule : options.bump_rules) settings.rules.add_rule(rule, "--bump-rule");
    if (options.zero_major_breaking) {
        settings.rules.zero_major_breaking =
            *options.zero_major_breaking == "major" ? gantry::ZeroMajorBreaking::Major : gantry::ZeroMajorBreaking::Minor;
    }
    settings.parents = options.first_parent ? gantry::HistoryParents::First : gantry::HistoryParents::All;
    std::vector<PrereleaseRule> rules;
    for (const std::string& text : options.prerelease_branches) rules.push_back(parse_prerelease_rule(text));
    settings.channel = choose_channel(branch, options.release_branches, rules);
    if (options.build_metadata) {
        const auto probe = gantry::parse_semantic_version("0.0.0+" + *options.build_metadata);
        if (!probe) {
            throw gantry::UsageError(fmt::format("--build-metadata \"{}\": expected dot-separated identifiers of "
                                                 "[0-9A-Za-z-], e.g. build.42", *options.build_metadata));
        }
        settings.build_metadata = probe->build;
    }
    if (options.packages.empty()) {
        settings.packages.push_back({"", "", options.tag_prefix});
    } else {
        for (const std::string& text : options.packages) {
            PackageSpec package = parse_package(text, options.package_tag_prefix);
            for (const PackageSpec& other : settings.packages) {
                if (other.name == package.name) throw gantry::UsageError(fmt::format("--package {}: declared twice", package.name));
            }
            settings.packages.push_back(std::move(package));
        }
    }
    return settings;
}

}  // namespace semver_tag
