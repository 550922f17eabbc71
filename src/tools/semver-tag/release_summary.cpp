#include "semver-tag/release_summary.hpp"

#include <fmt/format.h>

#include "gantry/report/markdown.hpp"
#include "gantry/report/summary_headline.hpp"

namespace semver_tag {

namespace {

using gantry::MarkdownContext;

std::string code(const std::string& text) { return gantry::markdown_escape(text, MarkdownContext::InlineCode); }
std::string cell_code(const std::string& text) { return gantry::markdown_escape(text, MarkdownContext::InlineCodeInTableCell); }

std::string bump_text(const PackagePlan& package) {
    if (!package.released) return "none";
    std::string text(gantry::to_string(package.applied_bump));
    if (package.applied_bump != package.bump) text += fmt::format(" ({} while 0.x)", gantry::to_string(package.bump));
    return text;
}

std::string created_text(const PackagePlan& package, TagCreation creation, bool pushed) {
    if (!package.released) return "no: nothing to release";
    if (creation == TagCreation::DryRun) return "no: dry run";
    return pushed ? "yes, pushed" : "yes";
}

std::string why(const ReleasePlan& plan, TagCreation creation, std::size_t released) {
    if (plan.packages.size() == 1) {
        const PackagePlan& package = plan.packages.front();
        if (!package.released) return "Nothing to release: " + gantry::markdown_escape(package.reason, MarkdownContext::ListItem);
        const std::string version = package.version ? package.version->to_string() : "";
        const std::string base = package.base ? "from " + code(package.base_tag) : "as the first release";
        return creation == TagCreation::DryRun
                   ? fmt::format("**{}** would be tagged {}: {} bump {}. No tag was created (dry run).", version,
                                 code(package.tag), bump_text(package), base)
                   : fmt::format("**{}** tagged {}: {} bump {}.", version, code(package.tag), bump_text(package), base);
    }
    if (released == 0) return "Nothing to release: no package has changes that call for a release.";
    return fmt::format("{} of {} packages {}.", released, plan.packages.size(),
                       creation == TagCreation::DryRun ? "would be released; no tag was created (dry run)" : "released");
}

}  // namespace

std::string release_summary(const ReleasePlan& plan, TagCreation creation, bool pushed, const std::string& notes) {
    std::size_t released = 0;
    for (const PackagePlan& package : plan.packages) released += package.released ? 1 : 0;
    const gantry::SummaryVerdict verdict = released == 0                   ? gantry::SummaryVerdict::NothingToDo
                                           : creation == TagCreation::DryRun ? gantry::SummaryVerdict::DryRun
                                                                           : gantry::SummaryVerdict::Passed;
    std::string out = gantry::summary_headline("semver-tag", verdict, why(plan, creation, released));

    const bool monorepo = plan.packages.size() > 1 || !plan.packages.front().package.name.empty();
    std::vector<std::string> headers = {"Base tag", "Bump", "Next version", "Tag", "Tag created"};
    if (monorepo) headers.insert(headers.begin(), "Package");
    gantry::MarkdownTable table(headers);
    for (const PackagePlan& package : plan.packages) {
        std::vector<std::string> row = {package.base ? cell_code(package.base_tag) : "none", bump_text(package),
                                        package.version ? package.version->to_string() : "",
                                        package.released ? cell_code(package.tag) : "",
                                        created_text(package, creation, pushed)};
        if (monorepo) row.insert(row.begin(), gantry::markdown_escape(package.package.name));
        table.add_raw_row(row);
    }
    out += table.render();
    if (!notes.empty()) out += "\n" + notes;
    return gantry::truncate_summary(std::move(out));
}

}  // namespace semver_tag
