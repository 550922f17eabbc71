#include <charconv>
#include <cmath>
#include <stdexcept>

#include "bluegreen-switch/bluegreen_switch.hpp"
#include "gantry/base/error.hpp"
#include "gantry/base/process.hpp"
#include "gantry/checks/check_file.hpp"

namespace bluegreen_switch {

using gantry::UsageError;

namespace {

double number(const gantry::Inputs& inputs, const std::string& name, double minimum, double fallback) {
    const auto value = inputs.number(name);
    if (!value) return fallback;
    if (*value < minimum || !std::isfinite(*value)) {
        throw UsageError("--" + name + " expects a number >= " + std::to_string(static_cast<long long>(minimum)));
    }
    return *value;
}

std::vector<std::string> command(const gantry::Inputs& inputs, const std::string& name, const std::string& fallback) {
    std::vector<std::string> argv = gantry::split_command_line(inputs.get_or(name, fallback));
    if (argv.empty() && !fallback.empty()) throw UsageError("--" + name + " is empty");
    return argv;
}

}  // namespace

std::vector<int> parse_steps(const std::string& text) {
    std::vector<int> steps;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        std::string_view part = std::string_view(text).substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && (part.back() == ' ' || part.back() == '%')) part.remove_suffix(1);
        int value = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (part.empty() || ec != std::errc() || end != part.data() + part.size() || value < 1 || value > 100 ||
            (!steps.empty() && value <= steps.back())) {
            throw UsageError("--steps expects increasing percentages from 1 to 100, e.g. 10,50,100; got '" + text + "'");
        }
        steps.push_back(value);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (steps.empty() || steps.back() != 100) {
        throw UsageError("--steps must end at 100 (all traffic on the target), e.g. 10,50,100; got '" + text + "'");
    }
    return steps;
}

Options options_from_inputs(const gantry::CommandLine& command_line, const gantry::Environment& environment) {
    const gantry::Inputs& inputs = command_line.inputs;
    Options options;
    const bool status = inputs.flag("status");
    const bool rollback = inputs.flag("rollback");
    const bool repair = inputs.flag("repair-state");
    const std::string to = inputs.get_or("to", "");
    if (static_cast<int>(status) + static_cast<int>(rollback) + static_cast<int>(repair) + static_cast<int>(!to.empty()) != 1) {
        throw UsageError("say what to do: exactly one of --to blue|green, --rollback, --status or --repair-state");
    }
    options.mode = status ? Mode::Status : rollback ? Mode::Rollback : repair ? Mode::RepairState : Mode::Switch;
    if (!to.empty()) options.to = parse_color(to);
    options.execution = inputs.flag("dry-run") ? Execution::DryRun : Execution::Apply;
    options.drift = inputs.flag("force") ? DriftPolicy::Force : DriftPolicy::Refuse;

    ProviderSettings& p = options.provider;
    p.kind = inputs.get_or("provider", "");
    p.blue = inputs.get_or("blue", "");
    p.green = inputs.get_or("green", "");
    p.timeout = gantry::checks::duration_input(inputs, "timeout", "10s");
    p.flag_file = inputs.get_or("flag-file", "");
    p.nginx_upstream_file = inputs.get_or("nginx-upstream-file", "");
    p.nginx_test_command = command(inputs, "nginx-test-command", "nginx -t");
    p.nginx_reload_command = command(inputs, "nginx-reload-command", "nginx -s reload");
    p.haproxy_socket = inputs.get_or("haproxy-socket", "");
    p.haproxy_map = inputs.get_or("haproxy-map", "");
    p.haproxy_map_key = inputs.get_or("haproxy-map-key", "active");
    p.haproxy_backend = inputs.get_or("haproxy-backend", "");
    p.haproxy_state_file = inputs.get_or("haproxy-state-file", "");
    p.caddy_admin = inputs.get_or("caddy-admin", "http://127.0.0.1:2019");
    p.caddy_id = inputs.get_or("caddy-id", "bg_proxy");
    p.kube_service = inputs.get_or("kube-service", "");
    p.kube_namespace = inputs.get_or("kube-namespace", "");
    p.kube_selector_key = inputs.get_or("kube-selector-key", "color");
    p.kubeconfig = inputs.get_or("kubeconfig", environment.get("KUBECONFIG").value_or(""));
    if (const auto host = environment.get("KUBERNETES_SERVICE_HOST"); host && !host->empty() && p.kubeconfig.empty()) {
        const std::string port = environment.get("KUBERNETES_SERVICE_PORT").value_or("443");
        p.kube_api = "https://" + (host->find(':') != std::string::npos ? "[" + *host + "]" : *host) + ":" + port;
    }
    p.switch_command = command(inputs, "switch-command", "");
    p.read_command = command(inputs, "read-command", "");

    options.state_file = inputs.get_or("state-file", "bluegreen-state.json");
    if (options.state_file.empty()) throw UsageError("--state-file must not be empty");
    options.audit_log = inputs.get_or("audit-log", options.state_file + ".audit.jsonl");
    options.lock_file = inputs.get_or("lock-file", options.state_file + ".lock");
    options.deploy_version = inputs.get_or("deploy-version", "");
    options.health_file = inputs.get_or("health", "");
    options.verify_file = inputs.get_or("verify", "");
    options.ca_file = inputs.get_or("cacert", "");
    options.steps = parse_steps(inputs.get_or("steps", "100"));
    options.step_pause = gantry::checks::duration_input(inputs, "step-pause", "0s");
    if (const std::string url = inputs.get_or("witness-url", ""); !url.empty()) {
        WitnessSettings witness;
        witness.url = url;
        witness.rate = number(inputs, "witness-rate", 1, 50);
        witness.color_header = inputs.get_or("color-header", "X-Color");
        witness.ca_file = options.ca_file;
        options.witness = witness;
    }
    if (const std::string url = inputs.get_or("read-url", ""); !url.empty()) options.read_url = url;
    options.color_header = inputs.get_or("color-header", "X-Color");
    options.error_budget = static_cast<long>(number(inputs, "error-budget", 0, 0));
    if (inputs.number("closed-connection-budget")) {
        options.closed_connection_budget = static_cast<long>(number(inputs, "closed-connection-budget", 0, 0));
    }
    options.drain_timeout = gantry::checks::duration_input(inputs, "drain-timeout", "30s");
    options.settle = gantry::checks::duration_input(inputs, "settle", "1s");
    options.junit_file = inputs.get_or("junit", "");
    options.analysis_file = inputs.get_or("analysis", "");
    options.prometheus_url = inputs.get_or("prometheus-url", "");
    if (const auto stop_at = environment.get(std::string(kStopAtVariable)); stop_at && !stop_at->empty()) {
        options.stop_at = parse_boundary(*stop_at);
        if (!options.stop_at) {
            throw UsageError(std::string(kStopAtVariable) + "=" + *stop_at +
                             ": expected after-lock, after-pending, after-provider-write, after-reload or after-state-write");
        }
    }
    return options;
}

}  // namespace bluegreen_switch
