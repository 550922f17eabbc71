#include "semver-tag/release_notes.hpp"

#include <ctime>
#include <map>

#include <fmt/format.h>

#include "gantry/report/markdown.hpp"

namespace semver_tag {

namespace {

// Section titles of the well-known types, in this order; other types follow alphabetically.
const std::vector<std::pair<std::string, std::string>>& known_sections() {
    static const std::vector<std::pair<std::string, std::string>> sections = {
        {"feat", "Features"}, {"fix", "Bug Fixes"}, {"perf", "Performance Improvements"}, {"revert", "Reverts"},
        {"docs", "Documentation"}, {"refactor", "Code Refactoring"}, {"build", "Build System"}, {"ci", "Continuous Integration"},
        {"test", "Tests"}, {"style", "Styles"}, {"chore", "Miscellaneous Chores"}};
    return sections;
}

std::string date_of(std::int64_t time) {
    const std::time_t t = static_cast<std::time_t>(time);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[16];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &utc);
    return buffer;
}

std::string link(const std::string& id, const std::optional<std::string>& commit_url) {
    const std::string short_id = id.substr(0, 7);
    if (!commit_url) return short_id;
    std::string url = *commit_url;
    for (std::size_t at = url.find("{sha}"); at != std::string::npos; at = url.find("{sha}", at + id.size())) {
        url.replace(at, 5, id);
    }
    return fmt::format("[{}]({})", short_id, url);
}

std::string entry(const gantry::ConventionalHeader& header, const std::string& text, const std::string& id,
                  const std::optional<std::string>& commit_url) {
    using gantry::MarkdownContext;
    const std::string scope =
        header.scope.empty() ? "" : fmt::format("**{}:** ", gantry::markdown_escape(header.scope, MarkdownContext::ListItem));
    return fmt::format("- {}{} ({})\n", scope, gantry::markdown_escape(text, MarkdownContext::ListItem), link(id, commit_url));
}

}  // namespace

std::optional<std::string> commit_url_from_environment(const gantry::Environment& environment) {
    if (environment.has("GITHUB_REPOSITORY")) {
        return fmt::format("{}/{}/commit/{{sha}}", environment.get("GITHUB_SERVER_URL").value_or("https://github.com"),
                           *environment.get("GITHUB_REPOSITORY"));
    }
    if (environment.has("CI_PROJECT_URL")) return *environment.get("CI_PROJECT_URL") + "/-/commit/{sha}";
    return std::nullopt;
}

std::string release_notes_markdown(const PackagePlan& package, std::int64_t head_time,
                                   const std::optional<std::string>& commit_url) {
    const std::string version = package.version ? package.version->to_string() : "";
    const std::string title = package.package.name.empty() ? version : package.package.name + " " + version;
    std::string out = fmt::format("## {} ({})\n", gantry::markdown_escape(title, gantry::MarkdownContext::Heading), date_of(head_time));

    std::string breaking;
    std::map<std::string, std::string> by_type;
    for (const CommitVerdict& commit : package.commits) {
        if (commit.status != CommitStatus::Counted) continue;
        for (const CountedChange& counted : commit.changes) {
            if (counted.change.breaking) {
                breaking += entry(counted.change.header, counted.change.breaking_description, commit.id, commit_url);
            }
            // An untyped change (a breaking footer under a title that is not conventional) is listed above only.
            if (counted.bump == gantry::Bump::None || counted.change.header.type.empty()) continue;
            by_type[counted.change.header.type] += entry(counted.change.header, counted.change.header.description, commit.id, commit_url);
        }
    }
    if (!breaking.empty()) out += "\n### ⚠ BREAKING CHANGES\n\n" + breaking;
    for (const auto& [type, section] : known_sections()) {
        const auto it = by_type.find(type);
        if (it == by_type.end()) continue;
        out += fmt::format("\n### {}\n\n{}", section, it->second);
        by_type.erase(it);
    }
    for (const auto& [type, entries] : by_type) {
        out += fmt::format("\n### {}\n\n{}", gantry::markdown_escape(type, gantry::MarkdownContext::Heading), entries);
    }
    return out;
}

std::string prepend_to_changelog(const std::string& existing, const std::string& notes) {
    if (existing.rfind("# ", 0) == 0) {
        const std::size_t end = existing.find('\n');
        std::string rest = end == std::string::npos ? "" : existing.substr(end + 1);
        while (!rest.empty() && rest.front() == '\n') rest.erase(0, 1);
        return existing.substr(0, end == std::string::npos ? existing.size() : end) + "\n\n" + notes +
               (rest.empty() ? "" : "\n" + rest);
    }
    return existing.empty() ? notes : notes + "\n" + existing;
}

}  // namespace semver_tag
