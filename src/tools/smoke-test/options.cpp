#include <charconv>
#include <cmath>

#include "gantry/base/error.hpp"
#include "gantry/checks/check_file.hpp"
#include "smoke-test/smoke_test.hpp"

namespace smoke_test {

using gantry::UsageError;

long long whole_number(const gantry::Inputs& inputs, const std::string& name, long long minimum, long long fallback) {
    const auto value = inputs.number(name);
    if (!value) return fallback;
    if (*value < static_cast<double>(minimum) || std::floor(*value) != *value || *value > 1e6) {
        throw UsageError("--" + name + " expects a whole number >= " + std::to_string(minimum));
    }
    return static_cast<long long>(*value);
}


Shard parse_shard(const std::string& text) {
    const auto slash = text.find('/');
    Shard shard;
    const auto number = [](std::string_view part, int& out) {
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
        return !part.empty() && ec == std::errc() && end == part.data() + part.size();
    };
    if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), shard.index) ||
        !number(std::string_view(text).substr(slash + 1), shard.count) || shard.count < 1 || shard.index < 1 ||
        shard.index > shard.count) {
        throw UsageError("--shard expects I/N with 1 <= I <= N (e.g. 2/4), got '" + text + "'");
    }
    return shard;
}

void read_check_source_inputs(const gantry::Inputs& inputs, Options& options) {
    options.check_file = inputs.get_or("file", "");
    options.inline_checks = inputs.list("check");
    if (options.check_file.empty() && options.inline_checks.empty()) {
        throw UsageError("no checks given: pass -f checks.yml and/or --check 'GET https://host/healthz 200' "
                         "(or the `file` / `check` inputs)");
    }
    options.variables = inputs.list("var");
    options.secret_variables = inputs.comma_list("secret-var");
    options.base_url = inputs.get_or("base-url", "");
    options.ca_file = inputs.get_or("cacert", "");
    options.timeout = gantry::checks::duration_input(inputs, "timeout", "10s");
}

Options options_from_inputs(const gantry::CommandLine& command_line) {
    const gantry::Inputs& inputs = command_line.inputs;
    Options options;
    read_check_source_inputs(inputs, options);
    if (inputs.source("attempts") != gantry::InputSource::Default) {
        options.attempts = static_cast<int>(whole_number(inputs, "attempts", 1, 1));
    }
    if (inputs.source("retry-on") != gantry::InputSource::Default) {
        options.retry_on = inputs.comma_list("retry-on");
        try {
            gantry::checks::parse_retry_on(*options.retry_on);
        } catch (const gantry::ValueError& e) {
            throw UsageError(std::string("--retry-on: ") + e.what());
        }
    }
    options.retry_delay = gantry::checks::duration_input(inputs, "retry-delay", "500ms");
    options.max_retry_delay = gantry::checks::duration_input(inputs, "max-retry-delay", "10s");
    if (const auto deadline = inputs.get("deadline"); deadline && !deadline->empty()) {
        options.deadline = gantry::checks::duration_input(inputs, "deadline", "");
    }
    options.consecutive = static_cast<int>(whole_number(inputs, "consecutive", 1, 1));
    options.flaky = inputs.flag("fail-on-flaky") ? FlakyPolicy::Fail : FlakyPolicy::Pass;
    options.concurrency = static_cast<int>(whole_number(inputs, "concurrency", 1, 10));
    // A user who asks for N checks at once gets N, also against one host, unless they set a per-host limit.
    options.host_connections = static_cast<int>(whole_number(inputs, "host-connections", 1, options.concurrency));
    if (const auto shard = inputs.get("shard"); shard && !shard->empty()) options.shard = parse_shard(*shard);
    options.junit_file = inputs.get_or("junit", "");
    options.verbosity = command_line.verbosity;
    return options;
}

}  // namespace smoke_test
