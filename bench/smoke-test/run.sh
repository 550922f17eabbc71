#!/usr/bin/env bash
# smoke-test against Newman and a sequential curl loop on the same checks, in one run; then
# smoke-test alone on an endpoint with fixed latency. A benchmark: nothing runs it in CI.
#
#   bench/smoke-test/run.sh [BUILD_DIR] [CHECKS]
#
# Case 1: CHECKS (default 500) checks - GET, status 200, JSON /status == "ok" - against nginx on
# loopback, run by smoke-test (default settings, i.e. --concurrency 10), by Newman (the same checks
# as a Postman collection, make_checks.py) and by a curl loop (one curl per check, status and body
# checked by the shell). Each runner's result is checked: all CHECKS must pass.
# Case 2: CHECKS checks against latency_server.py answering after 50 ms, smoke-test at
# --concurrency 50 (the per-host limit follows it): the ideal is CHECKS / 50 * 50 ms (0.5 s for 500).
# Targets (issue 4): >= 10x faster than Newman; within 1.5x of the ideal on case 2.
# Each timing is the fastest of GANTRY_BENCH_RUNS runs (default 3).
#
# Environment:
#   GANTRY_BENCH_DIR   work folder (kept; Newman is npm-installed into it); default a temporary one
#   GANTRY_BENCH_RUNS  timed runs per runner (default 3)
#   NEWMAN             a newman executable to use instead of installing it from npm
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${1:-$root/build/release}
count=${2:-500}
runs=${GANTRY_BENCH_RUNS:-3}
smoke_test="$build_dir/smoke-test"
[[ -x "$smoke_test" ]] || { echo "build smoke-test first (cmake --preset release && cmake --build --preset release)"; exit 2; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x "$nginx" ]] || { echo "nginx is missing: apt-get install nginx-light (scripts/install-deps --full)"; exit 2; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install curl"; exit 2; }
[[ "$count" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "CHECKS and GANTRY_BENCH_RUNS must be whole numbers"; exit 2; }

work=$(realpath -m "${GANTRY_BENCH_DIR:-$(mktemp -d)}")
[[ "$work/" != "$root/"* ]] || { echo "GANTRY_BENCH_DIR must be outside the repository ($root)"; exit 2; }
mkdir -p "$work/nginx" "$work/out"
source "$root/scripts/lib/loopback.sh"
trap lab_stop_processes EXIT INT TERM

# --- servers ------------------------------------------------------------------------------------
lab_take_port nginx_port
lab_nginx_json_conf "$work/nginx" "127.0.0.1:$nginx_port" 2 >"$work/nginx/nginx.conf"
lab_start_nginx "$work/nginx"
delay_ms=50
python3 -u "$root/bench/smoke-test/latency_server.py" "$delay_ms" >"$work/latency.log" 2>&1 &
lab_pids+=($!)
latency_port=""
for _ in $(seq 100); do
  latency_port=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$work/latency.log")
  curl -s -o /dev/null "http://127.0.0.1:$nginx_port/health/0" && [[ -n $latency_port ]] && break
  sleep 0.1
done
[[ -n $latency_port ]] || { echo "the latency server did not start: $(cat "$work/latency.log")"; exit 1; }
curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/health/0" || { echo "nginx did not start: $(cat "$work/nginx/error.log")"; exit 1; }

python3 "$root/bench/smoke-test/make_checks.py" "$work" "http://127.0.0.1:$nginx_port" "$count"
mkdir -p "$work/latency"
python3 "$root/bench/smoke-test/make_checks.py" "$work/latency" "http://127.0.0.1:$latency_port" "$count"

# --- peers --------------------------------------------------------------------------------------
newman=${NEWMAN:-}
if [[ -z "$newman" ]]; then
  newman=$(GANTRY_PEERS_DIR="$work/peers" "$root/scripts/npm-peer" newman newman 2>"$work/npm.err") || newman=""
fi
[[ -n "$newman" ]] && echo "peer: newman $("$newman" --version)" || echo "peer: Newman not measured: $(cat "$work/npm.err")"
echo "peer: $(curl --version | head -n 1 | cut -d' ' -f1-2); ours: $("$smoke_test" --version | head -n 1)"
echo "checks: $count, nginx $("$nginx" -v 2>&1 | cut -d/ -f2) on 127.0.0.1:$nginx_port; latency server ${delay_ms} ms on :$latency_port"

# --- runners ------------------------------------------------------------------------------------
now() { date +%s%N; }
best=""
time_runs() {  # label verify-function command... ; sets best (seconds, fastest run)
  local label=$1 verify=$2; shift 2
  best=""
  for ((r = 0; r < runs; r++)); do
    local start end
    start=$(now)
    "$@" >"$work/out/$label.stdout" 2>"$work/out/$label.stderr" || true
    end=$(now)
    "$verify" || { echo "$label: the run did not pass all $count checks (see $work/out/$label.*)"; exit 1; }
    local s
    s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    if [[ -z "$best" ]] || awk -v x="$s" -v y="$best" 'BEGIN { exit !(x < y) }'; then best=$s; fi
  done
}
verify_smoke() { jq -e --argjson n "$count" '.totals.passed == $n and .totals.failed == 0' "$work/out/smoke.json" >/dev/null; }
verify_newman() { jq -e --argjson n "$count" '.run.stats.requests.total == $n and .run.stats.assertions.failed == 0' "$work/out/newman.json" >/dev/null; }
verify_curl() { [[ $(grep -c '^ok$' "$work/out/curl.stdout") == "$count" ]]; }
curl_loop() {
  while IFS= read -r url; do
    body=$(curl -s -w '\n%{http_code}' "$url")
    if [[ ${body##*$'\n'} == 200 && ${body%$'\n'*} == *'"status":"ok"'* ]]; then echo ok; else echo "FAIL $url"; fi
  done <"$work/urls.txt"
}

time_runs smoke verify_smoke "$smoke_test" -f "$work/checks.yml" --json "$work/out/smoke.json" --quiet
t_smoke=$best
t_newman=""
if [[ -n "$newman" ]]; then
  time_runs newman verify_newman "$newman" run "$work/collection.json" --reporters json --reporter-json-export "$work/out/newman.json"
  t_newman=$best
fi
time_runs curl verify_curl curl_loop
t_curl=$best
time_runs latency verify_smoke "$smoke_test" -f "$work/latency/checks.yml" --json "$work/out/smoke.json" --quiet \
  --concurrency 50
t_latency=$best

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
ideal=$(awk -v n="$count" -v d="$delay_ms" 'BEGIN { printf "%.3f", n / 50 * d / 1000 }')
echo
printf '%-44s %9s %10s\n' "case 1: $count checks on nginx" "seconds" "vs ours"
printf '%-44s %9s %10s\n' "smoke-test (concurrency 10)" "$t_smoke" "1.0x"
[[ -n "$t_newman" ]] && printf '%-44s %9s %10s\n' "newman run" "$t_newman" "$(ratio "$t_newman" "$t_smoke")x slower"
printf '%-44s %9s %10s\n' "sequential curl loop" "$t_curl" "$(ratio "$t_curl" "$t_smoke")x slower"
echo
printf '%-44s %9s %10s\n' "case 2: $count checks, ${delay_ms} ms latency" "seconds" "vs ideal"
printf '%-44s %9s %10s\n' "ideal at concurrency 50" "$ideal" "1.0x"
printf '%-44s %9s %10s\n' "smoke-test --concurrency 50" "$t_latency" "$(ratio "$t_latency" "$ideal")x"
echo
status=0
if [[ -n "$t_newman" ]]; then
  if awk -v n="$t_newman" -v s="$t_smoke" 'BEGIN { exit !(n / s >= 10) }'; then echo "target met: >= 10x faster than Newman"; else echo "target MISSED: < 10x faster than Newman"; status=1; fi
fi
if awk -v l="$t_latency" -v i="$ideal" 'BEGIN { exit !(l <= 1.5 * i) }'; then echo "target met: within 1.5x of the ideal"; else echo "target MISSED: more than 1.5x the ideal"; status=1; fi
exit $status
