#!/usr/bin/env bash
# run_curl_smoke.sh CURL_SMOKE
# Serves a file from python3's http.server on 127.0.0.1 (a free port) and fetches it with the static
# curl_smoke program, then again from inside an empty chroot when that is possible: proof that the
# static libcurl resolves, connects and transfers without anything from the host.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
smoke=$1
# A cross build runs the program under its emulator (GANTRY_TOOL_EMULATOR, set by tests/static).
run_smoke=(${GANTRY_TOOL_EMULATOR:+"$GANTRY_TOOL_EMULATOR"} "$smoke")
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-curl-smoke.XXXXXX")
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v python3 >/dev/null; then
  echo "skip: python3 is not installed"
  exit 77
fi
mkdir "$work/site"
expected="gantry curl smoke $$ $RANDOM"
printf '%s\n' "$expected" >"$work/site/hello.txt"

# Port 0: the kernel picks a free port; http.server prints which one.
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/site" >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$work/server.log" | head -1)
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "FAIL: http.server did not start: $(cat "$work/server.log")"
  exit 1
fi
url="http://127.0.0.1:$port/hello.txt"

failures=0
check() {  # check LABEL OUTPUT STATUS
  if [[ $3 -eq 0 && $2 == *"$expected"* ]]; then
    echo "ok   $1"
  else
    echo "FAIL $1: exit $3: $2"
    failures=$((failures + 1))
  fi
}
out=$("${run_smoke[@]}" "$url" 2>&1); check "GET $url" "$out" $?
out=$("${run_smoke[@]}" "http://127.0.0.1:$port/missing" 2>&1)
if [[ $? -eq 1 && $out == *"HTTP 404"* ]]; then echo "ok   404 is an error"; else echo "FAIL 404 not reported: $out"; failures=$((failures + 1)); fi

if file -L "$smoke" | grep -q "statically linked"; then
  out=$(bash "$here/run_in_empty_chroot.sh" "$smoke" "$url" 2>&1); status=$?
  if [[ $status -eq 77 ]]; then echo "skip GET in an empty chroot: ${out##*: }"; else check "GET in an empty chroot" "$out" $status; fi
fi
exit $((failures > 0))
