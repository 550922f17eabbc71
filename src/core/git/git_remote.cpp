#include "gantry/git/git_remote.hpp"

#include <git2.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "libgit2_error.hpp"

namespace gantry {

namespace {

using OwnedRemote = std::unique_ptr<git_remote, void (*)(git_remote*)>;

constexpr std::string_view kSupported = "only https://, http://, file:// and local-path remotes are supported";

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Where the userinfo of "scheme://user:secret@host/x" is: from `authority` (after "://") to `at`
// (the '@'); nullopt when the URL has none.
struct Userinfo {
    std::size_t authority;
    std::size_t at;
};
std::optional<Userinfo> find_userinfo(const std::string& url) {
    const std::size_t scheme = url.find("://");
    if (scheme == std::string::npos) return std::nullopt;
    const std::size_t authority = scheme + 3;
    const std::size_t end = url.find_first_of("/?#", authority);
    const std::size_t at = url.rfind('@', end == std::string::npos ? url.size() : end);
    if (at == std::string::npos || at < authority) return std::nullopt;
    return Userinfo{authority, at};
}

// "https://user:secret@host/x" -> "https://user:***@host/x"; other URLs as they are.
std::string mask_url_password(const std::string& url) {
    const auto userinfo = find_userinfo(url);
    if (!userinfo) return url;
    const std::size_t colon = url.find(':', userinfo->authority);
    if (colon == std::string::npos || colon > userinfo->at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(userinfo->at);
}

// "https://user:secret@host/x" -> "https://host/x".
std::string without_userinfo(const std::string& url) {
    const auto userinfo = find_userinfo(url);
    if (!userinfo) return url;
    return url.substr(0, userinfo->authority) + url.substr(userinfo->at + 1);
}

// The URL's password, "" when none (so messages can be scrubbed of it).
std::string url_password(const std::string& url) {
    const std::string masked = mask_url_password(url);
    if (masked == url) return "";
    const std::size_t colon = masked.find(":***");
    const std::size_t at = url.find('@', colon);
    return url.substr(colon + 1, at - colon - 1);
}

enum class RemoteKind { Supported, Ssh, GitProtocol };

RemoteKind classify(const std::string& url) {
    if (starts_with(url, "https://") || starts_with(url, "http://") || starts_with(url, "file://")) return RemoteKind::Supported;
    if (starts_with(url, "ssh://") || starts_with(url, "git+ssh://") || starts_with(url, "ssh+git://")) return RemoteKind::Ssh;
    if (starts_with(url, "git://")) return RemoteKind::GitProtocol;
    if (url.find("://") != std::string::npos) return RemoteKind::GitProtocol;  // any other scheme
    // scp-like "git@host:group/project.git": a ':' before the first '/'.
    const std::size_t colon = url.find(':');
    const std::size_t slash = url.find('/');
    if (colon != std::string::npos && (slash == std::string::npos || colon < slash)) return RemoteKind::Ssh;
    return RemoteKind::Supported;  // a local path
}

OwnedRemote open_remote(const GitRepository& repository, const std::string& remote) {
    git_detail::ensure_libgit2();
    git_remote* raw = nullptr;
    int code = git_remote_lookup(&raw, repository.handle(), remote.c_str());
    if (code == GIT_ENOTFOUND || code == GIT_EINVALIDSPEC) {
        const bool looks_like_url = remote.find("://") != std::string::npos || remote.find('/') != std::string::npos ||
                                    classify(remote) != RemoteKind::Supported;
        if (!looks_like_url) {
            throw UsageError(fmt::format("--remote {}: the repository has no such remote (expected a remote's name such "
                                         "as origin, or a URL)", remote));
        }
        code = git_remote_create_anonymous(&raw, repository.handle(), remote.c_str());
    }
    git_detail::check(code, fmt::format("cannot open the remote {}", mask_url_password(remote)));
    return OwnedRemote(raw, git_remote_free);
}

// What the callbacks need, and what they saw.
struct PushSession {
    const TagPushSettings* settings = nullptr;
    int credential_requests = 0;
    bool offered_token = false;
    std::string rejection;  // the remote's reason for refusing the ref, if it did
};

int acquire_credentials(git_credential** out, const char* /*url*/, const char* /*user_from_url*/, unsigned int allowed,
                        void* payload) {
    auto& session = *static_cast<PushSession*>(payload);
    ++session.credential_requests;
    // libgit2 asks again after every refusal: offer the token once, then let the push fail.
    if (!session.settings->credentials || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) {
        git_error_set_str(GIT_ERROR_NET, "the remote asks for credentials and no token was given");
        return GIT_EAUTH;
    }
    if (session.offered_token) {
        git_error_set_str(GIT_ERROR_NET, "the remote refused the credentials");
        return GIT_EAUTH;
    }
    session.offered_token = true;
    const RemoteCredentials& credentials = *session.settings->credentials;
    return git_credential_userpass_plaintext_new(out, credentials.user.c_str(), credentials.token.c_str());
}

int record_rejection(const char* refname, const char* status, void* payload) {
    if (status) static_cast<PushSession*>(payload)->rejection = fmt::format("{}: {}", refname, status);
    return 0;
}

git_remote_callbacks callbacks_for(PushSession& session) {
    git_remote_callbacks callbacks;
    git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
    callbacks.credentials = acquire_credentials;
    callbacks.push_update_reference = record_rejection;
    callbacks.payload = &session;
    return callbacks;
}

enum class Failure { Transport, Authentication, Certificate, Other };

struct AttemptError {
    Failure failure = Failure::Other;
    std::string message;
};

AttemptError last_error(int code, const PushSession& session) {
    const git_error* error = git_error_last();
    AttemptError out;
    out.message = error && error->message ? error->message : fmt::format("libgit2 error {}", code);
    const int klass = error ? error->klass : GIT_ERROR_NONE;
    if (code == GIT_EAUTH || (session.credential_requests > 0 && out.message.find("authentication") != std::string::npos) ||
        out.message.find("refused the credentials") != std::string::npos || out.message.find("no token was given") != std::string::npos ||
        out.message.find(" 401") != std::string::npos || out.message.find(" 403") != std::string::npos) {
        out.failure = Failure::Authentication;
    } else if (code == GIT_ECERTIFICATE) {
        out.failure = Failure::Certificate;
    } else if (klass == GIT_ERROR_NET || klass == GIT_ERROR_SSL || klass == GIT_ERROR_OS || klass == GIT_ERROR_HTTP) {
        out.failure = Failure::Transport;
    }
    return out;
}

// The remote's commit for refs/tags/<tag> ("" when it has no such tag), peeling annotated tags.
std::string remote_tag_commit(git_remote* remote, const std::string& tag) {
    const git_remote_head** heads = nullptr;
    std::size_t count = 0;
    git_detail::check(git_remote_ls(&heads, &count, remote), "cannot list the remote's tags");
    const std::string name = "refs/tags/" + tag;
    const std::string peeled = name + "^{}";
    std::string direct;
    for (std::size_t i = 0; i < count; ++i) {
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &heads[i]->oid);
        if (peeled == heads[i]->name) return hex;
        if (name == heads[i]->name) direct = hex;
    }
    return direct;
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
    for (const std::string& secret : secrets) {
        if (secret.empty()) continue;
        for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
            text.replace(at, secret.size(), "***");
        }
    }
    return text;
}

void apply_certificate_locations(const TagPushSettings& settings) {
    std::string file = settings.ca_file;
    if (file.empty()) file = settings.ssl_cert_file;
    // The scratch images keep the CA bundle where Debian does; OpenSSL's compiled-in default
    // (/usr/lib/ssl) exists on neither.
    std::error_code ignored;
    if (file.empty() && std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt", ignored)) {
        file = "/etc/ssl/certs/ca-certificates.crt";
    }
    if (file.empty()) return;
    if (!settings.ca_file.empty() && !std::filesystem::is_regular_file(file, ignored)) {
        throw InputError(fmt::format("--cacert {}: no such file (expected a PEM file of CA certificates)", file));
    }
    if (git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file.c_str(), nullptr) < 0) {
        const std::string message = git_detail::libgit2_message(fmt::format("{}: cannot load the CA certificates", file));
        if (!settings.ca_file.empty()) throw InputError("--cacert " + message);
        throw EnvironmentError(message);
    }
}

}  // namespace

std::string remote_display_url(const GitRepository& repository, const std::string& remote) {
    OwnedRemote handle = open_remote(repository, remote);
    const char* url = git_remote_url(handle.get());
    return mask_url_password(url ? url : remote);
}

namespace {

// The remote's URL; UsageError when it cannot be pushed to by this build.
std::string pushable_url(git_remote* remote, const std::string& name) {
    const std::string url = git_remote_url(remote) ? git_remote_url(remote) : name;
    const std::string shown = mask_url_password(url);
    switch (classify(url)) {
        case RemoteKind::Supported: break;
        case RemoteKind::Ssh:
            throw UsageError(fmt::format("--push git: the remote {} ({}) is an SSH remote; {} (the static build has no "
                                         "SSH). Fix: pass --remote with the https:// URL of the repository",
                                         name, shown, kSupported));
        case RemoteKind::GitProtocol:
            throw UsageError(fmt::format("--push git: the remote {} ({}) cannot be pushed to; {}", name, shown, kSupported));
    }
    return url;
}

}  // namespace

void check_push_remote(const GitRepository& repository, const std::string& remote) {
    OwnedRemote handle = open_remote(repository, remote);
    pushable_url(handle.get(), remote);
}

TagPushResult push_tag(GitRepository& repository, const std::string& tag, const std::string& commit_id,
                       const TagPushSettings& settings, const PushPause& sleep) {
    OwnedRemote remote = open_remote(repository, settings.remote);
    const std::string url = pushable_url(remote.get(), settings.remote);
    const std::string shown = mask_url_password(url);
    if (settings.credentials && without_userinfo(url) != url) {
        // The token given wins over the checkout's own credentials: libgit2 would try the URL's first
        // and, on a 403, never ask for others.
        git_remote* raw = nullptr;
        git_detail::check(git_remote_create_anonymous(&raw, repository.handle(), without_userinfo(url).c_str()),
                          fmt::format("cannot open the remote {}", shown));
        remote = OwnedRemote(raw, git_remote_free);
    }
    apply_certificate_locations(settings);
    const std::vector<std::string> secrets = {settings.credentials ? settings.credentials->token : "", url_password(url)};
    const std::string ca_used = !settings.ca_file.empty()         ? settings.ca_file
                                : !settings.ssl_cert_file.empty() ? settings.ssl_cert_file
                                                                  : "the system's CA bundle";

    AttemptError error;
    for (int attempt = 1; attempt <= settings.attempts; ++attempt) {
        if (attempt > 1) sleep(std::chrono::milliseconds(1000 * (attempt - 1)));
        PushSession session;
        session.settings = &settings;
        git_remote_callbacks callbacks = callbacks_for(session);

        int code = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr);
        if (code == 0) {
            const std::string existing = remote_tag_commit(remote.get(), tag);
            git_remote_disconnect(remote.get());
            if (existing == commit_id) return TagPushResult::AlreadyPublished;
            if (!existing.empty()) {
                throw InputError(fmt::format("the tag {} already exists on the remote {} on commit {}, not on {} (HEAD): "
                                             "a release is never moved. Fix: delete the remote tag if it is wrong, or "
                                             "release from {}",
                                             tag, shown, existing, commit_id, existing.substr(0, 7)));
            }
            const std::string refspec = fmt::format("refs/tags/{0}:refs/tags/{0}", tag);
            char* refspec_text = const_cast<char*>(refspec.c_str());
            const git_strarray refspecs = {&refspec_text, 1};
            git_push_options options;
            git_push_options_init(&options, GIT_PUSH_OPTIONS_VERSION);
            options.callbacks = callbacks;
            session.offered_token = false;  // the push is a new connection: it asks again
            code = git_remote_push(remote.get(), &refspecs, &options);
            if (code == 0 && session.rejection.empty()) return TagPushResult::Pushed;
            if (code == 0) {
                throw InputError(scrub(fmt::format("the remote {} refused the tag {} ({})", shown, tag, session.rejection), secrets));
            }
        }
        error = last_error(code, session);
        if (error.failure != Failure::Transport) break;
    }
    const std::string reason = scrub(error.message, secrets);
    switch (error.failure) {
        case Failure::Authentication:
            throw InputError(fmt::format(
                "pushing the tag {} to {}: authentication failed ({}). Fix: on GitHub give the job "
                "`permissions: contents: write` (GITHUB_TOKEN is used); on GitLab use a token allowed to push tags "
                "(--token, or GITLAB_TOKEN); or pass --token",
                tag, shown, reason));
        case Failure::Certificate:
            throw EnvironmentError(fmt::format("pushing the tag {} to {}: the server's TLS certificate does not verify "
                                               "against {} ({}). Fix: pass --cacert with the CA that signed it",
                                               tag, shown, ca_used, reason));
        case Failure::Transport:
            throw EnvironmentError(fmt::format("pushing the tag {} to {} failed {} times: {}", tag, shown, settings.attempts, reason));
        case Failure::Other: break;
    }
    throw EnvironmentError(fmt::format("pushing the tag {} to {}: {}", tag, shown, reason));
}

}  // namespace gantry
