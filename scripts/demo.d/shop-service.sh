# The demo's sample service on loopback: two colours of "shop-api" (one nginx each, answering JSON
# with the release's version and an X-Color header) behind an nginx load balancer in flag-file mode
# (green while the flag file exists). Sourced by scripts/demo after scripts/lib/loopback.sh; every
# process lands in lab_pids, and the caller's trap stops them (lab_stop_processes).
#
#   shop_start DIR              starts the three servers with their files in DIR/{blue,green,lb};
#                               sets SHOP_BLUE, SHOP_GREEN (host:port), SHOP_URL (the entrypoint),
#                               SHOP_FLAG (the flag file) and SHOP_PORTS; both colours run 1.2.0
#   shop_deploy COLOR VERSION [broken]
#                               installs VERSION on COLOR (nginx reload of that colour only) and
#                               waits until it answers with it; a broken release passes /healthz
#                               but its /api/orders answers 500
#   shop_version URL            the version URL's / answers, or "none"

shop_release_conf() {  # COLOR VERSION [broken]
  local orders='return 200 '\''{"orders":[{"id":1042,"total":{"amount":1999,"currency":"EUR"}}]}\n'\'';'
  [[ ${3:-} == broken ]] && orders='return 500 '\''{"error":"column orders.currency does not exist"}\n'\'';'
  cat <<CONF
# shop-api $2 on $1 (a deployment by scripts/demo$([[ ${3:-} == broken ]] && echo ': a broken release'))
location = /healthz { return 200 '{"status":"ok"}\n'; }
location = / { return 200 '{"service":"shop-api","version":"$2","color":"$1"}\n'; }
location = /api/orders { $orders }
CONF
}

shop_backend_conf() {  # DIR COLOR PORT
  lab_nginx_head "$1"; echo "http {"; lab_nginx_http_common "$1"
  cat <<CONF
  server {
    listen 127.0.0.1:$3;
    default_type application/json;
    add_header X-Color $2 always;
    include $1/release.conf;
  }
}
CONF
}

shop_start() {  # DIR
  local dir=$1 color port p_blue p_green p_lb
  lab_take_port p_blue; lab_take_port p_green; lab_take_port p_lb
  SHOP_BLUE=127.0.0.1:$p_blue SHOP_GREEN=127.0.0.1:$p_green SHOP_URL=http://127.0.0.1:$p_lb
  SHOP_FLAG=$dir/lb/green.flag SHOP_PORTS="$p_blue $p_green $p_lb"
  export SHOP_BLUE SHOP_GREEN SHOP_URL SHOP_FLAG SHOP_PORTS
  for color in blue green; do
    [[ $color == blue ]] && port=$p_blue || port=$p_green
    mkdir -p "$dir/$color"
    shop_release_conf "$color" 1.2.0 >"$dir/$color/release.conf"
    shop_backend_conf "$dir/$color" "$color" "$port" >"$dir/$color/nginx.conf"
    lab_start_nginx "$dir/$color"
  done
  mkdir -p "$dir/lb"
  rm -f "$SHOP_FLAG"
  lab_nginx_flag_file_conf "$dir/lb" "127.0.0.1:$p_lb" "$SHOP_BLUE" "$SHOP_GREEN" "$SHOP_FLAG" >"$dir/lb/nginx.conf"
  lab_start_nginx "$dir/lb"
  lab_wait_http "http://$SHOP_BLUE/" 15 && lab_wait_http "http://$SHOP_GREEN/" 15 && lab_wait_http "$SHOP_URL/" 15
}

shop_version() {  # URL
  curl -s --max-time 2 "$1/" | jq -r '.version // "none"' 2>/dev/null || echo none
}

shop_deploy() {  # COLOR VERSION [broken]
  local dir address old_workers alive pid _
  dir=$(dirname "$(dirname "$SHOP_FLAG")")/$1
  [[ $1 == blue ]] && address=$SHOP_BLUE || address=$SHOP_GREEN
  # A reload starts new workers before the old ones stop accepting: one answer with the new
  # version does not mean the next one comes from the new generation. Wait for the old workers
  # to exit, then for the new version.
  old_workers=$(pgrep -P "$(cat "$dir/nginx.pid")" 2>/dev/null || true)
  shop_release_conf "$@" >"$dir/release.conf.tmp"
  mv "$dir/release.conf.tmp" "$dir/release.conf"
  $(lab_nginx_reload_command "$dir") || return 1
  for _ in $(seq 100); do
    alive=
    for pid in $old_workers; do kill -0 "$pid" 2>/dev/null && alive+=" $pid"; done
    [[ -z $alive && $(shop_version "http://$address") == "$2" ]] && return 0
    sleep 0.1
  done
  echo "demo: $1 does not answer with $2 after the reload (old workers still running:${alive:- none})" >&2
  return 1
}
