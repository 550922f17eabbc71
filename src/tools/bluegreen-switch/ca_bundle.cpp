#include "bluegreen-switch/ca_bundle.hpp"

#include <memory>
#include <system_error>

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"

namespace bluegreen_switch {

void require_ca_certificates(std::string_view pem, const std::string& what) {
    const std::unique_ptr<BIO, decltype(&BIO_free)> input(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    if (!input) throw gantry::EnvironmentError("out of memory reading " + what);
    int certificates = 0;
    ERR_clear_error();
    while (X509* certificate = PEM_read_bio_X509(input.get(), nullptr, nullptr, nullptr)) {
        X509_free(certificate);
        ++certificates;
    }
    // The loop ends at the end of the input (PEM_R_NO_START_LINE) or at a certificate that does not parse.
    const unsigned long error = ERR_peek_last_error();
    const bool clean_end = error == 0 || (ERR_GET_LIB(error) == ERR_LIB_PEM && ERR_GET_REASON(error) == PEM_R_NO_START_LINE);
    ERR_clear_error();
    if (!clean_end) {
        throw gantry::InputError(fmt::format(
            "{}: certificate {} does not parse (expected PEM -----BEGIN CERTIFICATE----- blocks)", what, certificates + 1));
    }
    if (certificates == 0) {
        throw gantry::InputError(fmt::format("{}: no certificate in it (expected PEM -----BEGIN CERTIFICATE----- blocks)", what));
    }
}

void require_ca_bundle_file(const std::string& file, const std::string& what) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) {
        throw gantry::InputError(fmt::format("{}: no such file (expected a PEM file of CA certificates)", what));
    }
    require_ca_certificates(gantry::read_file(file), what);
}

}  // namespace bluegreen_switch
