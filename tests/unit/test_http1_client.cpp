// The plain HTTP/1.1 load client (gantry/http/http1_client.hpp) against real nginx on loopback, a
// listening socket that never answers, a port nobody listens on and a server that closes every
// kept-alive connection after one answer; the load runner over it and over libcurl on one plan.
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "gantry/base/atomic_file.hpp"
#include "gantry/checks/check_assertions.hpp"
#include "gantry/version.hpp"
#include "gantry/http/host_resolution.hpp"
#include "gantry/http/http1_client.hpp"
#include "gantry/http/http1_request.hpp"
#include "loopback_servers.hpp"
#include "scratch_dir.hpp"
#include "smoke-test/load_runner.hpp"
#include "../../src/core/http/deadline_heap.hpp"
#include "../../src/core/http/epoll_waiter.hpp"

using namespace std::chrono_literals;
using gantry::http::Http1Client;
using gantry::http::HttpRequest;
using gantry::http::HttpResponse;
using gantry::http::TransportFailure;
using gantry::testing::eventually;
using gantry::testing::free_port;
using gantry::testing::installed;
using gantry::testing::ScratchDir;

namespace {

// nginx in the foreground of its own process: one server with the answers the tests ask for, and one
// that closes a kept-alive connection after its second answer (keepalive_requests 2).
struct H1Nginx {
    ScratchDir dir{"gantry-h1"};
    int port = free_port();
    int short_port = free_port();
    std::unique_ptr<gantry::testing::BackgroundProcess> process;

    H1Nginx() {
        const std::string d = dir.path().string();
        std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                                                     std::filesystem::perms::others_exec);
        std::filesystem::create_directories(dir.path() / "www");
        std::filesystem::permissions(dir.path() / "www", std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                                                             std::filesystem::perms::others_exec);
        gantry::write_file_atomically(dir.path() / "www" / "big.txt", std::string(100000, 'x'));
        std::filesystem::permissions(dir.path() / "www" / "big.txt", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                                                        std::filesystem::perms::group_read | std::filesystem::perms::others_read);
        gantry::write_file_atomically(dir.path() / "nginx.conf", fmt::format(R"(worker_processes 1;
pid {0}/nginx.pid;
error_log {0}/error.log;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {0}/body; proxy_temp_path {0}/proxy; fastcgi_temp_path {0}/fastcgi;
  uwsgi_temp_path {0}/uwsgi; scgi_temp_path {0}/scgi;
  server {{
    listen 127.0.0.1:{1};
    root {0}/www;
    location = / {{ add_header X-Test "yes please"; return 200 "hello\n"; }}
    location = /json {{ default_type application/json; return 200 '{{"status":"ok","count":3}}'; }}
    location = /method {{ return 200 "$request_method $content_length $http_x_extra\n"; }}
    location = /chunked {{ sub_filter_types *; sub_filter_once off; sub_filter hello bye; return 200 "hello hello\n"; }}
    location = /empty {{ return 204; }}
    location = /big.txt {{ }}
  }}
  server {{ listen 127.0.0.1:{2}; keepalive_requests 2; location / {{ return 200 "short-lived\n"; }} }}
}}
)",
                                                                                 d, port, short_port));
        process = std::make_unique<gantry::testing::BackgroundProcess>(
            std::vector<std::string>{"nginx", "-p", d, "-c", d + "/nginx.conf", "-e", d + "/error.log", "-g", "daemon off;"},
            d + "/stdout.log");
    }
    bool ready() const {
        return process->running() && eventually([&] { return gantry::testing::http_get(url("/")).status == 200; }) &&
               eventually([&] { return gantry::testing::http_get(short_url("/")).status == 200; });
    }
    std::string url(const std::string& path) const { return fmt::format("http://127.0.0.1:{}{}", port, path); }
    std::string short_url(const std::string& path) const { return fmt::format("http://127.0.0.1:{}{}", short_port, path); }
};

HttpRequest h1_request(const std::string& url, std::string method = "GET") {
    HttpRequest request;
    request.url = url;
    request.method = std::move(method);
    request.timeout = 10s;
    return request;
}

// Runs the requests on one client (in this order, all at once) and returns their answers in order.
std::vector<HttpResponse> h1_run(const std::vector<HttpRequest>& requests, long connections = 6) {
    Http1Client client(gantry::http::Http1ClientOptions{connections});
    std::vector<Http1Client::Id> ids;
    for (const auto& request : requests) ids.push_back(client.start(client.prepare(request)));
    std::vector<HttpResponse> answers(requests.size());
    std::size_t answered = 0;
    for (int round = 0; round < 400 && answered < requests.size(); ++round) {
        for (auto& [id, response] : client.poll(100ms)) {
            const auto at = static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
            REQUIRE(at < answers.size());
            answers[at] = std::move(response);
            ++answered;
        }
    }
    REQUIRE(answered == requests.size());
    CHECK(client.in_flight() == 0);
    return answers;
}

gantry::Environment h1_env(const std::map<std::string, std::string>& variables) { return gantry::Environment(variables); }

HttpResponse h1_one(const HttpRequest& request) { return h1_run({request}).front(); }


// A server on loopback that answers each of `answers.size()` connections, in turn, by reading one
// request head and sending that answer's pieces (one send each), then closing.
class ScriptedServer {
public:
    explicit ScriptedServer(std::vector<std::vector<std::string>> answers) {
        const auto listening = gantry::testing::listen_on_loopback();
        listener_ = listening.fd;
        port_ = listening.port;
        thread_ = std::thread([this, answers = std::move(answers)] {
            for (const auto& pieces : answers) {
                const int connection = ::accept(listener_, nullptr, nullptr);
                if (connection < 0) return;
                std::string received;
                char chunk[1024];
                while (received.find("\r\n\r\n") == std::string::npos) {
                    const ssize_t got = ::recv(connection, chunk, sizeof chunk, 0);
                    if (got <= 0) break;
                    received.append(chunk, static_cast<std::size_t>(got));
                }
                for (const auto& piece : pieces) {
                    (void)!::send(connection, piece.data(), piece.size(), MSG_NOSIGNAL);
                    std::this_thread::yield();
                }
                ::close(connection);
            }
        });
    }
    ~ScriptedServer() {
        thread_.join();
        ::close(listener_);
    }
    std::string url() const { return fmt::format("http://127.0.0.1:{}/", port_); }

private:
    int listener_ = -1;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace

TEST_SUITE("http1 client") {

TEST_CASE("http1 request: written once as libcurl writes it") {
    HttpRequest get = h1_request("http://example.test:8080/a/b?x=1#frag");
    get.headers = {{"X-Extra", "one"}, {"Accept", "application/json"}};
    const auto built = gantry::http::build_http1_request(get);
    CHECK(built.host == "example.test");
    CHECK(built.port == "8080");
    CHECK_FALSE(built.head);
    CHECK(built.bytes == fmt::format("GET /a/b?x=1 HTTP/1.1\r\nHost: example.test:8080\r\nUser-Agent: gantry-smoke-test/{}\r\n"
                                     "X-Extra: one\r\nAccept: application/json\r\n\r\n",
                                     gantry::build_info::kVersion));
    HttpRequest post = h1_request("http://[::1]/submit", "POST");
    post.body = "a=1";
    const auto posted = gantry::http::build_http1_request(post);
    CHECK(posted.host == "::1");
    CHECK(posted.port == "80");
    CHECK(posted.bytes.starts_with("POST /submit HTTP/1.1\r\nHost: [::1]\r\n"));
    CHECK(posted.bytes.ends_with("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=1"));
    CHECK(gantry::http::build_http1_request(h1_request("http://h", "HEAD")).head);
}

TEST_CASE("http1 request: what only libcurl does keeps a request on libcurl") {
    const gantry::Environment none;
    CHECK_FALSE(gantry::http::http1_obstacle(h1_request("http://127.0.0.1:1/"), none));
    CHECK(gantry::http::http1_obstacle(h1_request("https://127.0.0.1/"), none).value_or("").find("TLS") != std::string::npos);
    HttpRequest follow = h1_request("http://h/");
    follow.redirects = gantry::http::Redirects::Follow;
    CHECK(gantry::http::http1_obstacle(follow, none));
    HttpRequest tcp = h1_request("h:80");
    tcp.protocol = gantry::http::Protocol::Tcp;
    CHECK(gantry::http::http1_obstacle(tcp, none));
    CHECK(gantry::http::http1_obstacle(h1_request("http://user:secret@h/"), none));
    HttpRequest encoded = h1_request("http://h/");
    encoded.headers = {{"accept-encoding", "gzip"}};
    CHECK(gantry::http::http1_obstacle(encoded, none));

    const gantry::Environment proxied = h1_env({{"http_proxy", "http://proxy:3128"}});
    CHECK(gantry::http::http1_obstacle(h1_request("http://api.example.com/"), proxied).value_or("").find("proxy") != std::string::npos);
    const gantry::Environment upper_only = h1_env({{"HTTP_PROXY", "http://proxy:3128"}});  // libcurl ignores it for http://
    CHECK_FALSE(gantry::http::http1_obstacle(h1_request("http://api.example.com/"), upper_only));
    const gantry::Environment excluded = h1_env({{"ALL_PROXY", "http://proxy:3128"}, {"no_proxy", "localhost, .example.com"}});
    CHECK_FALSE(gantry::http::http1_obstacle(h1_request("http://api.example.com/"), excluded));
    CHECK_FALSE(gantry::http::http1_obstacle(h1_request("http://localhost:8080/"), excluded));
    CHECK(gantry::http::http1_obstacle(h1_request("http://example.org/"), excluded));
    const gantry::Environment ranges = h1_env({{"http_proxy", "http://proxy:3128"}, {"no_proxy", "10.0.0.0/8"}});
    CHECK(gantry::http::http1_obstacle(h1_request("http://10.1.2.3/"), ranges));
    CHECK_FALSE(gantry::http::http1_obstacle(h1_request("http://h/"), h1_env({{"http_proxy", "http://p"}, {"NO_PROXY", "*"}})));
}

TEST_CASE("http1 client: the load runner's transport is http1 only when every check fits it") {
    gantry::checks::Check plain;
    plain.name = "plain";
    plain.request = h1_request("http://127.0.0.1:8080/");
    gantry::checks::Check tls = plain;
    tls.name = "tls";
    tls.request.url = "https://127.0.0.1/";
    const gantry::Environment none;
    CHECK(smoke_test::load::choose_transport({plain}, none).transport == smoke_test::load::Transport::Http1);
    const auto mixed = smoke_test::load::choose_transport({plain, tls}, none);
    CHECK(mixed.transport == smoke_test::load::Transport::Libcurl);
    CHECK(mixed.reason.find("check 'tls'") != std::string::npos);
    gantry::checks::Check encoding = plain;
    encoding.headers.push_back({.name = "Content-Encoding", .match = gantry::checks::TextMatch::Absent});
    CHECK(smoke_test::load::choose_transport({encoding}, none).transport == smoke_test::load::Transport::Libcurl);
    CHECK(smoke_test::load::choose_transport({plain}, h1_env({{"http_proxy", "http://p:1"}})).transport ==
          smoke_test::load::Transport::Libcurl);
}

TEST_CASE("http1 client: hosts are resolved once, literals without a lookup, names by c-ares from the hosts file") {
    const auto v4 = gantry::http::resolve_host("127.0.0.1", "8080", 2s);
    REQUIRE(v4.addresses.size() == 1);
    CHECK(v4.addresses[0].first.ss_family == AF_INET);
    CHECK(ntohs(reinterpret_cast<const sockaddr_in*>(&v4.addresses[0].first)->sin_port) == 8080);
    const auto v6 = gantry::http::resolve_host("::1", "80", 2s);
    REQUIRE(v6.addresses.size() == 1);
    CHECK(v6.addresses[0].first.ss_family == AF_INET6);
    const auto local = gantry::http::resolve_host("localhost", "80", 5s);
    CHECK(local.error.empty());
    CHECK_FALSE(local.addresses.empty());
    const auto bad_port = gantry::http::resolve_host("127.0.0.1", "99999", 2s);
    CHECK(bad_port.addresses.empty());
    CHECK_FALSE(bad_port.error.empty());
}

TEST_CASE("http1 client: deadlines come out earliest first, moved and dropped ones in their new place") {
    gantry::http::DeadlineHeap heap;
    const auto t0 = std::chrono::steady_clock::time_point{};
    for (std::uint32_t slot = 0; slot < 50; ++slot) heap.set(slot, t0 + std::chrono::seconds((slot * 37) % 50));
    heap.set(7, t0 - 1s);
    heap.erase(3);
    heap.erase(3);
    heap.set(10, t0 + 100s);
    CHECK(heap.size() == 49);
    CHECK(heap.earliest()->first == 7);
    std::vector<std::uint32_t> order;
    auto last = t0 - 10s;
    while (const auto earliest = heap.earliest()) {
        CHECK(earliest->second >= last);
        last = earliest->second;
        order.push_back(earliest->first);
        heap.erase(earliest->first);
    }
    CHECK(order.size() == 49);
    CHECK(order.back() == 10);
}

TEST_CASE("http1 client: a wait given in microseconds ends empty at its timeout, or with the ready socket") {
    int pair[2] = {-1, -1};
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0);
    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    REQUIRE(epoll >= 0);
    epoll_event watched{};
    watched.events = EPOLLIN;
    watched.data.u64 = 7;
    REQUIRE(::epoll_ctl(epoll, EPOLL_CTL_ADD, pair[0], &watched) == 0);
    gantry::http::EpollWaiter waiter;
    epoll_event ready[4];
    CHECK(waiter.wait(epoll, ready, 4, 0us) == 0);
    CHECK(waiter.wait(epoll, ready, 4, 250us) == 0);  // under a millisecond: nothing came
    REQUIRE(::write(pair[1], "x", 1) == 1);
    CHECK(waiter.wait(epoll, ready, 4, 10s) == 1);
    const std::uint64_t token = ready[0].data.u64;
    CHECK(token == 7);
    ::close(epoll);
    ::close(pair[0]);
    ::close(pair[1]);
}

TEST_CASE("http1 client: answers from nginx as libcurl gives them") {
    if (!installed("nginx")) {
        MESSAGE("nginx is not installed: skipped");
        return;
    }
    H1Nginx nginx;
    REQUIRE(nginx.ready());

    HttpRequest get = h1_request(nginx.url("/"));
    HttpRequest post = h1_request(nginx.url("/method"), "POST");
    post.body = "name=value";
    post.headers = {{"X-Extra", "extra"}};
    HttpRequest put = h1_request(nginx.url("/method"), "PUT");
    put.body = "{}";
    HttpRequest head = h1_request(nginx.url("/"), "HEAD");
    HttpRequest chunked = h1_request(nginx.url("/chunked"));
    HttpRequest big = h1_request(nginx.url("/big.txt"));
    big.body_limit = 1000;
    HttpRequest big_skipped = big;
    big_skipped.body_limit = 0;
    big_skipped.response_headers = gantry::http::ResponseHeaders::Skip;
    HttpRequest empty = h1_request(nginx.url("/empty"));
    HttpRequest missing = h1_request(nginx.url("/missing"));
    const auto answers = h1_run({get, post, put, head, chunked, big, big_skipped, empty, missing}, 2);

    const HttpResponse& got = answers[0];
    CHECK(got.failure == TransportFailure::None);
    CHECK(got.status == 200);
    CHECK(got.http_version == "1.1");
    CHECK(got.body == "hello\n");
    CHECK(got.header("X-Test").value_or("") == "yes please");
    CHECK(got.header("content-length").value_or("") == "6");
    CHECK(std::all_of(got.headers.begin(), got.headers.end(), [](const auto& h) {
        return std::none_of(h.first.begin(), h.first.end(), [](unsigned char c) { return std::isupper(c); });
    }));
    CHECK(got.timings.total_us >= got.timings.first_byte_us);
    CHECK(got.effective_url == nginx.url("/"));
    CHECK(answers[1].body == "POST 10 extra\n");
    CHECK(answers[2].body == "PUT 2 \n");
    CHECK(answers[3].status == 200);
    CHECK(answers[3].body.empty());
    CHECK(answers[3].header("content-length").value_or("") == "6");
    CHECK(answers[4].status == 200);
    CHECK(answers[4].header("transfer-encoding").value_or("") == "chunked");
    CHECK(answers[4].body == "bye bye\n");
    CHECK(answers[5].body == std::string(1000, 'x'));
    CHECK(answers[5].body_truncated);
    CHECK(answers[5].header("content-length").value_or("") == "100000");
    CHECK(answers[6].body.empty());
    CHECK(answers[6].headers.empty());
    CHECK(answers[6].body_truncated);
    CHECK(answers[7].status == 204);
    CHECK(answers[7].failure == TransportFailure::None);
    CHECK(answers[8].status == 404);
    long connections = 0;
    for (const auto& answer : answers) {
        CHECK(answer.failure == TransportFailure::None);
        connections += answer.new_connections;
    }
    CHECK(connections <= 2);  // two connections at most, kept alive for the rest

    // nginx listens on 127.0.0.1 only: a name that resolves to ::1 first falls back to it, as libcurl does.
    CHECK(h1_one(h1_request(fmt::format("http://localhost:{}/", nginx.port))).status == 200);

    // Judged by the check engine as any answer is.
    gantry::checks::Check json;
    json.name = "json";
    json.request = h1_request(nginx.url("/json"));
    json.json.push_back({.pointer = "/status", .op = gantry::checks::JsonOperator::Equals, .expected_json = "\"ok\""});
    json.json.push_back({.pointer = "/count", .op = gantry::checks::JsonOperator::Equals, .expected_json = "3"});
    json.request.body_limit = gantry::checks::body_bytes_read(json);
    CHECK(gantry::checks::evaluate_attempt(json, h1_one(json.request)).passed);
    gantry::checks::Check header;
    header.name = "header";
    header.request = get;
    header.statuses = {{200, 200}};
    header.headers.push_back({.name = "x-test", .match = gantry::checks::TextMatch::Equals, .value = "yes please"});
    CHECK(gantry::checks::evaluate_attempt(header, h1_one(header.request)).passed);
    header.statuses = {{201, 201}};
    const auto mismatch = gantry::checks::evaluate_attempt(header, h1_one(header.request));
    CHECK_FALSE(mismatch.passed);
    CHECK(mismatch.failure == gantry::checks::FailureKind::Assertion);
}

TEST_CASE("http1 client: a refused connection, a server that never answers, a name that does not resolve") {
    const HttpResponse refused = h1_one(h1_request(fmt::format("http://127.0.0.1:{}/", free_port())));
    CHECK(refused.failure == TransportFailure::Refused);
    CHECK(refused.status == 0);
    CHECK(refused.transport_error.find("Failed to connect to 127.0.0.1") != std::string::npos);
    // One connection allowed, five requests: each refusal hands the connection's place to the next.
    const auto all_refused = h1_run(std::vector<HttpRequest>(5, h1_request(fmt::format("http://localhost:{}/", free_port()))), 1);
    for (const auto& answer : all_refused) CHECK(answer.failure == TransportFailure::Refused);

    // Listening, never accepting: the kernel completes the handshake and nobody ever answers.
    const auto listening = gantry::testing::listen_on_loopback();
    const int listener = listening.fd;
    const int port = listening.port;
    HttpRequest silent = h1_request(fmt::format("http://127.0.0.1:{}/", port));
    silent.timeout = 300ms;
    const HttpResponse timed_out = h1_one(silent);
    ::close(listener);
    CHECK(timed_out.failure == TransportFailure::Timeout);
    CHECK(timed_out.transport_error.find("timed out") != std::string::npos);

    const HttpResponse unresolved = h1_one(h1_request("http://no-such-host.invalid/"));
    CHECK(unresolved.failure == TransportFailure::Dns);
}

TEST_CASE("http1 client: interim answers, bodies read until close, answers cut short or malformed") {
    const auto answer = [](std::vector<std::string> pieces) {
        ScriptedServer server({std::move(pieces)});
        HttpRequest request = h1_request(server.url());
        return h1_one(request);
    };
    const HttpResponse interim = answer({"HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n",
                                         "HTTP/1.1 200 OK\r\nX-Final: 2\r\nContent-Length: 2\r\n\r\nok"});
    CHECK(interim.failure == TransportFailure::None);
    CHECK(interim.status == 200);
    CHECK(interim.body == "ok");
    CHECK(interim.header("x-final").value_or("") == "2");
    CHECK_FALSE(interim.header("x-interim"));

    const HttpResponse until_close = answer({"HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nread ", "until close"});
    CHECK(until_close.failure == TransportFailure::None);
    CHECK(until_close.body == "read until close");

    const HttpResponse pieces = answer({"HTTP/1.1 201 Crea", "ted\r\nTransfer-Enc", "oding: chunked\r\nX-Split: val", "ue\r\n\r\n3\r\nab",
                                       "c\r\n2\r\nde\r\n0\r\n\r\n"});
    CHECK(pieces.status == 201);
    CHECK(pieces.body == "abcde");
    CHECK(pieces.header("x-split").value_or("") == "value");

    const HttpResponse cut = answer({"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"});
    CHECK(cut.failure == TransportFailure::Other);
    CHECK(cut.status == 0);
    const HttpResponse garbage = answer({"NOT HTTP AT ALL\r\n\r\n"});
    CHECK(garbage.failure == TransportFailure::Other);
    CHECK(garbage.transport_error.find("Weird server reply") != std::string::npos);
    const HttpResponse empty = answer({});
    CHECK(empty.failure == TransportFailure::Refused);
    CHECK(empty.transport_error == "Empty reply from server");
}

TEST_CASE("http1 client: a kept-alive connection the server closed is retried once on a new one") {
    // Answers one request per connection, keep-alive implied (HTTP/1.1, no Connection: close), then
    // closes: the client finds out only when it sends the next request on that connection.
    const auto listening = gantry::testing::listen_on_loopback();
    const int listener = listening.fd;
    const int port = listening.port;
    constexpr int kRequests = 4;
    std::thread server([listener] {
        for (int served = 0; served < kRequests; ++served) {
            const int connection = ::accept(listener, nullptr, nullptr);
            if (connection < 0) return;
            std::string received;
            char chunk[1024];
            while (received.find("\r\n\r\n") == std::string::npos) {
                const ssize_t got = ::recv(connection, chunk, sizeof chunk, 0);
                if (got <= 0) break;
                received.append(chunk, static_cast<std::size_t>(got));
            }
            const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n";
            (void)!::send(connection, answer.data(), answer.size(), MSG_NOSIGNAL);
            ::close(connection);
        }
    });
    Http1Client client(gantry::http::Http1ClientOptions{1});
    HttpRequest request = h1_request(fmt::format("http://127.0.0.1:{}/", port));
    request.dead_connection_retries = gantry::http::DeadConnectionRetries::Count;
    const auto prepared = client.prepare(request);
    std::vector<HttpResponse> answers;
    for (int sent = 0; sent < kRequests; ++sent) {
        client.start(prepared);
        for (int round = 0; round < 100 && client.in_flight() > 0; ++round) {
            for (auto& [id, response] : client.poll(100ms)) answers.push_back(std::move(response));
        }
    }
    server.join();
    ::close(listener);
    REQUIRE(answers.size() == kRequests);
    for (std::size_t i = 0; i < answers.size(); ++i) {
        CAPTURE(i);
        CHECK(answers[i].failure == TransportFailure::None);
        CHECK(answers[i].status == 200);
        CHECK(answers[i].body == "ok\n");
        CHECK(answers[i].new_connections == 1);
        CHECK(answers[i].dead_connection_retries == (i == 0 ? 0 : 1));
    }
}

TEST_CASE("http1 client: the load runner counts the same over http1 and over libcurl") {
    if (!installed("nginx")) {
        MESSAGE("nginx is not installed: skipped");
        return;
    }
    H1Nginx nginx;
    REQUIRE(nginx.ready());
    using gantry::checks::Check;
    const auto check = [](std::string name, std::string url) {
        Check made;
        made.name = std::move(name);
        made.request = h1_request(url);
        made.statuses = {{200, 200}};
        return made;
    };
    Check ok = check("ok", nginx.url("/"));
    ok.body.push_back({.match = gantry::checks::BodyMatch::Contains, .value = "hello"});
    ok.headers.push_back({.name = "X-Test", .match = gantry::checks::TextMatch::Equals, .value = "yes please"});
    Check json = check("json", nginx.url("/json"));
    json.json.push_back({.pointer = "/status", .op = gantry::checks::JsonOperator::Equals, .expected_json = "\"ok\""});
    Check wrong_body = check("wrong body", nginx.url("/"));
    wrong_body.body.push_back({.match = gantry::checks::BodyMatch::Contains, .value = "absent"});
    Check missing = check("missing", nginx.url("/missing"));
    Check short_lived = check("short-lived", nginx.short_url("/"));
    Check posted = check("posted", nginx.url("/method"));
    posted.request.method = "POST";
    posted.request.body = "x=1";
    posted.body.push_back({.match = gantry::checks::BodyMatch::Contains, .value = "POST 3"});
    const std::vector<Check> checks{ok, json, wrong_body, missing, short_lived, posted};
    REQUIRE(smoke_test::load::choose_transport(checks, gantry::Environment{}).transport == smoke_test::load::Transport::Http1);

    const auto run = [&](smoke_test::load::Transport transport) {
        smoke_test::load::RunPlan plan;
        plan.transport = transport;
        plan.model = smoke_test::load::Model::Open;
        plan.schedule.emplace(300.0, std::vector<smoke_test::load::Stage>{{std::chrono::milliseconds(1000), 300.0}});
        plan.max_in_flight = 40;
        plan.connections_per_host = 3;
        smoke_test::load::LoadResult result;
        smoke_test::load::run_load(checks, plan, {}, result);
        return result;
    };
    const auto over_http1 = run(smoke_test::load::Transport::Http1);
    const auto over_curl = run(smoke_test::load::Transport::Libcurl);
    REQUIRE(over_http1.checks.size() == checks.size());
    REQUIRE(over_curl.checks.size() == checks.size());
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        CAPTURE(checks[i].name);
        CHECK(over_http1.checks[i].requests == over_curl.checks[i].requests);
        CHECK(over_http1.checks[i].errors == over_curl.checks[i].errors);
        total += over_http1.checks[i].requests;
    }
    CHECK(total == 300);
    CHECK(over_http1.checks[0].error_count() == 0);
    CHECK(over_http1.checks[1].error_count() == 0);
    CHECK(over_http1.checks[2].errors[static_cast<std::size_t>(smoke_test::load::ErrorClass::Assertion)] == over_http1.checks[2].requests);
    CHECK(over_http1.checks[3].errors[static_cast<std::size_t>(smoke_test::load::ErrorClass::Status)] == over_http1.checks[3].requests);
    CHECK(over_http1.checks[4].error_count() == 0);  // keepalive_requests 2: closed connections cost no error
    CHECK(over_http1.checks[5].error_count() == 0);
}

}  // TEST_SUITE
