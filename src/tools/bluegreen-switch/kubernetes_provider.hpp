// Switching traffic on Kubernetes by the colour label in a Service's selector.
//
// read() GETs the Service and maps spec.selector[--kube-selector-key] to a colour (--blue/--green are
// label values, default blue/green), remembering metadata.resourceVersion. apply(target, 100) first
// requires at least one pod that matches the selector with the colour replaced and has condition
// Ready=True (none: gantry::Error with ExitCode::Failed, "no ready pods for green: ..."), then PATCHes
// the Service with a JSON merge patch carrying the remembered resourceVersion, so that a concurrent
// change is a 409 Conflict instead of being overwritten. On a 409 the Service is read again: if its
// colour is unchanged the patch is retried once with the new resourceVersion, otherwise (or on a
// second 409) it is an EnvironmentError "changed concurrently". Then the Service's EndpointSlices are
// polled until a ready endpoint belongs to one of the target's ready pods, at most settings.timeout
// (EnvironmentError). All or nothing: a selector has no weights, so any share but 100 percent is a
// UsageError (exit 2) before a request is sent; in_flight() cannot tell (nullopt). Credentials: see
// kubeconfig.hpp. The token goes only into the Authorization header, never in plan lines or messages.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bluegreen-switch/kubeconfig.hpp"
#include "bluegreen-switch/provider.hpp"
#include "gantry/platform/environment.hpp"

namespace bluegreen_switch {

using Sleeper = std::function<void(std::chrono::milliseconds)>;

class KubernetesProvider : public Provider {
public:
    // Reads KUBERNETES_SERVICE_HOST/PORT, KUBECONFIG and HOME from the process environment.
    explicit KubernetesProvider(const ProviderSettings& settings);
    // `sleep` waits between EndpointSlice polls (tests pass one that only counts).
    KubernetesProvider(const ProviderSettings& settings, const gantry::Environment& environment, Sleeper sleep = {});

    std::string_view name() const override { return "kubernetes"; }
    WeightSupport weights() const override { return WeightSupport::AllOrNothing; }
    std::string why_all_at_once() const override;
    ProviderReading read() override;
    std::vector<std::string> plan(Color target, int percent) override;
    void apply(Color target, int percent) override;
    std::optional<long> in_flight(Color) override { return std::nullopt; }

    const std::string& namespace_name() const { return namespace_; }
    const KubeAccess& access() const { return access_; }

private:
    struct ServiceState {
        std::string resource_version;
        std::map<std::string, std::string> selector;
    };
    enum class Patch { Applied, Conflict };

    gantry::http::HttpResponse call(const std::string& method, const std::string& path,
                                    const std::optional<std::string>& body = std::nullopt) const;
    [[noreturn]] void fail(const std::string& what, const gantry::http::HttpResponse& response) const;
    ServiceState get_service();
    std::string label(Color color) const { return color == Color::Blue ? blue_ : green_; }
    std::string service_path() const;
    std::string pods_path(Color target, const ServiceState& service) const;
    std::string endpoint_slices_path() const;
    std::string patch_body(Color target, const ServiceState& service) const;
    std::set<std::string> ready_pods(Color target, const ServiceState& service) const;
    Patch patch(Color target, const ServiceState& service);
    void wait_for_endpoints(Color target, const std::set<std::string>& pods) const;
    std::string without_token(std::string text) const;
    void check_percent(Color target, int percent) const;  // UsageError unless 100

    KubeAccess access_;
    std::string namespace_;
    std::string service_;
    std::string key_;
    std::string blue_;
    std::string green_;
    std::chrono::milliseconds timeout_;
    HttpSender send_;
    Sleeper sleep_;
    std::optional<ServiceState> last_read_;
};

}  // namespace bluegreen_switch
