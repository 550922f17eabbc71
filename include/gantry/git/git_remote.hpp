// Publishing one tag to a remote of a repository, in-process with libgit2 (HTTPS over static OpenSSL).
//
// push_tag() pushes refs/tags/<name> to `remote` - a configured remote's name ("origin") or a URL -
// over https://, http://, file:// or a local path; ssh (ssh://, user@host:path) and git:// remotes are
// a UsageError saying which remotes are supported, since the static build carries no SSH. It first
// lists the remote's tags: the tag already there on the same commit is AlreadyPublished (idempotent),
// on another commit an InputError naming both commits. Credentials: `credentials` when given (any user
// and password in the remote's URL are then left out), else the user and password of the remote's URL
// (GitLab's checkout has them); a remote that refuses them is an InputError with the fix. Transport failures (connection, TLS handshake,
// 5xx) are retried `attempts` times, 1 s then 2 s apart (through `sleep`, so tests do not wait); a
// certificate that does not verify is an EnvironmentError naming the CA file used. TLS trusts
// `ca_file` when given, else SSL_CERT_FILE, else /etc/ssl/certs/ca-certificates.crt when present,
// else OpenSSL's defaults. No message ever holds the token or the URL's password.
// remote_display_url() is the remote's URL with any password replaced by "***", for messages.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "gantry/git/git_repository.hpp"

namespace gantry {

struct RemoteCredentials {
    std::string user;   // "x-access-token", "gitlab-ci-token", "oauth2"
    std::string token;  // never printed
};

struct TagPushSettings {
    std::string remote = "origin";
    std::optional<RemoteCredentials> credentials;
    std::string ca_file;           // "" = SSL_CERT_FILE, the Debian bundle, or OpenSSL's defaults
    std::string ssl_cert_file;     // the SSL_CERT_FILE of the job's environment ("" when unset)
    int attempts = 3;
};

enum class TagPushResult { Pushed, AlreadyPublished };

using PushPause = std::function<void(std::chrono::milliseconds)>;

TagPushResult push_tag(GitRepository& repository, const std::string& tag, const std::string& commit_id,
                       const TagPushSettings& settings, const PushPause& sleep);

// The UsageErrors push_tag() gives for an unknown or unsupported remote, before anything is written.
void check_push_remote(const GitRepository& repository, const std::string& remote);

// The URL `remote` stands for (a remote's URL, or `remote` itself), its password masked.
std::string remote_display_url(const GitRepository& repository, const std::string& remote);

}  // namespace gantry
