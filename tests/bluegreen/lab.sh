# The bluegreen-switch loopback lab: real nginx, HAProxy and Caddy on free 127.0.0.1 ports in a
# temporary folder, always stopped. Sourced by tests/bluegreen/run.sh, tests/bluegreen/state.sh and
# bench/bluegreen-switch/run.sh; the test helpers at the end (pass/fail, run_switch, ...) are the
# suites' shared vocabulary.
#
#   source tests/bluegreen/lab.sh
#   lab_require || exit 77      # names the missing program
#   lab_start                   # sets LAB and the LAB_* addresses below; lab_stop runs on exit
#
# Backends (one nginx, two servers): blue and green answer 200 with body "blue"/"green" and the
# header X-Color; /healthz answers 200, or 500 while the file $LAB/sick-<color> exists; while
# $LAB/flaky-<color> exists, about 5% of that colour's other answers are 500 (split_clients on the
# request id: a canary that fails some requests). A third
# server routes /blue/... and /green/... to them (health checks that name the colour, for HAProxy
# whose --blue/--green are backend or server names, not addresses). A slow server answers after
# 2.5 s (a health check that holds the switch lock).
# Load balancers, all starting on blue:
#   nginx upstream-file  $LAB_NGINX_URL          upstream file $LAB/nginx/active.conf, nginx.conf
#                                                 includes $LAB/nginx/extra.conf (lab_nginx_break)
#   nginx flag-file      $LAB_NGINX_FLAG_URL     green while $LAB/nginx-flag/green.flag exists
#   HAProxy map          $LAB_HAPROXY_MAP_URL    map $LAB/haproxy/bg.map "active be_blue|be_green"
#   HAProxy servers      $LAB_HAPROXY_SERVERS_URL backend be_app, servers "blue" and "green"
#   HAProxy metrics      http://$LAB_HAPROXY_METRICS/metrics  its built-in Prometheus exporter
#   Caddy API            $LAB_CADDY_URL          admin $LAB_CADDY_ADMIN, @id bg_proxy
#   Caddy flag-file      $LAB_CADDY_FLAG_URL     green while $LAB/caddy-flag/green.flag exists
# Everything runs as the current user; nginx gets `user` only when that is root. The generic pieces
# (free ports, nginx instances, waiting, colours, stopping) are in scripts/lib/loopback.sh.

source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/loopback.sh"

lab_require() {
  local tool
  for tool in nginx haproxy caddy socat curl jq python3; do
    if ! command -v "$tool" >/dev/null 2>&1 && [[ ! -x /usr/sbin/$tool ]]; then
      echo "SKIP: $tool is not installed (apt-get install nginx-light haproxy caddy socat curl jq)"
      return 1
    fi
  done
}

lab_start() {
  LAB=$(mktemp -d "${TMPDIR:-/tmp}/gantry-bluegreen.XXXXXX")
  trap lab_stop EXIT
  trap 'lab_stop; exit 130' INT TERM
  local p_blue p_green p_router p_slow p_nginx p_flag p_hmap p_hsrv p_caddy p_cflag p_admin
  local p_closed p_hmetrics p
  for p in p_blue p_green p_router p_slow p_nginx p_flag p_hmap p_hsrv p_caddy p_cflag p_admin p_closed p_hmetrics; do
    lab_take_port "$p"
  done
  export LAB
  export LAB_BLUE=127.0.0.1:$p_blue LAB_GREEN=127.0.0.1:$p_green
  export LAB_CLOSED=127.0.0.1:$p_closed
  export LAB_HEALTH_ROUTER=127.0.0.1:$p_router LAB_SLOW=127.0.0.1:$p_slow
  export LAB_NGINX_URL=http://127.0.0.1:$p_nginx/ LAB_NGINX_FLAG_URL=http://127.0.0.1:$p_flag/
  export LAB_HAPROXY_MAP_URL=http://127.0.0.1:$p_hmap/ LAB_HAPROXY_SERVERS_URL=http://127.0.0.1:$p_hsrv/
  export LAB_CADDY_URL=http://127.0.0.1:$p_caddy/ LAB_CADDY_FLAG_URL=http://127.0.0.1:$p_cflag/
  export LAB_CADDY_ADMIN=http://127.0.0.1:$p_admin
  export LAB_HAPROXY_SOCKET=$LAB/haproxy/admin.sock LAB_HAPROXY_METRICS=127.0.0.1:$p_hmetrics
  mkdir -p "$LAB"/{backends,nginx,nginx-flag,haproxy,caddy,caddy-flag,state}

  # Backends.
  local d=$LAB/backends color port
  { lab_nginx_head "$d"; echo "http {"; lab_nginx_http_common "$d"
    echo '  split_clients "${request_id}" $lab_unlucky { 5% "1"; * ""; }'
    for color in blue green; do
      [[ $color == blue ]] && port=$p_blue || port=$p_green
      cat <<CONF
  server {
    listen 127.0.0.1:$port;
    keepalive_requests 1000000;
    default_type text/plain;
    location / {
      add_header X-Color $color always;
      set \$lab_fail "";
      if (-f $LAB/flaky-$color) { set \$lab_fail \$lab_unlucky; }
      if (\$lab_fail) { return 500 "flaky\n"; }
      return 200 "$color\n";
    }
    location = /healthz {
      add_header X-Color $color always;
      if (-f $LAB/sick-$color) { return 500 "sick\n"; }
      return 200 "ok\n";
    }
  }
CONF
    done
    cat <<CONF
  server {
    listen 127.0.0.1:$p_router;
    location /blue/ { proxy_pass http://127.0.0.1:$p_blue/; }
    location /green/ { proxy_pass http://127.0.0.1:$p_green/; }
  }
}
CONF
  } >"$d/nginx.conf"
  lab_start_nginx "$d"

  # nginx, upstream-file mode (lab.md), with an include that lab_nginx_break corrupts.
  d=$LAB/nginx
  echo "server $LAB_BLUE;" >"$d/active.conf"
  echo "# extra http directives; the lab corrupts this file to make nginx -t fail" >"$d/extra.conf"
  { lab_nginx_head "$d"; echo "http {"; lab_nginx_http_common "$d"
    cat <<CONF
  include $d/extra.conf;
  upstream app { include $d/active.conf; keepalive 16; }
  server {
    listen 127.0.0.1:$p_nginx;
    keepalive_requests 1000000;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
  } >"$d/nginx.conf"
  lab_start_nginx "$d"

  # nginx, flag-file mode: both colours configured, the flag file picks one on every request.
  d=$LAB/nginx-flag
  lab_nginx_flag_file_conf "$d" "127.0.0.1:$p_flag" "$LAB_BLUE" "$LAB_GREEN" "$d/green.flag" >"$d/nginx.conf"
  lab_start_nginx "$d"

  # HAProxy: the lab.md map frontend, and a second frontend on the be_app server backend.
  d=$LAB/haproxy
  echo "active be_blue" >"$d/bg.map"
  cat >"$d/haproxy.cfg" <<CONF
global
  stats socket $d/admin.sock mode 600 level admin
  server-state-file $d/server-state
  pidfile $d/haproxy.pid
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  load-server-state-from-file global
frontend fe_map
  bind 127.0.0.1:$p_hmap
  use_backend %[str(active),map($d/bg.map,be_app)]
frontend fe_servers
  bind 127.0.0.1:$p_hsrv
  default_backend be_app
frontend fe_metrics
  bind 127.0.0.1:$p_hmetrics
  http-request use-service prometheus-exporter if { path /metrics }
backend be_app
  option httpchk GET /healthz
  server blue  $LAB_BLUE check inter 1s
  server green $LAB_GREEN check inter 1s disabled
backend be_blue
  server s $LAB_BLUE check inter 1s
backend be_green
  server s $LAB_GREEN check inter 1s
CONF
  lab_start_haproxy

  # Caddy: the lab.md API server and a flag-file server, admin on a free port, nothing persisted.
  d=$LAB/caddy
  jq -n --arg admin "127.0.0.1:$p_admin" --arg api "127.0.0.1:$p_caddy" --arg flag "127.0.0.1:$p_cflag" \
        --arg blue "$LAB_BLUE" --arg green "$LAB_GREEN" --arg root "$LAB/caddy-flag" '
    {admin: {listen: $admin, config: {persist: false}},
     logging: {logs: {default: {level: "ERROR"}}},
     apps: {http: {servers: {
       bg: {listen: [$api], automatic_https: {disable: true},
            routes: [{handle: [{"@id": "bg_proxy", handler: "reverse_proxy", upstreams: [{dial: $blue}]}]}]},
       bgflag: {listen: [$flag], automatic_https: {disable: true},
                routes: [{match: [{file: {root: $root, try_files: ["/green.flag"]}}],
                          handle: [{handler: "reverse_proxy", upstreams: [{dial: $green}]}]},
                         {handle: [{handler: "reverse_proxy", upstreams: [{dial: $blue}]}]}]}}}}}' >"$d/caddy.json"
  HOME=$d XDG_CONFIG_HOME=$d/config XDG_DATA_HOME=$d/data caddy run --config "$d/caddy.json" >"$d/caddy.log" 2>&1 &
  lab_pids+=($!)

  # The slow server, for a health check that takes 2.5 s.
  python3 -c '
import sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(2.5)
        self.send_response(200); self.send_header("Content-Length", "5"); self.end_headers(); self.wfile.write(b"slow\n")
    def log_message(self, *a): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "$p_slow" >"$LAB/slow.log" 2>&1 &
  lab_pids+=($!)

  local url
  for url in "http://$LAB_BLUE/" "http://$LAB_GREEN/" "$LAB_NGINX_URL" "$LAB_NGINX_FLAG_URL" \
             "$LAB_HAPROXY_MAP_URL" "$LAB_HAPROXY_SERVERS_URL" "$LAB_CADDY_URL" "$LAB_CADDY_FLAG_URL" \
             "$LAB_CADDY_ADMIN/config/"; do
    lab_wait_http "$url" 15 || { lab_logs; return 1; }
  done
  # HAProxy's first health checks: be_app/blue must be UP before traffic is measured.
  lab_wait_color "$LAB_HAPROXY_SERVERS_URL" blue || { lab_logs; return 1; }
}

lab_start_haproxy() {
  "$lab_haproxy" -f "$LAB/haproxy/haproxy.cfg" -db >>"$LAB/haproxy/haproxy.log" 2>&1 &
  lab_haproxy_pid=$!
  lab_pids+=($lab_haproxy_pid)
  local _
  for _ in $(seq 100); do [[ -S $LAB_HAPROXY_SOCKET ]] && lab_hap "show info" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "lab: HAProxy did not start" >&2
  return 1
}

# Stop HAProxy and start it again from its files (what a reload keeps: the map file, the server state).
lab_restart_haproxy() {
  kill "$lab_haproxy_pid" 2>/dev/null; wait "$lab_haproxy_pid" 2>/dev/null
  rm -f "$LAB_HAPROXY_SOCKET"
  lab_start_haproxy && lab_wait_http "$LAB_HAPROXY_MAP_URL" 10
}

lab_logs() {
  local f
  for f in "$LAB"/*/error.log "$LAB"/haproxy/haproxy.log "$LAB"/caddy/caddy.log "$LAB"/slow.log; do
    [[ -s $f ]] && { echo "--- $f"; tail -20 "$f"; }
  done >&2
}

lab_stop() {
  lab_stop_processes
  [[ -n ${LAB:-} && -d $LAB && -z ${LAB_KEEP:-} ]] && rm -rf "$LAB"
  trap - EXIT INT TERM
}

# HAProxy runtime API.
lab_hap() { echo "$*" | socat -t 5 stdio "unix-connect:$LAB_HAPROXY_SOCKET"; }

# N requests (new connections) -> "blue=X green=Y error=Z" (only the non-zero ones, sorted).
lab_colors() {  # URL N
  local i
  for i in $(seq "$2"); do lab_color "$1"; done | sort | uniq -c | awk '{printf "%s%s=%s", sep, $2, $1; sep=" "} END {print ""}'
}

# Make the nginx upstream-file instance's configuration invalid (nginx -t fails), and repair it.
lab_nginx_break() { echo "this_directive_does_not_exist on;" >>"$LAB/nginx/extra.conf"; }
lab_nginx_repair() { echo "# extra http directives; the lab corrupts this file to make nginx -t fail" >"$LAB/nginx/extra.conf"; }
# The worker pids of the upstream-file instance: they change on every reload.
lab_nginx_workers() { pgrep -P "$(cat "$LAB/nginx/nginx.pid")" | sort | tr '\n' ' '; }

# Put every load balancer back on blue, the way an operator would (not through bluegreen-switch),
# and forget the recorded state. Waits until blue answers on every entrypoint, or only on VARIANT's.
lab_reset() {  # [VARIANT]
  rm -f "$LAB"/sick-* "$LAB"/flaky-* "$LAB/nginx-flag/green.flag" "$LAB/caddy-flag/green.flag" "$LAB"/state/*
  lab_nginx_repair
  if [[ $(cat "$LAB/nginx/active.conf") != "server $LAB_BLUE;" ]]; then
    echo "server $LAB_BLUE;" >"$LAB/nginx/active.conf"
    $(lab_nginx_reload_command "$LAB/nginx") 2>>"$LAB/nginx/error.log"
  fi
  echo "active be_blue" >"$LAB/haproxy/bg.map"
  lab_hap "set map $LAB/haproxy/bg.map active be_blue" >/dev/null
  lab_hap "set weight be_app/blue 100%" >/dev/null
  lab_hap "set weight be_app/green 100%" >/dev/null
  lab_hap "set server be_app/blue state ready" >/dev/null
  lab_hap "set server be_app/green state maint" >/dev/null
  rm -f "$LAB/haproxy/server-state"
  curl -s -o /dev/null -X PATCH -H 'Content-Type: application/json' \
       -d "[{\"dial\":\"$LAB_BLUE\"}]" "$LAB_CADDY_ADMIN/id/bg_proxy/upstreams"
  local url urls=("$LAB_NGINX_URL" "$LAB_NGINX_FLAG_URL" "$LAB_HAPROXY_MAP_URL" "$LAB_HAPROXY_SERVERS_URL"
                   "$LAB_CADDY_URL" "$LAB_CADDY_FLAG_URL")
  [[ -n ${1:-} ]] && urls=($(lab_entry "$1"))
  for url in "${urls[@]}"; do
    lab_wait_color "$url" blue || return 1
  done
}

# The bluegreen-switch arguments that address each lab load balancer (one per line: mapfile -t).
# Variants: nginx nginx-flag haproxy-map haproxy-servers caddy caddy-flag.
lab_provider_args() {  # VARIANT
  case $1 in
    nginx) printf '%s\n' -p nginx --blue "$LAB_BLUE" --green "$LAB_GREEN" \
             --nginx-upstream-file "$LAB/nginx/active.conf" \
             --nginx-test-command "$(lab_nginx_test_command "$LAB/nginx")" \
             --nginx-reload-command "$(lab_nginx_reload_command "$LAB/nginx")" ;;
    nginx-flag) printf '%s\n' -p nginx --blue "$LAB_BLUE" --green "$LAB_GREEN" \
             --flag-file "$LAB/nginx-flag/green.flag" ;;
    haproxy-map) printf '%s\n' -p haproxy --blue be_blue --green be_green \
             --haproxy-socket "$LAB_HAPROXY_SOCKET" --haproxy-map "$LAB/haproxy/bg.map" ;;
    haproxy-servers) printf '%s\n' -p haproxy --blue blue --green green \
             --haproxy-socket "$LAB_HAPROXY_SOCKET" --haproxy-backend be_app \
             --haproxy-state-file "$LAB/haproxy/server-state" ;;
    caddy) printf '%s\n' -p caddy --blue "$LAB_BLUE" --green "$LAB_GREEN" \
             --caddy-admin "$LAB_CADDY_ADMIN" --caddy-id bg_proxy ;;
    caddy-flag) printf '%s\n' -p caddy --blue "$LAB_BLUE" --green "$LAB_GREEN" \
             --flag-file "$LAB/caddy-flag/green.flag" ;;
    # No API server runs here: for what must fail before any request (a bad kubeconfig).
    kubernetes) printf '%s\n' -p kubernetes --kube-service web --kubeconfig "$LAB/kube/config" ;;
    *) echo "lab: unknown variant $1" >&2; return 1 ;;
  esac
}

# The public entrypoint of each variant.
lab_entry() {  # VARIANT
  case $1 in
    nginx) echo "$LAB_NGINX_URL" ;;
    nginx-flag) echo "$LAB_NGINX_FLAG_URL" ;;
    haproxy-map) echo "$LAB_HAPROXY_MAP_URL" ;;
    haproxy-servers) echo "$LAB_HAPROXY_SERVERS_URL" ;;
    caddy) echo "$LAB_CADDY_URL" ;;
    caddy-flag) echo "$LAB_CADDY_FLAG_URL" ;;
  esac
}

# What a provider holds (for --dry-run: identical before and after).
lab_provider_snapshot() {  # VARIANT
  case $1 in
    nginx) cat "$LAB/nginx/active.conf"; lab_nginx_workers ;;
    nginx-flag) ls "$LAB/nginx-flag" ;;
    haproxy-map) cat "$LAB/haproxy/bg.map"; lab_hap "show map $LAB/haproxy/bg.map" | cut -d' ' -f2- ;;
    haproxy-servers) lab_hap "show servers state be_app" | awk 'NR > 2 {print $4, $6, $7, $8}'
                     cat "$LAB/haproxy/server-state" 2>/dev/null ;;
    caddy) curl -s "$LAB_CADDY_ADMIN/config/" ;;
    caddy-flag) ls "$LAB/caddy-flag"; curl -s "$LAB_CADDY_ADMIN/config/" ;;
  esac
}

# wrk's output -> "REQUESTS ERRORS RATE" (errors: connect+read+write+timeout+non-2xx/3xx).
lab_wrk_summary() {  # FILE
  awk '/requests in/ {req=$1}
       /Socket errors:/ {gsub(",", ""); err += $4 + $6 + $8 + $10}
       /Non-2xx or 3xx responses:/ {err += $5}
       /Requests\/sec:/ {rate=$2}
       END {printf "%d %d %d\n", req, err, rate}' "$1"
}

# ---- test helpers (the suites set `bin` to the bluegreen-switch under test) ------------------------

passed=0
failed=0
pass() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
expect() {  # DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
equals() { [[ $1 == "$2" ]] || { echo "     got '$1', expected '$2'" >&2; return 1; }; }
contains() { [[ $1 == *"$2"* ]] || { echo "     '$2' not in: ${1:0:400}" >&2; return 1; }; }
# The suite's last line and exit status.
lab_results() {  # SUITE
  echo "$1: $passed passed, $failed failed"
  [[ $failed -eq 0 && $passed -gt 0 ]]
}

# The provider arguments of VARIANT with FLAG's value replaced by VALUE (no FLAG: unchanged), one per line.
lab_provider_args_with() {  # VARIANT FLAG VALUE
  lab_provider_args "$1" | awk -v f="$2" -v v="$3" 'skip {skip = 0; next} f != "" && $0 == f {print; print v; skip = 1; next} {print}'
}

# Runs bluegreen-switch on VARIANT as case NAME; sets rc; output in $LAB/out/NAME.{stdout,stderr,json}.
# The state file is $LAB/state/VARIANT.json, its audit log $LAB/state/VARIANT.json.audit.jsonl.
run_switch() {  # VARIANT NAME ARGS...
  run_switch_with "$1" "$2" "" "" "${@:3}"
}
# The same with the provider's FLAG set to VALUE.
run_switch_with() {  # VARIANT NAME FLAG VALUE ARGS...
  local variant=$1 name=$2 flag=$3 value=$4; shift 4
  local args
  last_case=$name
  mapfile -t args < <(lab_provider_args_with "$variant" "$flag" "$value")
  mkdir -p "$LAB/out"
  LAB_ENTRY=$(lab_entry "$variant") "$bin" "${args[@]}" --state-file "$LAB/state/$variant.json" \
    --json "$LAB/out/$name.json" "$@" >"$LAB/out/$name.stdout" 2>"$LAB/out/$name.stderr"
  rc=$?
  return "$rc"
}
# The same in the background; with a BOUNDARY (not "") it stops itself there (BLUEGREEN_SWITCH_STOP_AT,
# a debug stop: SIGSTOP at that step boundary). Sets switch_pid.
start_switch() {  # BOUNDARY|"" VARIANT NAME ARGS...
  local boundary=$1 variant=$2 name=$3; shift 3
  local args
  mapfile -t args < <(lab_provider_args "$variant")
  mkdir -p "$LAB/out"
  LAB_ENTRY=$(lab_entry "$variant") BLUEGREEN_SWITCH_STOP_AT=$boundary "$bin" "${args[@]}" \
    --state-file "$LAB/state/$variant.json" --json "$LAB/out/$name.json" "$@" \
    >"$LAB/out/$name.stdout" 2>"$LAB/out/$name.stderr" &
  switch_pid=$!
}
# Waits for the background switch; sets rc and last_case.
wait_switch() {  # NAME
  wait "$switch_pid"
  rc=$? last_case=$1
}
# Waits until the state file of VARIANT has KEY=VALUE (bounded: 60 s).
wait_state() {  # VARIANT KEY VALUE
  local _
  for _ in $(seq 600); do [[ $(state "$1" "$2") == "$3" ]] && return 0; sleep 0.1; done
  return 1
}
# Waits until PID has stopped itself (SIGSTOP): 0; 1 when it ended instead, or after 60 s.
lab_wait_stopped() {  # PID
  local _ status
  for _ in $(seq 600); do
    status=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)
    [[ -z $status || $status == Z ]] && return 1
    [[ $status == T ]] && return 0
    sleep 0.1
  done
  return 1
}
show_output() {  # the output of the last case run
  sed 's/^/     | /' "$LAB/out/$last_case.stdout" "$LAB/out/$last_case.stderr" | tail -25
}
expect_rc() {  # DESCRIPTION EXPECTED (of the last case run)
  if [[ $rc == "$2" ]]; then pass "$1: exit $2"; else fail "$1: exit $rc, expected $2"; show_output; fi
}
state() {  # VARIANT KEY -> value or "none"
  jq -r --arg k "$2" '.[$k] // "none"' "$LAB/state/$1.json" 2>/dev/null || echo "none"
}
state_bytes() {  # VARIANT -> a digest of the state file, or "no state file"
  if [[ -e $LAB/state/$1.json ]]; then sha256sum <"$LAB/state/$1.json"; else echo "no state file"; fi
}
json_out() {  # NAME JQ-FILTER
  jq -r "$2 // \"none\"" "$LAB/out/$1.json" 2>/dev/null || echo "none"
}
audit_log() { echo "$LAB/state/$1.json.audit.jsonl"; }  # VARIANT
# The audit log's last line, as a jq filter's value.
audit_last() {  # VARIANT JQ-FILTER
  tail -1 "$(audit_log "$1")" 2>/dev/null | jq -r "$2 // \"none\"" 2>/dev/null || echo "none"
}
# How many audit lines have the action.
audit_count() {  # VARIANT ACTION
  jq -c --arg a "$2" 'select(.action == $a)' "$(audit_log "$1")" 2>/dev/null | wc -l
}
# The status HAProxy's "show stat" gives a be_app server: UP, DOWN, DRAIN (up, no new traffic),
# MAINT, or a transition such as "DOWN 1/2".
lab_hap_status() {  # SERVER
  lab_hap "show stat" | awk -F, -v s="$1" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "status") c = i}
                                           $1 == "be_app" && $2 == s {print $c}'
}
lab_wait_hap_status() {  # SERVER STATUS (the status starts with it; bounded: 30 s)
  local _
  for _ in $(seq 300); do [[ $(lab_hap_status "$1") == "$2"* ]] && return 0; sleep 0.1; done
  echo "lab: HAProxy's be_app/$1 is not $2 but $(lab_hap_status "$1")" >&2
  return 1
}
