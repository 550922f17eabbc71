// `sarif-merge validate`'s interface, declared once: inputs, outputs, examples. Its --help is
// generated from it; main() dispatches to it when the first argument is `validate`.
#pragma once

#include "gantry/cli/tool_spec.hpp"

namespace sarif_merge {

const gantry::ToolSpec& validate_spec();

}  // namespace sarif_merge
