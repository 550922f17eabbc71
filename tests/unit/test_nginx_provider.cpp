#include <filesystem>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "bluegreen-switch/flag_file_provider.hpp"
#include "bluegreen-switch/nginx_provider.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/base/process.hpp"
#include "loopback_servers.hpp"
#include "scratch_dir.hpp"

using namespace bluegreen_switch;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using gantry::testing::eventually;
using gantry::testing::free_port;
using gantry::testing::installed;
using gantry::testing::ScratchDir;

namespace {

ProviderSettings settings_in(const ScratchDir& dir) {
    ProviderSettings settings;
    settings.kind = "nginx";
    settings.blue = "127.0.0.1:9001";
    settings.green = "127.0.0.1:9002";
    settings.nginx_upstream_file = dir / "upstream.conf";
    settings.nginx_test_command = {"true"};
    settings.nginx_reload_command = {"true"};
    return settings;
}

std::string get_body(const std::string& url) { return gantry::testing::http_get(url).body; }

// A private nginx (prefix DIR, its own pid file and error log) with two backends answering "blue"
// and "green" and a front proxying to the upstream file.
struct LabNginx {
    const ScratchDir& dir;
    int blue_port = free_port();
    int green_port = free_port();
    int front_port = free_port();
    fs::path conf = dir.path() / "nginx.conf";
    bool running = false;

    explicit LabNginx(const ScratchDir& scratch, const std::string& front_location) : dir(scratch) {
        const std::string d = dir.path().string();
        // The workers run as nobody: they must be able to look into the folder (flag files, -f).
        fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
        gantry::write_file_atomically(conf, fmt::format(R"(worker_processes 1;
pid {0}/nginx.pid;
error_log {0}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {0}/body; proxy_temp_path {0}/proxy; fastcgi_temp_path {0}/fastcgi;
  uwsgi_temp_path {0}/uwsgi; scgi_temp_path {0}/scgi;
  upstream app {{ include {0}/upstream.conf; keepalive 4; }}
  upstream bg_blue {{ server 127.0.0.1:{1}; keepalive 4; }}
  upstream bg_green {{ server 127.0.0.1:{2}; keepalive 4; }}
  server {{ listen 127.0.0.1:{1}; location / {{ return 200 "blue\n"; }} }}
  server {{ listen 127.0.0.1:{2}; location / {{ return 200 "green\n"; }} }}
  server {{ listen 127.0.0.1:{3}; {4} }}
}}
)", d, blue_port, green_port, front_port, front_location));
    }
    std::vector<std::string> command(std::vector<std::string> extra) const {
        std::vector<std::string> argv{"nginx", "-p", dir.path().string(), "-c", conf.string(), "-e",
                                      (dir.path() / "error.log").string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return argv;
    }
    std::string blue() const { return fmt::format("127.0.0.1:{}", blue_port); }
    std::string green() const { return fmt::format("127.0.0.1:{}", green_port); }
    std::string front_url() const { return fmt::format("http://127.0.0.1:{}/", front_port); }
    gantry::ProcessResult start() {
        const gantry::ProcessResult started = gantry::run_process(command({}), 20s);
        running = started.exit_code == 0;
        return started;
    }
    // Until nginx answers `expected` (a reload replaces the workers shortly after the signal).
    std::string answer_becoming(const std::string& expected) const {
        std::string body;
        eventually([&] { return (body = get_body(front_url())) == expected; }, 100);
        return body;
    }
    // `nginx -s stop` only signals the master: wait for it to remove its pid file, so that the scratch
    // directory is not removed while nginx still writes into it.
    ~LabNginx() {
        if (!running) return;
        gantry::run_process(command({"-s", "stop"}), 20s);
        eventually([&] { return !fs::exists(dir.path() / "nginx.pid"); });
    }
};

}  // namespace

TEST_SUITE("nginx provider") {

TEST_CASE("nginx: the upstream file, --blue and --green are required") {
    ScratchDir dir;
    ProviderSettings settings = settings_in(dir);
    settings.nginx_upstream_file.clear();
    CHECK_THROWS_WITH_AS(NginxProvider{settings}, "--nginx-upstream-file is required with --provider nginx",
                         gantry::UsageError);
    settings = settings_in(dir);
    settings.green.clear();
    CHECK_THROWS_WITH_AS(NginxProvider{settings}, doctest::Contains("--green"), gantry::UsageError);
    settings = settings_in(dir);
    settings.green = settings.blue;
    CHECK_THROWS_AS(NginxProvider{settings}, gantry::UsageError);
}

TEST_CASE("nginx: rendered files read back as what was applied") {
    ScratchDir dir;
    const ProviderSettings settings = settings_in(dir);
    NginxProvider provider(settings);

    provider.apply(Color::Green, 100);
    const std::string whole = gantry::read_file(settings.nginx_upstream_file);
    CHECK(whole.find("# Managed by bluegreen-switch") == 0);
    CHECK(whole.find("\nserver 127.0.0.1:9002;\n") != std::string::npos);
    CHECK(whole.find("server 127.0.0.1:9001;") == std::string::npos);
    ProviderReading reading = provider.read();
    CHECK(reading.live == Color::Green);
    CHECK(reading.green_percent == 100);
    CHECK(reading.detail == "upstream file " + settings.nginx_upstream_file + ": server 127.0.0.1:9002;");

    provider.apply(Color::Green, 10);
    CHECK(gantry::read_file(settings.nginx_upstream_file).find(
              "server 127.0.0.1:9001 weight=9;\nserver 127.0.0.1:9002 weight=1;\n") != std::string::npos);
    reading = provider.read();
    CHECK_FALSE(reading.live.has_value());
    CHECK(reading.green_percent == 10);

    provider.apply(Color::Blue, 25);  // 25% blue = 1:3
    CHECK(gantry::read_file(settings.nginx_upstream_file).find(
              "server 127.0.0.1:9001 weight=1;\nserver 127.0.0.1:9002 weight=3;\n") != std::string::npos);
    CHECK(provider.read().green_percent == 75);

    provider.apply(Color::Blue, 100);
    CHECK(provider.read().live == Color::Blue);
    CHECK(provider.read().green_percent == 0);
    CHECK_THROWS_AS(provider.apply(Color::Blue, 101), gantry::UsageError);
}

TEST_CASE("nginx: hand-written files are read too; unknown addresses are an InputError with file:line") {
    ScratchDir dir;
    const ProviderSettings settings = settings_in(dir);
    NginxProvider provider(settings);
    const std::string& path = settings.nginx_upstream_file;

    gantry::write_file_atomically(path, "# ours\nserver 127.0.0.1:9001 weight=9; server 127.0.0.1:9002 weight=1;\n");
    CHECK(provider.read().green_percent == 10);

    // nginx takes any weight: sums that overflow a long are still a share.
    gantry::write_file_atomically(path, "server 127.0.0.1:9001 weight=9223372036854775807;\n"
                                        "server 127.0.0.1:9002 weight=9223372036854775807;\n"
                                        "server 127.0.0.1:9002 weight=9223372036854775807;\n");
    CHECK(provider.read().green_percent == 67);

    gantry::write_file_atomically(path, "server 127.0.0.1:9002 max_fails=3;\nserver 127.0.0.1:9001 down;\n");
    CHECK(provider.read().live == Color::Green);

    gantry::write_file_atomically(path, "# header\n\nserver 127.0.0.1:9001;\nserver 10.0.0.9:80;\n");
    CHECK_THROWS_WITH_AS(provider.read(),
                         (path + ":4: server 10.0.0.9:80 is neither --blue (127.0.0.1:9001) nor --green (127.0.0.1:9002)").c_str(),
                         gantry::InputError);

    gantry::write_file_atomically(path, "server 127.0.0.1:9001;\nkeepalive 16;\n");
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains((path + ":2: expected 'server ADDRESS;' lines only").c_str()),
                         gantry::InputError);
    gantry::write_file_atomically(path, "server 127.0.0.1:9001\n");
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains((path + ":1: expected a statement ending with ';'").c_str()),
                         gantry::InputError);
    gantry::write_file_atomically(path, "server 127.0.0.1:9001 weight=x;\n");
    CHECK_THROWS_AS(provider.read(), gantry::InputError);
    gantry::write_file_atomically(path, "# nothing\n");
    CHECK_THROWS_WITH_AS(provider.read(), doctest::Contains("found none"), gantry::InputError);
    fs::remove(path);
    CHECK_THROWS_AS(provider.read(), gantry::InputError);
}

TEST_CASE("nginx: plan is a unified diff and the two commands, and changes nothing") {
    ScratchDir dir;
    ProviderSettings settings = settings_in(dir);
    settings.nginx_test_command = {"nginx", "-t", "-c", "/etc/my nginx.conf"};
    settings.nginx_reload_command = {"nginx", "-s", "reload"};
    NginxProvider provider(settings);
    const std::string& path = settings.nginx_upstream_file;
    gantry::write_file_atomically(path, provider.render(Color::Blue, 100));

    const std::vector<std::string> steps = provider.plan(Color::Green, 100);
    REQUIRE(steps.size() == 8);
    CHECK(steps[0] == "--- " + path);
    CHECK(steps[1] == "+++ " + path);
    CHECK(steps[2] == "@@ -1,2 +1,2 @@");
    CHECK(steps[3].rfind(" # Managed by bluegreen-switch", 0) == 0);
    CHECK(steps[4] == "-server 127.0.0.1:9001;");
    CHECK(steps[5] == "+server 127.0.0.1:9002;");
    CHECK(steps[6] == "run: nginx -t -c '/etc/my nginx.conf'");
    CHECK(steps[7] == "run: nginx -s reload");
    CHECK(provider.read().live == Color::Blue);

    const std::vector<std::string> same = provider.plan(Color::Blue, 100);
    REQUIRE(same.size() == 3);
    CHECK(same[0] == path + " already has this content (tested and reloaded anyway)");
}

// The changed lines of a unified diff, one block per run between unchanged lines: "-" lines must all
// come before the "+" lines of their block.
bool removals_before_additions(const std::vector<std::string>& diff) {
    bool adding = false;
    for (const std::string& line : diff) {
        if (line.rfind("---", 0) == 0 || line.rfind("+++", 0) == 0 || line.rfind("@@", 0) == 0) continue;
        if (line.rfind("run: ", 0) == 0) break;
        if (line.empty() || line[0] == ' ') adding = false;
        if (!line.empty() && line[0] == '+') adding = true;
        if (!line.empty() && line[0] == '-' && adding) return false;
    }
    return true;
}

TEST_CASE("nginx: in the plan's diff, removals come before additions (weighted step, switch back)") {
    ScratchDir dir;
    const ProviderSettings settings = settings_in(dir);
    NginxProvider provider(settings);
    const std::string& path = settings.nginx_upstream_file;
    const std::string header = provider.render(Color::Blue, 100).substr(0, provider.render(Color::Blue, 100).find('\n'));

    gantry::write_file_atomically(path, provider.render(Color::Blue, 100));
    std::vector<std::string> steps = provider.plan(Color::Green, 10);
    CHECK(std::vector<std::string>(steps.begin() + 3, steps.end() - 2) ==
          std::vector<std::string>{" " + header, "-server 127.0.0.1:9001;", "+server 127.0.0.1:9001 weight=9;",
                                   "+server 127.0.0.1:9002 weight=1;"});

    gantry::write_file_atomically(path, provider.render(Color::Green, 10));
    steps = provider.plan(Color::Blue, 100);  // the switch back
    CHECK(std::vector<std::string>(steps.begin() + 3, steps.end() - 2) ==
          std::vector<std::string>{" " + header, "-server 127.0.0.1:9001 weight=9;", "-server 127.0.0.1:9002 weight=1;",
                                   "+server 127.0.0.1:9001;"});

    // A hand-written file in another order, with a line kept in the middle.
    gantry::write_file_atomically(path, "server 127.0.0.1:9002 weight=1;\nserver 127.0.0.1:9001 weight=1;\n# old\n");
    steps = provider.plan(Color::Green, 50);
    CHECK(std::vector<std::string>(steps.begin() + 3, steps.end() - 2) ==
          std::vector<std::string>{"-server 127.0.0.1:9002 weight=1;", "+" + header, " server 127.0.0.1:9001 weight=1;",
                                   "-# old", "+server 127.0.0.1:9002 weight=1;"});

    // Every step between any two rendered files.
    for (const Color from : {Color::Blue, Color::Green}) {
        for (const int from_percent : {10, 25, 50, 75, 90, 100}) {
            gantry::write_file_atomically(path, provider.render(from, from_percent));
            for (const Color to : {Color::Blue, Color::Green}) {
                for (const int percent : {10, 25, 50, 75, 90, 100}) {
                    CAPTURE(from_percent);
                    CAPTURE(percent);
                    CHECK(removals_before_additions(provider.plan(to, percent)));
                }
            }
        }
    }
    CHECK_FALSE(removals_before_additions({"--- f", "+++ f", "@@ -1,1 +1,1 @@", "+b", "-a"}));
}

TEST_CASE("nginx, fake commands: a failing test command puts the old file back and reloads nothing") {
    ScratchDir dir;
    ProviderSettings settings = settings_in(dir);
    const fs::path reloaded = dir.path() / "reloaded";
    settings.nginx_test_command = {"/bin/sh", "-c", "echo 'nginx: [emerg] invalid port' >&2; exit 1"};
    settings.nginx_reload_command = {"touch", reloaded.string()};
    NginxProvider provider(settings);
    const std::string before = provider.render(Color::Blue, 100);
    gantry::write_file_atomically(settings.nginx_upstream_file, before);

    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 100),
                         doctest::Contains("rejected the configuration; nothing was reloaded"), gantry::InputError);
    try {
        provider.apply(Color::Green, 100);
    } catch (const gantry::InputError& error) {
        CHECK(std::string(error.what()).find("nginx: [emerg] invalid port") != std::string::npos);
    }
    CHECK(gantry::read_file(settings.nginx_upstream_file) == before);
    CHECK_FALSE(fs::exists(reloaded));
    CHECK(fs::directory_iterator(dir.path()) != fs::directory_iterator());
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++files;
    CHECK(files == 1);  // no temporary file left behind
}

TEST_CASE("nginx, fake commands: a failing reload is an EnvironmentError and the old file is put back") {
    ScratchDir dir;
    ProviderSettings settings = settings_in(dir);
    settings.nginx_reload_command = {"/bin/sh", "-c", "echo 'nginx: [error] invalid PID number' >&2; exit 1"};
    NginxProvider provider(settings);
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 100), doctest::Contains("invalid PID number"),
                         gantry::EnvironmentError);
    CHECK_FALSE(fs::exists(settings.nginx_upstream_file));  // there was none before

    settings.nginx_reload_command = {"gantry-no-such-nginx"};
    NginxProvider missing(settings);
    gantry::write_file_atomically(settings.nginx_upstream_file, "server 127.0.0.1:9001;\n");
    CHECK_THROWS_AS(missing.apply(Color::Green, 100), gantry::EnvironmentError);
    CHECK(gantry::read_file(settings.nginx_upstream_file) == "server 127.0.0.1:9001;\n");
}

TEST_CASE("nginx (real nginx -t): a configuration nginx rejects is never reloaded") {
    if (!installed("nginx")) {
        MESSAGE("skipped: nginx is not installed");
        return;
    }
    ScratchDir dir;
    LabNginx lab(dir, "location / { proxy_pass http://app; }");
    ProviderSettings settings = settings_in(dir);
    const fs::path reloaded = dir.path() / "reloaded";
    settings.blue = lab.blue();
    settings.green = "127.0.0.1:99999";  // nginx: invalid port
    settings.nginx_test_command = lab.command({"-t"});
    settings.nginx_reload_command = {"touch", reloaded.string()};
    NginxProvider provider(settings);

    provider.apply(Color::Blue, 100);
    CHECK(fs::exists(reloaded));
    fs::remove(reloaded);
    const std::string good = gantry::read_file(settings.nginx_upstream_file);
    CHECK_THROWS_WITH_AS(provider.apply(Color::Green, 100), doctest::Contains("invalid port"), gantry::InputError);
    CHECK_FALSE(fs::exists(reloaded));
    CHECK(gantry::read_file(settings.nginx_upstream_file) == good);
}

TEST_CASE("nginx (real nginx): switching the upstream file moves the traffic") {
    if (!installed("nginx")) {
        MESSAGE("skipped: nginx is not installed");
        return;
    }
    ScratchDir dir;
    LabNginx lab(dir, "location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection \"\"; }");
    ProviderSettings settings = settings_in(dir);
    settings.blue = lab.blue();
    settings.green = lab.green();
    settings.nginx_test_command = lab.command({"-t"});
    settings.nginx_reload_command = lab.command({"-s", "reload"});
    NginxProvider provider(settings);
    gantry::write_file_atomically(settings.nginx_upstream_file, provider.render(Color::Blue, 100));
    const gantry::ProcessResult started = lab.start();
    REQUIRE_MESSAGE(started.exit_code == 0, started.output);
    CHECK(lab.answer_becoming("blue\n") == "blue\n");

    provider.apply(Color::Green, 100);
    CHECK(provider.read().live == Color::Green);
    CHECK(lab.answer_becoming("green\n") == "green\n");
    provider.apply(Color::Green, 100);  // again: harmless
    CHECK(lab.answer_becoming("green\n") == "green\n");
    provider.apply(Color::Blue, 100);
    CHECK(lab.answer_becoming("blue\n") == "blue\n");
}

TEST_CASE("nginx (real nginx): the flag-file reference configuration routes by the file, no reload") {
    if (!installed("nginx")) {
        MESSAGE("skipped: nginx is not installed");
        return;
    }
    ScratchDir dir;
    const fs::path flag = dir.path() / "flags" / "green-live";
    fs::create_directories(flag.parent_path());
    // Exactly the configuration documented in flag_file_provider.hpp.
    LabNginx lab(dir, fmt::format("location / {{ set $bg bg_blue; if (-f {}) {{ set $bg bg_green; }} "
                                  "proxy_pass http://$bg; proxy_http_version 1.1; proxy_set_header Connection \"\"; }}",
                                  flag.string()));
    gantry::write_file_atomically(dir.path() / "upstream.conf", fmt::format("server {};\n", lab.blue()));
    const gantry::ProcessResult started = lab.start();
    REQUIRE_MESSAGE(started.exit_code == 0, started.output);
    ProviderSettings settings;
    settings.kind = "nginx";
    settings.flag_file = flag.string();
    FlagFileProvider provider(settings);
    CHECK(get_body(lab.front_url()) == "blue\n");
    provider.apply(Color::Green, 100);
    CHECK(get_body(lab.front_url()) == "green\n");  // nginx checks the file on every request
    provider.apply(Color::Blue, 100);
    CHECK(get_body(lab.front_url()) == "blue\n");
}

}  // TEST_SUITE
