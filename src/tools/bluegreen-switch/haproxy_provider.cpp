#include "bluegreen-switch/haproxy_provider.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <sstream>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"

namespace bluegreen_switch {

namespace {

// srv_admin_state bits that stop new traffic: forced/inherited/resolution maintenance and forced/
// inherited drain. 0x04 (maintenance from the configuration's `disabled`) stays set after "state
// ready" and does not count.
constexpr long kNotReadyMask = 0x01 | 0x02 | 0x20 | 0x08 | 0x10;
constexpr long kDrainMask = 0x08 | 0x10;
constexpr long kMaintenanceMask = 0x01 | 0x02 | 0x20;

std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream stream(line);
    for (std::string word; stream >> word;) out.push_back(word);
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream stream(line);
    while (std::getline(stream, field, ',')) out.push_back(field);
    return out;
}

long to_number(const std::string& text, const std::string& what) {
    long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!text.empty() && error == std::errc() && end == text.data() + text.size()) return value;
    throw gantry::EnvironmentError(fmt::format("HAProxy answered '{}' for {}, expected a number", text, what));
}

// srv_op_state: 0 stopped (down in HAProxy's checks, or in maintenance), 1 starting (slowstart),
// 2 running, 3 stopping.
constexpr long kOperationalStarting = 1;
constexpr long kOperationalRunning = 2;

struct ServerState {
    bool ready = false;
    bool draining = false;
    bool maintenance = false;
    long weight = 0;
    std::optional<long> operational;  // srv_op_state, when HAProxy reports it
    bool up() const { return !operational || *operational == kOperationalStarting || *operational == kOperationalRunning; }
    bool serves() const { return ready && weight > 0; }
    std::string describe() const {
        return fmt::format("{} weight {}", ready ? "ready" : (draining ? "drain" : "maint"), weight);
    }
};

// "show servers state BACKEND": a version line, "# be_id be_name srv_id srv_name ..." naming the
// columns (read by name: HAProxy versions add columns), then one line per server.
std::map<std::string, ServerState> parse_servers_state(const std::string& answer, const std::string& backend) {
    std::vector<std::string> columns;
    std::map<std::string, ServerState> servers;
    for (const std::string& line : lines_of(answer)) {
        if (line.rfind("# ", 0) == 0) {
            columns = words(line.substr(2));
            continue;
        }
        std::vector<std::string> fields = words(line);
        if (columns.empty() || fields.size() < columns.size() || fields.empty()) continue;
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < columns.size(); ++i) row[columns[i]] = fields[i];
        for (const char* needed : {"be_name", "srv_name", "srv_admin_state", "srv_uweight"}) {
            if (!row.count(needed)) {
                throw gantry::EnvironmentError(fmt::format(
                    "HAProxy's 'show servers state' has no column {} (columns: {})", needed, fmt::join(columns, " ")));
            }
        }
        if (row["be_name"] != backend) continue;
        long admin = to_number(row["srv_admin_state"], "srv_admin_state");
        ServerState state;
        state.ready = (admin & kNotReadyMask) == 0;
        state.draining = (admin & kDrainMask) != 0;
        state.maintenance = (admin & kMaintenanceMask) != 0;
        if (row.count("srv_op_state")) state.operational = to_number(row["srv_op_state"], "srv_op_state");
        state.weight = to_number(row["srv_uweight"], "srv_uweight");
        servers[row["srv_name"]] = state;
    }
    return servers;
}

// The row (pxname, svname) of "show stat", by column name; empty when there is none.
std::map<std::string, std::string> stat_row(const std::string& answer, const std::string& proxy, const std::string& server) {
    std::vector<std::string> header;
    for (const std::string& line : lines_of(answer)) {
        if (line.rfind("# ", 0) == 0) {
            header = split_csv(line.substr(2));
            continue;
        }
        if (header.empty()) continue;
        std::vector<std::string> fields = split_csv(line);
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
        if (row["pxname"] == proxy && row["svname"] == server) return row;
    }
    return {};
}

// scur of the row (pxname, svname) of "show stat", if there is one.
std::optional<long> current_sessions(const std::string& answer, const std::string& proxy, const std::string& server) {
    auto row = stat_row(answer, proxy, server);
    if (row.empty() || row["scur"].empty()) return std::nullopt;
    return to_number(row["scur"], "scur");
}

// "DOWN (last check L7STS: HTTP status check returned code <500>)" from a "show stat" row.
std::string check_summary(std::map<std::string, std::string> row) {
    if (row.empty()) return "not in 'show stat'";
    std::string text = row["status"].empty() ? std::string("status unknown") : row["status"];
    if (!row["check_status"].empty()) {
        text += " (last check " + row["check_status"];
        if (!row["check_desc"].empty()) text += ": " + row["check_desc"];
        if (!row["last_chk"].empty()) text += ", " + row["last_chk"];
        text += ")";
    }
    return text;
}

constexpr std::chrono::milliseconds kUpPollInterval{200};

bool is_comment_or_blank(const std::string& line) {
    auto first = line.find_first_not_of(" \t");
    return first == std::string::npos || line[first] == '#';
}

}  // namespace

HaproxyProvider::HaproxyProvider(const ProviderSettings& settings) : HaproxyProvider(settings, RuntimeCommandSender{}) {}

HaproxyProvider::HaproxyProvider(const ProviderSettings& settings, RuntimeCommandSender send)
    : address_(settings.haproxy_socket),
      send_(std::move(send)),
      map_file_(settings.haproxy_map),
      map_key_(settings.haproxy_map_key.empty() ? "active" : settings.haproxy_map_key),
      backend_(settings.haproxy_backend),
      state_file_(settings.haproxy_state_file),
      timeout_(settings.timeout) {
    if (address_.empty()) throw gantry::UsageError("the haproxy provider needs --haproxy-socket (a unix socket path or host:port)");
    if (!map_file_.empty() && !backend_.empty()) {
        throw gantry::UsageError("the haproxy provider takes either --haproxy-map (map mode) or --haproxy-backend (server mode), not both");
    }
    if (map_file_.empty() && backend_.empty()) {
        throw gantry::UsageError("the haproxy provider needs --haproxy-map (map mode) or --haproxy-backend (server mode)");
    }
    mode_ = map_file_.empty() ? Mode::Server : Mode::Map;
    blue_ = !settings.blue.empty() ? settings.blue : (mode_ == Mode::Map ? "be_blue" : "blue");
    green_ = !settings.green.empty() ? settings.green : (mode_ == Mode::Map ? "be_green" : "green");
    if (blue_ == green_) throw gantry::UsageError(fmt::format("--blue and --green both name '{}'", blue_));
    if (!send_) {
        HaproxyRuntimeApi api(address_, settings.timeout);
        send_ = [api](const std::string& command) { return api.send(command); };
    }
}

WeightSupport HaproxyProvider::weights() const {
    return mode_ == Mode::Server ? WeightSupport::Weighted : WeightSupport::AllOrNothing;
}

std::string HaproxyProvider::run(const std::string& command) const {
    std::string answer = send_(command);
    check_runtime_answer(address_, command, answer);
    return answer;
}

// The value of the map key as HAProxy holds it now; nullopt when the key is absent.
std::optional<std::string> HaproxyProvider::runtime_map_value() const {
    // Each line: "<entry address> <key> <value>".
    for (const std::string& line : lines_of(run("show map " + map_file_))) {
        std::vector<std::string> fields = words(line);
        if (fields.size() >= 3 && fields[1] == map_key_) return fields[2];
    }
    return std::nullopt;
}

ProviderReading HaproxyProvider::read() {
    ProviderReading reading;
    if (mode_ == Mode::Map) {
        std::optional<std::string> value = runtime_map_value();
        if (!value) {
            reading.detail = fmt::format("map {}: no key {}", map_file_, map_key_);
            return reading;
        }
        reading.detail = fmt::format("map {}: {} {}", map_file_, map_key_, *value);
        if (*value == blue_) reading.live = Color::Blue;
        if (*value == green_) reading.live = Color::Green;
        if (!reading.live) reading.detail += fmt::format(" (neither blue {} nor green {})", blue_, green_);
        reading.green_percent = reading.live == Color::Green ? 100 : 0;
        return reading;
    }
    auto servers = parse_servers_state(run("show servers state " + backend_), backend_);
    for (Color color : {Color::Blue, Color::Green}) {
        if (!servers.count(named(color))) {
            std::vector<std::string> names;
            for (const auto& [server, state] : servers) names.push_back(server);
            throw gantry::InputError(fmt::format("HAProxy backend {} has no server {} for {} (servers: {})", backend_,
                                                 named(color), to_string(color),
                                                 names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
        }
    }
    const ServerState& blue = servers[blue_];
    const ServerState& green = servers[green_];
    reading.detail = fmt::format("backend {}: {} {}, {} {}", backend_, blue_, blue.describe(), green_, green.describe());
    if (blue.serves() && green.serves()) {
        reading.green_percent = static_cast<int>(std::lround(100.0 * static_cast<double>(green.weight) /
                                                             (static_cast<double>(blue.weight) + static_cast<double>(green.weight))));
    } else if (blue.serves()) {
        reading.live = Color::Blue;
        reading.green_percent = 0;
    } else if (green.serves()) {
        reading.live = Color::Green;
        reading.green_percent = 100;
    }
    return reading;
}

std::vector<HaproxyProvider::Step> HaproxyProvider::steps(Color target, int percent) const {
    if (percent < 0 || percent > 100) throw gantry::UsageError(fmt::format("a traffic share must be 0..100 percent, not {}", percent));
    if (percent == 0) return steps(other(target), 100);
    std::vector<Step> out;
    auto command = [&out](std::string text) { out.push_back({StepKind::Command, text, text}); };
    if (mode_ == Mode::Map) {
        if (percent != 100) {
            throw gantry::UsageError("HAProxy map mode moves all traffic at once: use --haproxy-backend (server mode) for weighted steps");
        }
        out.push_back({StepKind::WaitUntilUp,
                       fmt::format("wait until HAProxy's checks report backend {} UP (show stat, at most {} ms)", named(target),
                                   timeout_.count()),
                       ""});
        std::optional<std::string> current = runtime_map_value();
        std::string old_value;
        rewritten_map_file(named(target), old_value);
        out.push_back({StepKind::RewriteMap,
                       old_value.empty() ? fmt::format("rewrite {}: add key {} {}", map_file_, map_key_, named(target))
                                         : fmt::format("rewrite {}: key {} {} -> {}", map_file_, map_key_, old_value, named(target)),
                       ""});
        command(fmt::format("{} map {} {} {}", current ? "set" : "add", map_file_, map_key_, named(target)));
        return out;
    }
    const std::string& to = named(target);
    const std::string& from = named(other(target));
    out.push_back({StepKind::WaitUntilUp,
                   fmt::format("wait until HAProxy's checks report {}/{} UP (show servers state, at most {} ms; from "
                               "maintenance it goes to drain first, where its checks run without traffic)",
                               backend_, to, timeout_.count()),
                   ""});
    if (percent == 100) {
        command(fmt::format("set server {}/{} state ready", backend_, to));
        command(fmt::format("set weight {}/{} 100", backend_, to));
        command(fmt::format("set server {}/{} state drain", backend_, from));
    } else {
        // Weights first, so that the server about to leave drain takes only its share from the start.
        command(fmt::format("set weight {}/{} {}", backend_, to, percent));
        command(fmt::format("set weight {}/{} {}", backend_, from, 100 - percent));
        command(fmt::format("set server {}/{} state ready", backend_, to));
        command(fmt::format("set server {}/{} state ready", backend_, from));
    }
    if (!state_file_.empty()) {
        out.push_back({StepKind::SaveServerState,
                       fmt::format("save 'show servers state' to {} (server-state-file, read by load-server-state-from-file on reload)",
                                   state_file_),
                       ""});
    }
    return out;
}

// The map file with the key's line set to `value` (other lines kept as they are); `old_value` gets the
// value it had there ("" when the key was absent and is appended).
std::string HaproxyProvider::rewritten_map_file(const std::string& value, std::string& old_value) const {
    std::string content = gantry::read_file(map_file_);
    std::vector<std::string> lines = lines_of(content);
    bool found = false;
    for (std::string& line : lines) {
        if (is_comment_or_blank(line)) continue;
        std::vector<std::string> fields = words(line);
        if (fields.empty() || fields[0] != map_key_ || found) continue;
        found = true;
        old_value = fields.size() > 1 ? fields[1] : "";
        line = map_key_ + " " + value;
    }
    if (!found) lines.push_back(map_key_ + " " + value);
    std::string out;
    for (const std::string& line : lines) out += line + "\n";
    return out;
}

std::vector<std::string> HaproxyProvider::plan(Color target, int percent) {
    std::vector<std::string> out;
    for (const Step& step : steps(target, percent)) out.push_back(step.line);
    return out;
}

void HaproxyProvider::run_change(const std::string& command) const {
    std::string answer = run(command);
    // "set"/"add" commands answer nothing when they succeed; anything else is HAProxy saying no.
    if (!answer.empty()) throw gantry::InputError(fmt::format("HAProxy rejected '{}': {}", command, answer));
}

void HaproxyProvider::apply(Color target, int percent) {
    const Color serving = percent == 0 ? other(target) : target;
    std::optional<std::string> map_before;  // the map file as it was, while a rewrite may need undoing
    bool gave_traffic = false;
    for (const Step& step : steps(target, percent)) {
        switch (step.kind) {
            case StepKind::WaitUntilUp:
                wait_until_up(serving);
                break;
            case StepKind::RewriteMap: {
                map_before = gantry::read_file(map_file_);
                std::string old_value;
                gantry::write_file_atomically(map_file_, rewritten_map_file(named(serving), old_value));
                reached(Boundary::AfterProviderWrite);
                break;
            }
            case StepKind::Command:
                try {
                    run_change(step.command);
                } catch (...) {
                    if (map_before) gantry::write_file_atomically(map_file_, *map_before);
                    throw;
                }
                if (mode_ == Mode::Server && !gave_traffic) {
                    gave_traffic = true;
                    reached(Boundary::AfterProviderWrite);
                }
                break;
            case StepKind::SaveServerState: {
                std::string state = run("show servers state");
                while (!state.empty() && state.back() == '\n') state.pop_back();
                gantry::write_file_atomically(state_file_, state + "\n");
                break;
            }
        }
    }
}

void HaproxyProvider::wait_until_up(Color target) const {
    if (mode_ == Mode::Map) {
        wait_until_backend_up(named(target));
    } else {
        wait_until_server_up(named(target));
    }
}

void HaproxyProvider::wait_until_server_up(const std::string& server) const {
    const auto state_of = [&] {
        auto servers = parse_servers_state(run("show servers state " + backend_), backend_);
        auto found = servers.find(server);
        if (found == servers.end()) {
            throw gantry::InputError(fmt::format("HAProxy backend {} has no server {}", backend_, server));
        }
        return found->second;
    };
    ServerState state = state_of();
    if (state.up() && !state.maintenance) return;
    const bool was_in_maintenance = state.maintenance;
    if (was_in_maintenance) run_change(fmt::format("set server {}/{} state drain", backend_, server));
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    while (true) {
        state = state_of();
        if (state.up()) return;
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(kUpPollInterval);
    }
    const std::string checks = check_summary(stat_row(run("show stat"), backend_, server));
    if (was_in_maintenance) run_change(fmt::format("set server {}/{} state maint", backend_, server));
    throw gantry::Error(gantry::ExitCode::Failed,
                        fmt::format("HAProxy's own health checks keep {}/{} down: {}; waited {} ms for UP, so no traffic "
                                    "was moved{}",
                                    backend_, server, checks, timeout_.count(),
                                    was_in_maintenance ? " and the server is back in maintenance" : ""));
}

void HaproxyProvider::wait_until_backend_up(const std::string& backend) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    std::map<std::string, std::string> row;
    while (true) {
        row = stat_row(run("show stat"), backend, "BACKEND");
        if (row.empty()) {
            throw gantry::InputError(fmt::format("HAProxy has no backend {} ('show stat' does not list it)", backend));
        }
        if (row["status"].rfind("UP", 0) == 0) return;
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(kUpPollInterval);
    }
    throw gantry::Error(gantry::ExitCode::Failed,
                        fmt::format("HAProxy's own health checks keep backend {} {}; waited {} ms for UP, so no traffic was moved",
                                    backend, row["status"].empty() ? "down" : row["status"], timeout_.count()));
}

std::optional<long> HaproxyProvider::in_flight(Color color) {
    std::string answer = run("show stat");
    if (mode_ == Mode::Map) return current_sessions(answer, named(color), "BACKEND");
    return current_sessions(answer, backend_, named(color));
}

}  // namespace bluegreen_switch
