#!/usr/bin/env bash
# Runs one scenario: a built tool against real input files, compared with golden files.
#
#   run_scenario.sh CASE_DIR BUILD_DIR
#
# CASE_DIR holds:
#   cmd            the command line: tool name then arguments, one argument per line (no shell
#                  parsing, so nothing is interpolated); $OUT stands for a fresh output directory,
#                  $ROOT for the repository root. The tool runs with the repository root as cwd.
#   env            optional KEY=VALUE lines added to an otherwise empty environment ($OUT expands)
#   exit           the expected exit code (default 0)
#   stdout         the expected standard output (optional)
#   stderr         the expected standard error (optional)
#   files/NAME     expected content of $OUT/NAME; JSON files are compared with the "version"
#                  key removed
# UPDATE_GOLDEN=1 rewrites the golden files from what the tool produced.
set -uo pipefail
case_dir=$(cd "$1" && pwd)
build_dir=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

expand() { local s=$1; s=${s//\$OUT/$out}; s=${s//\$ROOT/$root}; printf '%s' "$s"; }

mapfile -t raw_args < "$case_dir/cmd"
args=()
for a in "${raw_args[@]}"; do args+=("$(expand "$a")"); done
tool="$build_dir/${args[0]}"
[[ -x "$tool" ]] || { echo "scenario: $tool is not built"; exit 1; }

environment=(PATH=/usr/bin:/bin HOME="$out" NO_COLOR=1 TZ=UTC)
source "$root/tests/harness_environment.sh"
keep_harness_environment environment
if [[ -f "$case_dir/env" ]]; then
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    environment+=("$(expand "$line")")
  done < "$case_dir/env"
fi

cd "$root"
env -i "${environment[@]}" "$tool" "${args[@]:1}" > "$out/.stdout" 2> "$out/.stderr" < /dev/null
code=$?
expected_code=$(cat "$case_dir/exit" 2>/dev/null || echo 0)

normalize() {  # file -> text with $OUT and $ROOT put back, JSON without "version"
  local f=$1
  if [[ "$f" == *.json || "$f" == *.sarif ]] && jq -e . "$f" >/dev/null 2>&1; then
    jq -S 'walk(if type == "object" then del(.version) else . end)' "$f"
  else
    cat "$f"
  fi | sed -e "s|$out|\$OUT|g" -e "s|$root|\$ROOT|g"
}

failed=0
if [[ "${UPDATE_GOLDEN:-}" == 1 ]]; then
  echo "$code" > "$case_dir/exit"
  for stream in stdout stderr; do
    if [[ -f "$case_dir/$stream" || -s "$out/.$stream" ]]; then normalize "$out/.$stream" > "$case_dir/$stream"; fi
  done
  if [[ -d "$case_dir/files" ]]; then
    for expected in "$case_dir"/files/*; do
      name=$(basename "$expected")
      [[ -f "$out/$name" ]] && normalize "$out/$name" > "$expected"
    done
  fi
  echo "updated $case_dir"
  exit 0
fi

if [[ "$code" != "$expected_code" ]]; then
  echo "exit code $code, expected $expected_code"; failed=1
  echo "--- stderr:"; cat "$out/.stderr"
fi
for stream in stdout stderr; do
  if [[ -f "$case_dir/$stream" ]]; then
    if ! diff -u "$case_dir/$stream" <(normalize "$out/.$stream"); then echo "($stream differs)"; failed=1; fi
  fi
done
if [[ -d "$case_dir/files" ]]; then
  for expected in "$case_dir"/files/*; do
    name=$(basename "$expected")
    if [[ ! -f "$out/$name" ]]; then echo "missing output file $name"; failed=1; continue; fi
    if [[ "$name" == *.json || "$name" == *.sarif ]]; then
      if ! diff -u <(jq -S . "$expected") <(normalize "$out/$name" | jq -S .); then echo "($name differs)"; failed=1; fi
    elif ! diff -u "$expected" <(normalize "$out/$name"); then
      echo "($name differs)"; failed=1
    fi
  done
fi
exit $failed
