#include "bluegreen-switch/kubeconfig.hpp"

#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "bluegreen-switch/ca_bundle.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/config/yaml_input.hpp"

namespace bluegreen_switch {

namespace fs = std::filesystem;

namespace {

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    return text;
}

// The entry of a named list ("clusters", "users", "contexts") whose name is `name`, with its inner map.
YAML::Node named_entry(const gantry::YamlInput& input, const YAML::Node& root, const std::string& list,
                       const std::string& inner, const std::string& name, const YAML::Node& referrer,
                       const std::string& referrer_key) {
    YAML::Node entries = root[list];
    if (entries && !entries.IsSequence()) input.fail(entries, list, "expected a list");
    if (entries) {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            YAML::Node entry = entries[i];
            std::string where = fmt::format("{}[{}]", list, i);
            input.expect_map(entry, where);
            if (entry["name"] && input.scalar(entry["name"], where + ".name") == name) {
                YAML::Node value = entry[inner];
                if (!value) input.fail(entry, where, fmt::format("expected a '{}' map", inner));
                input.expect_map(value, where + "." + inner);
                return value;
            }
        }
    }
    input.fail(referrer, referrer_key, fmt::format("names {} '{}', which is not in '{}'", inner, name, list));
}

std::string resolve(const fs::path& base, const std::string& path) {
    fs::path candidate(path);
    return candidate.is_absolute() ? candidate.string() : (base / candidate).string();
}

}  // namespace

PrivateTempFile::PrivateTempFile(std::string_view content) {
    std::error_code error;
    fs::path directory = fs::temp_directory_path(error);
    std::string pattern = (error ? fs::path("/tmp") : directory).string() + "/gantry-kube-ca-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = ::mkstemp(name.data());  // mkstemp creates the file with mode 0600
    if (fd < 0) throw gantry::EnvironmentError(fmt::format("cannot create a temporary file in {}: {}", pattern, std::strerror(errno)));
    path_ = name.data();
    std::size_t written = 0;
    while (written < content.size()) {
        ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int error = errno;
            ::close(fd);
            ::unlink(path_.c_str());
            throw gantry::EnvironmentError(fmt::format("cannot write {}: {}", path_, std::strerror(error)));
        }
        written += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

PrivateTempFile::~PrivateTempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
}

std::string decode_base64(std::string_view text, const std::string& what) {
    std::string out((text.size() / 4 + 1) * 3 + 3, '\0');
    EVP_ENCODE_CTX* context = EVP_ENCODE_CTX_new();
    if (context == nullptr) throw gantry::EnvironmentError("out of memory decoding base64");
    EVP_DecodeInit(context);
    int produced = 0;
    int finished = 0;
    int status = EVP_DecodeUpdate(context, reinterpret_cast<unsigned char*>(out.data()), &produced,
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    int final_status = status < 0 ? -1
                                  : EVP_DecodeFinal(context, reinterpret_cast<unsigned char*>(out.data()) + produced, &finished);
    EVP_ENCODE_CTX_free(context);
    if (status < 0 || final_status < 0) throw gantry::InputError(fmt::format("{}: expected base64", what));
    out.resize(static_cast<std::size_t>(produced + finished));
    return out;
}

KubeAccess read_kubeconfig(const fs::path& file) {
    gantry::YamlInput input(file.string());
    YAML::Node root = input.parse(gantry::read_file(file));
    input.expect_map(root, "");
    fs::path base = file.parent_path();

    YAML::Node current = root["current-context"];
    if (!current || input.scalar(current, "current-context").empty()) {
        throw gantry::InputError(gantry::SourcePosition{file.string()},
                                 "no current-context: run `kubectl config use-context NAME` or pass another --kubeconfig");
    }
    std::string context_name = input.scalar(current, "current-context");
    YAML::Node context = named_entry(input, root, "contexts", "context", context_name, current, "current-context");
    if (!context["cluster"]) input.fail(context, "context", "expected a 'cluster' name");

    KubeAccess access;
    access.source = fmt::format("kubeconfig {}, context {}", file.string(), context_name);
    if (context["namespace"]) access.namespace_name = input.scalar(context["namespace"], "context.namespace");

    std::string cluster_name = input.scalar(context["cluster"], "context.cluster");
    YAML::Node cluster = named_entry(input, root, "clusters", "cluster", cluster_name, context["cluster"], "context.cluster");
    if (!cluster["server"]) input.fail(cluster, "cluster", "expected a 'server' URL");
    access.server = input.scalar(cluster["server"], "cluster.server");
    while (!access.server.empty() && access.server.back() == '/') access.server.pop_back();
    if (cluster["insecure-skip-tls-verify"] && input.boolean(cluster["insecure-skip-tls-verify"], "cluster.insecure-skip-tls-verify")) {
        access.verification = gantry::http::TlsVerification::Insecure;
    }
    if (cluster["certificate-authority-data"]) {
        std::string pem = decode_base64(input.scalar(cluster["certificate-authority-data"], "cluster.certificate-authority-data"),
                                        file.string() + ": cluster.certificate-authority-data");
        require_ca_certificates(pem, file.string() + ": cluster.certificate-authority-data");
        access.ca_data_file = std::make_shared<PrivateTempFile>(pem);
        access.ca_file = access.ca_data_file->path();
    } else if (cluster["certificate-authority"]) {
        access.ca_file = resolve(base, input.scalar(cluster["certificate-authority"], "cluster.certificate-authority"));
        require_ca_bundle_file(access.ca_file, file.string() + ": cluster.certificate-authority " + access.ca_file);
    }

    if (context["user"]) {
        std::string user_name = input.scalar(context["user"], "context.user");
        YAML::Node user = named_entry(input, root, "users", "user", user_name, context["user"], "context.user");
        for (const char* unsupported : {"client-certificate", "client-certificate-data", "client-key", "client-key-data",
                                        "exec", "auth-provider", "username", "password"}) {
            if (user[unsupported] && !user["token"] && !user["tokenFile"]) {
                throw gantry::UsageError(fmt::format(
                    "{}: user '{}' authenticates with {}, which bluegreen-switch does not support yet: use a token "
                    "(a service account token in `token:` or `tokenFile:`)",
                    file.string(), user_name, unsupported));
            }
        }
        if (user["token"]) {
            access.token = trimmed(input.scalar(user["token"], "user.token"));
        } else if (user["tokenFile"]) {
            access.token = trimmed(gantry::read_file(resolve(base, input.scalar(user["tokenFile"], "user.tokenFile"))));
        }
    }
    return access;
}

KubeAccess kube_access(const ProviderSettings& settings, const gantry::Environment& environment) {
    auto host = environment.get("KUBERNETES_SERVICE_HOST");
    auto port = environment.get("KUBERNETES_SERVICE_PORT");
    bool in_pod = settings.kubeconfig.empty() && host && !host->empty() && port && !port->empty();
    if (in_pod) {
        fs::path directory(settings.kube_service_account_dir);
        KubeAccess access;
        access.source = "service account in " + directory.string();
        access.server = !settings.kube_api.empty()
                            ? settings.kube_api
                            : fmt::format("https://{}:{}", host->find(':') != std::string::npos ? "[" + *host + "]" : *host, *port);
        std::error_code error;
        if (!fs::exists(directory / "token", error)) {
            throw gantry::EnvironmentError(fmt::format(
                "running in a pod (KUBERNETES_SERVICE_HOST is set) but {} has no token: mount a service account token "
                "(automountServiceAccountToken) or pass --kubeconfig",
                directory.string()));
        }
        access.token = trimmed(gantry::read_file(directory / "token"));
        if (fs::exists(directory / "ca.crt", error)) {
            access.ca_file = (directory / "ca.crt").string();
            require_ca_bundle_file(access.ca_file, "the service account's CA " + access.ca_file);
        }
        if (fs::exists(directory / "namespace", error)) access.namespace_name = trimmed(gantry::read_file(directory / "namespace"));
        while (!access.server.empty() && access.server.back() == '/') access.server.pop_back();
        return access;
    }

    std::string file = settings.kubeconfig;
    std::string tried;
    if (file.empty()) {
        if (auto list = environment.get("KUBECONFIG"); list && !list->empty()) {
            std::size_t start = 0;
            while (start <= list->size() && file.empty()) {
                std::size_t end = list->find(':', start);
                std::string candidate = list->substr(start, end == std::string::npos ? std::string::npos : end - start);
                std::error_code error;
                if (!candidate.empty() && fs::exists(candidate, error)) file = candidate;
                if (end == std::string::npos) break;
                start = end + 1;
            }
            tried = "$KUBECONFIG (" + *list + ")";
        } else if (auto home = environment.get("HOME"); home && !home->empty()) {
            std::string candidate = *home + "/.kube/config";
            std::error_code error;
            if (fs::exists(candidate, error)) file = candidate;
            tried = candidate;
        }
    }
    if (file.empty()) {
        if (!settings.kube_api.empty()) {
            // An API address without credentials: kubectl proxy, or an API server reached through a tunnel.
            KubeAccess access;
            access.server = settings.kube_api;
            while (!access.server.empty() && access.server.back() == '/') access.server.pop_back();
            access.source = "API at " + access.server + " without credentials";
            return access;
        }
        throw gantry::UsageError(fmt::format(
            "no kubeconfig found{}: pass --kubeconfig FILE, set KUBECONFIG, or run in a pod with a service account",
            tried.empty() ? "" : " (tried " + tried + ")"));
    }
    KubeAccess access = read_kubeconfig(file);
    if (!settings.kube_api.empty()) {
        access.server = settings.kube_api;
        while (!access.server.empty() && access.server.back() == '/') access.server.pop_back();
    }
    return access;
}

}  // namespace bluegreen_switch
