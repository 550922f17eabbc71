// CA bundles named on the command line or in a kubeconfig, checked before they are needed.
//
// require_ca_certificates() parses PEM text with OpenSSL: it must hold at least one certificate, and
// every certificate in it must parse. require_ca_bundle_file() reads a file and does the same.
// Otherwise it is an InputError that starts with `what` (the flag or kubeconfig field, and the file)
// - found before the lock, not when the first TLS handshake fails half-way through a switch.
#pragma once

#include <string>
#include <string_view>

namespace bluegreen_switch {

void require_ca_certificates(std::string_view pem, const std::string& what);
void require_ca_bundle_file(const std::string& file, const std::string& what);

}  // namespace bluegreen_switch
