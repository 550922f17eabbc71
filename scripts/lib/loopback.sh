# Real servers on free 127.0.0.1 ports, each one tracked so that one call stops them all. Sourced
# by tests/bluegreen/lab.sh (the bluegreen-switch lab, and through it bench/bluegreen-switch), by
# bench/smoke-test and by scripts/demo. It starts nothing by itself and sets no trap: the caller owns
# both.
#
#   lab_take_port VAR            a free port, never one handed out before in this shell
#   lab_nginx_head DIR [WORKERS [CONNECTIONS]]   the top of an nginx.conf whose files all live in DIR
#   lab_nginx_http_common DIR    the http-block lines that keep nginx's files in DIR
#   lab_nginx_json_conf DIR LISTEN [WORKERS [CONNECTIONS]]   an nginx.conf answering {"status":"ok"}
#                                on every path, as fast as nginx can (the benchmarks' target)
#   lab_nginx_flag_file_conf DIR LISTEN BLUE GREEN FLAG_FILE   a flag-file load balancer's nginx.conf
#   lab_start_nginx DIR          nginx -c DIR/nginx.conf in the foreground, its pid in lab_pids
#   lab_wait_http URL [SECONDS]  until URL answers at all
#   lab_color URL                the X-Color header of a new connection's answer, or "error"
#   lab_wait_color URL COLOR     until URL answers COLOR five times in a row
#   lab_stop_processes           TERM to every pid in lab_pids, then waits for each
#   lab_listening PORT...        prints the ports among PORT... that still accept connections

lab_pids=()

# A port nobody listens on now, below Linux's ephemeral range (32768-60999), so that no outgoing
# connection holds it either. Pure bash (/dev/tcp): a refused connection means it is free.
lab_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
}

lab_ports_taken=" "
lab_take_port() {  # VAR: a free port, different from those taken before
  local port
  while :; do
    port=$(lab_free_port)
    [[ $lab_ports_taken == *" $port "* ]] || break
  done
  lab_ports_taken+="$port "
  printf -v "$1" '%s' "$port"
}

lab_nginx=$(command -v nginx || echo /usr/sbin/nginx)
lab_haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)

# The head of an nginx.conf whose files all live in DIR. Everything runs as the current user;
# nginx gets `user` only when that is root. One worker and 1024 connections unless told.
lab_nginx_head() {  # DIR [WORKERS [CONNECTIONS]]
  local dir=$1
  [[ $(id -u) == 0 ]] && echo "user root;"
  cat <<CONF
worker_processes ${2:-1};
error_log $dir/error.log warn;
pid $dir/nginx.pid;
events { worker_connections ${3:-1024}; }
CONF
}

lab_nginx_http_common() {  # DIR
  local dir=$1
  cat <<CONF
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
CONF
}

# An nginx load balancer in flag-file mode (bluegreen-switch --flag-file): both colours configured,
# green while FLAG_FILE exists, tested on every request, so a switch reloads nothing.
lab_nginx_flag_file_conf() {  # DIR LISTEN BLUE GREEN FLAG_FILE
  local dir=$1
  lab_nginx_head "$dir"; echo "http {"; lab_nginx_http_common "$dir"
  cat <<CONF
  upstream bg_blue { server $3; keepalive 16; }
  upstream bg_green { server $4; keepalive 16; }
  server {
    listen $2;
    keepalive_requests 1000000;
    location / {
      set \$bg bg_blue;
      if (-f $5) { set \$bg bg_green; }
      proxy_pass http://\$bg;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
}

# A static JSON answer on every path, for load: keep-alive connections are never closed by nginx, and
# the listen backlog holds as many connections as a worker takes, so a burst of connects is not refused.
lab_nginx_json_conf() {  # DIR LISTEN [WORKERS [CONNECTIONS]]
  local dir=$1 connections=${4:-1024}
  lab_nginx_head "$dir" "${3:-1}" "$connections"; echo "http {"; lab_nginx_http_common "$dir"
  cat <<CONF
  keepalive_requests 1000000;
  server {
    listen $2 backlog=$connections;
    location / { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
CONF
}

# argv of the nginx commands for the instance in DIR (what --nginx-test/reload-command get).
lab_nginx_test_command() { echo "$lab_nginx -t -q -e $1/error.log -p $1 -c $1/nginx.conf"; }
lab_nginx_reload_command() { echo "$lab_nginx -s reload -e $1/error.log -p $1 -c $1/nginx.conf"; }

lab_start_nginx() {  # DIR
  local dir=$1
  "$lab_nginx" -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' >>"$dir/stdout.log" 2>&1 &
  lab_pids+=($!)
}

lab_wait_http() {  # URL [SECONDS]
  local _
  for _ in $(seq $(( ${2:-10} * 10 ))); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.1
  done
  echo "lab: $1 did not answer" >&2
  return 1
}

# The colour answering URL on a new connection: blue, green, or error.
lab_color() {
  local header
  header=$(curl -s -o /dev/null -D - --max-time 3 "$1" | tr -d '\r' | sed -n 's/^[Xx]-[Cc]olor: *//p' | head -1)
  echo "${header:-error}"
}

# Wait until URL answers COLOR five times in a row (an nginx reload replaces workers gracefully).
lab_wait_color() {  # URL COLOR
  local streak=0 _
  for _ in $(seq 100); do
    if [[ $(lab_color "$1") == "$2" ]]; then
      (( ++streak >= 5 )) && return 0
    else
      streak=0; sleep 0.1
    fi
  done
  echo "lab: $1 does not answer $2" >&2
  return 1
}

# Safe in an EXIT trap under set -e: a process that is gone, or ends by the signal, is no error.
lab_stop_processes() {
  local pid
  for pid in "${lab_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${lab_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  lab_pids=()
}

lab_listening() {  # PORT...
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; fi
  done
}
