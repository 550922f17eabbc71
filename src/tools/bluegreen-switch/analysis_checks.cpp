#include "bluegreen-switch/analysis_checks.hpp"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace bluegreen_switch {

AnalysisChecks load_analysis_checks(const AnalysisSpec& spec, const ProviderSettings& provider, const std::string& ca_file,
                                    const gantry::Environment& environment) {
    AnalysisChecks checks;
    for (std::size_t i = 0; i < spec.metrics.size(); ++i) {
        const MetricSpec& metric = spec.metrics[i];
        if (metric.kind != MetricKind::Checks) continue;
        // Named at the analysis file's line: the mistake is there (a wrong path), not in the check file.
        // Any other problem (a file that cannot be read) is read_file()'s message, naming the file.
        std::error_code ignored;
        const auto type = std::filesystem::status(metric.check_file, ignored).type();
        if (type == std::filesystem::file_type::not_found || type == std::filesystem::file_type::directory) {
            throw gantry::InputError(metric.check_file_at,
                                     fmt::format("metrics[{}].file: expected a smoke-test check file, and '{}' {}", i, metric.check_file,
                                                 type == std::filesystem::file_type::directory ? "is a folder" : "does not exist"));
        }
        checks.emplace(metric.name, load_color_checks(metric.check_file, provider, ca_file, environment));
    }
    return checks;
}

}  // namespace bluegreen_switch
