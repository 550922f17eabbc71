#!/usr/bin/env bash
# Loopback tests of smoke-test and its engine against real servers started here.
#
#   tests/smoke/run.sh BUILD_DIR
#
# Makes a throw-away CA and certificates with openssl, starts the test HTTP server and three HTTPS
# servers (certificates valid 400 days, 5 days, and for the wrong host name) on free ports, finds a
# port nobody listens on, then runs the unit tests of the "loopback" suite and the end-to-end cases
# of tests/smoke/cases.sh with their addresses in GANTRY_LOOPBACK_* variables. The servers are
# always stopped (trap). Exits non-zero when anything fails or when no loopback test ran.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-smoke.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for tool in python3 openssl; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps)"; exit 1; }
done
bash "$here/make_certs.sh" "$work/certs" || { echo "FAIL: openssl could not make the test certificates"; exit 1; }

start_server() {  # name [--cert F --key F] -> sets port_<name>
  local name=$1; shift
  python3 -u "$here/test_server.py" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  local port=""
  for _ in $(seq 100); do
    port=$(sed -n 's/^PORT \([0-9][0-9]*\)$/\1/p' "$work/$name.log" | head -1)
    [[ -n $port ]] && break
    sleep 0.1
  done
  [[ -n $port ]] || { echo "FAIL: server $name did not start: $(cat "$work/$name.log")"; exit 1; }
  printf -v "port_$name" '%s' "$port"
}
start_server http
start_server good --cert "$work/certs/good.pem" --key "$work/certs/good.key"
start_server expiring --cert "$work/certs/expiring.pem" --key "$work/certs/expiring.key"
start_server wronghost --cert "$work/certs/wronghost.pem" --key "$work/certs/wronghost.key"
closed_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

export GANTRY_LOOPBACK_HTTP="http://127.0.0.1:$port_http"
export GANTRY_LOOPBACK_TLS_GOOD="https://localhost:$port_good"
export GANTRY_LOOPBACK_TLS_EXPIRING="https://localhost:$port_expiring"
export GANTRY_LOOPBACK_TLS_WRONGHOST="https://localhost:$port_wronghost"
export GANTRY_LOOPBACK_CA="$work/certs/ca.pem"
export GANTRY_LOOPBACK_CLOSED="127.0.0.1:$closed_port"

failed=0
"$build_dir/tests/gantry_unit_tests" --test-suite=loopback --no-skip >"$work/unit.log" 2>&1
code=$?
cat "$work/unit.log"
if [[ $code -ne 0 ]]; then failed=1; fi
if ! grep -Eq 'test cases: *[1-9][0-9]* \| *[1-9][0-9]* passed' "$work/unit.log"; then
  echo "FAIL: no loopback unit test ran"; failed=1
fi
if [[ -x "$build_dir/smoke-test" ]]; then
  SMOKE_TEST="$build_dir/smoke-test" WORK="$work" bash "$here/cases.sh" || failed=1
else
  echo "FAIL: $build_dir/smoke-test is not built"; failed=1
fi
exit $failed
