#include "bluegreen-switch/bluegreen_switch_spec.hpp"

namespace bluegreen_switch {

namespace {

gantry::ToolSpec make_spec() {
    using gantry::InputType;
    gantry::ToolSpec s;
    s.name = "bluegreen-switch";
    s.summary = "Switch live traffic between blue and green on nginx, HAProxy, Caddy or Kubernetes, verify, "
                "roll back, and measure what the switch cost";
    s.description =
        "bluegreen-switch moves live traffic to the colour given by --to (or back with --rollback) through one "
        "of five providers: nginx (an included upstream file rewritten atomically, `nginx -t` before every "
        "reload), HAProxy (the runtime API: a map entry or server states and weights, persisted so a reload "
        "keeps them), Caddy (the admin API, with If-Match on the ETag; weights by repeating upstreams), Kubernetes (a Service selector, merge "
        "patch with resourceVersion) or your own commands (run as argv, never through a shell). With "
        "--flag-file, nginx and Caddy route by a flag file instead and switch without reloading anything.\n\n"
        "Every switch follows the same steps: read and check every input (check files, CA bundles, "
        "credentials) before anything changes; take a lock; read the live colour (from the load balancer, and "
        "through --read-url or --witness-url what it really serves) and compare it with the state file (drift "
        "is refused unless --force); health-check the target colour directly (--health, a smoke-test check "
        "file where ${COLOR} and ${TARGET} name the target); switch, at once or in weighted steps (--steps "
        "10,50,100, providers with weights only) with the checks between steps; wait until the entrypoint "
        "answers with the new colour; verify through it (--verify); roll back automatically when verification "
        "fails, the witness never sees the new colour or an error budget is exceeded; wait for the old colour "
        "to drain. With --analysis, each weighted step is a canary step: the file's metrics (Prometheus "
        "instant queries via --prometheus-url, or the witness's error rate and p95 latency for the step) are "
        "measured at their intervals, and one failing beyond its failure-limit rolls back at once (exit 1); a "
        "Prometheus that stays unreachable rolls back too (exit 3). --dry-run prints the exact file diff, API calls or commands and changes nothing.\n\n"
        "While it switches, a traffic witness sends keep-alive requests through the public entrypoint "
        "(--witness-url, --witness-rate) and reports the failed requests, the longest gap without a "
        "successful answer and the time to the first and to the last old-colour answer. Failed answers "
        "(--error-budget, default 0) and requests sent on a keep-alive connection a reload closed "
        "(--closed-connection-budget, default 4 per step) are budgeted apart; more than either rolls the "
        "switch back.\n\n"
        "The state file records the live and previous colour, and marks a switch in progress (pending) so that "
        "a rerun after a crash sets the load balancer again; a failed step leaves it exactly as it was. The "
        "audit log gets one JSON line per action and a result line for every run, refused or not. "
        "--repair-state rewrites the state file from what the load balancer serves. Exit status: 0 switched "
        "or nothing to do, 1 refused (unhealthy target, drift, lock held), rolled back, or --status found "
        "drift or an interrupted switch, 2 bad usage or configuration (an invalid nginx configuration is never "
        "reloaded), 3 the provider cannot be reached.";
    s.inputs = {
        {.name = "provider",
         .type = InputType::String,
         .description = "The load balancer that carries the traffic.",
         .value_name = "PROVIDER",
         .choices = {"nginx", "haproxy", "caddy", "kubernetes", "command"},
         .requirement = gantry::Requirement::Required,
         .short_flag = 'p'},
        {.name = "to",
         .type = InputType::String,
         .description = "The colour to send the traffic to.",
         .value_name = "COLOR",
         .choices = {"blue", "green"}},
        {.name = "rollback",
         .type = InputType::Boolean,
         .description = "Switch back to the previous colour recorded in the state file."},
        {.name = "status",
         .type = InputType::Boolean,
         .description = "Only read and report the live colour, the recorded state and any drift (exit 1 on drift or "
                        "an interrupted switch)."},
        {.name = "repair-state",
         .type = InputType::Boolean,
         .description = "Rewrite the state file from what the load balancer serves (after a malformed state file, a "
                        "change made by hand, or an interrupted switch)."},
        {.name = "dry-run",
         .type = InputType::Boolean,
         .description = "Print the exact file diff, API calls or commands the switch would make, and change nothing."},
        {.name = "force",
         .type = InputType::Boolean,
         .description = "Switch even when the live colour differs from the state file (drift)."},
        {.name = "blue",
         .type = InputType::String,
         .description = "The blue colour as the provider names it: host:port for nginx and Caddy, a backend "
                        "(map) or server name for HAProxy, a label value for Kubernetes.",
         .value_name = "ADDRESS"},
        {.name = "green",
         .type = InputType::String,
         .description = "The green colour, named the same way as --blue.",
         .value_name = "ADDRESS"},
        {.name = "state-file",
         .type = InputType::String,
         .description = "The JSON state file (live and previous colour, when, version), written atomically.",
         .default_value = "bluegreen-state.json",
         .value_name = "FILE",
         .artifact = gantry::Artifact::File},
        {.name = "audit-log",
         .type = InputType::String,
         .description = "Append one JSON line per action to this file (default: the state file with .audit.jsonl).",
         .value_name = "FILE",
         .artifact = gantry::Artifact::File,
         .component_default = "bluegreen-state.json.audit.jsonl"},
        {.name = "lock-file",
         .type = InputType::String,
         .description = "The lock against a concurrent switch (default: the state file with .lock).",
         .value_name = "FILE"},
        {.name = "deploy-version",
         .type = InputType::String,
         .description = "The version being deployed on the target colour, recorded in the state file.",
         .value_name = "VERSION"},
        {.name = "health",
         .type = InputType::String,
         .description = "A smoke-test check file run against the target colour before the switch and between "
                        "steps; ${COLOR} and ${TARGET} name the target.",
         .value_name = "FILE"},
        {.name = "verify",
         .type = InputType::String,
         .description = "A smoke-test check file run through the public entrypoint after the switch; a failure "
                        "rolls back. ${COLOR} names the new colour.",
         .value_name = "FILE"},
        {.name = "cacert",
         .type = InputType::String,
         .description = "A PEM bundle of CA certificates for the health, verify and witness requests.",
         .value_name = "FILE"},
        {.name = "steps",
         .type = InputType::String,
         .description = "Shift the traffic in weighted steps, in percent, e.g. 10,50,100 (nginx, HAProxy server "
                        "mode, Caddy by repeating upstreams under its random or round_robin policy, commands taking "
                        "{percent}; a Kubernetes Service selector has no weights, it and the others accept only 100).",
         .default_value = "100",
         .value_name = "PERCENTS"},
        {.name = "step-pause",
         .type = InputType::String,
         .description = "How long to watch each weighted step before the next one.",
         .default_value = "0s",
         .value_name = "DURATION"},
        {.name = "analysis",
         .type = InputType::String,
         .description = "A canary analysis file (YAML): Prometheus queries, witness figures and smoke-test check files "
                        "run against the new colour, each with a condition such as 'result < 0.01', measured at its "
                        "interval during every weighted step; "
                        "a metric failing beyond its failure-limit rolls the switch back.",
         .value_name = "FILE"},
        {.name = "prometheus-url",
         .type = InputType::String,
         .description = "Prometheus for the analysis's queries (instant query API); the bearer token comes from the "
                        "variable the analysis file names (token-env), else PROMETHEUS_TOKEN.",
         .value_name = "URL"},
        {.name = "witness-url",
         .type = InputType::String,
         .description = "The public entrypoint the traffic witness sends keep-alive requests to during the switch.",
         .value_name = "URL"},
        {.name = "witness-rate",
         .type = InputType::Number,
         .description = "Witness requests per second.",
         .default_value = "50",
         .value_name = "N"},
        {.name = "read-url",
         .type = InputType::String,
         .description = "A URL through the load balancer whose answers name the colour: what is really served, "
                        "read on new connections before and after the switch (default: --witness-url).",
         .value_name = "URL"},
        {.name = "color-header",
         .type = InputType::String,
         .description = "The response header naming the colour that answered (else the body is searched for "
                        "\"blue\" or \"green\").",
         .default_value = "X-Color",
         .value_name = "NAME"},
        {.name = "error-budget",
         .type = InputType::Number,
         .description = "Failed witness answers (transport errors, 5xx) tolerated during the switch; more roll it back.",
         .default_value = "0",
         .value_name = "N"},
        {.name = "closed-connection-budget",
         .type = InputType::Number,
         .description = "Witness requests sent on a keep-alive connection the load balancer closed (a reload "
                        "does that) tolerated during the switch; more roll it back (default: 4 per step, one per "
                        "witness connection).",
         .value_name = "N"},
        {.name = "drain-timeout",
         .type = InputType::String,
         .description = "Wait at most this long for the old colour's requests in flight to finish.",
         .default_value = "30s",
         .value_name = "DURATION"},
        {.name = "settle",
         .type = InputType::String,
         .description = "Keep the witness running this long after the switch before verifying; it must see the new "
                        "colour by then (the window is at least 5 witness requests long).",
         .default_value = "1s",
         .value_name = "DURATION"},
        {.name = "timeout",
         .type = InputType::String,
         .description = "Time limit of each call to the load balancer, and of each wait for it (HAProxy's checks to "
                        "report the target UP, the entrypoint to answer with the new colour).",
         .default_value = "10s",
         .value_name = "DURATION"},
        {.name = "flag-file",
         .type = InputType::String,
         .description = "nginx and Caddy: switch by creating (green) or removing (blue) this file, which the "
                        "configuration tests on every request: no reload, no closed connection.",
         .value_name = "FILE"},
        {.name = "nginx-upstream-file",
         .type = InputType::String,
         .description = "nginx: the upstream file included by the configuration, rewritten atomically.",
         .value_name = "FILE"},
        {.name = "nginx-test-command",
         .type = InputType::String,
         .description = "nginx: the command that tests the configuration (argv, no shell).",
         .default_value = "nginx -t",
         .value_name = "COMMAND"},
        {.name = "nginx-reload-command",
         .type = InputType::String,
         .description = "nginx: the command that reloads it (argv, no shell).",
         .default_value = "nginx -s reload",
         .value_name = "COMMAND"},
        {.name = "haproxy-socket",
         .type = InputType::String,
         .description = "HAProxy: the runtime API, a unix socket path or host:port.",
         .value_name = "SOCKET"},
        {.name = "haproxy-map",
         .type = InputType::String,
         .description = "HAProxy map mode: the map file as HAProxy loaded it (also rewritten so a reload keeps "
                        "the switch).",
         .value_name = "FILE"},
        {.name = "haproxy-map-key",
         .type = InputType::String,
         .description = "HAProxy map mode: the key whose value names the live backend.",
         .default_value = "active",
         .value_name = "KEY"},
        {.name = "haproxy-backend",
         .type = InputType::String,
         .description = "HAProxy server mode: the backend with one server per colour (named by --blue/--green).",
         .value_name = "BACKEND"},
        {.name = "haproxy-state-file",
         .type = InputType::String,
         .description = "HAProxy server mode: save the server states here after a switch (server-state-file).",
         .value_name = "FILE"},
        {.name = "caddy-admin",
         .type = InputType::String,
         .description = "Caddy: the admin API address.",
         .default_value = "http://127.0.0.1:2019",
         .value_name = "URL"},
        {.name = "caddy-id",
         .type = InputType::String,
         .description = "Caddy: the @id of the reverse_proxy handler whose upstreams are switched.",
         .default_value = "bg_proxy",
         .value_name = "ID"},
        {.name = "kube-service",
         .type = InputType::String,
         .description = "Kubernetes: the Service whose selector picks the colour.",
         .value_name = "NAME"},
        {.name = "kube-namespace",
         .type = InputType::String,
         .description = "Kubernetes: the namespace (default: the service account's, else default).",
         .value_name = "NAMESPACE"},
        {.name = "kube-selector-key",
         .type = InputType::String,
         .description = "Kubernetes: the selector label that carries the colour.",
         .default_value = "color",
         .value_name = "LABEL"},
        {.name = "kubeconfig",
         .type = InputType::String,
         .description = "Kubernetes: a kubeconfig file, outside a pod (default: $KUBECONFIG).",
         .value_name = "FILE"},
        {.name = "switch-command",
         .type = InputType::String,
         .description = "command provider: switches traffic; {target}, {color} and {percent} are substituted "
                        "(argv, no shell).",
         .value_name = "COMMAND"},
        {.name = "read-command",
         .type = InputType::String,
         .description = "command provider: prints the live colour (blue or green).",
         .value_name = "COMMAND"},
        {.name = "junit",
         .type = InputType::String,
         .description = "Write a JUnit XML report (health, switch, verify, drain) to this file.",
         .value_name = "FILE",
         .artifact = gantry::Artifact::JunitReport,
         .component_default = "gantry-bluegreen-switch-junit.xml"},
    };
    s.outputs = {
        {"live-color", "The colour receiving the traffic at the end"},
        {"previous-color", "The colour that received it before"},
        {"switched", "true when the traffic moved (and stayed moved)"},
        {"rolled-back", "true when the switch was rolled back"},
        {"errors-during-switch", "Failed witness answers during the switch"},
        {"closed-connection-errors", "Witness requests sent on a keep-alive connection the load balancer closed"},
        {"max-gap-ms", "Longest time without a successful witness answer, in milliseconds"},
        {"switch-ms", "Time from the switch command to the last old-colour answer, in milliseconds"},
        {"analysis", "The canary analysis: passed, failed or inconclusive (empty without --analysis)"},
        {"failed-metric", "The analysis metric that failed or gave no data, when one did"},
    };
    s.examples = {
        {"nginx: health-check green directly, switch, verify through the entrypoint",
         "bluegreen-switch -p nginx --to green --blue 10.0.0.1:8080 --green 10.0.0.2:8080 "
         "--nginx-upstream-file /etc/nginx/app-upstream.conf --health health.yml --verify verify.yml "
         "--witness-url https://app.example.com/"},
        {"HAProxy map switch over the runtime API",
         "bluegreen-switch -p haproxy --to green --haproxy-socket /run/haproxy/admin.sock "
         "--haproxy-map /etc/haproxy/bg.map --blue be_blue --green be_green"},
        {"Weighted steps on HAProxy servers, watching 30 s per step",
         "bluegreen-switch -p haproxy --to green --haproxy-socket /run/haproxy/admin.sock --haproxy-backend app "
         "--steps 10,50,100 --step-pause 30s --witness-url https://app.example.com/"},
        {"Canary: 5%, 25%, 50%, then all, each step gated by Prometheus and witness metrics",
         "bluegreen-switch -p haproxy --to green --haproxy-socket /run/haproxy/admin.sock --haproxy-backend app "
         "--steps 5,25,50,100 --step-pause 1m --analysis canary.yml --prometheus-url http://prometheus:9090 "
         "--witness-url https://app.example.com/"},
        {"Back to the previous colour", "bluegreen-switch -p caddy --rollback --blue 10.0.0.1:80 --green 10.0.0.2:80"},
        {"What would change, without changing it",
         "bluegreen-switch -p kubernetes --kube-service web --to green --dry-run"},
    };
    s.branding_icon = "shuffle";
    s.branding_color = "blue";
    s.gitlab_job = gantry::GitlabJob::Deployment;
    return s;
}

}  // namespace

const gantry::ToolSpec& spec() {
    static const gantry::ToolSpec instance = make_spec();
    return instance;
}

}  // namespace bluegreen_switch
