// Finding the Kubernetes API and its credentials: kubeconfig files, $KUBECONFIG, the pod's service
// account, and the ways of authenticating that are refused with a clear message.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "bluegreen-switch/kubeconfig.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "test_ca_certificate.hpp"

namespace fs = std::filesystem;
using bluegreen_switch::KubeAccess;
using bluegreen_switch::ProviderSettings;

namespace {

struct ScratchDir {
    ScratchDir() {
        static std::atomic<int> counter{0};
        path = fs::temp_directory_path() / ("gantry-kubeconfig-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~ScratchDir() { fs::remove_all(path); }
    fs::path write(const std::string& name, const std::string& content) const {
        gantry::write_file_atomically(path / name, content);
        return path / name;
    }
    fs::path path;
};

std::string kubeconfig(const std::string& cluster_extra, const std::string& user) {
    return "apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters:\n- name: other\n  cluster:\n    server: https://wrong:1\n"
           "- name: main\n  cluster:\n    server: https://api.example.com:6443/\n" +
           cluster_extra +
           "contexts:\n- name: dev\n  context: {cluster: other, user: u}\n- name: prod\n  context:\n    cluster: main\n"
           "    user: ci\n    namespace: shop\nusers:\n- name: ci\n  user:\n" +
           user;
}

gantry::Environment environment_of(const std::map<std::string, std::string>& variables) {
    return gantry::Environment(variables);
}

}  // namespace

TEST_CASE("kubeconfig: current-context picks the cluster, user token and namespace") {
    ScratchDir dir;
    KubeAccess access = bluegreen_switch::read_kubeconfig(dir.write("config", kubeconfig("", "    token: abc.def\n")));
    CHECK(access.server == "https://api.example.com:6443");
    CHECK(access.token == "abc.def");
    CHECK(access.namespace_name == "shop");
    CHECK(access.ca_file.empty());
    CHECK(access.verification == gantry::http::TlsVerification::Verify);
    CHECK(access.source.find("context prod") != std::string::npos);
}

TEST_CASE("kubeconfig: certificate-authority-data goes to a private file that disappears with the access") {
    ScratchDir dir;
    std::string ca_path;
    {
        KubeAccess access = bluegreen_switch::read_kubeconfig(dir.write(
            "config", kubeconfig(std::string("    certificate-authority-data: ") + gantry::testing::kTestCaPemBase64 + "\n", "    token: t\n")));
        ca_path = access.ca_file;
        REQUIRE_FALSE(ca_path.empty());
        CHECK(gantry::read_file(ca_path) == gantry::testing::kTestCaPem);
        struct stat info {};
        REQUIRE(::stat(ca_path.c_str(), &info) == 0);
        CHECK((info.st_mode & 0777) == 0600);
    }
    CHECK_FALSE(fs::exists(ca_path));
}

TEST_CASE("kubeconfig: relative certificate-authority and tokenFile are read from the kubeconfig's folder") {
    ScratchDir dir;
    dir.write("token.txt", "file-token\n");
    dir.write("ca.pem", gantry::testing::kTestCaPem);
    KubeAccess access = bluegreen_switch::read_kubeconfig(dir.write(
        "config", kubeconfig("    certificate-authority: ca.pem\n    insecure-skip-tls-verify: true\n", "    tokenFile: token.txt\n")));
    CHECK(access.token == "file-token");
    CHECK(access.ca_file == (dir.path / "ca.pem").string());
    CHECK(access.verification == gantry::http::TlsVerification::Insecure);
}

TEST_CASE("kubeconfig: client certificates and exec plugins are refused, naming the fix") {
    ScratchDir dir;
    CHECK_THROWS_WITH_AS(bluegreen_switch::read_kubeconfig(dir.write(
                             "a", kubeconfig("", "    client-certificate-data: AAAA\n    client-key-data: BBBB\n"))),
                         doctest::Contains("client-certificate-data, which bluegreen-switch does not support yet: use a token"),
                         gantry::UsageError);
    CHECK_THROWS_WITH_AS(bluegreen_switch::read_kubeconfig(dir.write(
                             "b", kubeconfig("", "    exec:\n      command: aws\n      args: [eks, get-token]\n"))),
                         doctest::Contains("user 'ci' authenticates with exec"), gantry::UsageError);
}

TEST_CASE("kubeconfig: mistakes are InputErrors with the file and position") {
    ScratchDir dir;
    fs::path missing_context = dir.write("a", "apiVersion: v1\nclusters: []\n");
    CHECK_THROWS_WITH_AS(bluegreen_switch::read_kubeconfig(missing_context), doctest::Contains("no current-context"),
                         gantry::InputError);
    fs::path dangling = dir.write("b", "current-context: nowhere\ncontexts: []\n");
    CHECK_THROWS_WITH_AS(bluegreen_switch::read_kubeconfig(dangling),
                         doctest::Contains((dangling.string() + ":1:18: current-context: names context 'nowhere'").c_str()),
                         gantry::InputError);
    fs::path broken = dir.write("c", "current-context: [unclosed\n");
    CHECK_THROWS_AS(bluegreen_switch::read_kubeconfig(broken), gantry::InputError);
    fs::path bad_data = dir.write("d", kubeconfig("    certificate-authority-data: '%%%not base64'\n", "    token: t\n"));
    CHECK_THROWS_WITH_AS(bluegreen_switch::read_kubeconfig(bad_data), doctest::Contains("expected base64"), gantry::InputError);
}

TEST_CASE("kubeconfig: a CA bundle that is missing or holds no certificate is an InputError before any request") {
    ScratchDir dir;
    CHECK_THROWS_WITH_AS(bluegreen_switch::read_kubeconfig(dir.write(
                             "a", kubeconfig("    certificate-authority: absent.pem\n", "    token: t\n"))),
                         doctest::Contains("cluster.certificate-authority"), gantry::InputError);
    dir.write("not-pem.pem", "this is not a certificate\n");
    CHECK_THROWS_WITH_AS(bluegreen_switch::read_kubeconfig(dir.write(
                             "b", kubeconfig("    certificate-authority: not-pem.pem\n", "    token: t\n"))),
                         doctest::Contains("no certificate in it"), gantry::InputError);
    dir.write("truncated.pem", std::string(gantry::testing::kTestCaPem).substr(0, 200));
    CHECK_THROWS_WITH_AS(bluegreen_switch::read_kubeconfig(dir.write(
                             "c", kubeconfig("    certificate-authority: truncated.pem\n", "    token: t\n"))),
                         doctest::Contains("does not parse"), gantry::InputError);
    // certificate-authority-data that is base64 but not a certificate.
    CHECK_THROWS_WITH_AS(bluegreen_switch::read_kubeconfig(dir.write(
                             "d", kubeconfig("    certificate-authority-data: aGVsbG8K\n", "    token: t\n"))),
                         doctest::Contains("certificate-authority-data: no certificate in it"), gantry::InputError);
    CHECK_THROWS_WITH_AS(bluegreen_switch::read_kubeconfig(dir.write(
                             "e", kubeconfig("", "    tokenFile: absent-token\n"))),
                         doctest::Contains("absent-token"), gantry::InputError);
}

TEST_CASE("kube_access: --kubeconfig, then the first existing file of $KUBECONFIG, then ~/.kube/config") {
    ScratchDir dir;
    fs::path config = dir.write("config", kubeconfig("", "    token: from-env\n"));
    ProviderSettings settings;
    gantry::Environment environment = environment_of({{"KUBECONFIG", (dir.path / "absent").string() + ":" + config.string()}});
    CHECK(bluegreen_switch::kube_access(settings, environment).token == "from-env");

    fs::create_directories(dir.path / "home" / ".kube");
    dir.write("home/.kube/config", kubeconfig("", "    token: from-home\n"));
    CHECK(bluegreen_switch::kube_access(settings, environment_of({{"HOME", (dir.path / "home").string()}})).token ==
          "from-home");

    settings.kubeconfig = config.string();
    settings.kube_api = "https://tunnel:8443/";
    KubeAccess access = bluegreen_switch::kube_access(settings, environment_of({{"HOME", (dir.path / "home").string()}}));
    CHECK(access.token == "from-env");
    CHECK(access.server == "https://tunnel:8443");
}

TEST_CASE("kube_access: nothing to go on is a UsageError; --kube-api alone talks without credentials") {
    ProviderSettings settings;
    CHECK_THROWS_WITH_AS(bluegreen_switch::kube_access(settings, environment_of({{"HOME", "/nonexistent-home"}})),
                         doctest::Contains("pass --kubeconfig FILE"), gantry::UsageError);
    settings.kube_api = "http://127.0.0.1:8001";
    KubeAccess access = bluegreen_switch::kube_access(settings, gantry::Environment{});
    CHECK(access.server == "http://127.0.0.1:8001");
    CHECK(access.token.empty());
}

TEST_CASE("kube_access: in a pod the service account is used and the server comes from the variables") {
    ScratchDir dir;
    dir.write("token", "sa-token\n");
    dir.write("ca.crt", gantry::testing::kTestCaPem);
    dir.write("namespace", "payments\n");
    ProviderSettings settings;
    settings.kube_service_account_dir = dir.path.string();
    gantry::Environment environment({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
    KubeAccess access = bluegreen_switch::kube_access(settings, environment);
    CHECK(access.server == "https://10.96.0.1:443");
    CHECK(access.token == "sa-token");
    CHECK(access.ca_file == (dir.path / "ca.crt").string());
    CHECK(access.namespace_name == "payments");

    gantry::Environment ipv6({{"KUBERNETES_SERVICE_HOST", "fd00::1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
    CHECK(bluegreen_switch::kube_access(settings, ipv6).server == "https://[fd00::1]:443");

    fs::remove(dir.path / "token");
    CHECK_THROWS_WITH_AS(bluegreen_switch::kube_access(settings, environment), doctest::Contains("has no token"),
                         gantry::EnvironmentError);
}
