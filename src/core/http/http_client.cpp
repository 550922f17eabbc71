#include "gantry/http/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <memory>
#include <optional>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

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

struct HttpClient::Impl {
    CURLM* multi = nullptr;
    Id next_id = 1;
    std::map<Id, std::unique_ptr<Transfer>> transfers;
    // Per prepared request: the request, and its handles that are configured and idle.
    HttpClientOptions options;
    std::vector<std::shared_ptr<const HttpRequest>> prepared;
    std::vector<std::vector<std::unique_ptr<Transfer>>> idle;

    ~Impl() {
        for (auto& [id, transfer] : transfers) curl_multi_remove_handle(multi, transfer->easy);
        transfers.clear();
        idle.clear();
        if (multi) curl_multi_cleanup(multi);
    }

    Id add(std::unique_ptr<Transfer> transfer) {
        transfer->id = next_id++;
        if (curl_multi_add_handle(multi, transfer->easy) != CURLM_OK) {
            throw EnvironmentError("cannot add a transfer to the libcurl multi handle");
        }
        const Id id = transfer->id;
        transfers.emplace(id, std::move(transfer));
        return id;
    }
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>()) {
    ensure_curl_initialised();
    impl_->options = options;
    impl_->multi = curl_multi_init();
    if (!impl_->multi) throw EnvironmentError("cannot create a libcurl multi handle");
    curl_multi_setopt(impl_->multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    if (options.max_total_connections > 0) {
        curl_multi_setopt(impl_->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, options.max_total_connections);
        // The cache must hold every connection the limit allows, or keep-alive is wasted.
        curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, options.max_total_connections);
    }
    curl_multi_setopt(impl_->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
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

std::vector<std::pair<HttpClient::Id, HttpResponse>> HttpClient::poll(std::chrono::milliseconds wait) {
    int running = 0;
    curl_multi_perform(impl_->multi, &running);
    std::vector<std::pair<Id, HttpResponse>> done;
    const auto harvest = [&] {
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(impl_->multi, &queued)) {
            if (message->msg != CURLMSG_DONE) continue;
            void* user = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &user);
            auto* transfer = static_cast<Transfer*>(user);
            collect(*transfer, message->data.result);
            curl_multi_remove_handle(impl_->multi, transfer->easy);
            done.emplace_back(transfer->id, std::move(transfer->response));
            const auto node = impl_->transfers.find(transfer->id);
            if (transfer->prepared) impl_->idle[*transfer->prepared].push_back(std::move(node->second));
            impl_->transfers.erase(node);
        }
    };
    harvest();
    if (!done.empty()) return done;
    const int wait_ms = static_cast<int>(std::clamp<long long>(wait.count(), 0, 60000));
    curl_multi_poll(impl_->multi, nullptr, 0, wait_ms, nullptr);
    curl_multi_perform(impl_->multi, &running);
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
