#include "bluegreen-switch/kubernetes_provider.hpp"

#include <thread>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/http/http_client.hpp"

namespace bluegreen_switch {

namespace {

using gantry::http::HttpRequest;
using gantry::http::HttpResponse;
using nlohmann::json;

constexpr std::chrono::milliseconds kPollInterval{500};

std::string url_encode(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

std::string selector_text(const std::map<std::string, std::string>& selector) {
    std::vector<std::string> parts;
    for (const auto& [key, value] : selector) parts.push_back(key + "=" + value);
    return fmt::format("{}", fmt::join(parts, ","));
}

// The API server's explanation: the message of a Status object, else the start of the body.
std::string explain(const HttpResponse& response) {
    if (response.failure != gantry::http::TransportFailure::None) return response.transport_error;
    std::string message;
    try {
        json status = json::parse(response.body);
        if (status.is_object() && status.contains("message") && status["message"].is_string()) {
            message = status["message"].get<std::string>();
        }
    } catch (const json::exception&) {
    }
    if (message.empty()) message = response.body.substr(0, 300);
    return fmt::format("HTTP {}{}{}", response.status, message.empty() ? "" : ": ", message);
}

json parse_body(const HttpResponse& response, const std::string& what) {
    try {
        return json::parse(response.body);
    } catch (const json::exception& error) {
        throw gantry::EnvironmentError(fmt::format("{}: the Kubernetes API answered something that is not JSON ({})", what, error.what()));
    }
}

// A string member of a JSON object, "" when absent or not a string.
std::string text_at(const json& object, const json::json_pointer& pointer) {
    if (!object.contains(pointer)) return "";
    const json& value = object.at(pointer);
    return value.is_string() ? value.get<std::string>() : "";
}

}  // namespace

KubernetesProvider::KubernetesProvider(const ProviderSettings& settings)
    : KubernetesProvider(settings, gantry::Environment::from_process()) {}

KubernetesProvider::KubernetesProvider(const ProviderSettings& settings, const gantry::Environment& environment, Sleeper sleep)
    : service_(settings.kube_service),
      key_(settings.kube_selector_key.empty() ? "color" : settings.kube_selector_key),
      blue_(settings.blue.empty() ? "blue" : settings.blue),
      green_(settings.green.empty() ? "green" : settings.green),
      timeout_(settings.timeout),
      send_(settings.send),
      sleep_(std::move(sleep)) {
    if (service_.empty()) {
        throw gantry::UsageError("the kubernetes provider needs --kube-service (the Service whose selector picks the colour)");
    }
    if (blue_ == green_) throw gantry::UsageError(fmt::format("--blue and --green both name the label value '{}'", blue_));
    access_ = kube_access(settings, environment);
    namespace_ = !settings.kube_namespace.empty() ? settings.kube_namespace
                 : !access_.namespace_name.empty() ? access_.namespace_name
                                                   : "default";
    if (!send_) send_ = [](const HttpRequest& request) { return gantry::http::perform(request); };
    if (!sleep_) sleep_ = [](std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); };
}

std::string KubernetesProvider::without_token(std::string text) const {
    if (access_.token.empty()) return text;
    for (auto at = text.find(access_.token); at != std::string::npos; at = text.find(access_.token, at)) {
        text.replace(at, access_.token.size(), "***");
    }
    return text;
}

HttpResponse KubernetesProvider::call(const std::string& method, const std::string& path,
                                      const std::optional<std::string>& body) const {
    HttpRequest request;
    request.method = method;
    request.url = access_.server + path;
    request.headers = {{"Accept", "application/json"}, {"User-Agent", "gantry-bluegreen-switch"}};
    if (body) request.headers.emplace_back("Content-Type", "application/merge-patch+json");
    if (!access_.token.empty()) request.headers.emplace_back("Authorization", "Bearer " + access_.token);
    request.body = body;
    request.verification = access_.verification;
    request.ca_file = access_.ca_file;
    request.timeout = timeout_;
    HttpResponse response = send_(request);
    if (response.failure != gantry::http::TransportFailure::None) {
        throw gantry::EnvironmentError(without_token(fmt::format("the Kubernetes API at {} cannot be reached ({}): {}",
                                                                 access_.server, access_.source, response.transport_error)));
    }
    return response;
}

void KubernetesProvider::fail(const std::string& what, const HttpResponse& response) const {
    std::string reason = without_token(explain(response));
    if (response.status == 401) {
        throw gantry::InputError(fmt::format("{}: the Kubernetes API at {} refused the credentials from {} ({})", what,
                                             access_.server, access_.source, reason));
    }
    if (response.status == 403) {
        throw gantry::InputError(fmt::format(
            "{}: not allowed ({}). Fix: grant get and patch on services, list on pods and list on "
            "endpointslices.discovery.k8s.io in namespace {}",
            what, reason, namespace_));
    }
    if (response.status == 404) throw gantry::InputError(fmt::format("{}: not found ({})", what, reason));
    throw gantry::EnvironmentError(fmt::format("{}: {}", what, reason));
}

std::string KubernetesProvider::service_path() const {
    return fmt::format("/api/v1/namespaces/{}/services/{}", url_encode(namespace_), url_encode(service_));
}

std::string KubernetesProvider::pods_path(Color target, const ServiceState& service) const {
    std::map<std::string, std::string> selector = service.selector;
    selector[key_] = label(target);
    return fmt::format("/api/v1/namespaces/{}/pods?labelSelector={}", url_encode(namespace_), url_encode(selector_text(selector)));
}

std::string KubernetesProvider::endpoint_slices_path() const {
    return fmt::format("/apis/discovery.k8s.io/v1/namespaces/{}/endpointslices?labelSelector={}", url_encode(namespace_),
                       url_encode("kubernetes.io/service-name=" + service_));
}

std::string KubernetesProvider::patch_body(Color target, const ServiceState& service) const {
    json body = {{"metadata", {{"resourceVersion", service.resource_version}}},
                 {"spec", {{"selector", {{key_, label(target)}}}}}};
    return body.dump();
}

KubernetesProvider::ServiceState KubernetesProvider::get_service() {
    std::string what = fmt::format("service {}/{}", namespace_, service_);
    HttpResponse response = call("GET", service_path());
    if (response.status != 200) fail("reading " + what, response);
    json service = parse_body(response, "reading " + what);
    ServiceState state;
    state.resource_version = text_at(service, "/metadata/resourceVersion"_json_pointer);
    if (service.contains("/spec/selector"_json_pointer) && service.at("/spec/selector"_json_pointer).is_object()) {
        for (const auto& [key, value] : service.at("/spec/selector"_json_pointer).items()) {
            if (value.is_string()) state.selector[key] = value.get<std::string>();
        }
    }
    if (!state.selector.count(key_)) {
        throw gantry::InputError(fmt::format(
            "{} has no selector label {} (selector: {}): add `{}: {}` to its spec.selector, or name the label with "
            "--kube-selector-key",
            what, key_, state.selector.empty() ? "none" : selector_text(state.selector), key_, blue_));
    }
    last_read_ = state;
    return state;
}

ProviderReading KubernetesProvider::read() {
    ServiceState state = get_service();
    const std::string& value = state.selector[key_];
    ProviderReading reading;
    reading.detail = fmt::format("service {}/{}: selector {} (resourceVersion {})", namespace_, service_,
                                 selector_text(state.selector), state.resource_version);
    if (value == blue_) reading.live = Color::Blue;
    if (value == green_) reading.live = Color::Green;
    if (!reading.live) reading.detail += fmt::format(" ({}={} is neither blue {} nor green {})", key_, value, blue_, green_);
    reading.green_percent = reading.live == Color::Green ? 100 : 0;
    return reading;
}

std::set<std::string> KubernetesProvider::ready_pods(Color target, const ServiceState& service) const {
    std::map<std::string, std::string> selector = service.selector;
    selector[key_] = label(target);
    std::string what = fmt::format("listing pods {} in namespace {}", selector_text(selector), namespace_);
    HttpResponse response = call("GET", pods_path(target, service));
    if (response.status != 200) fail(what, response);
    json pods = parse_body(response, what);
    std::set<std::string> ready;
    std::vector<std::string> not_ready;
    if (pods.contains("items") && pods["items"].is_array()) {
        for (const json& pod : pods["items"]) {
            std::string name = text_at(pod, "/metadata/name"_json_pointer);
            bool is_ready = false;
            std::string reason = "not Ready";
            if (pod.contains("/status/conditions"_json_pointer) && pod.at("/status/conditions"_json_pointer).is_array()) {
                for (const json& condition : pod.at("/status/conditions"_json_pointer)) {
                    if (text_at(condition, "/type"_json_pointer) != "Ready") continue;
                    is_ready = text_at(condition, "/status"_json_pointer) == "True";
                    if (!text_at(condition, "/reason"_json_pointer).empty()) reason = text_at(condition, "/reason"_json_pointer);
                }
            }
            if (pod.contains("/metadata/deletionTimestamp"_json_pointer)) {
                is_ready = false;
                reason = "terminating";
            }
            if (is_ready) {
                ready.insert(name);
            } else {
                not_ready.push_back(fmt::format("{}: {}", name, reason));
            }
        }
    }
    if (ready.empty()) {
        std::string found = not_ready.empty()
                                ? "no pod matches"
                                : fmt::format("{} pod{} match but none is Ready ({})", not_ready.size(),
                                              not_ready.size() == 1 ? "" : "s", fmt::join(not_ready, ", "));
        throw gantry::Error(gantry::ExitCode::Failed,
                            fmt::format("no ready pods for {}: {} {} in namespace {}; the Service was not changed",
                                        to_string(target), found, selector_text(selector), namespace_));
    }
    return ready;
}

KubernetesProvider::Patch KubernetesProvider::patch(Color target, const ServiceState& service) {
    HttpResponse response = call("PATCH", service_path(), patch_body(target, service));
    if (response.status == 409) return Patch::Conflict;
    if (response.status != 200) fail(fmt::format("patching service {}/{}", namespace_, service_), response);
    json updated = parse_body(response, "patching the service");
    ServiceState state = service;
    state.selector[key_] = label(target);
    std::string version = text_at(updated, "/metadata/resourceVersion"_json_pointer);
    if (!version.empty()) state.resource_version = version;
    last_read_ = state;
    return Patch::Applied;
}

void KubernetesProvider::wait_for_endpoints(Color target, const std::set<std::string>& pods) const {
    auto deadline = std::chrono::steady_clock::now() + timeout_;
    std::chrono::milliseconds waited{0};
    std::string what = fmt::format("reading the EndpointSlices of service {}/{}", namespace_, service_);
    std::string last_seen = "no endpoints";
    while (true) {
        HttpResponse response = call("GET", endpoint_slices_path());
        if (response.status != 200) fail(what, response);
        json slices = parse_body(response, what);
        std::vector<std::string> seen;
        if (slices.contains("items") && slices["items"].is_array()) {
            for (const json& slice : slices["items"]) {
                if (!slice.contains("endpoints") || !slice["endpoints"].is_array()) continue;
                for (const json& endpoint : slice["endpoints"]) {
                    // A missing `ready` is an unknown state, which consumers are told to treat as ready.
                    bool ready = !endpoint.contains("/conditions/ready"_json_pointer) ||
                                 endpoint.at("/conditions/ready"_json_pointer) == true;
                    std::string pod = text_at(endpoint, "/targetRef/kind"_json_pointer) == "Pod"
                                          ? text_at(endpoint, "/targetRef/name"_json_pointer)
                                          : "";
                    seen.push_back(fmt::format("{} {}", pod.empty() ? "(no pod)" : pod, ready ? "ready" : "not ready"));
                    if (ready && pods.count(pod)) return;
                }
            }
        }
        if (!seen.empty()) last_seen = fmt::format("{}", fmt::join(seen, ", "));
        if (waited >= timeout_ || std::chrono::steady_clock::now() >= deadline) break;
        sleep_(kPollInterval);
        waited += kPollInterval;
    }
    throw gantry::EnvironmentError(fmt::format(
        "service {}/{} selects {} now, but within {} ms its EndpointSlices listed no ready endpoint of the {} pods ({}); "
        "last seen: {}",
        namespace_, service_, to_string(target), timeout_.count(), to_string(target),
        fmt::join(pods, ", "), last_seen));
}

std::string KubernetesProvider::why_all_at_once() const {
    return "a Service selector has no weights: it picks pods by their colour label, and every ready pod it selects "
           "gets an equal part of the traffic";
}

void KubernetesProvider::check_percent(Color target, int percent) const {
    if (percent != 100) {
        throw gantry::UsageError(
            fmt::format("cannot send {} percent to {}: {}; use --steps 100", percent, to_string(target), why_all_at_once()));
    }
}

std::vector<std::string> KubernetesProvider::plan(Color target, int percent) {
    check_percent(target, percent);
    ServiceState service = get_service();
    if (service.selector[key_] == label(target)) {
        return {fmt::format("service {}/{} already selects {}={}: nothing to change", namespace_, service_, key_, label(target))};
    }
    return {
        fmt::format("GET {}{} (require at least one pod with condition Ready=True)", access_.server, pods_path(target, service)),
        fmt::format("PATCH {}{} Content-Type: application/merge-patch+json {}", access_.server, service_path(),
                    patch_body(target, service)),
        fmt::format("GET {}{} until a ready endpoint is a {} pod (at most {} ms)", access_.server, endpoint_slices_path(),
                    to_string(target), timeout_.count()),
    };
}

void KubernetesProvider::apply(Color target, int percent) {
    check_percent(target, percent);
    ServiceState service = last_read_ ? *last_read_ : get_service();
    if (service.selector[key_] == label(target)) return;
    std::set<std::string> pods = ready_pods(target, service);
    if (patch(target, service) == Patch::Conflict) {
        // Someone changed the Service since it was read. Retry once if its colour is still the one read
        // (another field changed); otherwise the other writer's switch must not be overwritten.
        ServiceState fresh = get_service();
        bool same_colour = fresh.selector[key_] == service.selector[key_];
        if (!same_colour || patch(target, fresh) == Patch::Conflict) {
            throw gantry::EnvironmentError(fmt::format(
                "service {}/{} changed concurrently (HTTP 409 Conflict on resourceVersion {}; now {}={}): rerun the "
                "switch to read its new state",
                namespace_, service_, service.resource_version, key_, fresh.selector[key_]));
        }
    }
    wait_for_endpoints(target, pods);
}

}  // namespace bluegreen_switch
