// The HAProxy provider: its commands and parsing against recorded runtime API answers, then both modes
// against a real HAProxy on loopback (suite "haproxy", skipped with a message when it is not installed).
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bluegreen-switch/haproxy_provider.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/http/http_client.hpp"
#include "loopback_servers.hpp"
#include "scratch_dir.hpp"

namespace fs = std::filesystem;
using bluegreen_switch::Color;
using bluegreen_switch::HaproxyProvider;
using bluegreen_switch::ProviderSettings;
using gantry::testing::BackgroundProcess;
using gantry::testing::eventually;
using gantry::testing::free_port;
using gantry::testing::ScratchDir;

namespace {

// Answers runtime API commands from a table and records them. A command with a sequence of answers
// gets them one after the other (the last one again when they run out).
struct FakeRuntime {
    std::map<std::string, std::string> answers;
    std::map<std::string, std::vector<std::string>> sequences;
    std::vector<std::string> commands;
    bluegreen_switch::RuntimeCommandSender sender() {
        return [this](const std::string& command) {
            commands.push_back(command);
            if (auto sequence = sequences.find(command); sequence != sequences.end() && !sequence->second.empty()) {
                std::string answer = sequence->second.front();
                if (sequence->second.size() > 1) sequence->second.erase(sequence->second.begin());
                return answer;
            }
            auto found = answers.find(command);
            return found == answers.end() ? std::string() : found->second;
        };
    }
};

// "show servers state be_app" with blue and green in the given op and admin states (weight 100).
std::string servers_state(int blue_op, int blue_admin, int green_op, int green_admin) {
    return "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight\n"
           "3 be_app 1 blue 127.0.0.1 " + std::to_string(blue_op) + " " + std::to_string(blue_admin) + " 100\n"
           "3 be_app 2 green 127.0.0.1 " + std::to_string(green_op) + " " + std::to_string(green_admin) + " 100\n";
}

// "show stat" with the BACKEND rows of be_blue and be_green in the given statuses.
std::string backend_stat(const std::string& blue_status, const std::string& green_status) {
    return "# pxname,svname,scur,status,check_status,last_chk\n"
           "be_blue,BACKEND,0," + blue_status + ",,\n"
           "be_green,BACKEND,0," + green_status + ",,\n";
}

ProviderSettings server_settings() {
    ProviderSettings settings;
    settings.kind = "haproxy";
    settings.haproxy_socket = "/run/haproxy/admin.sock";
    settings.haproxy_backend = "be_app";
    return settings;
}

ProviderSettings map_settings(const std::string& map_file) {
    ProviderSettings settings;
    settings.kind = "haproxy";
    settings.haproxy_socket = "/run/haproxy/admin.sock";
    settings.haproxy_map = map_file;
    return settings;
}

// Columns in another order than HAProxy 2.6 prints them, plus one it does not know: read by name.
constexpr const char* kServersState =
    "1\n"
    "# be_id be_name srv_id srv_admin_state srv_name srv_addr srv_op_state srv_uweight srv_future_column\n"
    "3 be_app 1 0 blue 127.0.0.1 2 100 x\n"
    "3 be_app 2 5 green 127.0.0.1 0 1 x\n"
    "4 be_other 1 0 green 127.0.0.1 2 1 x\n";

}  // namespace

TEST_CASE("haproxy server mode: 'show servers state' columns are read by name; disabled is not serving") {
    FakeRuntime runtime;
    runtime.answers["show servers state be_app"] = kServersState;
    HaproxyProvider provider(server_settings(), runtime.sender());
    CHECK(provider.weights() == bluegreen_switch::WeightSupport::Weighted);
    auto reading = provider.read();
    REQUIRE(reading.live.has_value());
    CHECK(*reading.live == Color::Blue);
    CHECK(reading.green_percent == 0);
    CHECK(reading.detail == "backend be_app: blue ready weight 100, green maint weight 1");
}

TEST_CASE("haproxy server mode: both ready with weights is a split; drain is not serving") {
    FakeRuntime runtime;
    runtime.answers["show servers state be_app"] =
        "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight\n"
        "3 be_app 1 blue 127.0.0.1 2 4 90\n3 be_app 2 green 127.0.0.1 2 4 10\n";
    HaproxyProvider provider(server_settings(), runtime.sender());
    auto reading = provider.read();
    CHECK_FALSE(reading.live.has_value());
    CHECK(reading.green_percent == 10);

    runtime.answers["show servers state be_app"] =
        "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight\n"
        "3 be_app 1 blue 127.0.0.1 2 8 100\n3 be_app 2 green 127.0.0.1 2 0 100\n";
    reading = provider.read();
    REQUIRE(reading.live.has_value());
    CHECK(*reading.live == Color::Green);
    CHECK(reading.detail == "backend be_app: blue drain weight 100, green ready weight 100");
}

TEST_CASE("haproxy server mode: the commands of a full switch and of a weighted step, then the state file") {
    ScratchDir dir;
    FakeRuntime runtime;
    runtime.answers["show servers state"] = "1\n# be_id be_name\n3 be_app\n";
    runtime.answers["show servers state be_app"] = servers_state(2, 0, 2, 8);  // green up in HAProxy's checks, drained
    ProviderSettings settings = server_settings();
    settings.haproxy_state_file = (dir.path() / "servers.state").string();
    HaproxyProvider provider(settings, runtime.sender());

    auto plan = provider.plan(Color::Green, 100);
    REQUIRE(plan.size() == 5);
    CHECK(plan[0].find("wait until HAProxy's checks report be_app/green UP") == 0);
    CHECK(plan[1] == "set server be_app/green state ready");
    CHECK(plan[2] == "set weight be_app/green 100");
    CHECK(plan[3] == "set server be_app/blue state drain");
    CHECK(plan[4].find("save 'show servers state' to " + settings.haproxy_state_file) == 0);
    CHECK(runtime.commands.empty());  // plan() changes nothing

    provider.apply(Color::Green, 10);
    CHECK(runtime.commands == std::vector<std::string>{"show servers state be_app", "set weight be_app/green 10",
                                                       "set weight be_app/blue 90", "set server be_app/green state ready",
                                                       "set server be_app/blue state ready", "show servers state"});
    CHECK(gantry::read_file(settings.haproxy_state_file) == "1\n# be_id be_name\n3 be_app\n");

    runtime.commands.clear();
    provider.apply(Color::Blue, 0);  // 0% to blue is all of it to green
    CHECK(runtime.commands.at(1) == "set server be_app/green state ready");
    CHECK_THROWS_AS(provider.apply(Color::Green, 101), gantry::UsageError);
}

TEST_CASE("haproxy: HAProxy's error answers become InputError or EnvironmentError") {
    FakeRuntime runtime;
    runtime.answers["show servers state be_app"] = servers_state(2, 0, 2, 8);
    runtime.answers["set server be_app/green state ready"] = "No such backend.";
    HaproxyProvider provider(server_settings(), runtime.sender());
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 100),
                         "HAProxy rejected 'set server be_app/green state ready': No such backend.", gantry::InputError);

    runtime.answers["set server be_app/green state ready"] = "";
    runtime.answers["set weight be_app/green 100"] = "Absolute weight can only be between 0 and 256 inclusive.";
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 100), doctest::Contains("Absolute weight"), gantry::InputError);

    runtime.answers["show stat"] = "Unknown command, but maybe one of the following ones is a better match:\n  help";
    CHECK_THROWS_WITH_AS(provider.in_flight(Color::Blue), doctest::Contains("does not know 'show stat'"),
                         gantry::EnvironmentError);
    runtime.answers["show stat"] = "Permission denied\n";
    CHECK_THROWS_WITH_AS(provider.in_flight(Color::Blue), doctest::Contains("level admin"), gantry::EnvironmentError);

    runtime.answers["show servers state be_app"] =
        "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight\n3 be_app 1 blue x 2 0 1\n";
    CHECK_THROWS_WITH_AS(provider.read(), "HAProxy backend be_app has no server green for green (servers: blue)",
                         gantry::InputError);
}

TEST_CASE("haproxy: in_flight() is scur of the colour's server, or of its backend in map mode") {
    const std::string stat =
        "# pxname,svname,qcur,qmax,scur,smax,slim\n"
        "fe,FRONTEND,,,7,9,100\n"
        "be_app,blue,0,0,3,5,\n"
        "be_app,green,0,0,4,4,\n"
        "be_green,s,0,0,2,2,\n"
        "be_green,BACKEND,0,0,2,2,10\n";
    FakeRuntime runtime;
    runtime.answers["show stat"] = stat;
    HaproxyProvider servers(server_settings(), runtime.sender());
    CHECK(servers.in_flight(Color::Blue) == 3);
    CHECK(servers.in_flight(Color::Green) == 4);

    HaproxyProvider map(map_settings("/etc/haproxy/bg.map"), runtime.sender());
    CHECK(map.in_flight(Color::Green) == 2);
    CHECK(map.in_flight(Color::Blue) == std::nullopt);  // no be_blue in this answer
}

TEST_CASE("haproxy map mode: set map, then the map file rewritten with only that key changed") {
    ScratchDir dir;
    fs::path map_file = dir.path() / "bg.map";
    gantry::write_file_atomically(map_file, "# routes\nother be_x\n\nactive   be_blue\n");
    FakeRuntime runtime;
    runtime.answers["show map " + map_file.string()] = "0x55bb6bcafdb0 other be_x\n0x55bb6bcafdc0 active be_blue\n";
    runtime.answers["show stat"] = backend_stat("UP", "UP");
    const ProviderSettings settings = map_settings(map_file.string());
    HaproxyProvider provider(settings, runtime.sender());
    CHECK(provider.weights() == bluegreen_switch::WeightSupport::AllOrNothing);

    auto reading = provider.read();
    REQUIRE(reading.live.has_value());
    CHECK(*reading.live == Color::Blue);
    CHECK(reading.detail == "map " + map_file.string() + ": active be_blue");

    CHECK(provider.plan(Color::Green, 100) ==
          std::vector<std::string>{"wait until HAProxy's checks report backend be_green UP (show stat, at most 10000 ms)",
                                   "rewrite " + map_file.string() + ": key active be_blue -> be_green",
                                   "set map " + map_file.string() + " active be_green"});
    runtime.commands.clear();
    provider.apply(Color::Green, 100);
    CHECK(runtime.commands.back() == "set map " + map_file.string() + " active be_green");
    CHECK(gantry::read_file(map_file) == "# routes\nother be_x\n\nactive be_green\n");
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 50), doctest::Contains("--haproxy-backend"), gantry::UsageError);
}

TEST_CASE("haproxy map mode: a missing key is added at runtime and appended to the file") {
    ScratchDir dir;
    fs::path map_file = dir.path() / "bg.map";
    gantry::write_file_atomically(map_file, "other be_x\n");
    FakeRuntime runtime;
    runtime.answers["show map " + map_file.string()] = "0x55bb6bcafdb0 other be_x\n";
    runtime.answers["show stat"] = "# pxname,svname,status\napp_v1,BACKEND,UP\n";
    ProviderSettings settings = map_settings(map_file.string());
    settings.blue = "app_v1";
    settings.green = "app_v2";
    HaproxyProvider provider(settings, runtime.sender());
    CHECK_FALSE(provider.read().live.has_value());
    CHECK(provider.plan(Color::Blue, 100)[1] == "rewrite " + map_file.string() + ": add key active app_v1");
    provider.apply(Color::Blue, 100);
    CHECK(runtime.commands.back() == "add map " + map_file.string() + " active app_v1");
    CHECK(gantry::read_file(map_file) == "other be_x\nactive app_v1\n");
}

TEST_CASE("haproxy server mode: a target down in HAProxy's checks gets no traffic until it is UP") {
    FakeRuntime runtime;
    // green in maintenance (`disabled`), then down in its checks after leaving it, then up.
    runtime.sequences["show servers state be_app"] = {servers_state(2, 0, 0, 5), servers_state(2, 0, 0, 12),
                                                      servers_state(2, 0, 2, 12)};
    HaproxyProvider provider(server_settings(), runtime.sender());
    provider.apply(Color::Green, 100);
    CHECK(runtime.commands == std::vector<std::string>{"show servers state be_app", "set server be_app/green state drain",
                                                       "show servers state be_app", "show servers state be_app",
                                                       "set server be_app/green state ready", "set weight be_app/green 100",
                                                       "set server be_app/blue state drain"});
}

TEST_CASE("haproxy server mode: a target that stays down is refused (exit 1) and goes back to maintenance") {
    FakeRuntime runtime;
    runtime.sequences["show servers state be_app"] = {servers_state(2, 0, 0, 5), servers_state(2, 0, 0, 12)};
    runtime.answers["show stat"] =
        "# pxname,svname,status,check_status,check_desc,last_chk\nbe_app,green,DOWN,L7STS,Layer7 wrong status,HTTP status check returned code <500>\n";
    ProviderSettings settings = server_settings();
    settings.timeout = std::chrono::milliseconds(300);
    HaproxyProvider provider(settings, runtime.sender());
    try {
        provider.apply(Color::Green, 100);
        FAIL("expected a refusal");
    } catch (const gantry::Error& error) {
        CHECK(error.code() == gantry::ExitCode::Failed);
        const std::string message = error.what();
        CHECK(message.find("HAProxy's own health checks keep be_app/green down: DOWN (last check L7STS") != std::string::npos);
        CHECK(message.find("no traffic was moved and the server is back in maintenance") != std::string::npos);
    }
    CHECK(runtime.commands.back() == "set server be_app/green state maint");
    for (const std::string& command : runtime.commands) {
        CHECK(command.find("state ready") == std::string::npos);
        CHECK(command.find("set weight") == std::string::npos);
        CHECK(command.find("blue state drain") == std::string::npos);
    }
}

TEST_CASE("haproxy map mode: a target backend down in HAProxy's checks is refused before the map changes") {
    ScratchDir dir;
    fs::path map_file = dir.path() / "bg.map";
    gantry::write_file_atomically(map_file, "active be_blue\n");
    FakeRuntime runtime;
    runtime.answers["show map " + map_file.string()] = "0x1 active be_blue\n";
    runtime.answers["show stat"] = backend_stat("UP", "DOWN");
    ProviderSettings settings = map_settings(map_file.string());
    settings.timeout = std::chrono::milliseconds(200);
    HaproxyProvider provider(settings, runtime.sender());
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 100), doctest::Contains("keep backend be_green DOWN"), gantry::Error);
    CHECK(gantry::read_file(map_file) == "active be_blue\n");
    for (const std::string& command : runtime.commands) CHECK(command.find("set map") == std::string::npos);

    // A refused `set map` puts the rewritten map file back.
    runtime.answers["show stat"] = backend_stat("UP", "UP");
    runtime.answers["set map " + map_file.string() + " active be_green"] = "Unknown map identifier. Please use #<id> or <file>.";
    CHECK_THROWS_AS(provider.apply(Color::Green, 100), gantry::InputError);
    CHECK(gantry::read_file(map_file) == "active be_blue\n");
}

TEST_CASE("haproxy: missing or conflicting settings are usage errors naming the flag") {
    ProviderSettings settings;
    CHECK_THROWS_WITH_AS(HaproxyProvider{settings}, doctest::Contains("--haproxy-socket"), gantry::UsageError);
    settings.haproxy_socket = "127.0.0.1:9999";
    CHECK_THROWS_WITH_AS(HaproxyProvider{settings}, doctest::Contains("--haproxy-map (map mode) or --haproxy-backend"),
                         gantry::UsageError);
    settings.haproxy_map = "bg.map";
    settings.haproxy_backend = "be_app";
    CHECK_THROWS_AS(HaproxyProvider{settings}, gantry::UsageError);
}

TEST_CASE("haproxy runtime API: an absent socket or closed port is an EnvironmentError naming it") {
    ScratchDir dir;
    std::string socket_path = (dir.path() / "absent.sock").string();
    bluegreen_switch::HaproxyRuntimeApi api(socket_path, std::chrono::milliseconds(2000));
    CHECK_THROWS_WITH_AS(api.execute("show info"),
                         ("HAProxy's runtime API at " + socket_path + " cannot be reached: No such file or directory").c_str(),
                         gantry::EnvironmentError);
    // Port 1 on loopback: nothing listens there (and nobody unprivileged can make it listen).
    bluegreen_switch::HaproxyRuntimeApi tcp("127.0.0.1:1", std::chrono::milliseconds(2000));
    CHECK_THROWS_WITH_AS(tcp.execute("show info"), doctest::Contains("cannot be reached: Connection refused"),
                         gantry::EnvironmentError);
}

// ---- a real HAProxy ---------------------------------------------------------------------------------

namespace {

// A server process that must start: the test stops here when it cannot.
std::unique_ptr<BackgroundProcess> start_server(std::vector<std::string> argv) {
    const std::string program = argv.front();
    auto process = std::make_unique<BackgroundProcess>(std::move(argv));
    REQUIRE_MESSAGE(process->running(), "cannot start " << program);
    return process;
}

std::string fetch(int port) {
    auto response = gantry::testing::http_get("http://127.0.0.1:" + std::to_string(port) + "/", std::chrono::milliseconds(3000));
    return response.failure == gantry::http::TransportFailure::None ? response.body : "(" + response.transport_error + ")";
}

bool answers(int port) {
    return gantry::testing::http_get("http://127.0.0.1:" + std::to_string(port) + "/", std::chrono::milliseconds(1000)).status == 200;
}

// HAProxy (the lab's configuration, on free ports) in front of two python3 http.server colours.
struct Lab {
    Lab() {
        for (const char* color : {"blue", "green"}) {
            fs::create_directories(dir.path() / color);
            gantry::write_file_atomically(dir.path() / color / "index.html", color);
        }
        blue_port = free_port();
        green_port = free_port();
        front_port = free_port();
        blue = start_server({"python3", "-m", "http.server", std::to_string(blue_port), "--bind", "127.0.0.1",
                             "--directory", dir / "blue"});
        green = start_server({"python3", "-m", "http.server", std::to_string(green_port), "--bind", "127.0.0.1",
                              "--directory", dir / "green"});
        map_file = (dir.path() / "bg.map").string();
        socket = (dir.path() / "admin.sock").string();
        state_file = (dir.path() / "servers.state").string();
        gantry::write_file_atomically(map_file, "# blue-green\nactive be_blue\n");
        start_haproxy();
        REQUIRE_MESSAGE(eventually([&] { return answers(blue_port) && answers(green_port); }), "the backends did not start");
    }

    // The lab's configuration; the server-state file is loaded at start, as a reload would.
    void start_haproxy() {
        std::string blue_address = "127.0.0.1:" + std::to_string(blue_port);
        std::string green_address = "127.0.0.1:" + std::to_string(green_port);
        gantry::write_file_atomically(dir.path() / "haproxy.cfg",
            "global\n  stats socket " + socket + " mode 600 level admin\n  server-state-file " + state_file + "\n"
            "defaults\n  mode http\n  timeout connect 2s\n  timeout client 30s\n  timeout server 30s\n"
            "  load-server-state-from-file global\n"
            "frontend fe\n  bind 127.0.0.1:" + std::to_string(front_port) + "\n"
            "  use_backend %[str(active),map(" + map_file + ",be_app)]\n"
            "backend be_app\n  server blue " + blue_address + "\n  server green " + green_address + " disabled\n"
            "backend be_blue\n  server s " + blue_address + "\n"
            "backend be_green\n  server s " + green_address + "\n");
        fs::remove(socket);
        haproxy = start_server({"/usr/sbin/haproxy", "-db", "-f", dir / "haproxy.cfg"});
        REQUIRE_MESSAGE(eventually([&] { return fs::exists(socket); }), "HAProxy did not open its stats socket");
    }

    // A new HAProxy from the files on disk: what a reload or restart keeps.
    void restart_haproxy() {
        haproxy.reset();
        start_haproxy();
    }

    ProviderSettings settings() const {
        ProviderSettings s;
        s.kind = "haproxy";
        s.haproxy_socket = socket;
        return s;
    }

    ScratchDir dir;
    int blue_port = 0, green_port = 0, front_port = 0;
    std::string map_file, socket, state_file;
    std::unique_ptr<BackgroundProcess> blue, green, haproxy;
};

bool haproxy_missing() { return !fs::exists("/usr/sbin/haproxy"); }

}  // namespace

TEST_SUITE("haproxy") {

TEST_CASE("real HAProxy: map mode switches live traffic and keeps the map file in step") {
    if (haproxy_missing()) {
        MESSAGE("skipped: /usr/sbin/haproxy is not installed (apt-get install haproxy)");
        return;
    }
    Lab lab;
    ProviderSettings settings = lab.settings();
    settings.haproxy_map = lab.map_file;
    HaproxyProvider provider(settings);
    CHECK(*provider.read().live == Color::Blue);
    CHECK(fetch(lab.front_port) == "blue");

    provider.apply(Color::Green, 100);
    CHECK(*provider.read().live == Color::Green);
    CHECK(fetch(lab.front_port) == "green");
    CHECK(gantry::read_file(lab.map_file) == "# blue-green\nactive be_green\n");
    // scur counts a session until HAProxy has closed its side, which can be just after the client
    // has read the whole answer: the count reaches 0, it need not be 0 the moment fetch() returns.
    CHECK(eventually([&] { return provider.in_flight(Color::Green) == 0; }));

    lab.restart_haproxy();
    CHECK(*provider.read().live == Color::Green);  // the rewritten map file is what HAProxy loads
    CHECK(fetch(lab.front_port) == "green");

    provider.apply(Color::Green, 100);  // again: harmless
    provider.apply(Color::Blue, 100);
    CHECK(*provider.read().live == Color::Blue);
    CHECK(fetch(lab.front_port) == "blue");
}

TEST_CASE("real HAProxy: server mode weights, full switch with drain, and the saved server state") {
    if (haproxy_missing()) {
        MESSAGE("skipped: /usr/sbin/haproxy is not installed (apt-get install haproxy)");
        return;
    }
    Lab lab;
    // Route the frontend to be_app, whose servers are the colours.
    gantry::write_file_atomically(lab.map_file, "active be_app\n");
    HaproxyProvider map_switch([&] {
        ProviderSettings s = lab.settings();
        s.haproxy_map = lab.map_file;
        s.blue = "be_app";
        return s;
    }());
    map_switch.apply(Color::Blue, 100);

    ProviderSettings settings = lab.settings();
    settings.haproxy_backend = "be_app";
    settings.haproxy_state_file = lab.state_file;
    HaproxyProvider provider(settings);
    auto reading = provider.read();
    REQUIRE(reading.live.has_value());
    CHECK(*reading.live == Color::Blue);  // green is `disabled` in the configuration

    provider.apply(Color::Green, 10);
    reading = provider.read();
    CHECK_FALSE(reading.live.has_value());
    CHECK(reading.green_percent == 10);

    provider.apply(Color::Green, 100);
    reading = provider.read();
    REQUIRE(reading.live.has_value());
    CHECK(*reading.live == Color::Green);
    CHECK(reading.detail == "backend be_app: blue drain weight 90, green ready weight 100");
    for (int i = 0; i < 4; ++i) CHECK(fetch(lab.front_port) == "green");
    std::string saved = gantry::read_file(lab.state_file);
    CHECK(saved.rfind("1\n# be_id be_name srv_id srv_name", 0) == 0);
    CHECK(saved.find(" be_app 2 green ") != std::string::npos);

    lab.restart_haproxy();  // green is `disabled` in the configuration: only the saved state keeps it live
    reading = provider.read();
    REQUIRE(reading.live.has_value());
    CHECK(*reading.live == Color::Green);
    CHECK(fetch(lab.front_port) == "green");

    provider.apply(Color::Blue, 100);
    CHECK(*provider.read().live == Color::Blue);
    CHECK(fetch(lab.front_port) == "blue");
    CHECK(eventually([&] { return provider.in_flight(Color::Green) == 0; }));
}

}  // TEST_SUITE
