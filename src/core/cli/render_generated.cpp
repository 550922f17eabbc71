#include "gantry/base/error.hpp"
#include "gantry/cli/generate.hpp"

namespace gantry {

std::string render_generated(const ToolSpec& spec, const std::string& what) {
    if (what == "github-action") return render_github_action(spec);
    if (what == "gitlab-component") return render_gitlab_component(spec);
    if (what == "readme") return render_readme_tables(spec);
    throw UsageError("--generate expects github-action, gitlab-component or readme, got '" + what + "'");
}

}  // namespace gantry
