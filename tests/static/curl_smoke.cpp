// curl_smoke URL: GETs URL with gantry's static libcurl and writes the body to stdout.
//
// Exists to prove that cmake/GantryCurl.cmake produces a libcurl that links into a fully static
// executable and works at run time (c-ares resolver, no NSS, no shared OpenSSL). Exit codes: 0 on
// an HTTP 2xx answer, 1 on any other answer or transfer error, 2 on bad usage.
#include <cstdio>
#include <string>

#include <curl/curl.h>

namespace {

size_t write_body(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: curl_smoke URL\n");
        return 2;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        std::fprintf(stderr, "curl_smoke: curl_global_init failed\n");
        return 1;
    }
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    std::fprintf(stderr, "curl_smoke: libcurl %s, %s, c-ares %s\n", info->version,
                 info->ssl_version ? info->ssl_version : "no TLS", info->ares ? info->ares : "none");

    CURL* handle = curl_easy_init();
    std::string body;
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(handle, CURLOPT_URL, argv[1]);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, 20L);
    // The test server is on loopback: a proxy from the caller's environment must not intercept it.
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    const CURLcode result = curl_easy_perform(handle);
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(handle);
    curl_global_cleanup();

    if (result != CURLE_OK) {
        std::fprintf(stderr, "curl_smoke: %s: %s\n", argv[1], error[0] ? error : curl_easy_strerror(result));
        return 1;
    }
    std::fwrite(body.data(), 1, body.size(), stdout);
    if (status < 200 || status > 299) {
        std::fprintf(stderr, "curl_smoke: %s: HTTP %ld\n", argv[1], status);
        return 1;
    }
    return 0;
}
