#include "bluegreen-switch/caddy_provider.hpp"
#include "bluegreen-switch/command_provider.hpp"
#include "bluegreen-switch/flag_file_provider.hpp"
#include "bluegreen-switch/haproxy_provider.hpp"
#include "bluegreen-switch/kubernetes_provider.hpp"
#include "bluegreen-switch/nginx_provider.hpp"
#include "bluegreen-switch/provider.hpp"
#include "gantry/base/error.hpp"

namespace bluegreen_switch {

std::unique_ptr<Provider> make_provider(const ProviderSettings& settings) {
    if ((settings.kind == "nginx" || settings.kind == "caddy") && !settings.flag_file.empty()) {
        return std::make_unique<FlagFileProvider>(settings);
    }
    if (!settings.flag_file.empty()) {
        throw gantry::UsageError("--flag-file works with --provider nginx or caddy, not " + settings.kind);
    }
    if (settings.kind == "nginx") return std::make_unique<NginxProvider>(settings);
    if (settings.kind == "haproxy") return std::make_unique<HaproxyProvider>(settings);
    if (settings.kind == "caddy") return std::make_unique<CaddyProvider>(settings);
    if (settings.kind == "kubernetes") return std::make_unique<KubernetesProvider>(settings);
    if (settings.kind == "command") return std::make_unique<CommandProvider>(settings);
    throw gantry::UsageError("unknown provider '" + settings.kind + "': use nginx, haproxy, caddy, kubernetes or command");
}

}  // namespace bluegreen_switch
