// A real name lookup through the lazy c-ares channel (src/core/http/lazy_resolver_channel.cpp), which
// this executable is linked with like the tools. libcurl answers "localhost" itself and never asks
// c-ares, and the machine's resolv.conf and hosts file are not the test's to choose, so the test
// answers the lookup itself: a small DNS server on a loopback UDP port (CURLOPT_DNS_SERVERS), which
// gives 127.0.0.1 for every A question and no AAAA. The HTTP server is the one of tests/smoke/run.sh.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>

namespace {

// Answers DNS questions on 127.0.0.1:port() until destroyed; remembers the names asked for A.
class LoopbackDnsServer {
public:
    LoopbackDnsServer() {
        fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        socklen_t length = sizeof address;
        REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port_ = ntohs(address.sin_port);
        timeval wake{0, 100 * 1000};  // so that the loop sees `stop_` between questions
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wake, sizeof wake);
        thread_ = std::thread([this] { serve(); });
    }
    ~LoopbackDnsServer() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    int port() const { return port_; }
    std::vector<std::string> asked() {
        std::lock_guard lock(mutex_);
        return asked_;
    }

private:
    void serve() {
        while (!stop_) {
            unsigned char query[512];
            sockaddr_in from{};
            socklen_t from_length = sizeof from;
            const ssize_t size = ::recvfrom(fd_, query, sizeof query, 0, reinterpret_cast<sockaddr*>(&from), &from_length);
            if (size < 12) continue;
            // The question: length-prefixed labels up to a zero byte, then type and class.
            std::size_t at = 12;
            std::string name;
            while (at < static_cast<std::size_t>(size) && query[at] != 0) {
                const std::size_t label = query[at];
                if (!name.empty()) name += '.';
                name.append(reinterpret_cast<const char*>(query + at + 1), std::min(label, static_cast<std::size_t>(size) - at - 1));
                at += label + 1;
            }
            const std::size_t question_end = at + 5;
            if (question_end > static_cast<std::size_t>(size)) continue;
            const bool a = query[at + 1] == 0 && query[at + 2] == 1;
            std::vector<unsigned char> answer(query, query + question_end);
            answer[2] = 0x81;  // a response, recursion desired
            answer[3] = 0x80;  // recursion available, no error
            answer[6] = 0;
            answer[7] = a ? 1 : 0;  // one answer for A, none for AAAA (the name has no IPv6 address)
            answer[8] = answer[9] = answer[10] = answer[11] = 0;
            if (a) {
                const unsigned char record[] = {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1};
                answer.insert(answer.end(), std::begin(record), std::end(record));
                std::lock_guard lock(mutex_);
                asked_.push_back(name);
            }
            ::sendto(fd_, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&from), from_length);
        }
    }

    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::vector<std::string> asked_;
    std::thread thread_;
};

std::size_t keep_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

}  // namespace

TEST_SUITE("loopback" * doctest::skip(std::getenv("GANTRY_LOOPBACK_HTTP") == nullptr)) {

TEST_CASE("lazy resolver channel: a host name is looked up by c-ares and the answer used") {
    const std::string base = std::getenv("GANTRY_LOOPBACK_HTTP");  // http://127.0.0.1:PORT
    const auto colon = base.rfind(':');
    REQUIRE(colon != std::string::npos);
    LoopbackDnsServer dns;
    const std::string servers = "127.0.0.1:" + std::to_string(dns.port());
    // Twice, each handle with its own channel: made, used and destroyed through the wrapper.
    for (const char* name : {"service.gantry-test.example", "other.gantry-test.example"}) {
        CURL* easy = curl_easy_init();
        REQUIRE(easy != nullptr);
        std::string body;
        const std::string url = std::string("http://") + name + base.substr(colon) + "/json";
        curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
        curl_easy_setopt(easy, CURLOPT_DNS_SERVERS, servers.c_str());
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, keep_body);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 10000L);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        const CURLcode code = curl_easy_perform(easy);
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(easy);
        CHECK_MESSAGE(code == CURLE_OK, curl_easy_strerror(code));
        CHECK(status == 200);
        CHECK_FALSE(body.empty());
    }
    const auto asked = dns.asked();
    CHECK(asked == std::vector<std::string>{"service.gantry-test.example", "other.gantry-test.example"});
}

TEST_CASE("lazy resolver channel: a handle that never looks a name up still works and is cleaned up") {
    // An IP literal: the channel libcurl asked for is never made.
    CURL* easy = curl_easy_init();
    REQUIRE(easy != nullptr);
    std::string body;
    const std::string url = std::string(std::getenv("GANTRY_LOOPBACK_HTTP")) + "/json";
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, keep_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    CHECK(curl_easy_perform(easy) == CURLE_OK);
    CURL* copy = curl_easy_duphandle(easy);  // libcurl asks for a channel for the copy too
    REQUIRE(copy != nullptr);
    CHECK(curl_easy_perform(copy) == CURLE_OK);
    curl_easy_cleanup(copy);
    curl_easy_cleanup(easy);
    CHECK_FALSE(body.empty());
}

}  // TEST_SUITE
