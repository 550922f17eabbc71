#!/usr/bin/env bash
# tests/delivery/gitlab-run.sh BUILD_DIR
#
# Runs the example GitLab pipelines (workflows-templates/gitlab/) with gitlab-ci-local and podman, in
# images built from the Dockerfile with the tools of BUILD_DIR (a release build: static executables),
# where tests/delivery/run.sh only renders them (--preview). Per run it checks that the jobs start in
# our images, that their scripts run under the images' busybox sh, that the declared reports
# (container_scanning, sast, junit, dotenv) are among the job's artifacts with the right content, that
# dotenv variables reach the next job, and that a failing gate fails its job.
#   security-gate (pass)   a real Trivy report whose one high finding is waived -> gate passes
#   security-gate (fail)   samples/reports/api-image.trivy.json with samples/waivers.yaml -> a critical
#                          finding is left, the gate job fails, the SAST job still runs (when: always)
#   tools                  the scan-gate, sarif-merge and smoke-test components on their own, the
#                          smoke test against a loopback HTTP server
#   load-test              4 parallel shard jobs and the merge job that needs their histograms, at
#                          20 requests a second for 2 s against the loopback server
# Stand-ins (named as such): the example's `trivy` job becomes a job that copies a real Trivy report
# (no scanner and no registry here), and the smoke and load tests' base URL becomes a loopback
# server's.
# Images are named by our registry in the components; the scratch copy of templates/ names the local
# images instead (the only change made to the components).
#
# What gitlab-ci-local does NOT emulate, so this test does not prove it (also printed at the end):
#   - artifacts:reports are not uploaded anywhere: no merge request widgets (security, test summary),
#     no vulnerability report, no schema validation of the reports by GitLab; gitlab-ci-local copies
#     only artifacts:paths and reports:dotenv (our components list every report under paths too);
#   - components are resolved from this checkout (at its commit), not from the CI/CD catalog: no
#     catalog publishing, no version resolution (~latest, partial versions), no spec:inputs checks
#     beyond gitlab-ci-local's own;
#   - no services, no runner tags, no resource_group serialisation, no environments or deployments,
#     no protected/masked variables, no GitLab API (release, tags): the pipelines that act on a
#     load balancer or the GitLab API (bluegreen-deploy, release, and the bluegreen-switch and
#     semver-tag jobs of tools) are rendered by run.sh but not run here, nor are the users' own jobs
#     of the examples (deploy scripts);
#   - the executor is gitlab-ci-local's, not GitLab Runner's: same docker-executor model (entrypoint
#     overridden, script through the image's shell, build volume), not the same code; its predefined
#     variables differ (GITLAB_CI is "false": the run sets it to true, as GitLab does).
# Prints "ok   CHECK" / "FAIL CHECK" per check, then "N passed, N failed"; exit 0 when all passed,
# 1 otherwise, 77 when podman, npm or its registry is missing, or BUILD_DIR's tools are not static.
#   GANTRY_PEERS_DIR   where scripts/npm-peer keeps gitlab-ci-local (default ~/.cache/gantry/peers)
set -uo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: tests/delivery/gitlab-run.sh BUILD_DIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/delivery/scratch_project.sh
source "$root/tests/delivery/scratch_project.sh"
build=$(cd "$1" && pwd) || exit 2
work="$build/delivery-gitlab-run"
rm -rf "$work"
mkdir -p "$work"
started=$SECONDS
# Pinned like run.sh's: 4.65 is the newest that runs on Debian 12's Node.js.
GITLAB_CI_LOCAL=gitlab-ci-local@4.65.1
# Waiver expiry is judged as of this date, not the calendar's (scan-gate's `today` input).
TODAY=2026-06-01
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/tests/container/containers.conf}

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() {  # fail "CHECK" [DETAILS]
  failed=$((failed + 1))
  echo "FAIL $1"
  # shellcheck disable=SC2001 # indents every line
  [[ -z ${2:-} ]] || sed 's/^/       /' <<<"$2" | tail -n 40
}
not_emulated() {
  cat <<'EOF'
not emulated by gitlab-ci-local, so not tested here: report upload and merge request widgets (reports
  are checked as job artifacts only), CI/CD catalog resolution (components come from this checkout),
  services, runner tags, resource_group, environments, protected/masked variables, the GitLab API
  (the release and bluegreen-deploy pipelines, and tools' bluegreen-switch and semver-tag jobs, are
  rendered by run.sh, not run)
EOF
}
finish() {
  not_emulated
  echo "gitlab pipelines run: $((SECONDS - started)) s"
  echo "$passed passed, $failed failed"
  exit $((failed > 0))
}
skip() { echo "delivery-gitlab-run: $*, skipped"; exit 77; }

# ---- prerequisites --------------------------------------------------------------------------------
command -v podman >/dev/null || skip "podman is missing (scripts/install-deps --full)"
command -v rsync >/dev/null || skip "rsync is missing, gitlab-ci-local copies the project with it (scripts/install-deps --full)"
{ command -v node >/dev/null && command -v npm >/dev/null; } || skip "node/npm missing"
if ! gitlab_ci_local=$("$root/scripts/npm-peer" "$GITLAB_CI_LOCAL" gitlab-ci-local 2>"$work/npm-peer.err"); then
  timeout 30 npm ping >/dev/null 2>&1 || skip "the npm registry is unreachable"
  fail "install $GITLAB_CI_LOCAL" "$(cat "$work/npm-peer.err")"
  finish
fi
if ! cmake --install "$build" --component tools --prefix "$work/tools" >"$work/install.log" 2>&1; then
  fail "cmake --install $build --component tools" "$(cat "$work/install.log")"
  finish
fi
for tool in scan-gate sarif-merge smoke-test; do
  [[ -x $work/tools/bin/$tool ]] || { fail "tool $tool in $build"; finish; }
  # The images start FROM scratch: only the release preset's static executables run there.
  file -L "$work/tools/bin/$tool" | grep -q 'statically linked\|static-pie' ||
    skip "$build/$tool is not statically linked (run this test from the release build)"
done

# ---- images: the Dockerfile's stages with these tools (GANTRY_PREBUILT, as tests/container/run.sh) --
run_id="r$(date +%Y%m%d%H%M%S)-$$"
registry="localhost/gantry-glci"
helper_image="$registry/helper:$run_id"
declare -A image_of=()
for tool in scan-gate sarif-merge smoke-test; do image_of[$tool]="$registry/$tool:$run_id"; done
http_pid=""
# gitlab-ci-local leaves the containers that copied the artifacts out, and so the job's build and tmp
# volumes they hold (its own cleanup cannot remove a volume in use): removed after each pipeline.
remove_leftovers() {
  local ids volumes
  ids=$(podman ps -a --format '{{.ID}} {{.Image}}' |
          awk -v prefix="$registry/" -v tag=":$run_id" 'index($2, prefix) == 1 && index($2, tag) > 0 {print $1}')
  [[ -n $ids ]] || return 0
  # shellcheck disable=SC2086 # one word per id
  volumes=$(podman inspect --format '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}' $ids)
  # shellcheck disable=SC2086
  podman rm -f $ids >/dev/null 2>&1
  for volume in $volumes; do
    podman volume rm -f "$volume" "${volume%-build}-tmp" >/dev/null 2>&1
  done
}
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  [[ -z $http_pid ]] || kill "$http_pid" 2>/dev/null
  remove_leftovers
  podman rmi -f "${image_of[@]}" "$helper_image" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if out=$(bash "$root/tests/container/make-base-image.sh" 2>&1); then pass "$out"; else fail "base image" "$out"; finish; fi
mkdir -p "$work/context/prebuilt-tools"
tar -C "$root" --exclude=./build --exclude=./.git --exclude=./third_party --exclude=./.cache -cf - . |
  tar -C "$work/context" -xf -
cp -r "$work/tools/bin" "$work/context/prebuilt-tools/"
commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
for tool in scan-gate sarif-merge smoke-test; do
  t0=$SECONDS
  if podman build --network=host --build-arg "GANTRY_COMMIT=$commit" --build-arg GANTRY_PREBUILT=prebuilt-tools \
       --target "$tool" -t "${image_of[$tool]}" -f "$work/context/Dockerfile" "$work/context" \
       >"$work/build-$tool.log" 2>&1; then
    pass "image ${image_of[$tool]} built in $((SECONDS - t0)) s"
  else
    fail "image $tool" "$(tail -20 "$work/build-$tool.log")"
    finish
  fi
done
# gitlab-ci-local's helper container (it copies the project into the build volume and the artifacts
# out with bash and rsync) comes from a registry by default; here it is the base image plus rsync.
t0=$SECONDS
mkdir -p "$work/helper-context"
if podman build --network=host -t "$helper_image" -f - "$work/helper-context" >"$work/build-helper.log" 2>&1 <<'EOF'
FROM docker.io/library/debian:bookworm
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends rsync >/dev/null && rm -rf /var/lib/apt/lists/*
EOF
then
  pass "helper image (bash, rsync) built in $((SECONDS - t0)) s"
else
  fail "helper image" "$(tail -20 "$work/build-helper.log")"
  finish
fi

# ---- a scratch GitLab project per run ---------------------------------------------------------------
# As in run.sh: the origin is gitlab.com/gantry-ci/gantry, so components included at the checked-out
# commit come from the working tree, and the nested `include: local` clones reach a bare copy through
# url.insteadOf. The example is included by a .gitlab-ci.yml that holds the test's overrides (the main
# file's keys are merged over included jobs, as GitLab does).
version=$(sed -nE 's/^project\(gantry VERSION ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' "$root/CMakeLists.txt")
make_project() {  # make_project DIR EXAMPLE OVERRIDES_FILE: then FILES to commit are copied by the caller
  local dir=$1 example=$2 overrides=$3
  mkdir -p "$dir/project"
  cp -r "$root/templates" "$dir/project/"
  # The components name the published images; this run's images stand in for them.
  sed -i -E "s#ghcr\.io/gantry-ci/([a-z-]+):$version#$registry/\1:$run_id#" "$dir/project/templates/"*.yml
  # shellcheck disable=SC2016 # $CI_COMMIT_SHA is for gitlab-ci-local to expand
  sed -E 's#(gantry-ci/gantry/[a-z-]+)@[0-9]+\.[0-9]+\.[0-9]+#\1@$CI_COMMIT_SHA#' "$example" >"$dir/project/example.gitlab-ci.yml"
  { echo "include:"; echo "  - local: example.gitlab-ci.yml"; cat "$overrides"; } >"$dir/project/.gitlab-ci.yml"
  printf '.gitlab-ci-local/\n' >"$dir/project/.gitignore"
}
commit_project() {  # commit_project DIR: commits everything, tags the commit, makes the bare remote
  local dir=$1
  (scratch_git_config "$dir" && scratch_commit "$dir/project" "$dir/remote.git" "pipeline under test") 2>&1
}
# gitlab-ci-local sets GITLAB_CI=false (so that scripts can tell a local run); GitLab sets it to true,
# and the tools write their dotenv report (gantry.env) only when it is, so the run sets what GitLab sets.
run_pipeline() {  # run_pipeline DIR [JOB...]: gitlab-ci-local in DIR/project; log in DIR/log, exit status returned
  local dir=$1
  shift
  (cd "$dir/project" &&
   GIT_CONFIG_GLOBAL="$dir/gitconfig" GIT_CONFIG_NOSYSTEM=1 timeout 600 "$gitlab_ci_local" \
     --container-executable podman --helper-image "$helper_image" --pull-policy if-not-present \
     --network host --no-color --variable GITLAB_CI=true --variable "INPUT_TODAY=$TODAY" "$@") >"$dir/log" 2>&1
  local status=$?
  remove_leftovers
  return $status
}
artifact() { echo "$1/project/.gitlab-ci-local/artifacts/$2/$3"; }  # DIR JOB PATH
dotenv() { echo "$1/project/.gitlab-ci-local/artifacts/$2/.gitlab-ci-reports/dotenv/gantry.env"; }  # DIR JOB
check_started() {  # check_started LABEL DIR JOB TOOL: the job started in this run's image of TOOL
  if grep -qE "^$3 +starting ${image_of[$4]//./\\.} " "$2/log"; then pass "$1: $3 started in ${image_of[$4]}"
  else fail "$1: $3 did not start in ${image_of[$4]}" "$(grep -E "^$3 " "$2/log" | head -5)"; fi
}
check_shell() {  # check_shell LABEL DIR JOB: the script ran under busybox sh (the images have no bash)
  if grep -qE "^$3 +> shell: /bin/busybox" "$2/log"; then pass "$1: $3 script ran under the image's busybox sh"
  else fail "$1: $3 shell" "$(grep -E "^$3 +> shell" "$2/log")"; fi
}
check_json() {  # check_json LABEL FILE JQ_EXPRESSION WHAT
  if [[ -f $2 ]] && jq -e "$3" "$2" >/dev/null 2>&1; then pass "$1: $4"
  else fail "$1: $4" "$( [[ -f $2 ]] && head -c 400 "$2" || echo "no file $2")"; fi
}
check_dotenv() {  # check_dotenv LABEL DIR JOB LINE
  if grep -qx "$4" "$(dotenv "$2" "$3")" 2>/dev/null; then pass "$1: $3 dotenv report has $4"
  else fail "$1: $3 dotenv report lacks $4" "$(cat "$(dotenv "$2" "$3")" 2>&1)"; fi
}
check_job() {  # check_job LABEL DIR JOB passed|failed
  local status=""
  grep -qE "^ *PASS +$3 *\$" "$2/log" && status=passed
  grep -qE "^ *FAIL +$3 *\$" "$2/log" && status=failed
  if [[ $status == "$4" ]]; then pass "$1: job $3 $4"; else fail "$1: job $3 ${status:-did not finish}, expected $4" "$(tail -30 "$2/log")"; fi
}
# Shared overrides: each gantry job first says which shell runs its script.
# (each item single-quoted: a plain YAML scalar with ": " in it would be a mapping)
# shellcheck disable=SC2016 # expanded by the job's shell
shell_probe='    - '"'"'echo "shell: $(readlink /proc/$$/exe)"'"'"

# ---- security-gate: passes, then fails --------------------------------------------------------------
security_gate() {  # security_gate LABEL REPORT WAIVERS EXPECTED(passed|failed)
  local label=$1 report=$2 waivers=$3 expected=$4 dir="$work/$1"
  mkdir -p "$dir"
  cat >"$dir/overrides.yml" <<EOF
# Stand-in for the example's trivy job (no scanner, no registry): it hands on a real Trivy report.
trivy:
  image:
    name: ${image_of[scan-gate]}
  variables:
    GIT_STRATEGY: fetch
  script:
    - cp reports/$(basename "$report") trivy.json
gantry-scan-gate:
  before_script:
$shell_probe
gantry-sarif-merge:
  before_script:
$shell_probe
    - 'echo "gate dotenv: SCAN_GATE_PASSED=\$SCAN_GATE_PASSED"'
EOF
  make_project "$dir" "$root/workflows-templates/gitlab/security-gate.gitlab-ci.yml" "$dir/overrides.yml"
  mkdir -p "$dir/project/reports" "$dir/project/.gitlab"
  cp "$report" "$dir/project/reports/"
  cp "$waivers" "$dir/project/.gitlab/waivers.yaml"
  if ! out=$(commit_project "$dir"); then fail "$label: scratch project" "$out"; return; fi
  run_pipeline "$dir"
  local status=$?
  local want_exit=0
  [[ $expected == passed ]] || want_exit=1
  if { [[ $want_exit -eq 0 ]] && [[ $status -eq 0 ]]; } || { [[ $want_exit -ne 0 ]] && [[ $status -ne 0 ]]; }; then
    pass "$label: gitlab-ci-local exit $status"
  else
    fail "$label: gitlab-ci-local exit $status, expected $([[ $want_exit -eq 0 ]] && echo 0 || echo non-zero)" "$(tail -40 "$dir/log")"
  fi
  check_started "$label" "$dir" gantry-scan-gate scan-gate
  check_started "$label" "$dir" gantry-sarif-merge sarif-merge
  check_shell "$label" "$dir" gantry-scan-gate
  check_shell "$label" "$dir" gantry-sarif-merge
  check_job "$label" "$dir" gantry-scan-gate "$expected"
  check_job "$label" "$dir" gantry-sarif-merge passed
  local gate_passed=true
  [[ $expected == passed ]] || gate_passed=false
  check_dotenv "$label" "$dir" gantry-scan-gate "SCAN_GATE_PASSED=$gate_passed"
  check_json "$label" "$(artifact "$dir" gantry-scan-gate gl-container-scanning-report.json)" \
    '.scan.type == "container_scanning"' "container_scanning report among gantry-scan-gate's artifacts"
  check_json "$label" "$(artifact "$dir" gantry-scan-gate gl-dependency-scanning-report.json)" \
    '.scan.type == "dependency_scanning"' "dependency_scanning report among gantry-scan-gate's artifacts"
  # The report's findings are in one of the two reports (OS packages or lock files).
  local findings
  findings=$(cd "$(artifact "$dir" gantry-scan-gate .)" && jq -s '[.[].vulnerabilities | length] | add' \
               gl-container-scanning-report.json gl-dependency-scanning-report.json 2>/dev/null)
  if [[ ${findings:-0} -gt 0 ]]; then pass "$label: the GitLab reports hold $findings findings"
  else fail "$label: the GitLab reports hold no finding"; fi
  check_json "$label" "$(artifact "$dir" gantry-scan-gate gantry-sarif/scan-gate.sarif)" \
    '.version == "2.1.0"' "scan-gate's SARIF among its artifacts"
  check_json "$label" "$(artifact "$dir" gantry-sarif-merge gl-sast-report.json)" \
    '.scan.type == "sast" and (.vulnerabilities | length > 0)' "sast report (from scan-gate's SARIF) among gantry-sarif-merge's artifacts"
  if grep -qE "^gantry-sarif-merge +> gate dotenv: SCAN_GATE_PASSED=$gate_passed\$" "$dir/log"; then
    pass "$label: the gate's dotenv variable SCAN_GATE_PASSED=$gate_passed reached gantry-sarif-merge"
  else
    fail "$label: SCAN_GATE_PASSED did not reach gantry-sarif-merge" "$(grep -E "^gantry-sarif-merge " "$dir/log" | head -20)"
  fi
}
# A real Trivy report with one high finding, waived (expiry judged as of $TODAY): the gate passes.
cat >"$work/waive-pip.yaml" <<'EOF'
waivers:
  - id: CVE-2018-20225
    reason: pip is only in the build stage of this image.
    expires: 2026-12-31
EOF
security_gate security-gate-pass "$root/tests/data/reports/trivy/old-no-status.trivy.json" "$work/waive-pip.yaml" passed
# The sample image report with the sample waivers: a critical finding stays, the gate job fails.
security_gate security-gate-fail "$root/samples/reports/api-image.trivy.json" "$root/samples/waivers.yaml" failed


# ---- tools: the per-tool components on their own ----------------------------------------------------
# The scan-gate, sarif-merge and smoke-test jobs of the example (bluegreen-switch needs a Caddy admin
# API, semver-tag the GitLab API); the smoke test's base URL is a loopback HTTP server's.
# shellcheck source=scripts/lib/loopback.sh
source "$root/scripts/lib/loopback.sh"
http_port=""
lab_take_port http_port
mkdir -p "$work/www"
echo "gantry" >"$work/www/index.html"
python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
http_pid=$!
lab_wait_http "http://127.0.0.1:$http_port/" 10 >/dev/null 2>&1
label=tools
dir="$work/$label"
mkdir -p "$dir"
cat >"$dir/overrides.yml" <<YAML
gantry-scan-gate:
  before_script:
$shell_probe
gantry-sarif-merge:
  before_script:
$shell_probe
gantry-smoke-test:
  before_script:
$shell_probe
  variables:
    # Stand-in for https://staging.example.com: a loopback server (the job shares the host network).
    INPUT_BASE_URL: "http://127.0.0.1:$http_port"
YAML
make_project "$dir" "$root/workflows-templates/gitlab/tools.gitlab-ci.yml" "$dir/overrides.yml"
(cd "$dir/project" &&
 mkdir -p trivy .gitlab scans/backend scans/frontend deploy &&
 cp "$root/tests/data/reports/gitlab/container-scanning.v15.json" gl-container-scanning-report.json &&
 cp "$root/tests/data/reports/trivy/image.trivy.json" trivy/ &&
 cp "$root/samples/waivers.yaml" .gitlab/waivers.yaml &&
 cp "$root/samples/sarif/backend.semgrep.sarif" scans/backend/ &&
 cp "$root/samples/sarif/frontend.semgrep.sarif" scans/frontend/ &&
 cp "$root/samples/sarif/python.codeql.sarif" scans/ &&
 printf 'checks:\n  - name: home page\n    get: /\n    status: 200\n' >deploy/smoke.yml)
if out=$(commit_project "$dir"); then
  run_pipeline "$dir" gantry-scan-gate gantry-sarif-merge gantry-smoke-test
  echo "$label: gitlab-ci-local exit $?"
  for job_tool in gantry-scan-gate:scan-gate gantry-sarif-merge:sarif-merge gantry-smoke-test:smoke-test; do
    check_started "$label" "$dir" "${job_tool%%:*}" "${job_tool#*:}"
    check_shell "$label" "$dir" "${job_tool%%:*}"
  done
  check_job "$label" "$dir" gantry-scan-gate passed
  check_dotenv "$label" "$dir" gantry-scan-gate "SCAN_GATE_PASSED=true"
  check_json "$label" "$(artifact "$dir" gantry-scan-gate gl-container-scanning-report.json)" \
    '.scan.type == "container_scanning"' "container_scanning report among gantry-scan-gate's artifacts"
  check_job "$label" "$dir" gantry-sarif-merge passed
  check_json "$label" "$(artifact "$dir" gantry-sarif-merge gl-sast-report.json)" \
    '.scan.type == "sast" and (.vulnerabilities | length > 0)' "sast report (the merged SARIF files) among gantry-sarif-merge's artifacts"
  check_job "$label" "$dir" gantry-smoke-test passed
  check_dotenv "$label" "$dir" gantry-smoke-test "SMOKE_TEST_PASSED=1"
  check_dotenv "$label" "$dir" gantry-smoke-test "SMOKE_TEST_FAILED=0"
  junit=$(artifact "$dir" gantry-smoke-test smoke.xml)
  if [[ -f $junit ]] && grep -q '<testsuite' "$junit" && grep -q 'home page' "$junit"; then
    pass "$label: junit report among gantry-smoke-test's artifacts"
  else
    fail "$label: junit report" "$(head -c 400 "$junit" 2>&1)"
  fi
else
  fail "$label: scratch project" "$out"
fi


# ---- load-test: parallel shard jobs, one merge job that needs them all ------------------------------
# The example's 2,000 requests a second for two minutes become 20 a second for 2 s against the
# loopback server (stand-ins, named here); deploy-staging (the user's own deploy script) is not run.
label=load-test
dir="$work/$label"
mkdir -p "$dir"
cat >"$dir/overrides.yml" <<YAML
gantry-load-smoke-test:
  before_script:
$shell_probe
  variables:
    INPUT_BASE_URL: "http://127.0.0.1:$http_port"
    INPUT_RATE: "20/s"
    INPUT_DURATION: "2s"
gantry-gate-smoke-test:
  before_script:
$shell_probe
YAML
make_project "$dir" "$root/workflows-templates/gitlab/load-test.gitlab-ci.yml" "$dir/overrides.yml"
(cd "$dir/project" && mkdir -p perf && printf 'checks:\n  - name: home page\n    get: /\n    status: 200\n' >perf/checks.yml)
if out=$(commit_project "$dir"); then
  run_pipeline "$dir" gantry-load-smoke-test gantry-gate-smoke-test
  echo "$label: gitlab-ci-local exit $?"
  for shard in 1 2 3 4; do
    check_job "$label" "$dir" "gantry-load-smoke-test: \\[$shard/4\\]" passed
  done
  check_started "$label" "$dir" gantry-gate-smoke-test smoke-test
  check_shell "$label" "$dir" gantry-gate-smoke-test
  check_job "$label" "$dir" gantry-gate-smoke-test passed
  check_json "$label" "$(artifact "$dir" gantry-gate-smoke-test gantry-load.json)" \
    '.shard_count == 4 and .shards == [1, 2, 3, 4] and .passed' "the merge job read the histograms of all 4 shards (needs: artifacts)"
  check_dotenv "$label" "$dir" gantry-gate-smoke-test "SMOKE_TEST_THRESHOLDS_FAILED=0"
  if grep -q '<testsuite' "$(artifact "$dir" gantry-gate-smoke-test gantry-load.xml)" 2>/dev/null; then
    pass "$label: junit report among gantry-gate-smoke-test's artifacts"
  else
    fail "$label: no junit report gantry-load.xml among gantry-gate-smoke-test's artifacts"
  fi
else
  fail "$label: scratch project" "$out"
fi

finish
