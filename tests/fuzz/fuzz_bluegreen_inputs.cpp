// libFuzzer target for what bluegreen-switch reads from outside: the state file, the nginx upstream
// file, HAProxy's runtime API answers ("show servers state", "show map", "show stat") and map file,
// and kubeconfig files. The first byte picks the reader ('A' state file, 'B' nginx, 'C' HAProxy server
// mode, 'D' HAProxy map mode, 'E' kubeconfig: the byte modulo 5), the rest is its input.
// gantry::Error is the expected outcome of bad input; anything else (another exception, a crash, a
// sanitizer report) is a bug. The readers take paths, so the input is written to files in a private
// folder made once per process and removed at exit.
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include "bluegreen-switch/haproxy_provider.hpp"
#include "bluegreen-switch/kubeconfig.hpp"
#include "bluegreen-switch/nginx_provider.hpp"
#include "bluegreen-switch/switch_state.hpp"
#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"

namespace fs = std::filesystem;
using namespace bluegreen_switch;

namespace {

enum class Reader : std::uint8_t { StateFile, NginxUpstream, HaproxyServers, HaproxyMap, Kubeconfig, Count };

class FuzzFolder {
public:
    FuzzFolder() {
        std::string pattern = (fs::temp_directory_path() / "gantry-fuzz-bluegreen-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) ::abort();
        path_ = pattern;
    }
    ~FuzzFolder() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    std::string file(const char* name) const { return (path_ / name).string(); }

private:
    fs::path path_;
};

const FuzzFolder& folder() {
    static const FuzzFolder instance;
    return instance;
}

void read_state_file(const std::string& text) {
    const std::string path = folder().file("state.json");
    gantry::write_file_atomically(path, text);
    (void)read_switch_state(path);
}

void read_nginx_upstream(const std::string& text) {
    ProviderSettings settings;
    settings.kind = "nginx";
    settings.blue = "127.0.0.1:9001";
    settings.green = "127.0.0.1:9002";
    settings.nginx_upstream_file = folder().file("upstream.conf");
    settings.nginx_test_command = {"true"};
    settings.nginx_reload_command = {"true"};
    gantry::write_file_atomically(settings.nginx_upstream_file, text);
    NginxProvider provider(settings);
    (void)provider.plan(Color::Green, 10);  // the diff from whatever the file holds
    (void)provider.read();
}

// Every runtime API command gets the same answer: the text.
void read_haproxy_servers(const std::string& text) {
    ProviderSettings settings;
    settings.kind = "haproxy";
    settings.haproxy_socket = "/nonexistent/admin.sock";
    settings.haproxy_backend = "be_app";
    HaproxyProvider provider(settings, [&text](const std::string&) { return text; });
    try {
        (void)provider.read();
    } catch (const gantry::Error&) {
    }
    (void)provider.in_flight(Color::Blue);
}

// The text is the runtime map ("show map") and the map file on disk; "set map"/"add map" succeed.
void read_haproxy_map(const std::string& text) {
    ProviderSettings settings;
    settings.kind = "haproxy";
    settings.haproxy_socket = "/nonexistent/admin.sock";
    settings.haproxy_map = folder().file("bg.map");
    gantry::write_file_atomically(settings.haproxy_map, text);
    HaproxyProvider provider(settings, [&text](const std::string& command) {
        return command.rfind("show ", 0) == 0 ? text : std::string();
    });
    try {
        (void)provider.read();
        (void)provider.in_flight(Color::Green);
    } catch (const gantry::Error&) {
    }
    provider.apply(Color::Green, 100);  // rewrites the map file: its key line is found by parsing it
}

void read_kubeconfig_file(const std::string& text) {
    const std::string path = folder().file("kubeconfig");
    gantry::write_file_atomically(path, text);
    (void)read_kubeconfig(path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto reader = static_cast<Reader>(data[0] % static_cast<std::uint8_t>(Reader::Count));
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (reader) {
            case Reader::StateFile: read_state_file(text); break;
            case Reader::NginxUpstream: read_nginx_upstream(text); break;
            case Reader::HaproxyServers: read_haproxy_servers(text); break;
            case Reader::HaproxyMap: read_haproxy_map(text); break;
            case Reader::Kubeconfig: read_kubeconfig_file(text); break;
            case Reader::Count: break;
        }
    } catch (const gantry::Error&) {
    }
    return 0;
}
