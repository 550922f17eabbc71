#include "gantry/http/http1_client.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "deadline_heap.hpp"
#include "epoll_waiter.hpp"
#include "http1_answer.hpp"
#include "gantry/base/error.hpp"
#include "gantry/http/host_resolution.hpp"
#include "gantry/http/http1_request.hpp"

namespace gantry::http {

namespace {

using H1Clock = std::chrono::steady_clock;
constexpr std::uint32_t kNoSlot = 0xffffffffu;
// One buffer for every connection's reads: 64 KB takes a typical answer in one read.
constexpr std::size_t kReadBufferBytes = 64 * 1024;

std::int64_t h1_micros(H1Clock::duration d) {
    return std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

long long h1_millis(H1Clock::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

struct H1Prepared {
    HttpRequest request;
    std::string bytes;
    std::uint32_t host = 0;
    bool head = false;
};

struct H1Host {
    std::string name;
    std::string port;
    // Every address the name has, tried in turn when one refuses (localhost: ::1, then 127.0.0.1),
    // as libcurl does; `preferred` is the one that last accepted a connection.
    std::vector<std::pair<sockaddr_storage, socklen_t>> addresses;
    std::size_t preferred = 0;
    std::string resolve_error;  // non-empty: the name did not resolve
    std::vector<std::pair<std::uint32_t, std::uint32_t>> idle;    // (connection, generation); stale ones are skipped
    std::deque<std::pair<std::uint32_t, std::uint64_t>> waiting;  // (request slot, id); stale ones are skipped
    long open = 0;
};

enum class ConnectionState : std::uint8_t { Free, Connecting, Busy, Idle };

struct H1Connection {
    int fd = -1;
    std::uint32_t generation = 0;
    std::uint32_t host = 0;
    std::uint32_t request = kNoSlot;
    ConnectionState state = ConnectionState::Free;
    bool reused = false;     // it has carried an answer before: the server may have closed it since
    bool watch_out = false;  // EPOLLOUT is in its event mask
    std::size_t written = 0;
};

enum class RequestState : std::uint8_t { Free, Waiting, Connecting, Exchanging };

struct H1Request {
    std::uint64_t id = 0;
    std::uint32_t prepared = 0;
    std::uint32_t connection = kNoSlot;
    RequestState state = RequestState::Free;
    bool retried = false;
    std::uint32_t first_address = 0;   // the host's preferred address when this connection attempt began
    std::uint32_t addresses_tried = 0;  // after that one
    H1Clock::time_point started;
    H1Clock::time_point deadline;          // the overall one (request.timeout)
    H1Clock::time_point connect_deadline;  // while connecting
    Http1Answer answer;  // its response is what poll() returns
};

}  // namespace

struct Http1Client::Impl {
    Http1ClientOptions options;
    int epoll = -1;
    std::vector<H1Prepared> prepared;
    std::vector<H1Host> hosts;
    std::map<std::pair<std::string, std::string>, std::uint32_t> host_index;
    std::vector<H1Connection> connections;
    std::vector<std::uint32_t> free_connections;
    std::vector<H1Request> requests;
    std::vector<std::uint32_t> free_requests;
    std::size_t active = 0;
    std::uint64_t next_id = 1;
    DeadlineHeap deadlines;
    EpollWaiter waiter;
    std::vector<epoll_event> events = std::vector<epoll_event>(256);
    std::vector<char> buffer = std::vector<char>(kReadBufferBytes);
    std::vector<std::pair<Id, HttpResponse>> done;

    ~Impl() {
        for (const auto& connection : connections) {
            if (connection.fd >= 0) ::close(connection.fd);
        }
        if (epoll >= 0) ::close(epoll);
    }

    std::uint32_t resolve(const std::string& name, const std::string& port, std::chrono::milliseconds timeout) {
        const auto key = std::make_pair(name, port);
        if (const auto found = host_index.find(key); found != host_index.end()) return found->second;
        H1Host host;
        host.name = name;
        host.port = port;
        ResolvedHost resolved = resolve_host(name, port, timeout);
        host.addresses = std::move(resolved.addresses);
        host.resolve_error = std::move(resolved.error);
        hosts.push_back(std::move(host));
        const auto index = static_cast<std::uint32_t>(hosts.size() - 1);
        host_index.emplace(key, index);
        return index;
    }

    // ---- requests

    void schedule(std::uint32_t slot) {
        H1Request& request = requests[slot];
        const bool connecting = request.state == RequestState::Connecting;
        deadlines.set(slot, connecting ? std::min(request.connect_deadline, request.deadline) : request.deadline);
    }

    void finish(std::uint32_t slot, H1Clock::time_point now = H1Clock::now()) {
        H1Request& request = requests[slot];
        request.answer.response.timings.total_us = h1_micros(now - request.started);
        done.emplace_back(request.id, std::move(request.answer.response));
        deadlines.erase(slot);
        request.state = RequestState::Free;
        request.connection = kNoSlot;
        request.id = 0;
        free_requests.push_back(slot);
        --active;
    }

    void fail(std::uint32_t slot, TransportFailure failure, std::string message) {
        H1Request& request = requests[slot];
        request.answer.response.failure = failure;
        request.answer.response.transport_error = std::move(message);
        request.answer.response.status = 0;
        finish(slot);
    }

    // A request goes out on an idle connection of its host, on a new one, or waits for one.
    void dispatch(std::uint32_t slot) {
        H1Host& host = hosts[prepared[requests[slot].prepared].host];
        while (!host.idle.empty()) {
            const auto [index, generation] = host.idle.back();
            host.idle.pop_back();
            H1Connection& connection = connections[index];
            if (connection.generation != generation || connection.state != ConnectionState::Idle) continue;
            assign(index, slot);
            return;
        }
        if (below_limit(host)) {
            open_connection(slot);
            return;
        }
        requests[slot].state = RequestState::Waiting;
        host.waiting.emplace_back(slot, requests[slot].id);
        schedule(slot);
    }

    bool below_limit(const H1Host& host) const { return options.max_host_connections <= 0 || host.open < options.max_host_connections; }

    // The next request waiting for a connection to `host`, if any.
    std::optional<std::uint32_t> next_waiting(H1Host& host) {
        while (!host.waiting.empty()) {
            const auto [slot, id] = host.waiting.front();
            host.waiting.pop_front();
            if (requests[slot].id == id && requests[slot].state == RequestState::Waiting) return slot;
        }
        return std::nullopt;
    }

    // ---- connections

    std::uint32_t new_connection_slot() {
        if (!free_connections.empty()) {
            const std::uint32_t index = free_connections.back();
            free_connections.pop_back();
            return index;
        }
        connections.emplace_back();
        return static_cast<std::uint32_t>(connections.size() - 1);
    }

    bool watch(std::uint32_t index, bool out, int operation) {
        H1Connection& connection = connections[index];
        epoll_event event{};
        event.events = EPOLLIN | (out ? EPOLLOUT : 0u);
        event.data.u64 = (static_cast<std::uint64_t>(connection.generation) << 32) | index;
        connection.watch_out = out;
        return ::epoll_ctl(epoll, operation, connection.fd, &event) == 0;
    }

    void open_connection(std::uint32_t slot) {
        H1Request& request = requests[slot];
        const H1Prepared& what = prepared[request.prepared];
        H1Host& host = hosts[what.host];
        const H1Clock::time_point now = H1Clock::now();
        if (request.addresses_tried == 0) {
            // One connect timeout for the attempt, whichever of the host's addresses it tries.
            request.connect_deadline = now + std::min(what.request.connect_timeout, what.request.timeout);
            request.answer.response.new_connections += 1;
            request.first_address = static_cast<std::uint32_t>(host.preferred);
        }
        const std::size_t address_index = (request.first_address + request.addresses_tried) % host.addresses.size();
        const auto& [address, address_length] = host.addresses[address_index];
        const int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            fail(slot, TransportFailure::Other, std::string("Could not open a socket: ") + std::strerror(errno));
            return;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const int connected = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), address_length);
        if (connected != 0 && errno != EINPROGRESS) {
            const int error = errno;
            ::close(fd);
            connect_failed(slot, error);
            return;
        }
        const std::uint32_t index = new_connection_slot();
        H1Connection& connection = connections[index];
        connection.fd = fd;
        connection.host = what.host;
        connection.request = slot;
        connection.reused = false;
        connection.written = 0;
        ++host.open;
        request.connection = index;
        if (connected == 0) {
            host.preferred = address_index;
            request.addresses_tried = 0;
            connection.state = ConnectionState::Busy;
            request.state = RequestState::Exchanging;
            request.answer.response.timings.connect_us = h1_micros(H1Clock::now() - request.started);
            schedule(slot);
            watch(index, false, EPOLL_CTL_ADD);
            send_request(index);
            return;
        }
        connection.state = ConnectionState::Connecting;
        request.state = RequestState::Connecting;
        schedule(slot);
        watch(index, true, EPOLL_CTL_ADD);
    }

    // The connection attempt failed: the next address of the host, or the request fails.
    void connect_failed(std::uint32_t slot, int error) {
        H1Request& request = requests[slot];
        const H1Host& host = hosts[prepared[request.prepared].host];
        if (static_cast<std::size_t>(request.addresses_tried) + 1 < host.addresses.size() && H1Clock::now() < request.connect_deadline) {
            ++request.addresses_tried;
            open_connection(slot);
            return;
        }
        fail_connect(slot, error);
    }

    void fail_connect(std::uint32_t slot, int error) {
        const H1Request& request = requests[slot];
        const H1Host& host = hosts[prepared[request.prepared].host];
        const TransportFailure failure =
            error == ECONNREFUSED || error == ECONNRESET || error == EHOSTUNREACH || error == ENETUNREACH ? TransportFailure::Refused : TransportFailure::Other;
        fail(slot, failure, "Failed to connect to " + host.name + " port " + host.port + " after " +
                                std::to_string(h1_millis(H1Clock::now() - request.started)) + " ms: " + std::strerror(error));
    }

    enum class Handoff { ToWaiting, Keep };
    // Closes the connection; a request waiting for one to its host then gets a new one, unless the
    // request it carried takes its place (Keep: a retry, a next address).
    void close_connection(std::uint32_t index, Handoff handoff = Handoff::ToWaiting) {
        H1Connection& connection = connections[index];
        ::close(connection.fd);  // leaves the epoll set with it
        connection.fd = -1;
        connection.state = ConnectionState::Free;
        connection.request = kNoSlot;
        ++connection.generation;
        free_connections.push_back(index);
        H1Host& host = hosts[connection.host];
        --host.open;
        if (handoff == Handoff::ToWaiting) {
            if (const auto waiting = next_waiting(host)) open_connection(*waiting);
        }
    }

    // The connection is free again: the next waiting request takes it, or it waits idle.
    void release_connection(std::uint32_t index) {
        H1Connection& connection = connections[index];
        connection.reused = true;
        connection.request = kNoSlot;
        H1Host& host = hosts[connection.host];
        if (const auto waiting = next_waiting(host)) {
            assign(index, *waiting);
            return;
        }
        connection.state = ConnectionState::Idle;
        host.idle.emplace_back(index, connection.generation);
    }

    void assign(std::uint32_t index, std::uint32_t slot) {
        H1Connection& connection = connections[index];
        H1Request& request = requests[slot];
        connection.state = ConnectionState::Busy;
        connection.request = slot;
        connection.written = 0;
        request.connection = index;
        request.state = RequestState::Exchanging;
        schedule(slot);
        send_request(index);
    }

    void send_request(std::uint32_t index) {
        H1Connection& connection = connections[index];
        const std::uint32_t slot = connection.request;
        H1Request& request = requests[slot];
        const std::string& bytes = prepared[request.prepared].bytes;
        if (connection.written == 0) {
            const H1Prepared& what = prepared[request.prepared];
            request.answer.begin(what.head ? AnswerBody::None : AnswerBody::Expected, what.request.response_headers, what.request.body_limit);
        }
        while (connection.written < bytes.size()) {
            const ssize_t sent = ::send(connection.fd, bytes.data() + connection.written, bytes.size() - connection.written, MSG_NOSIGNAL);
            if (sent > 0) {
                connection.written += static_cast<std::size_t>(sent);
                continue;
            }
            if (sent < 0 && errno == EINTR) continue;
            if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (!connection.watch_out) watch(index, true, EPOLL_CTL_MOD);
                return;
            }
            connection_lost(index, errno);
            return;
        }
        if (connection.watch_out) watch(index, false, EPOLL_CTL_MOD);
    }

    // The connection failed or was closed by the server while a request was on it (or idle).
    void connection_lost(std::uint32_t index, int error) {
        H1Connection& connection = connections[index];
        const std::uint32_t slot = connection.request;
        const bool reused = connection.reused;
        const bool retry = slot != kNoSlot && requests[slot].answer.bytes_received() == 0 && reused && !requests[slot].retried;
        close_connection(index, retry ? Handoff::Keep : Handoff::ToWaiting);
        if (slot == kNoSlot) return;
        H1Request& request = requests[slot];
        request.connection = kNoSlot;
        if (retry) {
            // A kept-alive connection the server had closed (libcurl: "Connection died, retrying a
            // fresh connect"): once more, on a new connection.
            request.retried = true;
            if (prepared[request.prepared].request.dead_connection_retries == DeadConnectionRetries::Count) {
                request.answer.response.dead_connection_retries += 1;
            }
            open_connection(slot);
            return;
        }
        if (request.answer.bytes_received() == 0) {
            fail(slot, TransportFailure::Refused, error == 0 ? "Empty reply from server" : std::string("Recv failure: ") + std::strerror(error));
        } else {
            fail(slot, error == 0 ? TransportFailure::Other : TransportFailure::Refused,
                 error == 0 ? "transfer closed with outstanding read data remaining" : std::string("Recv failure: ") + std::strerror(error));
        }
    }

    void connected(std::uint32_t index) {
        H1Connection& connection = connections[index];
        const std::uint32_t slot = connection.request;
        int error = 0;
        socklen_t length = sizeof error;
        if (::getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
        if (error != 0) {
            const std::uint32_t host = connection.host;
            const std::uint64_t id = requests[slot].id;
            close_connection(index, Handoff::Keep);
            requests[slot].connection = kNoSlot;
            connect_failed(slot, error);
            const bool gave_up = requests[slot].id != id || requests[slot].connection == kNoSlot;
            if (gave_up && below_limit(hosts[host])) {
                // The request failed for good: its place goes to a request waiting for one.
                if (const auto waiting = next_waiting(hosts[host])) open_connection(*waiting);
            }
            return;
        }
        H1Request& request = requests[slot];
        H1Host& host = hosts[connection.host];
        host.preferred = (request.first_address + request.addresses_tried) % host.addresses.size();
        request.addresses_tried = 0;
        connection.state = ConnectionState::Busy;
        request.state = RequestState::Exchanging;
        request.answer.response.timings.connect_us = h1_micros(H1Clock::now() - request.started);
        schedule(slot);
        send_request(index);
    }

    void readable(std::uint32_t index) {
        while (true) {
            H1Connection& connection = connections[index];
            const ssize_t got = ::recv(connection.fd, buffer.data(), buffer.size(), 0);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
            if (connection.request == kNoSlot) {
                close_connection(index);  // an idle connection closed by the server, or talking out of turn
                return;
            }
            const std::uint32_t slot = connection.request;
            H1Request& request = requests[slot];
            if (got < 0) {
                connection_lost(index, errno);
                return;
            }
            if (got == 0 && request.answer.bytes_received() == 0) {
                connection_lost(index, 0);
                return;
            }
            // One clock reading for the first byte and the end when the whole answer came in one read.
            const H1Clock::time_point now = H1Clock::now();
            if (request.answer.bytes_received() == 0) request.answer.response.timings.first_byte_us = h1_micros(now - request.started);
            // got == 0: the server closed the connection, which ends an answer read until close.
            const Http1Answer::Progress progress = request.answer.feed(buffer.data(), static_cast<std::size_t>(got));
            if (progress == Http1Answer::Progress::Complete) {
                const bool reusable = got > 0 && request.answer.reusable();
                connection.request = kNoSlot;
                request.connection = kNoSlot;
                finish(slot, now);
                if (reusable) {
                    release_connection(index);
                } else {
                    close_connection(index);
                }
                return;
            }
            if (progress == Http1Answer::Progress::Malformed) {
                std::string message = request.answer.error();
                close_connection(index);
                request.connection = kNoSlot;
                fail(slot, TransportFailure::Other, std::move(message));
                return;
            }
            if (got == 0) {
                connection_lost(index, 0);  // cut short
                return;
            }
            if (static_cast<std::size_t>(got) < buffer.size()) return;  // drained; level-triggered epoll says when more comes
        }
    }

    void expire(H1Clock::time_point now) {
        while (const auto earliest = deadlines.earliest()) {
            if (earliest->second > now) return;
            const std::uint32_t slot = earliest->first;
            H1Request& request = requests[slot];
            const bool connecting = request.state == RequestState::Connecting && request.connect_deadline <= now;
            const long long elapsed = h1_millis(now - request.started);
            std::string message = connecting ? "Connection timed out after " + std::to_string(elapsed) + " milliseconds"
                                             : "Operation timed out after " + std::to_string(elapsed) + " milliseconds with " +
                                                   std::to_string(request.answer.bytes_received()) + " bytes received";
            if (request.connection != kNoSlot) {
                const std::uint32_t index = request.connection;
                connections[index].request = kNoSlot;
                request.connection = kNoSlot;
                close_connection(index);
            }
            fail(slot, TransportFailure::Timeout, std::move(message));
        }
    }

    void wait_and_run(std::chrono::microseconds wait) {
        if (const auto earliest = deadlines.earliest()) {
            wait = std::min(wait, std::chrono::ceil<std::chrono::microseconds>(earliest->second - H1Clock::now()));  // past: 0
        }
        const int ready = waiter.wait(epoll, events.data(), static_cast<int>(events.size()), wait);
        for (int i = 0; i < ready; ++i) {
            const epoll_event& event = events[static_cast<std::size_t>(i)];
            const auto index = static_cast<std::uint32_t>(event.data.u64 & 0xffffffffu);
            const auto generation = static_cast<std::uint32_t>(event.data.u64 >> 32);
            if (index >= connections.size() || connections[index].generation != generation || connections[index].fd < 0) continue;
            if (connections[index].state == ConnectionState::Connecting) {
                if (event.events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) connected(index);
                continue;
            }
            if ((event.events & EPOLLOUT) && connections[index].state == ConnectionState::Busy) {
                send_request(index);
                if (connections[index].generation != generation || connections[index].fd < 0) continue;
            }
            if (event.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) readable(index);
        }
        if (ready == static_cast<int>(events.size())) events.resize(events.size() * 2);
        expire(H1Clock::now());
    }
};

Http1Client::Http1Client(Http1ClientOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = options;
    impl_->epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (impl_->epoll < 0) throw EnvironmentError("cannot create an epoll set for the HTTP/1.1 client's sockets");
}

Http1Client::~Http1Client() = default;

Http1Client::PreparedRequest Http1Client::prepare(HttpRequest request) {
    Http1Request built = build_http1_request(request);
    H1Prepared entry;
    entry.host = impl_->resolve(built.host, built.port, std::min(request.connect_timeout, request.timeout));
    entry.bytes = std::move(built.bytes);
    entry.head = built.head;
    entry.request = std::move(request);
    impl_->prepared.push_back(std::move(entry));
    return PreparedRequest{impl_->prepared.size() - 1};
}

Http1Client::Id Http1Client::start(PreparedRequest prepared) {
    Impl& impl = *impl_;
    const H1Prepared& what = impl.prepared.at(prepared.index);
    std::uint32_t slot = 0;
    if (!impl.free_requests.empty()) {
        slot = impl.free_requests.back();
        impl.free_requests.pop_back();
    } else {
        impl.requests.emplace_back();
        slot = static_cast<std::uint32_t>(impl.requests.size() - 1);
    }
    H1Request& request = impl.requests[slot];
    request = H1Request{};
    request.id = impl.next_id++;
    request.prepared = static_cast<std::uint32_t>(prepared.index);
    request.started = H1Clock::now();
    request.deadline = request.started + what.request.timeout;
    request.connect_deadline = request.deadline;
    request.state = RequestState::Waiting;
    request.answer.response.effective_url = what.request.url;
    ++impl.active;
    const Id id = request.id;
    const H1Host& host = impl.hosts[what.host];
    if (!host.resolve_error.empty()) {
        impl.fail(slot, TransportFailure::Dns, host.resolve_error);
        return id;
    }
    impl.dispatch(slot);
    return id;
}

std::size_t Http1Client::in_flight() const { return impl_->active; }

std::vector<std::pair<Http1Client::Id, HttpResponse>> Http1Client::poll(std::chrono::microseconds wait) {
    impl_->expire(H1Clock::now());
    if (impl_->done.empty()) impl_->wait_and_run(wait);
    std::vector<std::pair<Id, HttpResponse>> finished;
    finished.swap(impl_->done);
    // The next poll's answers go into room made once, not into a vector grown answer by answer; a
    // burst of thousands is not kept reserved (a response record is a few hundred bytes).
    impl_->done.reserve(std::min<std::size_t>(finished.capacity(), 1024));
    return finished;
}

}  // namespace gantry::http
