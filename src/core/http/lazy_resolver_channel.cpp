// c-ares resolver channels created on first use instead of with every libcurl handle.
//
// libcurl 7.88 gives each easy handle its own c-ares channel, created in curl_easy_init(), and a
// c-ares 1.18 channel costs about 74 KB (its query tables are fixed arrays) plus a read of
// resolv.conf. A load test holds one easy handle per request in flight, so 10,000 requests in flight
// cost 740 MB of resolver channels that never resolve anything: an IP literal needs no lookup, and a
// host name is looked up once and then found in the multi handle's shared DNS cache.
//
// The link (CMakeLists.txt, gantry_net) wraps the c-ares calls libcurl makes (ld --wrap), so
// libcurl's calls land here. ares_init_options() only records the options in a small LazyChannel;
// the real channel is created by the first call that needs one (a lookup, or a setting such as DNS
// servers), with exactly those options, and every later call goes to it. Until then the channel has
// no sockets, no timeout and nothing to cancel, which is what c-ares itself answers for an idle
// channel. A resolv.conf that cannot be read is therefore reported with the first lookup (as a
// failed lookup, the status c-ares gave) rather than when the handle is made. Options holding
// pointers (anything beyond the socket-state callback libcurl sets) make the channel real at once,
// since their storage belongs to the caller.
//
// ld wraps every reference to a wrapped name, c-ares' own calls between its objects included, and
// those pass real channels. So exactly the functions libcurl calls with a channel are wrapped, no
// more (ares_gethostbyname, say, calls ares_getaddrinfo from another object with a real channel);
// the resolver-wrap test (tests/static/check_resolver_wrap.py) checks both sides on the archives
// being linked.
#include <sys/select.h>

#include <new>

#include <ares.h>

namespace {

struct LazyChannel {
    ares_channel real = nullptr;
    ares_options options{};
    int optmask = 0;
};

LazyChannel* lazy(ares_channel channel) { return reinterpret_cast<LazyChannel*>(channel); }

}  // namespace

extern "C" {

int __real_ares_init_options(ares_channel* channel, ares_options* options, int optmask);
void __real_ares_destroy(ares_channel channel);
void __real_ares_cancel(ares_channel channel);
int __real_ares_getsock(ares_channel channel, ares_socket_t* sockets, int count);
timeval* __real_ares_timeout(ares_channel channel, timeval* max, timeval* tv);
void __real_ares_process_fd(ares_channel channel, ares_socket_t read_fd, ares_socket_t write_fd);
void __real_ares_getaddrinfo(ares_channel channel, const char* node, const char* service, const ares_addrinfo_hints* hints,
                             ares_addrinfo_callback callback, void* arg);
void __real_ares_set_local_dev(ares_channel channel, const char* name);
void __real_ares_set_local_ip4(ares_channel channel, unsigned int ip);
void __real_ares_set_local_ip6(ares_channel channel, const unsigned char* ip);
int __real_ares_set_servers_ports_csv(ares_channel channel, const char* servers);

}  // extern "C"

namespace {

// The real channel, created now if it was not yet; ARES_SUCCESS or c-ares' status.
int materialise(LazyChannel* channel) {
    if (channel->real) return ARES_SUCCESS;
    return __real_ares_init_options(&channel->real, &channel->options, channel->optmask);
}

}  // namespace

extern "C" {

int __wrap_ares_init_options(ares_channel* channel, ares_options* options, int optmask) {
    auto* made = new (std::nothrow) LazyChannel;
    if (!made) return ARES_ENOMEM;
    if (options) made->options = *options;
    made->optmask = optmask;
    if ((optmask & ~ARES_OPT_SOCK_STATE_CB) != 0) {
        const int status = __real_ares_init_options(&made->real, options, optmask);
        if (status != ARES_SUCCESS) {
            delete made;
            return status;
        }
    }
    *channel = reinterpret_cast<ares_channel>(made);
    return ARES_SUCCESS;
}

void __wrap_ares_destroy(ares_channel channel) {
    if (!channel) return;
    if (lazy(channel)->real) __real_ares_destroy(lazy(channel)->real);
    delete lazy(channel);
}

void __wrap_ares_cancel(ares_channel channel) {
    if (lazy(channel)->real) __real_ares_cancel(lazy(channel)->real);
}

int __wrap_ares_getsock(ares_channel channel, ares_socket_t* sockets, int count) {
    return lazy(channel)->real ? __real_ares_getsock(lazy(channel)->real, sockets, count) : 0;
}

timeval* __wrap_ares_timeout(ares_channel channel, timeval* max, timeval* tv) {
    return lazy(channel)->real ? __real_ares_timeout(lazy(channel)->real, max, tv) : max;
}

void __wrap_ares_process_fd(ares_channel channel, ares_socket_t read_fd, ares_socket_t write_fd) {
    if (lazy(channel)->real) __real_ares_process_fd(lazy(channel)->real, read_fd, write_fd);
}

void __wrap_ares_getaddrinfo(ares_channel channel, const char* node, const char* service, const ares_addrinfo_hints* hints,
                             ares_addrinfo_callback callback, void* arg) {
    if (const int status = materialise(lazy(channel)); status != ARES_SUCCESS) {
        callback(arg, status, 0, nullptr);
        return;
    }
    __real_ares_getaddrinfo(lazy(channel)->real, node, service, hints, callback, arg);
}

void __wrap_ares_set_local_dev(ares_channel channel, const char* name) {
    if (materialise(lazy(channel)) == ARES_SUCCESS) __real_ares_set_local_dev(lazy(channel)->real, name);
}

void __wrap_ares_set_local_ip4(ares_channel channel, unsigned int ip) {
    if (materialise(lazy(channel)) == ARES_SUCCESS) __real_ares_set_local_ip4(lazy(channel)->real, ip);
}

void __wrap_ares_set_local_ip6(ares_channel channel, const unsigned char* ip) {
    if (materialise(lazy(channel)) == ARES_SUCCESS) __real_ares_set_local_ip6(lazy(channel)->real, ip);
}

int __wrap_ares_set_servers_ports_csv(ares_channel channel, const char* servers) {
    if (const int status = materialise(lazy(channel)); status != ARES_SUCCESS) return status;
    return __real_ares_set_servers_ports_csv(lazy(channel)->real, servers);
}

}  // extern "C"
