// Text from the input, printed in a CI job's log, must never be read by the runner as a command.
//
// GitHub's runner reads every line of a step's stdout and stderr: a line that starts with `::`
// after leading whitespace is a workflow command (`::stop-commands::TOKEN` silences the commands
// after it, `::error ...` forges an annotation), and the legacy form `##[command]` is recognised
// anywhere in a line. It splits lines at LF and at a lone CR. GitLab opens and closes collapsible
// sections at `section_start:TIME:NAME` / `section_end:...` followed by CR ESC[0K, and a lone CR
// lets the rest of a line overwrite what came before it.
//
// log_text() is for one piece of input-derived text inside a line a tool writes (a scanner's
// name, a check name, a commit subject, a file path): control characters become visible escapes
// (\n, \r, \t, \u001b ...), so the piece cannot start a line, end one early or carry an escape
// sequence, and a would-be command marker (`::` at its start, `##[` anywhere) has its first
// character written as a \u escape. Backslashes are left as they are: the result is for reading,
// not for decoding.
//
// neutralize_runner_commands() is the second line of defence, applied by deliver() to everything a
// tool prints that is not one of its own commands: for GitHub, a line that the runner would read as
// a command gets the same \u escape on its first marker character and every CR is shown as \r; for
// GitLab every CR is shown as \r (a section marker cannot be forged without one); on a plain shell
// the text is unchanged. The \u escapes keep a JSON document valid and equal to the original, so
// the same guard serves --format json.
#pragma once

#include <string>
#include <string_view>

#include "gantry/platform/environment.hpp"

namespace gantry {

std::string log_text(std::string_view text);

std::string neutralize_runner_commands(std::string_view output, CiPlatform runner);

}  // namespace gantry
