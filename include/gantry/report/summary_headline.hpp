// The one shape every tool's step summary opens with: a level-2 heading "ICON TOOL: VERDICT", then
// a paragraph saying why. The verdict is one of a fixed set, and the ones that fail the step (failed,
// rolled back, refused) carry the same icon, so a rollback or a refusal reads as the failure it is.
//
//   ## ❌ bluegreen-switch: rolled back
//
//   Traffic is back on blue: verification failed ...
//
// `why_markdown` is Markdown the caller built (input-derived parts escaped with markdown_escape);
// it is written as given, after the heading and a blank line, followed by a blank line.
#pragma once

#include <string>
#include <string_view>

namespace gantry {

enum class SummaryVerdict { Passed, Failed, RolledBack, Refused, NothingToDo, DryRun };

std::string_view to_string(SummaryVerdict verdict);  // "passed", "failed", "rolled back", ...
std::string_view summary_icon(SummaryVerdict verdict);

std::string summary_headline(std::string_view tool, SummaryVerdict verdict, std::string_view why_markdown);

}  // namespace gantry
