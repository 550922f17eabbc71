// HAProxy's runtime API (the "stats socket" CLI): one command per connection, answered in text.
//
// HaproxyRuntimeApi connects to a unix socket ("/run/haproxy/admin.sock", optionally "unix@...") or a
// TCP address ("127.0.0.1:9999", "ipv4@host:port", "[::1]:9999"), sends "COMMAND\n", reads the answer
// until HAProxy closes the connection and returns it. Every connect, send and read is bounded by the
// timeout. A socket that cannot be reached is an EnvironmentError ("HAProxy's runtime API at X cannot
// be reached: <reason>"). Answers that are errors whatever the command ("Unknown command", "Permission
// denied", "Require ...") are EnvironmentErrors (wrong HAProxy version or socket level); answers that
// reject a name the user configured ("No such backend.", "Unknown map identifier", "Can't find ...")
// are InputErrors. Both messages quote the command and HAProxy's first line.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace bluegreen_switch {

// Sends one command, returns HAProxy's answer (tests replace the socket with a function).
using RuntimeCommandSender = std::function<std::string(const std::string& command)>;

class HaproxyRuntimeApi {
public:
    HaproxyRuntimeApi(std::string address, std::chrono::milliseconds timeout);

    // The answer to `command` (without trailing newlines), checked for error answers.
    std::string execute(const std::string& command) const;
    // The same, unchecked.
    std::string send(const std::string& command) const;
    const std::string& address() const { return address_; }

private:
    std::string address_;
    std::chrono::milliseconds timeout_;
};

// Throws the error an answer stands for (see above); returns when it is not an error answer.
void check_runtime_answer(const std::string& address, const std::string& command, const std::string& answer);

}  // namespace bluegreen_switch
