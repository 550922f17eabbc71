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
#   prepare        optional: a bash script run first as `bash prepare $OUT` from the repository root
#                  (for inputs no file in git can hold, such as a file name with a line break)
#   normalize.sed  optional: sed expressions applied to the output before comparing (run times)
#   runner-commands  optional: the workflow commands the tool may print (e.g. "error warning
#                  add-mask"); stdout and stderr are then read as GitHub's runner and GitLab read a
#                  log (tests/runner_commands.py) and any other command fails the case. A second line
#                  "gitlab-section NAME" allows the tool's own collapsible section.
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
if [[ -f "$case_dir/prepare" ]]; then
  bash "$case_dir/prepare" "$out" || { echo "scenario: prepare failed"; exit 1; }
fi
env -i "${environment[@]}" "$tool" "${args[@]:1}" > "$out/.stdout" 2> "$out/.stderr" < /dev/null
code=$?
expected_code=$(cat "$case_dir/exit" 2>/dev/null || echo 0)

extra_sed=(-e '')
[[ -f "$case_dir/normalize.sed" ]] && extra_sed=(-E -f "$case_dir/normalize.sed")
normalize() {  # file -> text with $OUT and $ROOT put back, JSON without "version"
  local f=$1
  if [[ "$f" == *.json || "$f" == *.sarif ]] && jq -e . "$f" >/dev/null 2>&1; then
    jq -S 'walk(if type == "object" then del(.version) else . end)' "$f"
  else
    cat "$f"
  fi | sed -e "s|$out|\$OUT|g" -e "s|$root|\$ROOT|g" | sed "${extra_sed[@]}"
}

failed=0
if [[ -f "$case_dir/runner-commands" ]]; then
  allowed=$(sed -n 1p "$case_dir/runner-commands")
  section=$(sed -n 's/^gitlab-section //p' "$case_dir/runner-commands")
  python3 "$root/tests/runner_commands.py" --allow "$allowed" ${section:+--gitlab-section "$section"} \
    "$out/.stdout" "$out/.stderr" || { echo "(the runner would read a command the tool did not mean)"; failed=1; }
fi
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
