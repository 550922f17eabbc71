#!/usr/bin/env bash
# bluegreen-switch's state rule against real nginx, HAProxy and Caddy on loopback (lab.sh): after any
# run - success, refusal, error, crash - the state file, the audit log and the load balancer agree, and
# the next run knows what to do.
#
#   tests/bluegreen/state.sh BUILD_DIR [CASE...]
#
# Cases (default all), each one scenario:
#   inputs          every input a run reads (--verify, --health, --cacert, a kubeconfig, its token file
#                   and CA, the --flag-file folder) is read and checked before anything changes: exit 2,
#                   nginx not reloaded, blue answers, no state file, one audit result line and no change
#   failed-reload   a failed nginx reload (exit 3) leaves the state file byte for byte as it was; the next
#                   switch and --rollback go where the recorded history says
#   haproxy-down    HAProxy's own checks see green DOWN: no traffic moves (exit 1 when it stays down; the
#                   switch waits and then moves with no failed answer when it comes UP)
#   evidence        a switch nobody sees is a failure: a flag file the load balancer does not test is
#                   rolled back (confirmation through the entrypoint, then the witness alone)
#   served          nginx's upstream file edited but not reloaded: --status says what nginx serves and
#                   where that answer came from, exit 1; a switch sets it right
#   settle          with --settle 0s the tool returns only once new connections get the new colour
#   closed          closed keep-alive connections of a reload are budgeted apart from failed answers
#   steps           --steps on a provider without weights is exit 2 unless --steps 100
#   malformed-state the message names --repair-state and the file; --repair-state rewrites it from what
#                   is served; --status exits 1 on drift
#   crash           kill -9 at each step boundary (after-lock, after-pending, after-provider-write,
#                   after-reload, after-state-write; a debug stop, not a timing guess) on nginx and both
#                   HAProxy modes, after the change on the flag-file and Caddy variants:
#                   the rerun converges, and the state, the audit log and what is served agree; a rerun
#                   to the old colour undoes the interrupted switch and says so
# Exit 0 all passed, 1 a failure, 77 nginx/haproxy/caddy/socat/curl/jq missing (skipped).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -ge 1 ]] || { echo "usage: $0 BUILD_DIR [CASE...]"; exit 1; }
build_dir=$(cd "$1" && pwd) || exit 1
shift
cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || cases=(inputs failed-reload haproxy-down evidence served settle closed steps malformed-state crash)
bin=$build_dir/bluegreen-switch
[[ -x $bin ]] || { echo "FAIL: $bin is not built"; exit 1; }

source "$here/lab.sh"
lab_require || exit 77
lab_start || { echo "FAIL: the lab did not start"; exit 1; }
mkdir -p "$LAB/in" "$LAB/kube"

# ---- inputs ---------------------------------------------------------------------------------------

# A switch of VARIANT from blue that must stop at its inputs: exit 2, and nothing changed.
refused_before_any_change() {  # VARIANT NAME WHAT FLAG VALUE ARGS...
  local v=$1 name=$2 what=$3 flag=$4 value=$5; shift 5
  lab_reset "$v" || { fail "$what: lab reset"; return; }
  local workers; workers=$(lab_nginx_workers)
  run_switch_with "$v" "$name" "$flag" "$value" --to green "$@"
  expect_rc "$what" 2
  expect "$what: the message names it" contains "$(json_out "$name" .reason)" "${expect_in_message:-}"
  expect "$what: nginx not reloaded" equals "$(lab_nginx_workers)" "$workers"
  [[ $v != kubernetes ]] && expect "$what: blue answers" equals "$(lab_colors "$(lab_entry "$v")" 5)" "blue=5"
  expect "$what: no state file, as before" equals "$(state_bytes "$v")" "no state file"
  expect "$what: audit has its result line and no change" \
    equals "$(audit_count "$v" result) $(audit_count "$v" begin) $(audit_count "$v" switch)" "1 0 0"
}

case_inputs() {
  printf 'checks:\n  - get: [unclosed\n' >"$LAB/in/verify-broken.yml"
  printf 'checks:\n  - get: "http://${NO_SUCH_VARIABLE}/"\n' >"$LAB/in/verify-unknown-variable.yml"
  printf 'defaults: {timeout: 2s}\n' >"$LAB/in/health-no-checks.yml"
  printf 'not a certificate\n' >"$LAB/in/not-a-ca.pem"
  local kube_head="apiVersion: v1
kind: Config
current-context: lab
contexts:
- name: lab
  context: {cluster: lab, user: ci}
clusters:
- name: lab
  cluster:
    server: https://127.0.0.1:1"
  printf '%s\n    certificate-authority: %s\nusers:\n- name: ci\n  user: {token: t}\n' "$kube_head" "$LAB/in/not-a-ca.pem" \
    >"$LAB/kube/ca-not-pem"
  printf '%s\nusers:\n- name: ci\n  user: {tokenFile: %s}\n' "$kube_head" "$LAB/in/no-such-token" >"$LAB/kube/token-missing"
  printf 'current-context: [unclosed\n' >"$LAB/kube/malformed"

  expect_in_message=no-such-verify.yml refused_before_any_change nginx in-verify-missing "--verify file missing" "" "" \
    --verify "$LAB/in/no-such-verify.yml" --read-url "$LAB_NGINX_URL"
  expect_in_message=verify-broken.yml refused_before_any_change nginx in-verify-broken "--verify file malformed" "" "" \
    --verify "$LAB/in/verify-broken.yml"
  expect_in_message=NO_SUCH_VARIABLE refused_before_any_change nginx in-verify-variable "--verify names an unknown variable" "" "" \
    --verify "$LAB/in/verify-unknown-variable.yml"
  expect_in_message=health-no-checks.yml refused_before_any_change nginx in-health "--health file without checks" "" "" \
    --health "$LAB/in/health-no-checks.yml"
  expect_in_message="no certificate" refused_before_any_change nginx in-cacert "--cacert without a certificate" "" "" \
    --cacert "$LAB/in/not-a-ca.pem" --verify "$here/verify.yml"
  expect_in_message=no-such-ca.pem refused_before_any_change nginx in-cacert-missing "--cacert missing" "" "" \
    --cacert "$LAB/in/no-such-ca.pem"
  expect_in_message="no certificate" refused_before_any_change kubernetes in-kube-ca "kubeconfig CA without a certificate" \
    --kubeconfig "$LAB/kube/ca-not-pem"
  expect_in_message=no-such-token refused_before_any_change kubernetes in-kube-token "kubeconfig token file missing" \
    --kubeconfig "$LAB/kube/token-missing"
  expect_in_message="$LAB/kube/malformed" refused_before_any_change kubernetes in-kube-malformed "kubeconfig malformed" \
    --kubeconfig "$LAB/kube/malformed"
  expect_in_message="does not exist" refused_before_any_change nginx-flag in-flag-folder "--flag-file in a missing folder" \
    --flag-file "$LAB/no-such-folder/green.flag" --witness-url "$LAB_NGINX_FLAG_URL"
  expect "--flag-file in a missing folder: the folder is not created" test ! -e "$LAB/no-such-folder"
}

# ---- failed-reload ------------------------------------------------------------------------------------

case_failed_reload() {
  local entry=$LAB_NGINX_URL
  lab_reset || { fail "failed-reload: lab reset"; return; }
  run_switch nginx fr-to-green --to green --read-url "$entry"
  expect_rc "failed-reload: first switch to green" 0
  local before; before=$(state_bytes nginx)
  # A real nginx that cannot reload: its configuration file is not where the command says.
  run_switch_with nginx fr-failed --nginx-reload-command "$lab_nginx -s reload -p $LAB/nginx -c $LAB/nginx/nowhere.conf" \
    --to blue --read-url "$entry"
  expect_rc "failed-reload: the reload fails" 3
  expect "failed-reload: the state file is byte for byte as before (no pending)" equals "$(state_bytes nginx)" "$before"
  expect "failed-reload: green still answers" equals "$(lab_colors "$entry" 10)" "green=10"
  expect "failed-reload: the upstream file was put back" equals "$(grep -c "^server $LAB_GREEN;" "$LAB/nginx/active.conf")" 1
  expect "failed-reload: the message says the state is as it was" contains "$(json_out fr-failed .reason)" "is as it was"
  expect "failed-reload: audit result line, exit 3" equals "$(audit_last nginx '.action + " " + (."exit-code" | tostring)')" "result 3"
  run_switch nginx fr-to-blue --to blue --read-url "$entry"
  expect_rc "failed-reload: the next --to blue" 0
  expect "failed-reload: it says from green to blue" contains "$(head -1 "$LAB/out/fr-to-blue.stdout")" "from green to blue"
  expect "failed-reload: state previous=green" equals "$(state nginx previous)" green
  run_switch nginx fr-rollback --rollback --read-url "$entry"
  expect_rc "failed-reload: --rollback" 0
  expect "failed-reload: --rollback switched back to green" equals "$(json_out fr-rollback .switched) $(state nginx live)" "true green"
  expect "failed-reload: green answers after the rollback" equals "$(lab_colors "$entry" 10)" "green=10"
}

# ---- haproxy-down --------------------------------------------------------------------------------------

# Green out of maintenance (drain: its checks run, it gets no traffic) and DOWN in HAProxy's checks,
# while its root still answers (health-router-root.yml passes).
green_down_in_haproxy() {
  lab_reset || return 1
  touch "$LAB/sick-green"
  lab_hap "set server be_app/green state drain" >/dev/null
  lab_wait_hap_status green DOWN
}

case_haproxy_down() {
  local v=haproxy-servers entry=$LAB_HAPROXY_SERVERS_URL
  green_down_in_haproxy || { fail "haproxy-down: green did not go DOWN"; return; }
  run_switch "$v" hd-refused --to green --health "$here/health-router-root.yml" --timeout 3s \
    --witness-url "$entry" --error-budget 0
  expect_rc "haproxy-down: green stays DOWN in HAProxy's checks" 1
  expect "haproxy-down: the reason is HAProxy's own check" contains "$(json_out hd-refused .reason)" \
    "HAProxy's own health checks keep be_app/green down"
  expect "haproxy-down: no failed answer" equals "$(json_out hd-refused .witness.failures)" 0
  expect "haproxy-down: blue answers" equals "$(lab_colors "$entry" 10)" "blue=10"
  expect "haproxy-down: no state file, as before" equals "$(state_bytes "$v")" "no state file"

  # The same, but green comes UP while the switch waits for it.
  green_down_in_haproxy || { fail "haproxy-down: green did not go DOWN"; return; }
  start_switch "" "$v" hd-waits --to green --health "$here/health-router-root.yml" --timeout 60s \
    --witness-url "$entry" --error-budget 0
  expect "haproxy-down: the switch reaches its change (pending=green)" wait_state "$v" pending green
  expect "haproxy-down: while green is DOWN, blue answers" equals "$(lab_colors "$entry" 5)" "blue=5"
  rm -f "$LAB/sick-green"
  wait_switch hd-waits
  expect_rc "haproxy-down: green came UP, the switch went on" 0
  expect "haproxy-down: no failed answer during the switch" equals "$(json_out hd-waits .witness.failures)" 0
  expect "haproxy-down: green answers" equals "$(lab_colors "$entry" 10)" "green=10"
  expect "haproxy-down: state live=green" equals "$(state "$v" live)" green
}

# ---- evidence ---------------------------------------------------------------------------------------

case_evidence() {
  local v=nginx-flag entry=$LAB_NGINX_FLAG_URL untested=$LAB/nginx-flag/untested.flag
  lab_reset || { fail "evidence: lab reset"; return; }
  run_switch_with "$v" ev-confirm --flag-file "$untested" --to green --witness-url "$entry" --timeout 3s
  expect_rc "evidence: a flag file nginx does not test" 1
  expect "evidence: rolled back" equals "$(json_out ev-confirm '.["rolled-back"]')" true
  expect "evidence: the entrypoint never served green" contains "$(json_out ev-confirm .reason)" "does not serve green"
  expect "evidence: the untested flag is gone again" test ! -e "$untested"
  expect "evidence: no state file, as before" equals "$(state_bytes "$v")" "no state file"
  expect "evidence: blue answers" equals "$(lab_colors "$entry" 5)" "blue=5"

  # With a --read-url whose answers name no colour nothing can be confirmed on new connections; the
  # witness through the entrypoint sees only blue, and that alone fails the switch.
  run_switch_with "$v" ev-witness --flag-file "$untested" --to green --witness-url "$entry" \
    --read-url "http://$LAB_HEALTH_ROUTER/no-colour-here"
  expect_rc "evidence: the witness never sees green" 1
  expect "evidence: the witness is the reason" contains "$(json_out ev-witness .reason)" "none from green"
  expect "evidence: the witness saw blue answers" test "$(json_out ev-witness '.witness["blue-answers"]')" -gt 0
  expect "evidence: no state file, as before (witness)" equals "$(state_bytes "$v")" "no state file"
  expect "evidence: the untested flag is gone again (witness)" test ! -e "$untested"
}

# ---- served ------------------------------------------------------------------------------------------

case_served() {
  local entry=$LAB_NGINX_URL
  lab_reset || { fail "served: lab reset"; return; }
  echo "server $LAB_GREEN;" >"$LAB/nginx/active.conf"  # edited, not reloaded
  run_switch nginx sv-status-file --status
  expect_rc "served: --status without a URL reads the file" 0
  expect "served: ... and says so" equals "$(json_out sv-status-file '.["live-color"] + " " + .["read-source"]')" "green load balancer"
  expect "served: ... in its text too" contains "$(cat "$LAB/out/sv-status-file.stdout")" \
    "read from: the load balancer's configuration (no --read-url"
  run_switch nginx sv-status --status --read-url "$entry"
  expect_rc "served: --status with --read-url: the file does not say what nginx serves" 1
  expect "served: live is what nginx serves, read through the entrypoint" \
    equals "$(json_out sv-status '.["live-color"] + " " + .["read-source"]')" "blue entrypoint"
  expect "served: configuration-differs" equals "$(json_out sv-status '.["configuration-differs"]')" true
  expect "served: the text says where it read" contains "$(cat "$LAB/out/sv-status.stdout")" "read from: the entrypoint"
  run_switch nginx sv-set --to blue --read-url "$entry"
  expect_rc "served: --to blue sets the file right" 0
  expect "served: the upstream file says blue" equals "$(grep -c "^server $LAB_BLUE;" "$LAB/nginx/active.conf")" 1
  run_switch nginx sv-status-after --status --read-url "$entry"
  expect_rc "served: --status agrees afterwards" 0
}

# ---- settle -----------------------------------------------------------------------------------------

case_settle() {
  local entry=$LAB_NGINX_URL
  lab_reset || { fail "settle: lab reset"; return; }
  run_switch nginx st-zero --to green --settle 0s --read-url "$entry"
  expect_rc "settle: --settle 0s" 0
  local now; now=$(lab_colors "$entry" 10)
  expect "settle: new connections get green as soon as it returns" equals "$now" "green=10"
  expect "settle: confirmed through the entrypoint" equals "$(json_out st-zero .confirmed)" true
}

# ---- closed -------------------------------------------------------------------------------------------

case_closed() {
  local v entry
  for v in nginx caddy; do
    entry=$(lab_entry "$v")
    lab_reset "$v" || { fail "closed: lab reset"; return; }
    run_switch "$v" "cl-$v" --to green --witness-url "$entry" --witness-rate 200 --error-budget 0
    expect_rc "closed: $v reload with --error-budget 0" 0
    expect "closed: $v: no failed answer" equals "$(json_out "cl-$v" .witness.failures)" 0
    expect "closed: $v: closed-connection errors within their budget" \
      test "$(json_out "cl-$v" '.["closed-connection-errors"]')" -le "$(json_out "cl-$v" '.["closed-connection-budget"]')"
    echo "     $v: $(json_out "cl-$v" '.["closed-connection-errors"]') closed-connection errors (budget $(json_out "cl-$v" '.["closed-connection-budget"]'))"
    lab_reset "$v" || { fail "closed: lab reset"; return; }
    run_switch "$v" "cl-$v-zero" --to green --witness-url "$entry" --witness-rate 200 --closed-connection-budget 0
    if [[ $rc == 1 ]]; then
      expect "closed: $v over a closed-connection budget of 0: suggests --flag-file" contains "$(json_out "cl-$v-zero" .reason)" "--flag-file"
    else
      expect_rc "closed: $v with --closed-connection-budget 0 and no connection closed" 0
      expect "closed: $v: none closed" equals "$(json_out "cl-$v-zero" '.["closed-connection-errors"]')" 0
    fi
  done
}

# ---- steps -------------------------------------------------------------------------------------------

case_steps() {
  local v
  # (Caddy's admin API has weights by repeating upstreams: its weighted steps are unit-tested against
  # a real Caddy in tests/unit/test_caddy_provider.cpp.)
  for v in nginx-flag haproxy-map caddy-flag; do
    lab_reset "$v" || { fail "steps: lab reset"; return; }
    run_switch "$v" "sp-$v" --to green --steps 10,50,100
    expect_rc "steps: --steps 10,50,100 on $v" 2
    expect "steps: $v: the message says only --steps 100" contains "$(json_out "sp-$v" .reason)" "only --steps 100"
    expect "steps: $v: blue answers" equals "$(lab_colors "$(lab_entry "$v")" 5)" "blue=5"
    run_switch "$v" "sp-$v-100" --to green --steps 100
    expect_rc "steps: --steps 100 on $v" 0
  done
}

# ---- malformed-state -----------------------------------------------------------------------------

case_malformed_state() {
  local v=nginx-flag entry=$LAB_NGINX_FLAG_URL
  lab_reset || { fail "malformed-state: lab reset"; return; }
  printf '{"live": "gr' >"$LAB/state/$v.json"
  run_switch "$v" ms-switch --to green
  expect_rc "malformed-state: a switch" 2
  expect "malformed-state: the message gives --repair-state" contains "$(json_out ms-switch .reason)" "--repair-state"
  expect "malformed-state: ... and the file to remove" contains "$(json_out ms-switch .reason)" "remove $LAB/state/$v.json"
  run_switch "$v" ms-force --to green --force
  expect_rc "malformed-state: --force is no way out" 2
  expect "malformed-state: blue answers" equals "$(lab_colors "$entry" 5)" "blue=5"
  run_switch "$v" ms-repair --repair-state --read-url "$entry"
  expect_rc "malformed-state: --repair-state" 0
  expect "malformed-state: the state now says what is served" equals "$(state "$v" live)" blue
  expect "malformed-state: audit repair-state line" equals "$(audit_count "$v" repair-state)" 1
  run_switch "$v" ms-after --to green --read-url "$entry"
  expect_rc "malformed-state: a switch after the repair" 0
  # Drift: green recorded, blue served (the flag removed by hand).
  rm -f "$LAB/nginx-flag/green.flag"
  run_switch "$v" ms-status --status --read-url "$entry"
  expect_rc "malformed-state: --status on drift" 1
  expect "malformed-state: --status says drift" equals "$(json_out ms-status .drift)" true
}

# ---- crash --------------------------------------------------------------------------------------------

crash_at() {  # VARIANT BOUNDARY
  local v=$1 boundary=$2 entry; entry=$(lab_entry "$v")
  local what="crash: $v killed $boundary"
  lab_reset "$v" || { fail "$what: lab reset"; return; }
  local cmd=(--to green --read-url "$entry")
  start_switch "$boundary" "$v" "cr-$v-$boundary" "${cmd[@]}"
  if ! lab_wait_stopped "$switch_pid"; then
    fail "$what: did not stop at the boundary"
    wait "$switch_pid"; rc=$? last_case=cr-$v-$boundary; show_output
    return
  fi
  kill -9 "$switch_pid"
  wait "$switch_pid" 2>/dev/null
  case $boundary in
    after-lock) expect "$what: no state file" equals "$(state_bytes "$v")" "no state file" ;;
    after-state-write) expect "$what: state live=green, no pending" equals "$(state "$v" live) $(state "$v" pending)" "green none" ;;
    *) expect "$what: state live=blue pending=green" equals "$(state "$v" live) $(state "$v" pending)" "blue green" ;;
  esac
  run_switch "$v" "cr-$v-$boundary-rerun" "${cmd[@]}"
  expect_rc "$what: the rerun" 0
  expect "$what: rerun: state live=green previous=blue, no pending" \
    equals "$(state "$v" live) $(state "$v" previous) $(state "$v" pending)" "green blue none"
  expect "$what: rerun: green answers" equals "$(lab_colors "$entry" 5)" "green=5"
  expect "$what: rerun: audit ends with its result, exit 0" \
    equals "$(audit_last "$v" '.action + " " + (."exit-code" | tostring)')" "result 0"
  run_switch "$v" "cr-$v-$boundary-status" --status --read-url "$entry"
  expect_rc "$what: --status agrees afterwards" 0
}

case_crash() {
  local v boundary
  # Every boundary where a provider has a point between writing and loading (nginx's file, HAProxy's
  # map file, HAProxy's first server command); where it has none (flag files, Caddy's one PATCH)
  # after-provider-write is after-reload, and the one boundary that leaves the change made is enough.
  for v in nginx haproxy-map haproxy-servers; do
    for boundary in after-lock after-pending after-provider-write after-reload after-state-write; do
      crash_at "$v" "$boundary"
    done
  done
  for v in nginx-flag caddy caddy-flag; do crash_at "$v" after-reload; done
  # Killed after nginx reloaded onto green, then asked for blue: the rerun undoes it and says so.
  local entry=$LAB_NGINX_URL
  lab_reset || { fail "crash: lab reset"; return; }
  start_switch after-reload nginx cr-undo --to green --read-url "$entry"
  if lab_wait_stopped "$switch_pid"; then
    kill -9 "$switch_pid"
    wait "$switch_pid" 2>/dev/null
    run_switch nginx cr-undo-rerun --to blue --read-url "$entry"
    expect_rc "crash: undo after a kill -9: --to blue" 0
    expect "crash: undo: says it undoes the switch to green" contains "$(json_out cr-undo-rerun .interrupted)" \
      "a switch to green was interrupted"
    expect "crash: undo: ... set back to blue" contains "$(json_out cr-undo-rerun .interrupted)" "undoing it: the load balancer is set back to blue"
    expect "crash: undo: blue answers" equals "$(lab_colors "$entry" 10)" "blue=10"
    expect "crash: undo: state live=blue, no pending" equals "$(state nginx live) $(state nginx pending)" "blue none"
  else
    fail "crash: undo: did not stop after the reload"
  fi
}

for c in "${cases[@]}"; do
  echo "== $c"
  "case_${c//-/_}"
done
lab_results bluegreen-state
