#include "gantry/http/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <ctime>
#include <map>
#include <memory>
#include <optional>

#include <sys/epoll.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "epoll_waiter.hpp"
#include "gantry/base/error.hpp"
#include "gantry/version.hpp"

namespace gantry::http {

namespace {

// libcurl's global state must be initialised before the first handle; curl_global_init is
// thread-safe since 7.84, and a function-local static makes it happen once.
void ensure_curl_initialised() {
    static const bool initialised = [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw EnvironmentError("cannot initialise libcurl");
        return true;
    }();
    (void)initialised;
}

std::string trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return std::string(text);
}

std::string host_of(const std::string& url) {
    CURLU* handle = curl_url();
    std::string host;
    if (handle && curl_url_set(handle, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
        char* part = nullptr;
        if (curl_url_get(handle, CURLUPART_HOST, &part, 0) == CURLUE_OK && part) {
            host = part;
            curl_free(part);
        }
    }
    curl_url_cleanup(handle);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return host;
}

std::string iso_time(const ASN1_TIME* time) {
    std::tm parts{};
    if (!time || ASN1_TIME_to_tm(time, &parts) != 1) return "";
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

// What the peer certificate of the connection says, read through the OpenSSL session libcurl uses.
TlsInfo inspect_tls(CURL* easy, const std::string& host) {
    TlsInfo info;
    curl_tlssessioninfo* session = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &session) != CURLE_OK || !session ||
        session->backend != CURLSSLBACKEND_OPENSSL || !session->internals) {
        return info;
    }
    SSL* ssl = static_cast<SSL*>(session->internals);
    info.version = SSL_get_version(ssl);
    X509* cert = SSL_get1_peer_certificate(ssl);
    if (!cert) return info;
    info.present = true;
    int days = 0;
    int seconds = 0;
    if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert)) == 1) {
        const long long total = static_cast<long long>(days) * 86400 + seconds;
        // Whole days left, rounded down; an expired certificate gives a negative count.
        info.days_left = total >= 0 ? total / 86400 : -((-total + 86399) / 86400);
    }
    info.not_after = iso_time(X509_get0_notAfter(cert));
    if (char* subject = X509_NAME_oneline(X509_get_subject_name(cert), nullptr, 0)) {
        info.subject = subject;
        OPENSSL_free(subject);
    }
    const bool is_ip = host.find(':') != std::string::npos ||
                       std::all_of(host.begin(), host.end(), [](unsigned char c) { return std::isdigit(c) || c == '.'; });
    info.hostname_matches = is_ip ? X509_check_ip_asc(cert, host.c_str(), 0) == 1
                                  : X509_check_host(cert, host.c_str(), host.size(), 0, nullptr) == 1;
    X509_free(cert);
    return info;
}

TransportFailure classify(CURLcode code) {
    switch (code) {
        case CURLE_OK: return TransportFailure::None;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY: return TransportFailure::Dns;
        // A service that is starting accepts and drops connections as often as it refuses them.
        case CURLE_COULDNT_CONNECT:
        case CURLE_GOT_NOTHING:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR: return TransportFailure::Refused;
        case CURLE_OPERATION_TIMEDOUT: return TransportFailure::Timeout;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return TransportFailure::Certificate;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER: return TransportFailure::Tls;
        default: return TransportFailure::Other;
    }
}

struct Transfer {
    HttpClient::Id id = 0;
    std::optional<std::size_t> prepared;  // index of the prepared request this handle is set up for
    std::size_t pool = 0;                 // the multi handle running it
    // Shared by every handle set up for one prepared request (thousands in a load test).
    std::shared_ptr<const HttpRequest> request;
    HttpResponse response;
    std::string host;
    curl_slist* headers = nullptr;
    char error[CURL_ERROR_SIZE] = {};
    bool tls_seen = false;
    CURL* easy = nullptr;

    ~Transfer() {
        if (headers) curl_slist_free_all(headers);
        if (easy) curl_easy_cleanup(easy);
    }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    std::string& body = transfer->response.body;
    const std::size_t limit = transfer->request->body_limit;
    const std::size_t room = limit > body.size() ? limit - body.size() : 0;
    body.append(data, std::min(room, bytes));
    if (bytes > room) transfer->response.body_truncated = true;
    return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    if (!transfer->tls_seen) {
        transfer->tls_seen = true;
        if (transfer->request->certificate_details == CertificateDetails::Read) {
            transfer->response.tls = inspect_tls(transfer->easy, transfer->host);
        }
    }
    if (transfer->request->response_headers == ResponseHeaders::Skip) return bytes;
    const std::string_view line(data, bytes);
    if (line.starts_with("HTTP/")) {
        // A new response (after a redirect or a 100 Continue): its headers replace the previous ones.
        transfer->response.headers.clear();
        return bytes;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return bytes;
    std::string name = trim(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    transfer->response.headers.emplace_back(std::move(name), trim(line.substr(colon + 1)));
    return bytes;
}

// Sees libcurl's informational text, which is the only place it tells that it resent a request on a
// fresh connection because the reused one had died (lib/transfer.c, Curl_retry_request).
int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
    if (type == CURLINFO_TEXT && std::string_view(data, size).starts_with("Connection died, retrying")) {
        ++static_cast<Transfer*>(user)->response.dead_connection_retries;
    }
    return 0;
}

template <class Value>
void set(CURL* easy, CURLoption option, Value value) {
    if (curl_easy_setopt(easy, option, value) != CURLE_OK) {
        throw EnvironmentError("libcurl refused option " + std::to_string(static_cast<int>(option)));
    }
}

void configure(Transfer& transfer, const HttpClientOptions& options) {
    CURL* easy = transfer.easy;
    const HttpRequest& request = *transfer.request;
    set(easy, CURLOPT_PRIVATE, static_cast<void*>(&transfer));
    if (options.receive_buffer_bytes) set(easy, CURLOPT_BUFFERSIZE, *options.receive_buffer_bytes);
    if (options.upload_buffer_bytes) set(easy, CURLOPT_UPLOAD_BUFFERSIZE, *options.upload_buffer_bytes);
    set(easy, CURLOPT_ERRORBUFFER, transfer.error);
    set(easy, CURLOPT_NOSIGNAL, 1L);
    set(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    set(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(request.connect_timeout, request.timeout).count()));
    if (request.protocol == Protocol::Tcp) {
        set(easy, CURLOPT_URL, ("http://" + request.url).c_str());
        set(easy, CURLOPT_CONNECT_ONLY, 1L);
        set(easy, CURLOPT_FRESH_CONNECT, 1L);
        set(easy, CURLOPT_FORBID_REUSE, 1L);
        return;
    }
    transfer.host = host_of(request.url);
    set(easy, CURLOPT_URL, request.url.c_str());
    set(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    set(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    set(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    set(easy, CURLOPT_FOLLOWLOCATION, request.redirects == Redirects::Follow ? 1L : 0L);
    set(easy, CURLOPT_MAXREDIRS, 10L);
    set(easy, CURLOPT_ACCEPT_ENCODING, "");
    set(easy, CURLOPT_USERAGENT, (std::string("gantry-smoke-test/") + build_info::kVersion).c_str());
    if (request.verification == TlsVerification::Insecure) {
        set(easy, CURLOPT_SSL_VERIFYPEER, 0L);
        set(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!request.ca_file.empty()) set(easy, CURLOPT_CAINFO, request.ca_file.c_str());
    if (request.method == "HEAD") {
        set(easy, CURLOPT_NOBODY, 1L);
    } else if (request.method != "GET" || request.body) {
        if (request.body) {
            set(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body->size()));
            // Not copied: the request outlives the handle (shared), and a load test's thousands of
            // handles then hold one body between them.
            set(easy, CURLOPT_POSTFIELDS, request.body->c_str());
        }
        if (request.method != "POST" || !request.body) set(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    for (const auto& [name, value] : request.headers) {
        const std::string line = value.empty() ? name + ";" : name + ": " + value;
        curl_slist* extended = curl_slist_append(transfer.headers, line.c_str());
        if (!extended) throw EnvironmentError("out of memory building request headers");
        transfer.headers = extended;
    }
    // curl sends "Expect: 100-continue" for larger bodies, costing a round trip on servers that
    // ignore it.
    transfer.headers = curl_slist_append(transfer.headers, "Expect:");
    set(easy, CURLOPT_HTTPHEADER, transfer.headers);
    set(easy, CURLOPT_WRITEFUNCTION, on_body);
    set(easy, CURLOPT_WRITEDATA, static_cast<void*>(&transfer));
    set(easy, CURLOPT_HEADERFUNCTION, on_header);
    set(easy, CURLOPT_HEADERDATA, static_cast<void*>(&transfer));
    if (request.dead_connection_retries == DeadConnectionRetries::Count) {
        set(easy, CURLOPT_DEBUGFUNCTION, on_debug);
        set(easy, CURLOPT_DEBUGDATA, static_cast<void*>(&transfer));
        set(easy, CURLOPT_VERBOSE, 1L);
    }
}

void collect(Transfer& transfer, CURLcode code) {
    CURL* easy = transfer.easy;
    HttpResponse& response = transfer.response;
    response.failure = classify(code);
    if (code != CURLE_OK) {
        response.transport_error = transfer.error[0] ? transfer.error : curl_easy_strerror(code);
        while (!response.transport_error.empty() && response.transport_error.back() == '\n') response.transport_error.pop_back();
    }
    const auto time_of = [easy](CURLINFO info) {
        curl_off_t value = 0;
        curl_easy_getinfo(easy, info, &value);
        return static_cast<std::int64_t>(value);
    };
    response.timings.dns_us = time_of(CURLINFO_NAMELOOKUP_TIME_T);
    response.timings.connect_us = time_of(CURLINFO_CONNECT_TIME_T);
    response.timings.tls_us = time_of(CURLINFO_APPCONNECT_TIME_T);
    response.timings.first_byte_us = time_of(CURLINFO_STARTTRANSFER_TIME_T);
    response.timings.total_us = time_of(CURLINFO_TOTAL_TIME_T);
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &response.new_connections);
    if (transfer.request->protocol == Protocol::Tcp) return;
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    response.status = code == CURLE_OK ? status : 0;
    long version = 0;
    curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
    switch (version) {
        case CURL_HTTP_VERSION_1_0: response.http_version = "1.0"; break;
        case CURL_HTTP_VERSION_1_1: response.http_version = "1.1"; break;
        case CURL_HTTP_VERSION_2_0: response.http_version = "2"; break;
        case CURL_HTTP_VERSION_3: response.http_version = "3"; break;
        default: break;
    }
    char* url = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url) response.effective_url = url;
}

}  // namespace

// libcurl is driven by its socket interface (curl_multi_socket_action) over one epoll set: libcurl
// says which sockets it waits on (on_socket) and when its next timeout falls (on_timer), and only the
// transfers whose socket is ready, or whose timer expired, are run.
//
// The connections are split between several multi handles ("pools") once more than kPoolConnections
// may be open: libcurl 7.88 walks every connection of its cache when it looks for one to reuse
// (ConnectionExists) and when it removes a finished transfer (close_connect_only), so with N
// connections each request costs O(N); in pools of at most kPoolConnections it costs
// O(kPoolConnections). Requests go to the pools in turn, and each pool keeps its own connections
// alive, so keep-alive reuse is unchanged.
constexpr long kPoolConnections = 256;

struct HttpClient::Impl {
    using Clock = std::chrono::steady_clock;

    struct Pool {
        Impl* client = nullptr;
        std::uint32_t index = 0;
        CURLM* multi = nullptr;
        // libcurl's next timeout for this pool; nullopt when it has none.
        std::optional<Clock::time_point> timer;
    };

    int epoll = -1;
    std::vector<std::unique_ptr<Pool>> pools;
    std::size_t next_pool = 0;
    Id next_id = 1;
    std::map<Id, std::unique_ptr<Transfer>> transfers;
    // Per prepared request: the request, and its handles that are configured and idle.
    HttpClientOptions options;
    std::vector<std::shared_ptr<const HttpRequest>> prepared;
    std::vector<std::vector<std::unique_ptr<Transfer>>> idle;
    EpollWaiter waiter;
    std::vector<epoll_event> events = std::vector<epoll_event>(256);
    // Sockets libcurl stopped waiting on, still in the epoll set (by descriptor). A kept-alive
    // connection goes idle after every answer and is taken again by the next request: leaving it in
    // the set saves two epoll_ctl calls per request. An event on a parked socket takes it out.
    std::vector<bool> parked;

    ~Impl() {
        for (auto& [id, transfer] : transfers) curl_multi_remove_handle(pools[transfer->pool]->multi, transfer->easy);
        transfers.clear();
        idle.clear();
        for (auto& pool : pools) {
            if (pool->multi) curl_multi_cleanup(pool->multi);  // may still tell on_socket to forget sockets
        }
        if (epoll >= 0) ::close(epoll);
    }

    Id add(std::unique_ptr<Transfer> transfer) {
        transfer->id = next_id++;
        transfer->pool = next_pool;
        next_pool = (next_pool + 1) % pools.size();
        if (curl_multi_add_handle(pools[transfer->pool]->multi, transfer->easy) != CURLM_OK) {
            throw EnvironmentError("cannot add a transfer to the libcurl multi handle");
        }
        const Id id = transfer->id;
        transfers.emplace(id, std::move(transfer));
        return id;
    }

    static int on_socket(CURL*, curl_socket_t socket, int what, void* user, void*) {
        auto* pool = static_cast<Pool*>(user);
        Impl& impl = *pool->client;
        const auto index = static_cast<std::size_t>(socket);
        if (index >= impl.parked.size()) impl.parked.resize(index + 1024, false);
        if (what == CURL_POLL_REMOVE) {
            impl.parked[index] = true;
            return 0;
        }
        impl.parked[index] = false;
        epoll_event event{};
        event.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
        event.data.u64 = (static_cast<std::uint64_t>(pool->index) << 32) | static_cast<std::uint32_t>(socket);
        // ENOENT: a new socket, or a parked one that was closed since (closing left the set).
        if (epoll_ctl(impl.epoll, EPOLL_CTL_MOD, socket, &event) == 0) return 0;
        if (errno == ENOENT && epoll_ctl(impl.epoll, EPOLL_CTL_ADD, socket, &event) == 0) return 0;
        return -1;  // libcurl then fails the transfers on this socket
    }

    static int on_timer(CURLM*, long timeout_ms, void* user) {
        auto* pool = static_cast<Pool*>(user);
        if (timeout_ms < 0) {
            pool->timer.reset();
        } else {
            pool->timer = Clock::now() + std::chrono::milliseconds(timeout_ms);
        }
        return 0;
    }

    // Runs the transfers whose timeout has come (new transfers ask for an immediate one).
    void run_due_timers() {
        const Clock::time_point now = Clock::now();
        for (auto& pool : pools) {
            if (!pool->timer || *pool->timer > now) continue;
            pool->timer.reset();
            int running = 0;
            curl_multi_socket_action(pool->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        }
    }

    // Waits at most `wait` for a ready socket or a pool's timeout, and runs what is ready.
    void wait_and_run(std::chrono::microseconds wait) {
        for (const auto& pool : pools) {
            if (!pool->timer) continue;
            wait = std::min(wait, std::chrono::ceil<std::chrono::microseconds>(*pool->timer - Clock::now()));  // past: 0
        }
        const int ready = waiter.wait(epoll, events.data(), static_cast<int>(events.size()), wait);
        int running = 0;
        for (int i = 0; i < ready; ++i) {
            const epoll_event& event = events[static_cast<std::size_t>(i)];
            const auto socket = static_cast<curl_socket_t>(event.data.u64 & 0xffffffffu);
            const auto pool = static_cast<std::size_t>(event.data.u64 >> 32);
            if (static_cast<std::size_t>(socket) < parked.size() && parked[static_cast<std::size_t>(socket)]) {
                parked[static_cast<std::size_t>(socket)] = false;
                epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nullptr);
                continue;
            }
            // A hang-up or an error is read (or written) to learn what it was, as poll() would have it.
            int action = 0;
            if (event.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) action |= CURL_CSELECT_IN;
            if (event.events & (EPOLLOUT | EPOLLERR)) action |= CURL_CSELECT_OUT;
            curl_multi_socket_action(pools[pool]->multi, socket, action, &running);
        }
        if (ready == static_cast<int>(events.size())) events.resize(events.size() * 2);
        run_due_timers();
    }
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>()) {
    ensure_curl_initialised();
    impl_->options = options;
    impl_->epoll = epoll_create1(EPOLL_CLOEXEC);
    if (impl_->epoll < 0) throw EnvironmentError("cannot create an epoll set for libcurl's sockets");
    // Split by the per-host limit (0: none, one pool), never into more pools than a limit allows
    // connections, so that every pool gets a share of at least one.
    long count = std::max<long>(1, (options.max_host_connections + kPoolConnections - 1) / kPoolConnections);
    if (options.max_total_connections > 0) count = std::min(count, options.max_total_connections);
    for (long i = 0; i < count; ++i) {
        auto pool = std::make_unique<Impl::Pool>();
        pool->client = impl_.get();
        pool->index = static_cast<std::uint32_t>(i);
        pool->multi = curl_multi_init();
        if (!pool->multi) throw EnvironmentError("cannot create a libcurl multi handle");
        CURLM* multi = pool->multi;
        // The limits are shared out so that the pools together keep them.
        const auto share = [&](long limit) { return limit / count + (i < limit % count ? 1 : 0); };
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, static_cast<void*>(pool.get()));
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, static_cast<void*>(pool.get()));
        curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, share(options.max_host_connections));
        if (options.max_total_connections > 0) {
            curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, share(options.max_total_connections));
            // The cache must hold every connection the limit allows, or keep-alive is wasted.
            curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, share(options.max_total_connections));
        }
        curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        impl_->pools.push_back(std::move(pool));
    }
}

HttpClient::~HttpClient() = default;

namespace {

std::unique_ptr<Transfer> new_transfer(std::shared_ptr<const HttpRequest> request, const HttpClientOptions& options) {
    auto transfer = std::make_unique<Transfer>();
    transfer->request = std::move(request);
    transfer->easy = curl_easy_init();
    if (!transfer->easy) throw EnvironmentError("cannot create a libcurl handle");
    configure(*transfer, options);
    return transfer;
}

}  // namespace

HttpClient::Id HttpClient::start(const HttpRequest& request) {
    return impl_->add(new_transfer(std::make_shared<const HttpRequest>(request), impl_->options));
}

HttpClient::PreparedRequest HttpClient::prepare(HttpRequest request) {
    impl_->prepared.push_back(std::make_shared<const HttpRequest>(std::move(request)));
    impl_->idle.emplace_back();
    return PreparedRequest{impl_->prepared.size() - 1};
}

HttpClient::Id HttpClient::start(PreparedRequest prepared) {
    auto& idle = impl_->idle.at(prepared.index);
    std::unique_ptr<Transfer> transfer;
    if (idle.empty()) {
        transfer = new_transfer(impl_->prepared[prepared.index], impl_->options);
        transfer->prepared = prepared.index;
    } else {
        transfer = std::move(idle.back());
        idle.pop_back();
        transfer->response = HttpResponse{};
        transfer->error[0] = '\0';
        transfer->tls_seen = false;
    }
    return impl_->add(std::move(transfer));
}

std::size_t HttpClient::in_flight() const { return impl_->transfers.size(); }

std::vector<std::pair<HttpClient::Id, HttpResponse>> HttpClient::poll(std::chrono::microseconds wait) {
    impl_->run_due_timers();
    std::vector<std::pair<Id, HttpResponse>> done;
    const auto harvest = [&] {
        int queued = 0;
        for (auto& pool : impl_->pools) {
        while (CURLMsg* message = curl_multi_info_read(pool->multi, &queued)) {
            if (message->msg != CURLMSG_DONE) continue;
            void* user = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &user);
            auto* transfer = static_cast<Transfer*>(user);
            collect(*transfer, message->data.result);
            curl_multi_remove_handle(pool->multi, transfer->easy);
            done.emplace_back(transfer->id, std::move(transfer->response));
            const auto node = impl_->transfers.find(transfer->id);
            if (transfer->prepared) impl_->idle[*transfer->prepared].push_back(std::move(node->second));
            impl_->transfers.erase(node);
        }
        }
    };
    harvest();
    if (!done.empty()) return done;
    impl_->wait_and_run(wait);
    harvest();
    return done;
}

std::string HttpClient::curl_version() { return ::curl_version(); }

HttpResponse perform(const HttpRequest& request) {
    HttpClient client;
    client.start(request);
    for (;;) {
        auto done = client.poll(std::chrono::milliseconds(1000));
        if (!done.empty()) return std::move(done.front().second);
    }
}

}  // namespace gantry::http

namespace gantry::http {

std::string url_encode(std::string_view text) {
    char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
    if (escaped == nullptr) throw EnvironmentError("libcurl could not percent-encode a URL part (out of memory)");
    std::string result(escaped);
    curl_free(escaped);
    return result;
}

}  // namespace gantry::http
