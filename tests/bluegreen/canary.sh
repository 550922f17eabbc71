#!/usr/bin/env bash
# End-to-end tests of bluegreen-switch's canary analysis (--analysis) against the loopback lab
# (lab.sh: HAProxy's server backend be_app, blue and green nginx backends) and a real Prometheus
# (Debian's prometheus) on a free loopback port, scraping HAProxy's built-in exporter every second.
#
#   tests/bluegreen/canary.sh BUILD_DIR
#
# Cases: a healthy green passes every weighted step to 100%; a green that fails ~5% of its answers
# ($LAB/flaky-green) is caught at the first step and rolled back, the witness's failed answers equal
# the 5xx HAProxy counted for the green server; a query without data passes, fails or ends
# inconclusive as the file says; Prometheus stopped mid-analysis rolls back with exit 3. After every
# rollback the entrypoint serves blue, the state file is as before and the audit log says so.
# Waits are bounded; nothing asserts a duration. Exit 0 all passed, 1 a failure, 77 a program missing.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -ge 1 ]] || { echo "usage: $0 BUILD_DIR"; exit 1; }
build_dir=$(cd "$1" && pwd) || exit 1
bin=$build_dir/bluegreen-switch
[[ -x $bin ]] || { echo "FAIL: $bin is not built"; exit 1; }

source "$here/lab.sh"
lab_require || exit 77
command -v prometheus >/dev/null || { echo "SKIP: prometheus is not installed (apt-get install prometheus)"; exit 77; }
lab_start || { echo "FAIL: the lab did not start"; exit 1; }

v=haproxy-servers
entry=$(lab_entry $v)
lab_take_port prom_port
prom=http://127.0.0.1:$prom_port
mkdir -p "$LAB/prometheus/data" "$LAB/analysis"
cat >"$LAB/prometheus/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: haproxy
    static_configs:
      - targets: ['$LAB_HAPROXY_METRICS']
CONF
prometheus --config.file="$LAB/prometheus/prometheus.yml" --storage.tsdb.path="$LAB/prometheus/data" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$LAB/prometheus/prometheus.log" 2>&1 &
prom_pid=$!
lab_pids+=($prom_pid)

# Prometheus's answer to an instant query, as jq sees it.
promql() { curl -s --max-time 5 "$prom/api/v1/query" --data-urlencode "query=$1"; }
# Until HAProxy has been scraped at least twice (rate() and increase() need two samples): bounded, 60 s.
ready=no
for _ in $(seq 300); do
  if [[ $(promql 'count_over_time(haproxy_process_start_time_seconds[1m])' | jq -r '.data.result[0].value[1] // 0') -ge 2 ]]; then
    ready=yes; break
  fi
  sleep 0.2
done
[[ $ready == yes ]] || { echo "FAIL: Prometheus does not scrape HAProxy"; tail -20 "$LAB/prometheus/prometheus.log"; exit 1; }
series=$(promql 'haproxy_server_http_responses_total{proxy="be_app",server="green"}' | jq '.data.result | length')
expect "HAProxy's exporter has be_app/green's responses by code" test "$series" -ge 5

# The share of green's answers that were 5xx, over the last 10 s (0 when green answered nothing).
green_5xx='sum(increase(haproxy_server_http_responses_total{proxy="be_app",server="green",code="5xx"}[10s])) / clamp_min(sum(increase(haproxy_server_http_responses_total{proxy="be_app",server="green"}[10s])), 1)'
cat >"$LAB/analysis/canary.yml" <<YAML
metrics:
  - name: green-5xx
    kind: prometheus
    query: '$green_5xx'
    condition: result < 0.01
    interval: 1s
  - name: witness-errors
    kind: witness
    figure: error-rate
    condition: result < 0.01
    interval: 1s
  - name: witness-p95
    kind: witness
    figure: p95-latency
    condition: result < 1000
    interval: 2s
YAML
no_data() {  # POLICY
  cat <<YAML
metrics:
  - name: nothing-there
    kind: prometheus
    query: 'sum(gantry_no_such_metric_total)'
    condition: result < 1
    interval: 1s
    inconclusive: $1
YAML
}
for policy in pass fail retry; do no_data "$policy" >"$LAB/analysis/no-data-$policy.yml"; done

# HAProxy's count of 5xx answers from be_app/green (show stat, hrsp_5xx), independently of the witness.
green_5xx_count() {
  lab_hap "show stat" | awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "hrsp_5xx") c = i}
                                 $1 == "be_app" && $2 == "green" {print $c}'
}
canary() {  # NAME ARGS...
  run_switch $v "$1" --to green --steps 50,100 --witness-url "$entry" --witness-rate 100 \
    --prometheus-url "$prom" --junit "$LAB/out/$1.junit.xml" "${@:2}"
}
# After a rollback: blue is served, the state file is as the run found it, the audit log agrees.
expect_back_on_blue() {  # NAME
  expect "$1: blue answers after the rollback" equals "$(lab_colors "$entry" 10)" "blue=10"
  expect "$1: state file as before (none)" equals "$(state_bytes $v)" "no state file"
  expect "$1: audit log: rolled back" equals "$(audit_last $v '.["rolled-back"]')" true
  expect "$1: audit log: live blue" equals "$(audit_last $v '.live')" blue
  expect "$1: --json rolled-back" equals "$(json_out "$1" '.["rolled-back"]')" true
}

# ---- a healthy green goes to 100% ------------------------------------------------------------------
lab_reset $v || fail "lab reset"
# A bearer token (Prometheus here ignores it): sent, never printed.
token=canary-token-$RANDOM$RANDOM
PROMETHEUS_TOKEN=$token canary healthy --step-pause 4s --analysis "$LAB/analysis/canary.yml" --health "$here/health-router.yml" \
  --summary-file "$LAB/out/healthy.md"
expect_rc "healthy" 0
expect "healthy: the token is printed nowhere" equals \
  "$(cat "$LAB/out/healthy".{stdout,stderr,json,md,junit.xml} | grep -c "$token")" 0
expect "healthy: the step summary has the analysis table" grep -q "| green-5xx | \`result < 0.01\` | passed" "$LAB/out/healthy.md"
expect "healthy: green answers" equals "$(lab_colors "$entry" 10)" "green=10"
expect "healthy: state live=green" equals "$(state $v live)" green
expect "healthy: analysis passed" equals "$(json_out healthy '.analysis.verdict')" passed
expect "healthy: no failed metric" equals "$(json_out healthy '.analysis["failed-metric"]')" ""
expect "healthy: measured at 50%" equals "$(json_out healthy '.analysis.steps | map(tostring) | join(",")')" 50
for metric in green-5xx witness-errors witness-p95; do
  n=$(json_out healthy "[.analysis.measurements[] | select(.metric == \"$metric\" and .step == 50)] | length")
  expect "healthy: $metric measured at 50% ($n times)" test "$n" -ge 1
  expect "healthy: junit case $metric at 50%" grep -q "name=\"$metric at 50%\"" "$LAB/out/healthy.junit.xml"
done
expect "healthy: every measurement passed" equals \
  "$(json_out healthy '[.analysis.measurements[] | select(.outcome != "passed")] | length')" 0
expect "healthy: prometheus values are numbers" equals \
  "$(json_out healthy '[.analysis.measurements[] | select(.metric == "green-5xx") | .values[].value | type] | unique | join(",")')" number

# ---- a green that fails ~5% of its answers is caught at the first step ------------------------------
lab_reset $v || fail "lab reset"
touch "$LAB/flaky-green"
before=$(green_5xx_count)
canary flaky --step-pause 5s --analysis "$LAB/analysis/canary.yml" --error-budget 100000
after=$(green_5xx_count)
rm -f "$LAB/flaky-green"
expect_rc "flaky" 1
expect "flaky: analysis failed" equals "$(json_out flaky '.analysis.verdict')" failed
failed_metric=$(json_out flaky '.analysis["failed-metric"]')
expect "flaky: failed metric is green-5xx or witness-errors ($failed_metric)" \
  contains " green-5xx witness-errors " " $failed_metric "
expect "flaky: caught at the first step" equals "$(json_out flaky '.analysis.steps | map(tostring) | join(",")')" 50
expect "flaky: the reason names metric, value and step" contains "$(json_out flaky '.reason')" "metric '$failed_metric' at step 50%"
expect "flaky: never reached 100%" equals "$(jq -c 'select(.action == "switch" and .percent == 100)' "$(audit_log $v)" | wc -l)" 0
expect_back_on_blue flaky
cost=$(json_out flaky '.witness["server-errors"]')
expect "flaky: the witness saw failed answers ($cost)" test "$cost" -ge 1
expect "flaky: the witness's 5xx equal HAProxy's 5xx from green ($((after - before)))" equals "$cost" "$((after - before))"
expect "flaky: junit case failed" grep -q "<failure" "$LAB/out/flaky.junit.xml"
echo "     the canary cost $cost failed requests of $(json_out flaky '.witness.requests')"

# ---- a query without data: as the file says ----------------------------------------------------------
lab_reset $v || fail "lab reset"
canary no-data-pass --step-pause 1s --analysis "$LAB/analysis/no-data-pass.yml"
expect_rc "no data, inconclusive: pass" 0
expect "no data, pass: analysis passed" equals "$(json_out no-data-pass '.analysis.verdict')" passed
expect "no data, pass: measured as inconclusive" equals \
  "$(json_out no-data-pass '[.analysis.measurements[].outcome] | unique | join(",")')" inconclusive
lab_reset $v || fail "lab reset"
canary no-data-fail --step-pause 1s --analysis "$LAB/analysis/no-data-fail.yml"
expect_rc "no data, inconclusive: fail" 1
expect "no data, fail: analysis failed" equals "$(json_out no-data-fail '.analysis.verdict')" failed
expect "no data, fail: failed metric" equals "$(json_out no-data-fail '.analysis["failed-metric"]')" nothing-there
expect_back_on_blue no-data-fail
lab_reset $v || fail "lab reset"
canary no-data-retry --step-pause 2s --analysis "$LAB/analysis/no-data-retry.yml"
expect_rc "no data, inconclusive: retry" 1
expect "no data, retry: analysis inconclusive" equals "$(json_out no-data-retry '.analysis.verdict')" inconclusive
expect "no data, retry: measured more than once" test "$(json_out no-data-retry '.analysis.measurements | length')" -ge 2
expect_back_on_blue no-data-retry

# ---- Prometheus stops in the middle of the analysis --------------------------------------------------
lab_reset $v || fail "lab reset"
args=(--to green --steps 50,100 --step-pause 20s --witness-url "$entry" --witness-rate 50 --prometheus-url "$prom"
      --analysis "$LAB/analysis/canary.yml")
start_switch "" $v prometheus-down "${args[@]}"
measured=no
for _ in $(seq 300); do  # until the first Prometheus measurement passed (bounded: 30 s)
  grep -q "analysis green-5xx at 50%: passed" "$LAB/out/prometheus-down.stderr" 2>/dev/null && { measured=yes; break; }
  sleep 0.1
done
expect "prometheus down: the analysis measured before the stop" equals "$measured" yes
kill "$prom_pid"; wait "$prom_pid" 2>/dev/null
wait_switch prometheus-down
expect_rc "prometheus down" 3
expect "prometheus down: analysis inconclusive" equals "$(json_out prometheus-down '.analysis.verdict')" inconclusive
expect "prometheus down: failed metric" equals "$(json_out prometheus-down '.analysis["failed-metric"]')" green-5xx
expect "prometheus down: the reason says it cannot be reached" contains "$(json_out prometheus-down '.reason')" "cannot be reached"
expect_back_on_blue prometheus-down

lab_results "bluegreen-canary"
