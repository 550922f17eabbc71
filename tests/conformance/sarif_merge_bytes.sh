#!/usr/bin/env bash
# sarif-merge's output, byte for byte: the merged files of fixed inputs compared with the bytes the
# merge wrote when the golden was made, so a change to how the merge reads, rewrites or writes
# results (a refactor, raw-text splicing) shows as a difference in any byte, not only in meaning.
#
#   sarif_merge_bytes.sh BUILD_DIR
#
# Each case is a folder of tests/data/sarif-merge-bytes: `cmd` holds sarif-merge's arguments, one per
# line ($OUT the output folder, $FIXTURES the shared real-world fixtures, paths relative to the
# repository root), and either `expected/` (every file the case must write, byte for byte) or
# `expected.sha256` (for outputs too large to keep: `sha256sum` lines); a case whose `needs` names a
# missing file or folder is skipped. sarif-merge runs with an empty environment and a fixed
# SOURCE_DATE_EPOCH. UPDATE_GOLDEN=1 rewrites the expectations from what the merge writes.
set -uo pipefail
build_dir=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
fixtures=${GANTRY_FIXTURES:-$root/../shared/fixtures}
sarif_merge="$build_dir/sarif-merge"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 skipped=0
expand() { local s=$1; s=${s//\$OUT/$2}; s=${s//\$FIXTURES/$fixtures}; printf '%s' "$s"; }

for case_dir in "$root"/tests/data/sarif-merge-bytes/*/; do
  name=$(basename "$case_dir")
  out="$work/$name"
  mkdir -p "$out"
  if [[ -f "$case_dir/needs" ]] && [[ ! -e "$(expand "$(cat "$case_dir/needs")" "$out")" ]]; then
    skipped=$((skipped + 1)); echo "skip $name (no $(cat "$case_dir/needs"))"; continue
  fi
  mapfile -t raw_args < "$case_dir/cmd"
  args=()
  for a in "${raw_args[@]}"; do args+=("$(expand "$a" "$out")"); done
  (cd "$root" && env -i PATH=/usr/bin:/bin TZ=UTC SOURCE_DATE_EPOCH=1700000000 "$sarif_merge" "${args[@]}" \
     > "$work/$name.log" 2>&1 < /dev/null)
  code=$?
  if [[ $code -ne 0 ]]; then failed=$((failed + 1)); echo "FAIL $name: exit $code"; cat "$work/$name.log"; continue; fi
  if [[ "${UPDATE_GOLDEN:-}" == 1 ]]; then
    if [[ -f "$case_dir/expected.sha256" ]]; then
      (cd "$out" && sha256sum -- *) > "$case_dir/expected.sha256"
    else
      rm -rf "$case_dir/expected" && cp -r "$out" "$case_dir/expected"
    fi
    echo "updated $name"; continue
  fi
  ok=1
  if [[ -f "$case_dir/expected.sha256" ]]; then
    (cd "$out" && sha256sum --quiet -c "$case_dir/expected.sha256") || ok=0
    diff <(cd "$out" && ls) <(awk '{print $2}' "$case_dir/expected.sha256" | sort) > /dev/null || { echo "$name: other files written"; ok=0; }
  else
    diff -r "$case_dir/expected" "$out" > "$work/$name.diff" || { head -c 2000 "$work/$name.diff"; ok=0; }
  fi
  if [[ $ok == 1 ]]; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name: output bytes differ"; fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
