#!/usr/bin/env bash
# End-to-end tests of bluegreen-switch against real nginx, HAProxy and Caddy on loopback (lab.sh).
#
#   tests/bluegreen/run.sh BUILD_DIR [VARIANT...]
#
# Variants: nginx (upstream file + reload), nginx-flag, haproxy-map, haproxy-servers, caddy (admin
# API), caddy-flag; default all. For each: switch blue->green with health, verify and witness, then
# --rollback; --dry-run changes nothing; an unhealthy target is refused; a failing verify rolls back;
# two switches at once (one holds the lock). nginx: an invalid configuration is never reloaded (exit 2).
# HAProxy: a restart keeps the switch (map file, server-state file). HAProxy servers: kill -9 in the
# middle of a weighted switch, then the same command again. (The state rules - inputs read first,
# failed steps, HAProxy's checks, evidence, crashes at every step boundary - are in state.sh.) Under wrk load: nginx reload, nginx
# flag-file and HAProxy map (the flag file and HAProxy must cost 0 wrk errors; nginx reload errors
# vary and are only printed). Each case checks the exit status, which colour answers through the
# entrypoint before and after (curl, new connections) and the state file.
# Exit 0 all passed, 1 a failure, 77 nginx/haproxy/caddy/socat/curl/jq missing (skipped).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -ge 1 ]] || { echo "usage: $0 BUILD_DIR [VARIANT...]"; exit 1; }
build_dir=$(cd "$1" && pwd) || exit 1
shift
variants=("$@")
[[ ${#variants[@]} -gt 0 ]] || variants=(nginx nginx-flag haproxy-map haproxy-servers caddy caddy-flag)
bin=$build_dir/bluegreen-switch
[[ -x $bin ]] || { echo "FAIL: $bin is not built"; exit 1; }

source "$here/lab.sh"
lab_require || exit 77
lab_start || { echo "FAIL: the lab did not start"; exit 1; }

health_file() {  # VARIANT
  case $1 in haproxy-*) echo "$here/health-router.yml" ;; *) echo "$here/health.yml" ;; esac
}
# The witness's budget of failed answers: none, on every provider. A reload (nginx) or a config change
# (Caddy API) closes keep-alive connections; a request sent on one is a closed-connection error,
# budgeted apart (default: one per witness connection), not a failed answer.
budget() {  # VARIANT
  echo 0
}
with_green() {  # VARIANT ADDRESS -> provider args with --green replaced, one per line
  lab_provider_args_with "$1" --green "$2"
}

case_switch_and_rollback() {
  local v=$1 entry; entry=$(lab_entry "$v")
  lab_reset || { fail "$v: lab reset"; return; }
  expect "$v switch: blue answers before" equals "$(lab_colors "$entry" 5)" "blue=5"
  run_switch "$v" "$v-switch" --to green --health "$(health_file "$v")" --verify "$here/verify.yml" \
    --witness-url "$entry" --witness-rate 50 --error-budget "$(budget "$v")"
  expect_rc "$v switch" 0
  expect "$v switch: green answers after" equals "$(lab_colors "$entry" 10)" "green=10"
  expect "$v switch: state live=green" equals "$(state "$v" live)" green
  expect "$v switch: state previous=blue" equals "$(state "$v" previous)" blue
  expect "$v switch: state has no pending" equals "$(state "$v" pending)" none
  expect "$v switch: --json switched" equals "$(json_out "$v-switch" '.switched')" true
  expect "$v switch: --json live-color" equals "$(json_out "$v-switch" '.["live-color"]')" green
  echo "     witness: $(jq -c '.witness // {} | {requests, failures}' "$LAB/out/$v-switch.json" 2>/dev/null)" \
       "max-gap-ms=$(json_out "$v-switch" '.["max-gap-ms"]') switch-ms=$(json_out "$v-switch" '.["switch-ms"]')"

  if [[ $v == haproxy-* ]]; then
    # The runtime API change alone is lost on reload; the map / server-state file must carry it.
    lab_restart_haproxy || fail "$v: HAProxy restart"
    expect "$v switch: green answers after an HAProxy restart" lab_wait_color "$entry" green
    expect "$v switch: only green after an HAProxy restart" equals "$(lab_colors "$entry" 10)" "green=10"
  fi

  run_switch "$v" "$v-status" --status
  expect_rc "$v status" 0

  run_switch "$v" "$v-rollback" --rollback --health "$(health_file "$v")" --verify "$here/verify.yml" \
    --witness-url "$entry" --error-budget "$(budget "$v")"
  expect_rc "$v rollback" 0
  expect "$v rollback: blue answers" equals "$(lab_colors "$entry" 10)" "blue=10"
  expect "$v rollback: state live=blue" equals "$(state "$v" live)" blue
  expect "$v rollback: state previous=green" equals "$(state "$v" previous)" green
}

# Right after the rollback: the state file exists and says blue.
case_dry_run() {
  local v=$1 entry; entry=$(lab_entry "$v")
  local provider_before state_before provider_after state_after
  provider_before=$(lab_provider_snapshot "$v")
  state_before=$(sha256sum <"$LAB/state/$v.json" 2>/dev/null)
  run_switch "$v" "$v-dry-run" --to green --dry-run
  expect_rc "$v dry-run" 0
  provider_after=$(lab_provider_snapshot "$v")
  state_after=$(sha256sum <"$LAB/state/$v.json" 2>/dev/null)
  expect "$v dry-run: provider unchanged" equals "$provider_after" "$provider_before"
  expect "$v dry-run: state file unchanged" equals "$state_after" "$state_before"
  expect "$v dry-run: prints a plan" test -s "$LAB/out/$v-dry-run.stdout"
  expect "$v dry-run: blue still answers" equals "$(lab_colors "$entry" 5)" "blue=5"
}

case_unhealthy() {
  local v=$1 entry; entry=$(lab_entry "$v")
  lab_reset || { fail "$v: lab reset"; return; }
  touch "$LAB/sick-green"
  run_switch "$v" "$v-unhealthy" --to green --health "$(health_file "$v")"
  rm -f "$LAB/sick-green"
  expect_rc "$v unhealthy green (healthz 500)" 1
  expect "$v unhealthy: blue still answers" equals "$(lab_colors "$entry" 5)" "blue=5"
  expect "$v unhealthy: state not green" test "$(state "$v" live)" != green
  if [[ $v == nginx || $v == caddy ]]; then
    # Green pointing at a port nobody listens on.
    local args
    mapfile -t args < <(with_green "$v" "$LAB_CLOSED")
    "$bin" "${args[@]}" --state-file "$LAB/state/$v.json" --to green --health "$here/health.yml" \
      >"$LAB/out/$v-closed.stdout" 2>"$LAB/out/$v-closed.stderr"
    rc=$? last_case=$v-closed
    expect_rc "$v green at a closed port" 1
    expect "$v closed port: blue still answers" equals "$(lab_colors "$entry" 5)" "blue=5"
  fi
}

case_verify_fails() {
  local v=$1 entry; entry=$(lab_entry "$v")
  lab_reset || { fail "$v: lab reset"; return; }
  run_switch "$v" "$v-verify" --to green --health "$(health_file "$v")" --verify "$here/verify-never.yml"
  expect_rc "$v failing verify" 1
  expect "$v failing verify: --json rolled-back" equals "$(json_out "$v-verify" '.["rolled-back"]')" true
  expect "$v failing verify: blue answers" equals "$(lab_colors "$entry" 5)" "blue=5"
  expect "$v failing verify: state not green" test "$(state "$v" live)" != green
  expect "$v failing verify: state has no pending" equals "$(state "$v" pending)" none
}

case_invalid_nginx_config() {
  lab_reset || { fail "nginx: lab reset"; return; }
  lab_nginx_break
  local workers upstream
  workers=$(lab_nginx_workers)
  upstream=$(sha256sum <"$LAB/nginx/active.conf")
  run_switch nginx nginx-invalid --to green
  lab_nginx_repair
  expect_rc "nginx invalid configuration" 2
  expect "nginx invalid configuration: not reloaded (same workers)" equals "$(lab_nginx_workers)" "$workers"
  expect "nginx invalid configuration: upstream file restored" equals "$(sha256sum <"$LAB/nginx/active.conf")" "$upstream"
  expect "nginx invalid configuration: blue answers" equals "$(lab_colors "$LAB_NGINX_URL" 5)" "blue=5"
  expect "nginx invalid configuration: no state file, as before" equals "$(state_bytes nginx)" "no state file"
  expect "nginx invalid configuration: audit result line, exit 2" \
    equals "$(audit_last nginx '.action + " " + (."exit-code" | tostring)')" "result 2"
}

# The first switch stops itself right after taking the lock (a debug stop, not a sleep), so the
# second one certainly meets the held lock; then the first goes on.
case_two_at_once() {
  local v=$1 entry; entry=$(lab_entry "$v")
  lab_reset || { fail "$v: lab reset"; return; }
  start_switch after-lock "$v" "$v-first" --to green --health "$(health_file "$v")"
  local first=$switch_pid
  expect "$v-first stops after taking the lock" lab_wait_stopped "$first"
  run_switch "$v" "$v-second" --to green --health "$(health_file "$v")"
  expect_rc "$v-second (while another switch holds the lock)" 1
  expect "$v-second: says the lock is held" grep -qi lock "$LAB/out/$v-second.stdout"
  expect "$v-second: --json written, verdict REFUSED" equals "$(json_out "$v-second" .verdict)" REFUSED
  expect "$v-second: audit result line" equals "$(audit_last "$v" '.action + " " + .verdict')" "result REFUSED"
  kill -CONT "$first"
  wait "$first"; rc=$? last_case=$v-first
  expect_rc "$v-first" 0
  expect "$v two at once: green answers" equals "$(lab_colors "$entry" 5)" "green=5"
  expect "$v two at once: state live=green" equals "$(state "$v" live)" green
}

# kill -9 after the first of two weighted steps (a debug stop at the boundary, not a sleep), then the
# same command again: it completes the switch.
case_kill_mid_switch() {
  local v=haproxy-servers entry=$LAB_HAPROXY_SERVERS_URL
  lab_reset || { fail "$v: lab reset"; return; }
  local cmd=(--to green --health "$here/health-router.yml" --steps 50,100)
  start_switch after-reload "$v" "$v-killed" "${cmd[@]}"
  expect "$v: stops after the 50% step" lab_wait_stopped "$switch_pid"
  kill -9 "$switch_pid"
  wait "$switch_pid" 2>/dev/null
  expect "$v after kill -9 at 50%: state pending=green" equals "$(state "$v" pending)" green
  echo "     after kill -9: traffic $(lab_colors "$entry" 10)"
  run_switch "$v" "$v-rerun" "${cmd[@]}"
  expect_rc "$v rerun after kill -9" 0
  expect "$v rerun: says it completes the interrupted switch" contains "$(json_out "$v-rerun" .interrupted)" "completing it"
  expect "$v rerun: state live=green" equals "$(state "$v" live)" green
  expect "$v rerun: state has no pending" equals "$(state "$v" pending)" none
  expect "$v rerun: 50 answers, all green" equals "$(lab_colors "$entry" 50)" "green=50"
}

# A switch under wrk load; prints wrk's and the witness's numbers. Sets wrk_errors.
case_under_load() {
  local v=$1 entry; entry=$(lab_entry "$v")
  lab_reset || { fail "$v: lab reset"; return; }
  wrk -t2 -c16 -d5s "$entry" >"$LAB/out/$v-wrk.txt" 2>&1 &
  local wrk_pid=$!
  sleep 1.5
  run_switch "$v" "$v-load" --to green --witness-url "$entry" --witness-rate 100 --error-budget 100000
  wait "$wrk_pid"
  expect_rc "$v under wrk load" 0
  local requests rate
  read -r requests wrk_errors rate < <(lab_wrk_summary "$LAB/out/$v-wrk.txt")
  echo "     $v under load: wrk $requests requests ($rate/s), $wrk_errors errors;" \
       "witness $(jq -c '.witness // {} | {requests, failures}' "$LAB/out/$v-load.json" 2>/dev/null)" \
       "max-gap-ms=$(json_out "$v-load" '.["max-gap-ms"]') switch-ms=$(json_out "$v-load" '.["switch-ms"]')"
  expect "$v under load: green answers" equals "$(lab_colors "$entry" 5)" "green=5"
}

for v in "${variants[@]}"; do
  echo "== $v"
  case_switch_and_rollback "$v"
  case_dry_run "$v"
  case_unhealthy "$v"
  case_verify_fails "$v"
  [[ $v == nginx ]] && case_invalid_nginx_config
  case_two_at_once "$v"
  [[ $v == haproxy-servers ]] && case_kill_mid_switch
  if [[ $v == nginx || $v == nginx-flag || $v == haproxy-map ]] && ! command -v wrk >/dev/null; then
    echo "skip $v under load: wrk is not installed (apt-get install wrk)"
  elif [[ $v == nginx || $v == nginx-flag || $v == haproxy-map ]]; then
    wrk_errors=""
    case_under_load "$v"
    # Deterministic: no reload, no closed connection. nginx reload errors vary: printed only.
    [[ $v != nginx ]] && expect "$v under load: 0 wrk errors" equals "$wrk_errors" 0
  fi
done

lab_results bluegreen
