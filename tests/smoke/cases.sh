#!/usr/bin/env bash
# End-to-end cases of the smoke-test executable against the loopback servers; run by
# tests/smoke/run.sh, which sets SMOKE_TEST, WORK and GANTRY_LOOPBACK_*. Prints one line per case
# and exits non-zero when any failed.
set -uo pipefail
: "${SMOKE_TEST:?}" "${WORK:?}" "${GANTRY_LOOPBACK_HTTP:?}"
http=$GANTRY_LOOPBACK_HTTP
failures=0
case_dir=""
nginx_pid=""
source "$(dirname "${BASH_SOURCE[0]}")/../harness_environment.sh"
trap '[[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null; wait 2>/dev/null' EXIT

run_case() {  # name expected-exit -- args...; leaves stdout/stderr in $case_dir
  local name=$1 expected=$2; shift 3
  case_dir="$WORK/case-$name"
  mkdir -p "$case_dir"
  local harness=()
  keep_harness_environment harness
  (cd "$case_dir" && env -i PATH=/usr/bin:/bin HOME="$case_dir" NO_COLOR=1 "${harness[@]}" ${CASE_ENV:-} \
     timeout 60 "$SMOKE_TEST" "$@" >"$case_dir/stdout" 2>"$case_dir/stderr" </dev/null)
  local code=$?
  if [[ $code -ne $expected ]]; then
    echo "FAIL $name: exit $code, expected $expected"; sed 's/^/  | /' "$case_dir/stdout" "$case_dir/stderr"
    failures=$((failures + 1))
    return 1
  fi
  return 0
}
expect() {  # name description command...
  local name=$1 what=$2; shift 2
  if "$@"; then echo "ok   $name: $what"; else
    echo "FAIL $name: $what"; sed 's/^/  | /' "$case_dir/stdout" "$case_dir/stderr"; failures=$((failures + 1)); fi
}

cat >"$WORK/checks.yml" <<YAML
base-url: \${BASE}
checks:
  - name: health
    get: /json
    status: 200
    expect:
      headers: {content-type: {contains: json}}
      json:
        - {pointer: /status, equals: ok}
        - {pointer: /replicas, ">=": 2}
        - {pointer: /items, type: array}
      time: 5s
  - name: echo
    post: /echo
    json: {hello: world}
    expect:
      body: {contains: '"hello"'}
  - name: tcp
    tcp: \${HOSTPORT}
YAML

CASE_ENV="BASE=$http HOSTPORT=${http#http://} GITHUB_ACTIONS=true GITHUB_OUTPUT=$WORK/gh-output" \
  run_case pass 0 -- -f "$WORK/checks.yml" --junit junit.xml --json result.json --check "GET $http/text 200 body~ready" &&
{
  expect pass "outputs on GITHUB_OUTPUT" grep -qx 'passed=4' "$WORK/gh-output"
  expect pass "JUnit has one test case per check" \
    python3 -c 'import sys, xml.etree.ElementTree as t; r = t.parse(sys.argv[1]).getroot(); sys.exit(len(r.findall(".//testcase")) != 4)' "$case_dir/junit.xml"
  expect pass "JSON totals" bash -c "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (d[\"totals\"][\"passed\"] == 4 and d[\"checks\"][3][\"name\"].startswith(\"GET \")))' '$case_dir/result.json'"
}

cat >"$WORK/failing.yml" <<YAML
checks:
  - name: degraded
    get: $http/json/degraded
    expect:
      json: [{pointer: /status, equals: ok}]
YAML
CASE_ENV="GITHUB_ACTIONS=true" run_case annotations 1 -- -f "$WORK/failing.yml" &&
  expect annotations "an ::error annotation at the check's line" \
    grep -q "^::error file=$WORK/failing.yml,line=2,title=smoke-test%3A degraded failed::" "$case_dir/stdout"

printf 'checks:\n  - get: %s/json\n    expect: {json: [{pointer: status}]}\n' "$http" >"$WORK/bad.yml"
run_case bad-file 2 -- -f "$WORK/bad.yml" &&
  expect bad-file "the error names file:line:column" grep -q "bad.yml:3:31: checks\[0\].expect.json\[0\].pointer: 'status' is not a JSON pointer" "$case_dir/stderr"

key="cli$RANDOM$RANDOM"
run_case flaky 1 -- --check "GET $http/flaky/$key/1 200" --attempts 3 --retry-delay 10ms --fail-on-flaky &&
  expect flaky "flaky check fails with --fail-on-flaky" grep -q "flaky (--fail-on-flaky)" "$case_dir/stdout"

key="dl$RANDOM$RANDOM"
run_case deadline 1 -- --check "GET $http/flaky/$key/100000 200" --attempts 100000 --retry-delay 10ms --deadline 1s &&
  expect deadline "the deadline ends the retries" grep -q "deadline reached after" "$case_dir/stdout"

run_case slow 1 -- --check "GET $http/slow/500 200 <100ms" &&
  expect slow "a slow answer fails a 100 ms limit" grep -q "> limit 100 ms" "$case_dir/stdout"

run_case refused 1 -- --check "GET http://$GANTRY_LOOPBACK_CLOSED/ 200" &&
  expect refused "refused is reported" grep -qi "connect" "$case_dir/stdout"

run_case tls 1 -- --cacert "$GANTRY_LOOPBACK_CA" --check "GET $GANTRY_LOOPBACK_TLS_GOOD/json tls-days>=30" \
  --check "GET $GANTRY_LOOPBACK_TLS_EXPIRING/json tls-days>=30" --check "GET $GANTRY_LOOPBACK_TLS_WRONGHOST/json" &&
{
  expect tls "an expiring certificate fails" grep -q "certificate expires in [45] days" "$case_dir/stdout"
  expect tls "a wrong host name fails verification" grep -q "FAIL  GET $GANTRY_LOOPBACK_TLS_WRONGHOST/json" "$case_dir/stdout"
  expect tls "the good certificate passes" bash -c "! grep -q 'FAIL  GET $GANTRY_LOOPBACK_TLS_GOOD' '$case_dir/stdout'"
}

run_case insecure 0 -- --check "GET $GANTRY_LOOPBACK_TLS_WRONGHOST/json insecure" &&
  expect insecure "insecure prints a warning" grep -q "does not verify the TLS certificate" "$case_dir/stderr"

CASE_ENV="GITHUB_ACTIONS=true TOKEN=hunter2-secret" \
  run_case masking 1 -- --secret-var TOKEN --check "GET $http/status/500?t=\${TOKEN} 200" --junit junit.xml &&
{
  expect masking "::add-mask:: comes first" bash -c "head -1 '$case_dir/stdout' | grep -qx '::add-mask::hunter2-secret'"
  expect masking "the secret appears nowhere else" bash -c "! tail -n +2 '$case_dir/stdout' | grep -q hunter2 && ! grep -q hunter2 '$case_dir/stderr' '$case_dir/junit.xml'"
}

# HTTP/2 where the server offers it (ALPN): nginx with the test certificate, when nginx is installed.
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [[ -x $nginx ]]; then
  h2_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
error_log $WORK/nginx/error.log warn;
pid $WORK/nginx/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$h2_port ssl http2;
    ssl_certificate $WORK/certs/good.pem;
    ssl_certificate_key $WORK/certs/good.key;
    location / { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
CONF
  "$nginx" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$h2_port") 2>/dev/null && break; sleep 0.1; done
  run_case http2 0 -- --cacert "$GANTRY_LOOPBACK_CA" --json result.json --concurrency 4 \
      --check "GET https://localhost:$h2_port/a json:/status==ok" --check "GET https://localhost:$h2_port/b" \
      --check "GET https://localhost:$h2_port/c" &&
    expect http2 "HTTP/2 negotiated with nginx" \
      bash -c "[[ \$(jq -r '[.checks[][\"http-version\"]] | unique | join(\",\")' '$case_dir/result.json') == 2 ]]"
  kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null
else
  echo "skip http2: nginx is not installed (scripts/install-deps --full)"
fi

run_case cannot-write 3 -- --check "GET $http/json" --junit /proc/gantry-cannot-write/junit.xml

# What users read, with check names and URLs that try to break out of a log line or the step
# summary's Markdown: the summary matches its golden file (run times, port and folder normalised; run
# with UPDATE_GOLDEN=1 to rewrite it) and the runner reads no command the tool did not mean.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
matches_golden() {  # golden-name file
  local expected="$here/golden/$1" actual
  actual=$(sed -E -e "s|$http|\$HTTP|g" -e "s|$WORK|\$WORK|g" -e 's/[0-9]+ ms/N ms/g' -e 's/in [0-9]+\.[0-9] s/in N s/g' "$2")
  if [[ "${UPDATE_GOLDEN:-}" == 1 ]]; then printf '%s\n' "$actual" >"$expected"; return 0; fi
  diff -u "$expected" <(printf '%s\n' "$actual")
}
only_own_commands() { python3 "$here/../runner_commands.py" --allow error,warning,notice,add-mask "$case_dir/stdout" "$case_dir/stderr"; }
cat >"$WORK/hostile.yml" <<YAML
checks:
  - name: "health | <img src=x> \`tick\` *bold*\\n::stop-commands::T0KEN\\n::error file=forged.js::forged"
    get: "$http/json?q=##[error]legacy|\`x\`"
    status: 200
  - name: "::error file=forged.js::text ##[warning]legacy"
    get: $http/text
YAML
run_case hostile-pass 0 -- --format github -f "$WORK/hostile.yml" --summary-file summary.md &&
{
  expect hostile-pass "the summary matches tests/smoke/golden/hostile-pass.md" matches_golden hostile-pass.md "$case_dir/summary.md"
  expect hostile-pass "the runner reads only the tool's own commands" only_own_commands
}
cat >"$WORK/hostile-failing.yml" <<YAML
checks:
  - name: "degraded | <img src=x> \`tick\`\\n::stop-commands::T0KEN\\n::error file=forged.js::forged"
    get: "$http/json/degraded?q=##[error]legacy"
    expect:
      json: [{pointer: /status, equals: ok}]
  - name: "# text ##[warning]legacy"
    get: $http/text
YAML
run_case hostile-fail 1 -- --format github -f "$WORK/hostile-failing.yml" --summary-file summary.md &&
{
  expect hostile-fail "the summary matches tests/smoke/golden/hostile-fail.md" matches_golden hostile-fail.md "$case_dir/summary.md"
  expect hostile-fail "the runner reads only the tool's own commands" only_own_commands
}

# smoke-test load against real nginx on loopback. Only counts, exit codes and flags are asserted:
# never a time, so a slow or busy machine gives the same answers. Every run is bounded (1-2 s).
if [[ -x $nginx ]]; then
  load_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  mkdir -p "$WORK/nginx-load"
  cat >"$WORK/nginx-load/nginx.conf" <<CONF
worker_processes 1;
error_log $WORK/nginx-load/error.log warn;
pid $WORK/nginx-load/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-load/body;
  proxy_temp_path $WORK/nginx-load/proxy;
  fastcgi_temp_path $WORK/nginx-load/fastcgi;
  uwsgi_temp_path $WORK/nginx-load/uwsgi;
  scgi_temp_path $WORK/nginx-load/scgi;
  server {
    listen 127.0.0.1:$load_port;
    location / { default_type application/json; return 200 '{"status":"ok"}'; }
    location /missing { return 404; }
  }
}
CONF
  "$nginx" -p "$WORK/nginx-load" -c "$WORK/nginx-load/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$load_port") 2>/dev/null && break; sleep 0.1; done
  site="http://127.0.0.1:$load_port"
  json_is() {  # file jq-filter expected
    [[ $(jq -r "$2" "$1") == "$3" ]]
  }

  run_case load-open-rate 0 -- load --check "GET $site/ 200 json:/status==ok" --rate 200/s --duration 2s \
      --threshold 'error-rate<1%' --threshold 'p100<30s' --json result.json &&
    expect load-open-rate "the open model sends exactly the 400 scheduled requests, none failed" \
      json_is "$case_dir/result.json" '"\(.requests) \(.checks[0].errors.status) \(.partial)"' "400 0 false"

  run_case load-weights 0 -- load --check "GET $site/a 200 weight=3" --check "GET $site/b 200" --rate 200/s --duration 1s \
      --json result.json &&
    expect load-weights "weights 3:1 split 200 requests 150:50" \
      json_is "$case_dir/result.json" '"\(.checks[0].requests) \(.checks[1].requests)"' "150 50"

  run_case load-closed 0 -- load --check "GET $site/ 200" --vus 4 --duration 1s --threshold 'error-rate==0' --json result.json &&
    expect load-closed "the closed model's users sent requests, all answered" \
      json_is "$case_dir/result.json" '(.requests > 0) and .passed' true

  run_case load-threshold-fails 1 -- load --check "GET $site/ 200" --rate 100/s --duration 1s \
      --threshold 'p50<0ms' --threshold 'error-rate<1%' --junit junit.xml &&
    expect load-threshold-fails "JUnit has one test case per threshold, the impossible one failed" \
      bash -c "[[ \$(grep -c '<testcase' '$case_dir/junit.xml') == 2 && \$(grep -c '<failure' '$case_dir/junit.xml') == 1 ]]"

  run_case load-status-errors 1 -- load --check "GET $site/missing 200" --rate 100/s --duration 1s \
      --threshold 'error-rate<1%' --json result.json &&
    expect load-status-errors "a 404 where 200 was expected is a status error, every time" \
      json_is "$case_dir/result.json" '"\(.requests) \(.checks[0].errors.status)"' "100 100"

  run_case load-assertion-errors 1 -- load --check "GET $site/ 200 json:/status==down" --rate 100/s --duration 1s \
      --threshold 'error-rate<1%' --json result.json &&
    expect load-assertion-errors "a failed JSON assertion on an expected status is an assertion error" \
      json_is "$case_dir/result.json" '.checks[0].errors.assertion' 100

  # Body assertions read the whole of each answer (contains and regexes alike), and every answer is
  # judged. By host name: the resolver is made on first use.
  run_case load-body-assertions 0 -- load --check "GET http://localhost:$load_port/ 200 body~ok body!~down body=~stat+us" \
      --rate 100/s --duration 1s --threshold 'error-rate==0' --json result.json &&
    expect load-body-assertions "100 answers by host name, every body assertion held" \
      json_is "$case_dir/result.json" '"\(.requests) \(.checks[0].errors.assertion)"' "100 0"
  run_case load-body-assertion-errors 1 -- load --check "GET $site/ 200 body=~degraded" --rate 100/s --duration 1s \
      --threshold 'error-rate<1%' --json result.json &&
    expect load-body-assertion-errors "a body regex that does not match fails every answer" \
      json_is "$case_dir/result.json" '.checks[0].errors.assertion' 100

  run_case load-abort-on-fail 1 -- load --check "GET $site/missing 200" --rate 200/s --duration 20s \
      --threshold 'error-rate<1%' --abort-on-fail --json result.json &&
    expect load-abort-on-fail "stops once 1% of the 4,000 planned requests failed, and says so" \
      json_is "$case_dir/result.json" '(.requests < 4000) and .partial and (.stop_reason | test("can no longer pass"))' true

  for shard in 1 2; do
    run_case "load-shard-$shard" 0 -- load --check "GET $site/ 200" --rate 200/s --duration 2s --shard "$shard/2" \
        --histogram-out "$WORK/shard-$shard.json"
  done
  run_case load-merge 0 -- load merge "$WORK/shard-1.json" "$WORK/shard-2.json" --threshold 'error-rate<1%' --json result.json &&
    expect load-merge "two shards merged hold the 400 requests of the whole run, both sent over the HTTP/1.1 client" \
      json_is "$case_dir/result.json" '"\(.requests) \(.shard_count) \(.shards | join(",")) \(.transport)"' "400 2 1,2 http1"
  jq '.transports[0].transport = "libcurl"' "$WORK/shard-2.json" >"$WORK/shard-2-libcurl.json"
  run_case load-merge-mixed-transports 0 -- load merge "$WORK/shard-1.json" "$WORK/shard-2-libcurl.json" --json result.json &&
    expect load-merge-mixed-transports "shards sent over different transports merge, with a warning naming which" \
      grep -q 'different transports (http1 (shard 1), libcurl (shard 2))' "$case_dir/stderr" &&
    expect load-merge-mixed-transports "the report says mixed" json_is "$case_dir/result.json" '.transport' mixed &&
    expect load-merge-mixed-transports "the report lists the shards of each transport" \
      json_is "$case_dir/result.json" '.transports | tojson' '{"http1":[1],"libcurl":[2]}'
  run_case load-merge-missing 2 -- load merge "$WORK/shard-1.json" &&
    expect load-merge-missing "a missing shard is named" grep -q 'missing shard 2' "$case_dir/stderr"
  jq '.plan.rate = 300' "$WORK/shard-2.json" >"$WORK/shard-2-other.json"
  run_case load-merge-strangers 2 -- load merge "$WORK/shard-1.json" "$WORK/shard-2-other.json" &&
    expect load-merge-strangers "shards of another plan are refused, naming the file" grep -q 'shard-2-other.json: /plan' "$case_dir/stderr"

  # In a CI runner the `command` input picks the subcommand: the action and the component set only
  # INPUT_* variables. The shard files are found in the directory a merge job downloads them to.
  mkdir -p "$WORK/downloaded-shards"
  cp "$WORK/shard-1.json" "$WORK/shard-2.json" "$WORK/downloaded-shards/"
  printf 'checks:\n  - get: %s/\n    status: 200\n' "$site" >"$WORK/load-checks.yml"
  CASE_ENV="INPUT_COMMAND=load INPUT_FILE=$WORK/load-checks.yml INPUT_RATE=100/s INPUT_DURATION=1s INPUT_SHARD=1/2
            INPUT_HISTOGRAM-OUT=shard.json INPUT_JSON=result.json INPUT_THRESHOLD=error-rate<1%" \
    run_case load-command-input 0 -- &&
    expect load-command-input "INPUT_COMMAND=load runs shard 1 of a 100/s load for 1 s (50 requests)" \
      json_is "$case_dir/result.json" '"\(.requests) \(.shards | join(","))"' "50 1"
  case_dir="$WORK/case-load-merge-command-input"; mkdir -p "$case_dir"
  (cd "$case_dir" && env -i PATH=/usr/bin:/bin HOME="$case_dir" NO_COLOR=1 "INPUT_COMMAND=load merge" \
     "INPUT_SHARDS=$WORK/downloaded-shards" "INPUT_THRESHOLD=error-rate<1%" INPUT_JSON=result.json \
     timeout 60 "$SMOKE_TEST" >stdout 2>stderr </dev/null)
  expect load-merge-command-input "INPUT_COMMAND='load merge' merges the shard files of a directory" \
    json_is "$case_dir/result.json" '"\(.requests) \(.shard_count) \(.shards | join(","))"' "400 2 1,2"
  CASE_ENV="INPUT_COMMAND=stress" run_case command-input-unknown 2 -- &&
    expect command-input-unknown "an unknown command is named with what was expected" \
      grep -q 'invalid value "stress" for the command input, given by INPUT_COMMAND: expected one of check, load, load merge' "$case_dir/stderr"

  # Ctrl-C: whenever it comes, the run stops, reports what it measured and says it is partial.
  case_dir="$WORK/case-load-interrupt"; mkdir -p "$case_dir"
  # (exec: $! is smoke-test itself; the 20 s schedule bounds the case should the signal be lost)
  (cd "$case_dir" && exec "$SMOKE_TEST" load --check "GET $site/ 200" --rate 50/s --duration 20s \
      --json result.json >stdout 2>stderr </dev/null) &
  load_pid=$!
  for _ in $(seq 100); do [[ -s $case_dir/stderr ]] && break; sleep 0.1; done
  kill -INT "$load_pid"
  wait "$load_pid"
  expect load-interrupt "Ctrl-C ends the run with a report marked partial" \
    json_is "$case_dir/result.json" '"\(.partial) \(.stop_reason)"' "true interrupted"

  run_case load-rate-needs-duration 2 -- load --check "GET $site/ 200" --rate 10/s &&
    expect load-rate-needs-duration "names --duration" grep -q -- '--rate needs --duration' "$case_dir/stderr"
  run_case load-threshold-syntax 2 -- load --check "GET $site/ 200" --rate 10/s --duration 1s --threshold 'p95 500ms' &&
    expect load-threshold-syntax "names the threshold and what was expected" grep -q "threshold 'p95 500ms': expected METRIC OP VALUE" "$case_dir/stderr"
  run_case load-unknown-metric 2 -- load --check "GET $site/ 200" --rate 10/s --duration 1s --threshold 'latency<5ms' &&
    expect load-unknown-metric "names the unknown metric" grep -q "unknown metric 'latency'" "$case_dir/stderr"
  run_case load-unknown-check 2 -- load --check "GET $site/ 200" --rate 10/s --duration 1s --threshold 'check=nope:p95<5ms' &&
    expect load-unknown-check "names the unknown check" grep -q "no check is named 'nope'" "$case_dir/stderr"
  kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null
else
  echo "skip load: nginx is not installed (scripts/install-deps --full)"
fi

echo "smoke-test cases: $failures failed"
exit $((failures > 0))
