// Everything a run reads, read and checked before the lock and before the first change.
//
// load_switch_inputs() builds the provider (its settings, and for Kubernetes the kubeconfig or service
// account with its token file and CA bundle), reads the --health and --verify check files for both
// colours, checks the --cacert bundle, the witness and read URLs, that --steps fits the provider
// (several steps only where it has weights), the --analysis file whole (its metrics need weighted
// steps, --prometheus-url and --witness-url as they use them; the bearer token comes from the variable
// the file names, else PROMETHEUS_TOKEN, and is a secret; the check files of its checks metrics are
// read for both colours, as --verify's) and that the audit log can be appended to. Any problem is
// an InputError or UsageError (exit 2) while nothing has changed. What a run reads later is the load
// balancer itself and the state file, both under the lock, and both before the first change.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bluegreen-switch/analysis_checks.hpp"
#include "bluegreen-switch/analysis_file.hpp"
#include "bluegreen-switch/bluegreen_switch.hpp"
#include "bluegreen-switch/color_checks.hpp"
#include "bluegreen-switch/entrypoint_probe.hpp"
#include "bluegreen-switch/prometheus_query.hpp"
#include "bluegreen-switch/provider.hpp"

namespace bluegreen_switch {

struct SwitchInputs {
    std::unique_ptr<Provider> provider;
    std::optional<ColorChecks> health;
    std::optional<ColorChecks> verify;
    std::optional<EntrypointProbe> entrypoint;  // --read-url, else --witness-url
    std::vector<int> steps;                     // --steps, checked against the provider
    std::optional<AnalysisSpec> analysis;       // --analysis, read and checked whole
    std::optional<PrometheusQuery> prometheus;  // --prometheus-url with the token, when a metric needs it
    AnalysisChecks analysis_checks;             // the check files of the analysis's checks metrics

    std::vector<std::string> secrets() const;
};

SwitchInputs load_switch_inputs(const Options& options, const gantry::Environment& environment);

// --steps against the provider's weights: anything but --steps 100 on a provider that moves all
// traffic at once is a UsageError saying why (its why_all_at_once()). Checked with the inputs, and
// again once the provider has read the load balancer (Caddy learns its selection policy there).
void require_weights_for_steps(const std::vector<int>& steps, const Provider& provider);

}  // namespace bluegreen_switch
