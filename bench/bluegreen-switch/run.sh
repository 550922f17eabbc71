#!/usr/bin/env bash
# What one blue->green switch costs live traffic, per provider, under wrk load on loopback.
#
#   bench/bluegreen-switch/run.sh [BUILD_DIR | BINARY]
#
# Brings up the lab of tests/bluegreen/lab.sh (real nginx, HAProxy, Caddy), then for each provider -
# nginx reload (upstream file), nginx flag-file, HAProxy map, HAProxy servers, Caddy admin API, Caddy
# flag-file - and for the plain shell baseline (write file + rename + `nginx -t` + `nginx -s reload`):
# starts wrk -t2 -c16 (keep-alive, no retries) on the public entrypoint, switches once after
# GANTRY_BENCH_LEAD seconds (default 2) while bluegreen-switch's witness sends 100 req/s, and prints
# one table: wrk requests and rate, wrk errors (connect/read/write/timeout + non-2xx), the witness's
# failures, max gap and switch-ms from --json, and the wall time of the switch command (which includes
# the default 1 s --settle). A benchmark: nothing runs it in CI; about 1 minute.
#
# Environment: GANTRY_BENCH_SECONDS wrk duration per provider (default 6).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
arg=${1:-}
if [[ -z $arg ]]; then
  for dir in "$root/build/release" "$root/build/hlab"; do
    [[ -x $dir/bluegreen-switch ]] && { arg=$dir; break; }
  done
fi
bin=$arg
[[ -d $arg ]] && bin=$arg/bluegreen-switch
[[ -n $bin && -x $bin ]] || { echo "build bluegreen-switch first (cmake --preset release && cmake --build --preset release)"; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 2; }
seconds=${GANTRY_BENCH_SECONDS:-6}
lead=${GANTRY_BENCH_LEAD:-2}

source "$root/tests/bluegreen/lab.sh"
lab_require || exit 2
lab_start || { echo "the lab did not start"; exit 2; }
mkdir -p "$LAB/out"
echo "bluegreen-switch: $bin"
echo "wrk -t2 -c16 -d${seconds}s per provider, switch after ${lead}s; nginx $("$lab_nginx" -v 2>&1 | sed 's/.*\///')," \
     "HAProxy $("$lab_haproxy" -v | sed -n '1s/HAProxy version \([^ ]*\).*/\1/p'), Caddy $(caddy version | cut -d' ' -f1)"

rows=()
ms_now() { date +%s%3N; }

bench_one() {  # VARIANT LABEL
  local v=$1 label=$2 entry args t0 t1 rc
  [[ $v == shell ]] && entry=$LAB_NGINX_URL || entry=$(lab_entry "$v")
  lab_reset || { echo "lab reset failed"; return 1; }
  wrk -t2 -c16 -d"${seconds}s" "$entry" >"$LAB/out/$v-wrk.txt" 2>&1 &
  local wrk_pid=$!
  sleep "$lead"
  t0=$(ms_now)
  if [[ $v == shell ]]; then
    # What a deploy script does by hand: atomic file swap, test, reload.
    printf 'server %s;\n' "$LAB_GREEN" >"$LAB/nginx/active.conf.tmp" &&
      mv "$LAB/nginx/active.conf.tmp" "$LAB/nginx/active.conf" &&
      $(lab_nginx_test_command "$LAB/nginx") &&
      $(lab_nginx_reload_command "$LAB/nginx")
    rc=$?
  else
    mapfile -t args < <(lab_provider_args "$v")
    "$bin" "${args[@]}" --to green --state-file "$LAB/state/$v.json" --json "$LAB/out/$v.json" \
      --witness-url "$entry" --witness-rate 100 --error-budget 1000000 \
      >"$LAB/out/$v.stdout" 2>"$LAB/out/$v.stderr"
    rc=$?
  fi
  t1=$(ms_now)
  wait "$wrk_pid"
  local requests errors rate failures closed gap switch_ms
  read -r requests errors rate < <(lab_wrk_summary "$LAB/out/$v-wrk.txt")
  if [[ $v == shell ]]; then
    failures=- closed=- gap=- switch_ms=-
  else
    failures=$(jq -r '.witness.failures // .["errors-during-switch"] // "?"' "$LAB/out/$v.json" 2>/dev/null || echo "?")
    closed=$(jq -r '.witness.reconnects // "?"' "$LAB/out/$v.json" 2>/dev/null || echo "?")
    gap=$(jq -r '.["max-gap-ms"] // "?"' "$LAB/out/$v.json" 2>/dev/null || echo "?")
    switch_ms=$(jq -r '.["switch-ms"] // "?"' "$LAB/out/$v.json" 2>/dev/null || echo "?")
  fi
  local after; after=$(lab_colors "$entry" 5)
  [[ $rc == 0 && $after == green=5 ]] || {
    echo "$label: exit $rc, traffic after: $after"
    [[ $v != shell ]] && tail -n 5 "$LAB/out/$v.stdout" "$LAB/out/$v.stderr"
  }
  (( rate >= 1000 )) || echo "$label: wrk reached only $rate req/s (the target is >= 1000)"
  rows+=("$(printf '| %-30s | %9s | %7s | %10s | %16s | %13s | %10s | %9s | %10s |' "$label" "$requests" "$rate" "$errors" \
            "$failures" "$closed" "$gap" "$switch_ms" "$((t1 - t0))")")
}

bench_one nginx "nginx reload (upstream file)"
bench_one nginx-flag "nginx flag-file"
bench_one haproxy-map "HAProxy map (runtime API)"
bench_one haproxy-servers "HAProxy servers (runtime API)"
bench_one caddy "Caddy admin API"
bench_one caddy-flag "Caddy flag-file"
bench_one shell "shell: mv + nginx -t + reload"

echo
printf '| %-30s | %9s | %7s | %10s | %16s | %13s | %10s | %9s | %10s |\n' provider "wrk reqs" "req/s" "wrk errors" \
       "witness failures" "closed conns" "max gap ms" switch-ms "command ms"
echo "|--------------------------------|-----------|---------|------------|------------------|---------------|------------|-----------|------------|"
printf '%s\n' "${rows[@]}"
