#!/usr/bin/env bash
# scripts/demo end to end, with the tools of BUILD_DIR (--tools: no install, no build) and its files
# in a temporary folder (--out), on real nginx and git.
#
#   tests/demo/run.sh BUILD_DIR
#
# The whole story: each step's exit code is the one the story expects, and its key figures come
# out of the tools' --json results (read here with jq, not from the demo's prose): the sample
# repository's next version (2.0.0, a major bump from v1.2.0, the tag in the sample repository
# only), the release gate's verdict, smoke-test's checks, the switch to green with 0 failed witness
# requests, the next release (2.0.1) rolled back by itself, --status and the audit log. Afterwards
# no server the demo started is alive or listening. Then Ctrl-C while the servers run (smoke-test is
# replaced by a stand-in that hangs, so the interruption lands there): exit 130, nothing left.
# Exit 0 all passed, 1 a failure, 77 nginx/curl/git/jq missing (skipped).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
[[ $# -ge 1 ]] || { echo "usage: $0 BUILD_DIR"; exit 1; }
build_dir=$(cd "$1" && pwd) || exit 1
for program in curl git jq; do
  command -v "$program" >/dev/null || { echo "SKIP: $program is not installed (scripts/install-deps --demo)"; exit 77; }
done
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] ||
  { echo "SKIP: nginx is not installed (scripts/install-deps --demo)"; exit 77; }

source "$root/scripts/lib/loopback.sh"  # lab_listening
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-demo-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
pass() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
expect() {  # DESCRIPTION ACTUAL EXPECTED
  if [[ $2 == "$3" ]]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}
json() {  # FILE JQ-FILTER
  jq -r "$2" "$1" 2>/dev/null || echo "unreadable"
}
# The exit code the demo recorded for the step labelled LABEL, and the one the story expects.
step_exit() {  # OUT LABEL
  jq -rs --arg name "$2" 'map(select(.label == $name)) | if length == 1 then "\(.[0].exit)/\(.[0].expected)" else "none" end' \
    "$1/steps.jsonl" 2>/dev/null || echo "none"
}
# None of the demo's servers alive, none of its ports listening.
expect_nothing_left() {  # OUT WHAT
  local out=$1 alive listening
  [[ -s $out/servers/pids && -s $out/servers/ports ]] || { fail "$2: the demo recorded no servers"; return; }
  # Any process still running from the demo's server folders (nginx's master keeps its arguments
  # in its title), whether or not its pid was recorded.
  alive=$(pgrep -f -- "$out/servers/" | tr '\n' ' ')
  expect "$2: no server process left" "$alive" ""
  listening=$(lab_listening $(cat "$out/servers/ports") | tr '\n' ' ')
  expect "$2: nothing listens on the demo's ports" "$listening" ""
  expect "$2: the demo recorded its 3 servers" "$(wc -l <"$out/servers/pids")" 3
}

# ---- the whole story ----------------------------------------------------------------------------
out=$work/demo
bash "$root/scripts/demo" --tools "$build_dir" --out "$out" </dev/null >"$work/demo.log" 2>&1
code=$?
expect "demo: exit code" "$code" 0
[[ $code == 0 ]] || tail -n 60 "$work/demo.log" | sed 's/^/     | /'

for label in "semver-tag explain" "semver-tag" "scan-gate (release policy)" "sarif-merge" "sarif-merge (filtered)" \
             "sarif-merge validate" "smoke-test (green, directly)" "bluegreen-switch --to green" \
             "semver-tag (the next release)" "bluegreen-switch --status"; do
  expect "demo step '$label': exit 0" "$(step_exit "$out" "$label")" "0/0"
done
expect "demo step 'scan-gate (default policy)': exit 1 (the gate fails)" "$(step_exit "$out" "scan-gate (default policy)")" "1/1"
expect "demo step 'scan-gate (GitHub Actions)': exit 1 (fail-on medium)" "$(step_exit "$out" "scan-gate (GitHub Actions)")" "1/1"
expect "demo step 'bluegreen-switch --to blue (2.0.1, broken)': exit 1 (rolled back)" \
  "$(step_exit "$out" "bluegreen-switch --to blue (2.0.1, broken)")" "1/1"
expect "demo: 13 steps recorded, each with the exit code the story expects" \
  "$(jq -rs '"\(length) \(map(select(.exit != .expected)) | length)"' "$out/steps.jsonl" 2>/dev/null)" "13 0"

# semver-tag: v1.2.0 + fix + squash-merged feat/fix + feat! -> 2.0.0; the tag only in the sample repository.
expect "semver-tag: next version" "$(json "$out/semver-tag.json" '.outputs.version')" 2.0.0
expect "semver-tag: from" "$(json "$out/semver-tag.json" '.outputs["previous-version"]')" 1.2.0
expect "semver-tag: bump" "$(json "$out/semver-tag.json" '.outputs.bump')" major
expect "semver-tag: released" "$(json "$out/semver-tag.json" '.outputs.released')" true
expect "semver-tag: tags of the sample repository" \
  "$(git -C "$out/shop-api" tag --list --sort=version:refname | tr '\n' ' ')" "v1.0.0 v1.0.1 v1.1.0 v1.2.0 v2.0.0 v2.0.1 "
expect "semver-tag: v2.0.0 tags the release, v2.0.1 the fix after it" \
  "$(git -C "$out/shop-api" describe --tags --exact-match HEAD~1 2>/dev/null) $(git -C "$out/shop-api" describe --tags --exact-match HEAD 2>/dev/null)" \
  "v2.0.0 v2.0.1"
expect "semver-tag: the sample repository has no remote" "$(git -C "$out/shop-api" remote | wc -l)" 0
expect "semver-tag: the next release" "$(json "$out/semver-tag-next.json" '.outputs.version')" 2.0.1
expect "semver-tag: release notes open with the breaking change" \
  "$(grep -m1 -A2 'BREAKING CHANGES' "$out/release-notes.md" 2>/dev/null | grep -c 'amounts are integers in minor units')" 1

# scan-gate: the release policy passes; the default policy and the GitHub step fail.
expect "scan-gate: release policy passed" "$(json "$out/scan-gate.json" '.passed')" true
expect "scan-gate: waivers (dates relative to today)" \
  "$(json "$out/scan-gate.json" '[.waivers[].state] | sort | join(" ")')" "applied applied expiring"
expect "scan-gate: GitHub output passed=false" "$(grep -c '^passed=false$' "$out/github-output.txt")" 1
expect "sarif-merge: merged file is SARIF 2.1.0" "$(json "$out/merged.sarif" '.version')" 2.1.0

# smoke-test against green directly.
expect "smoke-test: all checks passed" \
  "$(json "$out/smoke-test.json" '"\(.totals.passed)/\(.totals.checks)"')" "3/3"

# bluegreen-switch: blue -> green watched by the witness, then the broken release rolled back.
switch=$out/switch-2.0.0.json
expect "switch to green: switched" "$(json "$switch" '.switched')" true
expect "switch to green: live colour" "$(json "$switch" '."live-color"')" green
expect "switch to green: witness failed requests" "$(json "$switch" '.witness.failures')" 0
expect "switch to green: the witness sent requests" "$(json "$switch" '.witness.requests > 0')" true
expect "switch to green: the witness saw green" "$(json "$switch" '.witness."green-answers" > 0')" true
expect "switch to green: longest gap measured" "$(json "$switch" '.witness."max-gap-ms" | type')" number
broken=$out/switch-2.0.1.json
expect "broken release: rolled back" "$(json "$broken" '."rolled-back"')" true
expect "broken release: switched" "$(json "$broken" '.switched')" false
expect "broken release: green keeps the traffic" "$(json "$broken" '."live-color"')" green
expect "status: live colour" "$(json "$out/status.json" '."live-color"')" green
expect "state file: live green" "$(json "$out/bluegreen-state.json" '.live')" green
expect "audit log: every line is JSON" "$(jq -s 'length > 0' "$out/bluegreen-audit.jsonl" 2>/dev/null)" true

expect "demo: prints the closing table" "$(grep -c '^== What the demo showed ==$' "$work/demo.log")" 1
expect "demo: says the servers stopped" "$(grep -c 'nothing listens on ports' "$work/demo.log")" 1
expect_nothing_left "$out" "after the demo"

# ---- Ctrl-C while the servers run ---------------------------------------------------------------
# A stand-in for smoke-test that marks that it runs and hangs; the real tools for the rest.
hang=$work/hang-tools
mkdir -p "$hang"
for tool in scan-gate sarif-merge bluegreen-switch semver-tag; do ln -s "$build_dir/$tool" "$hang/$tool"; done
printf '#!/bin/sh\n: >"%s/smoke-test-runs"\nexec sleep 600\n' "$work" >"$hang/smoke-test"
chmod +x "$hang/smoke-test"
out=$work/interrupted
set -m  # the demo in its own process group, which Ctrl-C signals as a whole
bash "$root/scripts/demo" --tools "$hang" --out "$out" </dev/null >"$work/interrupted.log" 2>&1 &
demo_pid=$!
set +m
for _ in $(seq 600); do [[ -e $work/smoke-test-runs ]] && break; sleep 0.1; done
if [[ -e $work/smoke-test-runs ]]; then
  kill -INT -- -"$demo_pid"
  wait "$demo_pid"
  code=$?
  expect "Ctrl-C: exit code" "$code" 130
  expect "Ctrl-C: says it stops the servers" "$(grep -c 'nothing listens on ports' "$work/interrupted.log")" 1
  expect_nothing_left "$out" "after Ctrl-C"
else
  fail "Ctrl-C: the demo never reached smoke-test"
  tail -n 30 "$work/interrupted.log" | sed 's/^/     | /'
  kill -TERM -- -"$demo_pid" 2>/dev/null
  wait "$demo_pid"
fi

echo "demo: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
