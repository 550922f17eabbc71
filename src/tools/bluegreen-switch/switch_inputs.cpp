#include "bluegreen-switch/switch_inputs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bluegreen-switch/ca_bundle.hpp"
#include "gantry/base/error.hpp"

namespace bluegreen_switch {

namespace {

void require_http_url(const std::string& url, const std::string& flag) {
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
        throw gantry::UsageError(fmt::format("{} {}: expected an http:// or https:// URL", flag, url));
    }
}

// Opens the audit log for appending (creating it and its folder) and closes it again: a log that
// cannot be written must stop the run before the lock, not half-way through the switch.
void require_appendable(const std::filesystem::path& path) {
    std::error_code ignored;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ignored);
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw gantry::EnvironmentError(fmt::format("--audit-log {}: cannot append to it: {}", path.string(), std::strerror(errno)));
    }
    ::close(fd);
}

void load_analysis(const Options& options, const gantry::Environment& environment, SwitchInputs& inputs) {
    AnalysisSpec spec = read_analysis_file(options.analysis_file);
    if (std::none_of(inputs.steps.begin(), inputs.steps.end(), [](int percent) { return percent < 100; })) {
        throw gantry::UsageError(fmt::format("--analysis {}: the analysis runs during weighted steps, and --steps {} has "
                                             "none below 100: give e.g. --steps 10,50,100 --step-pause 1m",
                                             options.analysis_file, fmt::join(inputs.steps, ",")));
    }
    for (const auto& metric : spec.metrics) {
        if (metric.kind == MetricKind::Witness && !options.witness) {
            throw gantry::UsageError(fmt::format("--analysis {}: metric '{}' reads the traffic witness: expected --witness-url",
                                                 options.analysis_file, metric.name));
        }
    }
    if (spec.uses_prometheus()) {
        if (options.prometheus_url.empty()) {
            throw gantry::UsageError(fmt::format("--analysis {}: its prometheus metrics need --prometheus-url", options.analysis_file));
        }
        require_http_url(options.prometheus_url, "--prometheus-url");
        inputs.prometheus = PrometheusQuery{.base_url = options.prometheus_url,
                                            .token = environment.get(spec.token_env).value_or(""),
                                            .ca_file = options.ca_file,
                                            .timeout = std::min(options.provider.timeout, std::chrono::milliseconds(5000))};
    }
    inputs.analysis_checks = load_analysis_checks(spec, options.provider, options.ca_file, environment);
    inputs.analysis = std::move(spec);
}

}  // namespace

std::vector<std::string> SwitchInputs::secrets() const {
    std::vector<std::string> all;
    for (const auto* checks : {health ? &*health : nullptr, verify ? &*verify : nullptr}) {
        if (checks) all.insert(all.end(), checks->secrets().begin(), checks->secrets().end());
    }
    for (const auto& [metric, checks] : analysis_checks) all.insert(all.end(), checks.secrets().begin(), checks.secrets().end());
    if (prometheus && !prometheus->token.empty()) all.push_back(prometheus->token);
    return all;
}

void require_weights_for_steps(const std::vector<int>& steps, const Provider& provider) {
    if (steps == std::vector<int>{100} || provider.weights() == WeightSupport::Weighted) return;
    throw gantry::UsageError(fmt::format("--steps {}: {} moves all traffic at once ({}), so only --steps 100 is possible",
                                         fmt::join(steps, ","), provider.name(), provider.why_all_at_once()));
}

SwitchInputs load_switch_inputs(const Options& options, const gantry::Environment& environment) {
    SwitchInputs inputs;
    inputs.provider = make_provider(options.provider);
    if (!options.ca_file.empty()) require_ca_bundle_file(options.ca_file, "--cacert " + options.ca_file);

    const bool changes = options.mode == Mode::Switch || options.mode == Mode::Rollback;
    inputs.steps = options.steps;
    if (changes) require_weights_for_steps(inputs.steps, *inputs.provider);
    if (changes && !options.health_file.empty()) {
        inputs.health = load_color_checks(options.health_file, options.provider, options.ca_file, environment);
    }
    if (changes && !options.verify_file.empty()) {
        inputs.verify = load_color_checks(options.verify_file, options.provider, options.ca_file, environment);
    }
    if (options.witness) require_http_url(options.witness->url, "--witness-url");
    if (options.read_url) require_http_url(*options.read_url, "--read-url");
    const std::optional<std::string> read_url = options.read_url ? options.read_url
                                                : options.witness ? std::optional<std::string>(options.witness->url)
                                                                  : std::nullopt;
    if (read_url) {
        inputs.entrypoint = EntrypointProbe{.url = *read_url,
                                            .color_header = options.color_header,
                                            .ca_file = options.ca_file,
                                            .timeout = std::min(options.provider.timeout, std::chrono::milliseconds(5000))};
    }
    if (changes && !options.analysis_file.empty()) load_analysis(options, environment, inputs);
    if (options.execution == Execution::Apply && options.mode != Mode::Status && !options.audit_log.empty()) {
        require_appendable(options.audit_log);
    }
    return inputs;
}

}  // namespace bluegreen_switch
