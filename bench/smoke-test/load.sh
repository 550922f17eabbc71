#!/usr/bin/env bash
# smoke-test load side by side with wrk and hey on nginx on loopback, in one run; then its open model
# and its latency against a server with a fixed 50 ms answer. A benchmark: nothing runs it in CI.
#
#   bench/smoke-test/load.sh [BUILD_DIR] [SECONDS]
#
# 1. Saturation (closed model, 64 connections, SECONDS each, default 5): requests per second of
#    smoke-test load --vus 64, wrk -c 64 and hey -c 64; issue 18 wants >= 2x hey and >= 0.6x wrk.
# 2. Memory: peak RSS of smoke-test load at 10,000 requests in flight (--vus 10000); target <= 30 MB.
# 3. Open model: --rate 5000/s for SECONDS: achieved rate against the target (within 1%).
# 4. Accuracy: latency_server.py answering after 50 ms, --rate 200/s: p50 should be 50-53 ms.
# Every smoke-test run is also judged by its checks (status 200), so a fast wrong answer shows.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${1:-$root/build/release}
seconds=${2:-5}
smoke_test="$build_dir/smoke-test"
[[ -x "$smoke_test" ]] || { echo "build smoke-test first"; exit 2; }
[[ -x $(command -v nginx || echo /usr/sbin/nginx) ]] || { echo "nginx is missing (scripts/install-deps --full)"; exit 2; }
work=$(mktemp -d)
source "$root/scripts/lib/loopback.sh"
cleanup() {
  lab_stop_processes
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

lab_take_port nginx_port
mkdir -p "$work/nginx"
lab_nginx_json_conf "$work/nginx" "127.0.0.1:$nginx_port" 1 16384 >"$work/nginx/nginx.conf"
lab_start_nginx "$work/nginx"
lab_wait_http "http://127.0.0.1:$nginx_port/"
url="http://127.0.0.1:$nginx_port/"
ulimit -n 65536 2>/dev/null || true

echo "== 1. saturation, 64 connections, ${seconds}s each"
ours=$("$smoke_test" load --quiet --check "GET $url 200" --vus 64 --duration "${seconds}s" --format json | jq '.rps')
echo "smoke-test load: $ours req/s"
if command -v wrk >/dev/null; then
  wrk_rps=$(wrk -t1 -c64 -d"${seconds}s" "$url" | awk '/Requests\/sec/ {print $2}')
  echo "wrk -t1 -c64:    $wrk_rps req/s   (ratio $(python3 -c "print(round($ours / $wrk_rps, 2))"))"
fi
if command -v hey >/dev/null; then
  hey_rps=$(hey -z "${seconds}s" -c 64 "$url" | awk '/Requests\/sec/ {print $2}')
  echo "hey -c 64:       $hey_rps req/s   (ratio $(python3 -c "print(round($ours / $hey_rps, 2))"))"
fi

in_flight=${GANTRY_BENCH_IN_FLIGHT:-10000}
echo "== 2. peak memory at $in_flight requests in flight"
if /usr/bin/time -f '%M' -o "$work/rss" timeout 120 "$smoke_test" load --quiet --check "GET $url 200" --vus "$in_flight" \
     --max-in-flight "$in_flight" --duration "${seconds}s" --format json >"$work/mem.json"; then
  echo "smoke-test load --vus $in_flight: peak RSS $(( $(tail -1 "$work/rss") / 1024 )) MB, $(jq '.rps' "$work/mem.json") req/s, error-rate $(jq '.error_rate' "$work/mem.json")"
else
  echo "smoke-test load --vus $in_flight: did not finish within 120 s (peak RSS $(( $(tail -1 "$work/rss" 2>/dev/null || echo 0) / 1024 )) MB)"
fi

echo "== 3. open model at 5000/s for ${seconds}s"
"$smoke_test" load --quiet --check "GET $url 200" --rate 5000/s --duration "${seconds}s" --format json >"$work/open.json" || true
jq -r '"requests \(.requests) of \(5000 * '"$seconds"'), achieved \(.rps) req/s (\((.rps / 5000 - 1) * 100 | . * 100 | round / 100)% off), p99 \(.latency.p99_ms) ms"' "$work/open.json"

echo "== 4. accuracy against a server answering in 50 ms"
python3 -u "$root/bench/smoke-test/latency_server.py" 50 >"$work/latency.log" 2>&1 &
lab_pids+=($!)
for _ in $(seq 50); do grep -q '^PORT' "$work/latency.log" && break; sleep 0.1; done
slow_port=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$work/latency.log")
"$smoke_test" load --quiet --check "GET http://127.0.0.1:$slow_port/ 200" --rate 200/s --duration "${seconds}s" --format json >"$work/slow.json" || true
jq -r '"p50 \(.latency.p50_ms) ms (target 50-53), p99 \(.latency.p99_ms) ms, service p50 \(.service_time.p50_ms) ms"' "$work/slow.json"
