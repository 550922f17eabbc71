// How to reach the Kubernetes API server: from the pod's service account or from a kubeconfig file.
//
// kube_access() decides: with no --kubeconfig and KUBERNETES_SERVICE_HOST/PORT set (in a pod), the
// server is https://HOST:PORT (or settings.kube_api) and the token, ca.crt and namespace are read from
// settings.kube_service_account_dir. Otherwise a kubeconfig (settings.kubeconfig, else the first
// existing file of $KUBECONFIG, else $HOME/.kube/config) is read: its current-context names a cluster
// (server, certificate-authority or certificate-authority-data, insecure-skip-tls-verify) and a user
// (token or tokenFile); settings.kube_api, when set, replaces the server. Relative paths are relative to
// the kubeconfig's folder. Client certificates, exec plugins and auth providers are a UsageError
// saying so (use a token). certificate-authority-data is decoded into a private (0600) temporary
// file that lives as long as the KubeAccess. Every file named is read here, before anything changes:
// the token file, and the CA bundle, which must hold PEM certificates (ca_bundle.hpp). A malformed
// kubeconfig is an InputError with file:line:column. The token is never put in a message.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "bluegreen-switch/provider_settings.hpp"
#include "gantry/http/http_exchange.hpp"
#include "gantry/platform/environment.hpp"

namespace bluegreen_switch {

// A temporary file only its owner can read, removed when the object goes away.
class PrivateTempFile {
public:
    explicit PrivateTempFile(std::string_view content);
    ~PrivateTempFile();
    PrivateTempFile(const PrivateTempFile&) = delete;
    PrivateTempFile& operator=(const PrivateTempFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

struct KubeAccess {
    std::string server;  // "https://10.96.0.1:443", no trailing slash
    std::string token;   // bearer token; empty = none (e.g. kubectl proxy)
    std::string ca_file; // PEM bundle; empty = the built-in bundle
    gantry::http::TlsVerification verification = gantry::http::TlsVerification::Verify;
    std::string namespace_name;  // from the service account or the context; empty when neither says
    std::string source;          // "service account in /var/run/...", "kubeconfig F, context C"
    std::shared_ptr<PrivateTempFile> ca_data_file;  // keeps decoded certificate-authority-data alive
};

KubeAccess kube_access(const ProviderSettings& settings, const gantry::Environment& environment);

// The current context of one kubeconfig file.
KubeAccess read_kubeconfig(const std::filesystem::path& file);

// RFC 4648 base64 (line breaks allowed); InputError naming `what` when it is not base64.
std::string decode_base64(std::string_view text, const std::string& what);

}  // namespace bluegreen_switch
