// `smoke-test load` and `smoke-test load merge`, declared once (--help is generated from them).
#include "smoke-test/smoke_test_spec.hpp"

namespace smoke_test {

namespace {

gantry::InputSpec threshold_input() {
    return {.name = "threshold",
            .type = gantry::InputType::List,
            .description = "A pass/fail criterion (repeatable): p95<500ms, p(99)<1s, avg<=200, max<2s, error-rate<1%, rps>=450; "
                           "per check with check=NAME:p95<300ms; windowed with ' per 30s' (every window must hold). "
                           "Exit 1 when one fails. One per line.",
            .value_name = "EXPR"};
}

gantry::InputSpec junit_input() {
    return {.name = "junit",
            .type = gantry::InputType::String,
            .description = "Write a JUnit XML report (one test case per threshold) to this file.",
            .value_name = "FILE",
            .artifact = gantry::Artifact::JunitReport};
}

std::vector<gantry::OutputSpec> load_outputs() {
    return {{"rps", "Requests per second achieved"},
            {"p95-ms", "95th percentile latency from the intended send time, in milliseconds"},
            {"p99-ms", "99th percentile latency from the intended send time, in milliseconds"},
            {"error-rate", "Share of requests that failed (0..1)"},
            {"thresholds-failed", "How many thresholds failed"}};
}

gantry::ToolSpec make_load_spec() {
    using gantry::InputType;
    gantry::ToolSpec s;
    s.name = "smoke-test load";
    s.summary = "Load-test a deployment with the smoke-test checks and gate on thresholds, exactly across CI shards";
    s.description =
        "smoke-test load sends the checks (a file and/or --check, each check's `weight` its share) as a load test. "
        "Open model: a constant arrival rate (--rate 500/s --duration 1m) or ramping stages (--stages "
        "30s:100,2m:500,30s:0), with at most --max-in-flight requests in flight; closed model: --vus N users, each "
        "sending when its previous request is answered, for --duration. Every response is judged by its check's "
        "assertions; failures count by class (connect, timeout, status, assertion, tls).\n\n"
        "Latency is measured from the intended send time (corrected for coordinated omission), next to the plain "
        "service time, in a log-linear histogram (HdrHistogram's scheme, under 0.4% relative error). --threshold "
        "gates the run (k6's syntax: p95<500ms, error-rate<1%, rps>=450, check=NAME:..., ' per 30s'); "
        "--abort-on-fail stops as soon as a threshold can no longer pass. Ctrl-C stops cleanly and reports what was "
        "measured, marked partial.\n\n"
        "--shard I/N sends every Nth request of the schedule; --histogram-out writes the shard's histograms and "
        "counters, and `smoke-test load merge shard-*.json --threshold ...` adds them exactly and evaluates the "
        "thresholds over the whole run. Exit status: 0 thresholds passed, 1 a threshold failed, 2 bad arguments, "
        "3 cannot run.";
    s.inputs = check_source_inputs();
    s.inputs.insert(s.inputs.end(), {
        {.name = "rate", .type = InputType::String, .description = "Open model: a constant arrival rate (500/s, 30000/m); needs --duration.", .value_name = "RATE"},
        {.name = "stages", .type = InputType::String, .description = "Open model: ramping stages DURATION:RATE,... from 0 (30s:100,2m:500,30s:0).", .value_name = "STAGES"},
        {.name = "vus", .type = InputType::Number, .description = "Closed model: this many virtual users; needs --duration.", .value_name = "N"},
        {.name = "duration", .type = InputType::String, .description = "How long --rate or --vus sends (required with them): 30s, 2m30s, 1h.", .value_name = "DURATION"},
        {.name = "max-in-flight", .type = InputType::Number, .description = "At most this many requests in flight (a late request still counts from its due time).", .default_value = "1000", .value_name = "N"},
        {.name = "host-connections", .type = InputType::Number, .description = "At most this many connections to one host (0: one per request in flight).", .default_value = "0", .value_name = "N"},
        {.name = "shard", .type = InputType::String, .description = "Send shard I of N of the load (1-based, e.g. 2/4): every Nth request, for matrix jobs.", .value_name = "I/N"},
        threshold_input(),
        {.name = "abort-on-fail", .type = InputType::Boolean, .description = "Stop as soon as a threshold can no longer pass (the report says partial)."},
        {.name = "histogram-out", .type = InputType::String, .description = "Write this run's histograms and counters (JSON) for `smoke-test load merge`.", .value_name = "FILE",
         .artifact = gantry::Artifact::File, .component_default = "gantry-smoke-test-load.histograms.json"},
        junit_input(),
    });
    s.outputs = load_outputs();
    s.examples = {
        {"500 requests a second for a minute, gated", "smoke-test load --check 'GET https://staging.example.com/ 200' --rate 500/s --duration 1m --threshold 'p95<300ms' --threshold 'error-rate<1%'"},
        {"One of four CI shards, then the merge job", "smoke-test load -f checks.yml --rate 2000/s --duration 2m --shard 1/4 --histogram-out shard-1.json\n"
                                                        "smoke-test load merge shard-*.json --threshold 'p99<1s'"},
    };
    s.branding_icon = "activity";
    s.branding_color = "green";
    return s;
}

gantry::ToolSpec make_load_merge_spec() {
    gantry::ToolSpec s;
    s.name = "smoke-test load merge";
    s.summary = "Merge the shard files of one load test exactly and evaluate the thresholds over the whole run";
    s.description =
        "Reads the --histogram-out files of every shard of one `smoke-test load --shard I/N` run, refuses shards of a "
        "different plan, repeated or missing shards (exit 2), adds the histograms and counters (no percentile is "
        "averaged) and reports and gates as one run would. The report names the transport the shards' requests went "
        "over (http1 or libcurl); shards that used different ones are merged with a warning, as `mixed`. Exit status: "
        "0 thresholds passed, 1 a threshold failed, 2 bad files or arguments.";
    s.inputs = {
        {.name = "shards", .type = gantry::InputType::List, .description = "The shard files (from --histogram-out): files, directories (every *.json inside) or glob patterns. One per line.", .value_name = "FILE", .positional = gantry::Positional::Yes},
        threshold_input(),
        junit_input(),
    };
    s.outputs = load_outputs();
    s.examples = {{"Gate on four shards", "smoke-test load merge shard-1.json shard-2.json shard-3.json shard-4.json --threshold 'p95<500ms'"}};
    s.branding_icon = "activity";
    s.branding_color = "green";
    return s;
}

}  // namespace

const gantry::ToolSpec& load_spec() {
    static const gantry::ToolSpec instance = make_load_spec();
    return instance;
}

const gantry::ToolSpec& load_merge_spec() {
    static const gantry::ToolSpec instance = make_load_merge_spec();
    return instance;
}

}  // namespace smoke_test
