#include "smoke-test/smoke_test_spec.hpp"

namespace smoke_test {

std::vector<gantry::InputSpec> check_source_inputs() {
    using gantry::InputType;
    return {
        {.name = "file",
         .type = InputType::String,
         .description = "A YAML check file (keys: base-url, secrets, defaults, checks; see the README).",
         .value_name = "FILE",
         .short_flag = 'f'},
        {.name = "check",
         .type = InputType::List,
         .description = "An inline check, '[METHOD] URL [STATUS...] [ASSERTIONS...]', e.g. 'GET /healthz 200 "
                        "json:/status==ok <500ms' (repeatable). One per line.",
         .value_name = "CHECK"},
        {.name = "var",
         .type = InputType::List,
         .description = "A variable for ${NAME} in checks, as NAME=VALUE (repeatable; wins over the environment). "
                        "One per line.",
         .value_name = "NAME=VALUE"},
        {.name = "secret-var",
         .type = InputType::List,
         .description = "Names of variables whose values are secret: masked in every output (repeatable). One per "
                        "line.",
         .value_name = "NAME"},
        {.name = "base-url",
         .type = InputType::String,
         .description = "Base for relative check URLs; overrides the file's base-url.",
         .value_name = "URL"},
        {.name = "cacert",
         .type = InputType::String,
         .description = "A PEM bundle of CA certificates to trust instead of the built-in one (a private CA).",
         .value_name = "FILE"},
        {.name = "timeout",
         .type = InputType::String,
         .description = "Time limit of one attempt, unless a check sets its own.",
         .default_value = "10s",
         .value_name = "DURATION"},
    };
}

namespace {

gantry::ToolSpec make_spec() {
    using gantry::InputType;
    gantry::ToolSpec s;
    s.name = "smoke-test";
    s.summary = "Check a deployment over HTTP(S) and TCP: status, body, JSON, timings, certificates, with retries";
    s.description =
        "smoke-test runs post-deployment checks from a YAML file (-f checks.yml) and from --check arguments "
        "(`--check 'GET https://example.com/healthz 200 json:/status==ok <500ms'`). A check asserts on the "
        "status (codes, 2xx or ranges), headers, the body (contains, regex), JSON values by JSON pointer "
        "(equals, exists, type, numeric comparisons), the total time and each phase (DNS, connect, TLS, time "
        "to first byte), and the TLS certificate (days before expiry, host name, TLS version). TCP checks "
        "only connect. ${VAR} takes values from --var and the environment; --base-url lets one file serve "
        "staging and production.\n\n"
        "Checks run concurrently over libcurl's multi interface (HTTP/2 where offered, connections per host "
        "bounded) and are reported in file order. While a service comes up, failed attempts are retried with "
        "exponential backoff and full jitter, Retry-After is honoured, and --deadline bounds the whole run; a "
        "check that passed only after a retry is flaky. --consecutive N passes a check only after N "
        "successes in a row.\n\n"
        "Certificates are always verified unless a check says `insecure: true` (reported as a warning). "
        "Authorization and Cookie values, Set-Cookie values and variables named by --secret-var are masked "
        "everywhere. Exit status: 0 all checks passed, 1 a check failed (or was flaky with --fail-on-flaky), "
        "2 bad check file or arguments, 3 cannot run.\n\n"
        "`smoke-test load` sends the same checks as a load test gated on thresholds, and `smoke-test load merge` "
        "adds the shard files of one; each has its own --help. The GitHub action and the GitLab component run them "
        "with the input command: load or command: load merge (INPUT_COMMAND).";
    s.inputs = check_source_inputs();
    s.inputs.insert(s.inputs.end(), {
        {.name = "attempts",
         .type = InputType::Number,
         .description = "Attempts per check (1 = no retry); overrides the check file's retry settings.",
         .value_name = "N"},
        {.name = "retry-on",
         .type = InputType::List,
         .description = "Failures that are retried: refused, dns, timeout, 5xx, assertion, tls or all "
                        "(repeatable or comma-separated). Default: refused, timeout, 5xx. One per line.",
         .value_name = "FAILURE"},
        {.name = "retry-delay",
         .type = InputType::String,
         .description = "Base of the exponential backoff between attempts (full jitter).",
         .default_value = "500ms",
         .value_name = "DURATION"},
        {.name = "max-retry-delay",
         .type = InputType::String,
         .description = "Longest wait between two attempts (a longer Retry-After is still honoured).",
         .default_value = "10s",
         .value_name = "DURATION"},
        {.name = "deadline",
         .type = InputType::String,
         .description = "Give up on every check still failing or not started after this long (e.g. 5m).",
         .value_name = "DURATION"},
        {.name = "consecutive",
         .type = InputType::Number,
         .description = "Wait mode: a check passes only after this many successes in a row.",
         .default_value = "1",
         .value_name = "N"},
        {.name = "fail-on-flaky",
         .type = InputType::Boolean,
         .description = "Fail when a check passed only after a retry."},
        {.name = "concurrency",
         .type = InputType::Number,
         .description = "How many checks run at once.",
         .default_value = "10",
         .value_name = "N"},
        {.name = "host-connections",
         .type = InputType::Number,
         .description = "At most this many connections to one host. Default: the --concurrency value, so "
                        "checks against one host run as many at once as asked; set it lower to spare a "
                        "host that many checks go to.",
         .value_name = "N"},
        {.name = "shard",
         .type = InputType::String,
         .description = "Run only shard I of N (1-based, e.g. 2/4): every Nth check, for matrix jobs.",
         .value_name = "I/N"},
        {.name = "junit",
         .type = InputType::String,
         .description = "Write a JUnit XML report (one test case per check, unique names) to this file.",
         .value_name = "FILE",
         .artifact = gantry::Artifact::JunitReport,
         .component_default = "gantry-smoke-test-junit.xml"},
    });
    s.outputs = {
        {"passed", "Checks that passed"},
        {"failed", "Checks that failed"},
        {"flaky", "Checks that passed only after a retry"},
        {"p95-ms", "95th percentile of the checks' response times, in milliseconds"},
        {"min-cert-days", "Fewest days before a checked TLS certificate expires (empty without HTTPS)"},
    };
    s.examples = {
        {"One inline check", "smoke-test --check 'GET https://example.com/healthz 200 json:/status==ok <500ms'"},
        {"A check file against staging, retrying for up to two minutes while it comes up",
         "smoke-test -f checks.yml --base-url https://staging.example.com --attempts 20 --deadline 2m --junit smoke.xml"},
        {"Wait until the service answered 3 times in a row",
         "smoke-test --consecutive 3 --deadline 5m --check 'GET https://example.com/ready 200'"},
    };
    s.branding_icon = "activity";
    s.branding_color = "green";
    return s;
}

}  // namespace

const gantry::ToolSpec& spec() {
    static const gantry::ToolSpec instance = make_spec();
    return instance;
}

const gantry::CommandSet& commands() {
    static const gantry::CommandSet instance{&spec(), "check", {{"load", &load_spec()}, {"load merge", &load_merge_spec()}}};
    return instance;
}

}  // namespace smoke_test
