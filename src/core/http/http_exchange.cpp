#include "gantry/http/http_exchange.hpp"

#include <algorithm>
#include <cctype>

namespace gantry::http {

const char* to_string(TransportFailure failure) {
    switch (failure) {
        case TransportFailure::None: return "none";
        case TransportFailure::Dns: return "dns";
        case TransportFailure::Refused: return "refused";
        case TransportFailure::Timeout: return "timeout";
        case TransportFailure::Tls: return "tls";
        case TransportFailure::Certificate: return "certificate";
        case TransportFailure::Other: return "other";
    }
    return "other";
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    const auto same = [name](const std::string& candidate) {
        return std::equal(candidate.begin(), candidate.end(), name.begin(), name.end(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        });
    };
    for (const auto& [key, value] : headers) {
        if (same(key)) return value;
    }
    return std::nullopt;
}

}  // namespace gantry::http
