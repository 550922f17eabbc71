// The Kubernetes provider against recorded API exchanges (tests/data/bluegreen/kubernetes/): no API
// server runs here, so every case is "recorded-API: ..." and the fake sender checks each request's
// method, path, headers and body before answering what the recording says.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "bluegreen-switch/bluegreen_switch.hpp"
#include "bluegreen-switch/kubernetes_provider.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "test_ca_certificate.hpp"

namespace fs = std::filesystem;
using bluegreen_switch::Color;
using bluegreen_switch::KubernetesProvider;
using bluegreen_switch::ProviderSettings;
using gantry::http::HttpRequest;
using gantry::http::HttpResponse;
using nlohmann::json;

namespace {

constexpr const char* kServer = "https://k8s.test:6443";
constexpr const char* kToken = "test-token-abc123";

fs::path scratch_dir(const std::string& name) {
    static std::atomic<int> counter{0};
    fs::path dir = fs::temp_directory_path() / ("gantry-kube-test-" + std::to_string(::getpid()) + "-" + name + "-" +
                                                std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// Replays one recorded scenario; every mismatch is a test failure naming the exchange.
class RecordedApi {
public:
    explicit RecordedApi(const std::string& scenario) {
        std::ifstream in(fs::path(GANTRY_TEST_DATA_DIR) / "bluegreen" / "kubernetes" / scenario);
        REQUIRE_MESSAGE(in.good(), "missing recording " << scenario);
        exchanges_ = json::parse(in).at("exchanges");
    }

    HttpResponse operator()(const HttpRequest& request) {
        requests_.push_back(request);
        if (next_ >= exchanges_.size()) {
            FAIL_CHECK("unexpected request " << request.method << " " << request.url << " after the recording ended");
            HttpResponse failed;
            failed.status = 500;
            return failed;
        }
        const json& exchange = exchanges_[next_];
        const json& expected = exchange.at("request");
        INFO("exchange " << next_ << ": " << expected.at("method").get<std::string>() << " "
                         << expected.at("path").get<std::string>());
        CHECK(request.method == expected.at("method").get<std::string>());
        CHECK(request.url == std::string(kServer) + expected.at("path").get<std::string>());
        for (const auto& [name, value] : expected.at("headers").items()) {
            std::string sent;
            for (const auto& [header, content] : request.headers) {
                if (header == name) sent = content;
            }
            CHECK_MESSAGE(sent == value.get<std::string>(), "header " << name);
        }
        if (expected.contains("body")) {
            REQUIRE(request.body.has_value());
            CHECK(json::parse(*request.body) == expected.at("body"));
        } else {
            CHECK_FALSE(request.body.has_value());
        }
        HttpResponse response;
        response.status = exchange.at("response").at("status").get<long>();
        response.body = exchange.at("response").at("body").dump();
        response.headers = {{"content-type", "application/json"}};
        if (!exchange.value("repeat", false)) ++next_;
        return response;
    }

    bool finished() const { return next_ == exchanges_.size(); }
    const std::vector<HttpRequest>& requests() const { return requests_; }

private:
    json exchanges_;
    std::size_t next_ = 0;
    std::vector<HttpRequest> requests_;
};

struct Harness {
    explicit Harness(const std::string& scenario) : api(scenario), dir(scratch_dir("kubeconfig")) {
        gantry::write_file_atomically(dir / "config", std::string(R"(apiVersion: v1
kind: Config
current-context: ci
clusters:
- name: test
  cluster:
    server: https://k8s.test:6443
    insecure-skip-tls-verify: true
contexts:
- name: ci
  context: {cluster: test, user: deployer, namespace: shop}
users:
- name: deployer
  user:
    token: )") + kToken + "\n");
        settings.kind = "kubernetes";
        settings.kube_service = "web";
        settings.kubeconfig = (dir / "config").string();
        settings.timeout = std::chrono::milliseconds(2000);
        settings.send = [this](const HttpRequest& request) { return api(request); };
    }
    ~Harness() { fs::remove_all(dir); }

    KubernetesProvider provider() {
        return KubernetesProvider(settings, gantry::Environment{}, [this](std::chrono::milliseconds pause) {
            sleeps.push_back(pause);
        });
    }

    RecordedApi api;
    fs::path dir;
    ProviderSettings settings;
    std::vector<std::chrono::milliseconds> sleeps;
};

}  // namespace

TEST_CASE("recorded-API: read() maps the selector's colour label and names the resourceVersion") {
    Harness harness("read_blue.json");
    KubernetesProvider provider = harness.provider();
    CHECK(provider.namespace_name() == "shop");  // from the kubeconfig context
    auto reading = provider.read();
    REQUIRE(reading.live.has_value());
    CHECK(*reading.live == Color::Blue);
    CHECK(reading.green_percent == 0);
    CHECK(reading.detail == "service shop/web: selector app=web,color=blue (resourceVersion 88102)");
    CHECK(harness.api.finished());
    CHECK(harness.api.requests()[0].verification == gantry::http::TlsVerification::Insecure);
}

TEST_CASE("recorded-API: --blue/--green name other label values") {
    Harness harness("read_blue.json");
    harness.settings.blue = "stable";
    harness.settings.green = "blue";
    auto reading = harness.provider().read();
    REQUIRE(reading.live.has_value());
    CHECK(*reading.live == Color::Green);
    CHECK(reading.green_percent == 100);
}

TEST_CASE("recorded-API: switch to green checks ready pods, patches with the resourceVersion, waits for endpoints") {
    Harness harness("switch_to_green.json");
    KubernetesProvider provider = harness.provider();
    CHECK(*provider.read().live == Color::Blue);
    provider.apply(Color::Green, 100);
    CHECK(harness.api.finished());
    CHECK(harness.sleeps.size() == 1);  // the first EndpointSlice poll saw only blue
}

TEST_CASE("recorded-API: apply() without a read() first reads the Service itself") {
    Harness harness("switch_to_green.json");
    harness.provider().apply(Color::Green, 100);
    CHECK(harness.api.finished());
}

TEST_CASE("recorded-API: a 409 Conflict re-reads the Service and retries once with the new resourceVersion") {
    Harness harness("conflict_then_retry.json");
    KubernetesProvider provider = harness.provider();
    provider.read();
    provider.apply(Color::Green, 100);
    CHECK(harness.api.finished());
}

TEST_CASE("recorded-API: a second 409 Conflict is an EnvironmentError 'changed concurrently'") {
    Harness harness("conflict_twice.json");
    KubernetesProvider provider = harness.provider();
    provider.read();
    try {
        provider.apply(Color::Green, 100);
        FAIL("expected an EnvironmentError");
    } catch (const gantry::EnvironmentError& error) {
        CHECK(std::string(error.what()).find("changed concurrently") != std::string::npos);
        CHECK(std::string(error.what()).find(kToken) == std::string::npos);
    }
    CHECK(harness.api.finished());
}

TEST_CASE("recorded-API: a 409 after another writer switched the colour is not retried") {
    Harness harness("conflict_switched_by_other.json");
    KubernetesProvider provider = harness.provider();
    provider.read();
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 100),
                         doctest::Contains("changed concurrently (HTTP 409 Conflict on resourceVersion 88102; now color=canary)"),
                         gantry::EnvironmentError);
    CHECK(harness.api.finished());  // no second PATCH
}

TEST_CASE("recorded-API: no ready pod for the target fails (exit 1) without patching") {
    Harness harness("no_ready_pods.json");
    KubernetesProvider provider = harness.provider();
    try {
        provider.apply(Color::Green, 100);
        FAIL("expected a failure");
    } catch (const gantry::Error& error) {
        CHECK(error.code() == gantry::ExitCode::Failed);
        CHECK(std::string(error.what()) ==
              "no ready pods for green: 1 pod match but none is Ready (web-green-7d9f8c6b5-m4k7t: ContainersNotReady) "
              "app=web,color=green in namespace shop; the Service was not changed");
    }
    CHECK(harness.api.finished());
    for (const auto& request : harness.api.requests()) CHECK(request.method == "GET");
}

TEST_CASE("recorded-API: endpoints that never become ready time out with an EnvironmentError") {
    Harness harness("endpoints_never_ready.json");
    KubernetesProvider provider = harness.provider();
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 100),
                         doctest::Contains("listed no ready endpoint of the green pods (web-green-7d9f8c6b5-q2x8z)"),
                         gantry::EnvironmentError);
    CHECK(harness.sleeps.size() == 4);  // 2000 ms in 500 ms polls
}

TEST_CASE("recorded-API: 403 Forbidden is an InputError with the RBAC fix and without the token") {
    Harness harness("forbidden.json");
    KubernetesProvider provider = harness.provider();
    try {
        provider.read();
        FAIL("expected an InputError");
    } catch (const gantry::InputError& error) {
        std::string message = error.what();
        CHECK(message.find("cannot get resource \\\"services\\\"") == std::string::npos);
        CHECK(message.find("cannot get resource \"services\"") != std::string::npos);
        CHECK(message.find("grant get and patch on services") != std::string::npos);
        CHECK(message.find(kToken) == std::string::npos);
    }
}

TEST_CASE("recorded-API: plan() lists the calls with the patch body and never the token") {
    Harness harness("read_blue.json");
    KubernetesProvider provider = harness.provider();
    auto lines = provider.plan(Color::Green, 100);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "GET https://k8s.test:6443/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb%2Ccolor%3Dgreen "
                      "(require at least one pod with condition Ready=True)");
    CHECK(lines[1] == "PATCH https://k8s.test:6443/api/v1/namespaces/shop/services/web Content-Type: "
                      "application/merge-patch+json "
                      R"({"metadata":{"resourceVersion":"88102"},"spec":{"selector":{"color":"green"}}})");
    CHECK(lines[2].find("endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb until a ready endpoint") !=
          std::string::npos);
    for (const auto& line : lines) CHECK(line.find(kToken) == std::string::npos);
    CHECK(harness.api.finished());
}

TEST_CASE("recorded-API: applying the live colour again changes nothing") {
    Harness harness("read_blue.json");
    KubernetesProvider provider = harness.provider();
    provider.apply(Color::Blue, 100);
    CHECK(harness.api.finished());
    CHECK(provider.in_flight(Color::Blue) == std::nullopt);
}

TEST_CASE("kubernetes provider: weighted shares and a missing --kube-service are usage errors") {
    Harness harness("read_blue.json");
    KubernetesProvider provider = harness.provider();
    CHECK(provider.weights() == bluegreen_switch::WeightSupport::AllOrNothing);
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 50),
                         doctest::Contains("cannot send 50 percent to green: a Service selector has no weights"),
                         gantry::UsageError);
    CHECK_THROWS_WITH_AS(provider.plan(Color::Green, 5), doctest::Contains("use --steps 100"), gantry::UsageError);
    CHECK(harness.api.requests().empty());
    harness.settings.kube_service.clear();
    CHECK_THROWS_WITH_AS(harness.provider(), doctest::Contains("--kube-service"), gantry::UsageError);
}

TEST_CASE("kubernetes provider: a switch in weighted steps is exit 2 before any request, saying a selector has no weights") {
    Harness harness("read_blue.json");
    const fs::path dir = scratch_dir("steps");
    bluegreen_switch::Options options;
    options.mode = bluegreen_switch::Mode::Switch;
    options.to = Color::Green;
    options.provider = harness.settings;
    options.steps = {5, 25, 50, 100};
    options.state_file = (dir / "state.json").string();
    options.audit_log = (dir / "audit.jsonl").string();
    options.lock_file = (dir / "state.lock").string();
    const gantry::Outcome outcome = bluegreen_switch::run(options, gantry::Environment(std::map<std::string, std::string>{}));
    CHECK(outcome.exit_code == gantry::ExitCode::BadInput);
    CHECK(outcome.json["reason"].get<std::string>() ==
          "--steps 5,25,50,100: kubernetes moves all traffic at once (a Service selector has no weights: it picks pods by "
          "their colour label, and every ready pod it selects gets an equal part of the traffic), so only --steps 100 is "
          "possible");
    CHECK(harness.api.requests().empty());
    CHECK_FALSE(fs::exists(dir / "state.json"));
    fs::remove_all(dir);
}

TEST_CASE("recorded-API: in a pod the service account's token, CA and namespace are used") {
    Harness harness("read_blue.json");
    fs::path account = scratch_dir("serviceaccount");
    gantry::write_file_atomically(account / "token", std::string(kToken) + "\n");
    gantry::write_file_atomically(account / "ca.crt", gantry::testing::kTestCaPem);
    gantry::write_file_atomically(account / "namespace", "shop");
    harness.settings.kubeconfig.clear();
    harness.settings.kube_service_account_dir = account.string();
    harness.settings.kube_api = kServer;  // the real one would be https://10.96.0.1:443 from the variables
    gantry::Environment environment({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
    KubernetesProvider provider(harness.settings, environment, [](std::chrono::milliseconds) {});
    CHECK(provider.namespace_name() == "shop");
    CHECK(*provider.read().live == Color::Blue);
    REQUIRE(harness.api.requests().size() == 1);
    CHECK(harness.api.requests()[0].ca_file == (account / "ca.crt").string());
    CHECK(harness.api.requests()[0].verification == gantry::http::TlsVerification::Verify);
    fs::remove_all(account);
}

TEST_CASE("kubernetes provider: an unreachable API or a non-JSON answer is an EnvironmentError without the token") {
    Harness harness("read_blue.json");
    harness.settings.send = [](const HttpRequest&) {
        HttpResponse response;
        response.failure = gantry::http::TransportFailure::Refused;
        response.transport_error = "Failed to connect to k8s.test port 6443: Connection refused";
        return response;
    };
    CHECK_THROWS_WITH_AS(harness.provider().read(),
                         doctest::Contains("the Kubernetes API at https://k8s.test:6443 cannot be reached"),
                         gantry::EnvironmentError);
    harness.settings.send = [](const HttpRequest&) {
        HttpResponse response;
        response.status = 200;
        response.body = "<html>proxy login</html>";
        return response;
    };
    try {
        harness.provider().read();
        FAIL("expected an EnvironmentError");
    } catch (const gantry::EnvironmentError& error) {
        CHECK(std::string(error.what()).find("not JSON") != std::string::npos);
        CHECK(std::string(error.what()).find(kToken) == std::string::npos);
    }
}
