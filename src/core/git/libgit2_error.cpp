#include "libgit2_error.hpp"

#include <git2.h>
#include <openssl/ssl.h>

#include <fmt/format.h>

#include "gantry/base/error.hpp"

namespace gantry::git_detail {

namespace {

// libgit2 keeps process-wide state that must be set up once; this object owns that for the
// lifetime of the program.
struct Libgit2Library {
    Libgit2Library() {
        // OpenSSL initialises once per process, the first call deciding: a static tool must not read
        // the host's openssl.cnf (it may name engines or providers to dlopen), as libgit2 would.
        OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
        git_libgit2_init();
        // CI checkouts are often owned by another uid than the job's; we only read objects and refs.
        git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
        // git itself does not re-hash objects it reads from its own repository; hashing every commit
        // of a long walk (with SHA-1 collision detection) would dominate the run time.
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    }
    ~Libgit2Library() { git_libgit2_shutdown(); }
    Libgit2Library(const Libgit2Library&) = delete;
    Libgit2Library& operator=(const Libgit2Library&) = delete;
};

}  // namespace

void ensure_libgit2() { static const Libgit2Library library; }

std::string libgit2_message(std::string_view what) {
    const git_error* error = git_error_last();
    return error && error->message ? fmt::format("{}: {}", what, error->message) : std::string(what);
}

void check(int code, std::string_view what) {
    if (code < 0) throw EnvironmentError(libgit2_message(what));
}

}  // namespace gantry::git_detail
