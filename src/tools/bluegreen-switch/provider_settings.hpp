// Everything a provider is configured with, as the command line gives it (one flat struct, so that
// options parsing stays in one place and each provider picks what it needs).
//
// --blue / --green name each colour the way the provider addresses it: a "host:port" upstream for
// nginx and Caddy, a backend name (map mode) or a server name (server mode) for HAProxy, a label
// value for Kubernetes, a word substituted for {target} in user commands. Commands are argv vectors,
// never passed to a shell. Network calls go through `send` so tests can answer from recordings.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "gantry/http/http_exchange.hpp"

namespace bluegreen_switch {

using HttpSender = std::function<gantry::http::HttpResponse(const gantry::http::HttpRequest&)>;

struct ProviderSettings {
    std::string kind;   // nginx | haproxy | caddy | kubernetes | command
    std::string blue;   // see above; defaults per provider when empty
    std::string green;
    std::chrono::milliseconds timeout{10000};  // each call to the load balancer
    // Zero-error mode for nginx and Caddy: both colours stay configured and the load balancer routes by
    // whether this file exists (green when it does); the switch creates or removes it atomically, so
    // no configuration is reloaded and no connection is closed.
    std::string flag_file;

    // nginx: the included upstream file holding the live "server ...;" lines, rewritten atomically.
    std::string nginx_upstream_file;
    std::vector<std::string> nginx_test_command{"nginx", "-t"};
    std::vector<std::string> nginx_reload_command{"nginx", "-s", "reload"};

    // HAProxy runtime API: a unix socket path or host:port.
    std::string haproxy_socket;
    // Map mode: the map file as HAProxy loaded it (also rewritten, so a reload keeps the switch) and
    // the key whose value names the live backend.
    std::string haproxy_map;
    std::string haproxy_map_key = "active";
    // Server mode: the backend holding one server per colour (state ready/drain, weights), and the
    // server-state file to save so a reload keeps the switch (optional).
    std::string haproxy_backend;
    std::string haproxy_state_file;

    // Caddy admin API and the @id of the reverse_proxy handler.
    std::string caddy_admin = "http://127.0.0.1:2019";
    std::string caddy_id = "bg_proxy";

    // Kubernetes: the Service whose selector picks the colour. In a pod the service-account token and
    // CA are used; elsewhere a kubeconfig file (--kubeconfig or KUBECONFIG).
    std::string kube_service;
    std::string kube_namespace;      // default: the service account's namespace, else "default"
    std::string kube_selector_key = "color";
    std::string kubeconfig;
    std::string kube_service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
    std::string kube_api;            // set from KUBERNETES_SERVICE_HOST/PORT in a pod, or the kubeconfig

    // command: argv with {target}, {color} and {percent} substituted; read prints "blue" or "green".
    std::vector<std::string> switch_command;
    std::vector<std::string> read_command;
    std::vector<std::string> in_flight_command;  // optional: prints a number

    HttpSender send;  // empty = gantry::http::perform
};

}  // namespace bluegreen_switch
