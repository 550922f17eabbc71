#!/usr/bin/env bash
# Runs every libFuzzer target for a while on a temporary copy of its seed corpus.
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS
#
# BUILD_DIR is a build with -DGANTRY_FUZZ=ON (cmake --preset fuzz && cmake --build --preset fuzz).
# Exits non-zero when a target crashes, leaks, trips a sanitizer or throws anything but gantry::Error;
# the crashing input and the log are kept and their paths printed. The seed corpus is never modified.
set -euo pipefail

if [[ $# -ne 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build_dir=$1
seconds=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Targets run GANTRY_JOBS at a time (default 2: the machines CI runs on have two cores); each
# prints one line when it ends, and its log only when it fails.
jobs=${GANTRY_JOBS:-2}

fuzz_one() {  # TARGET CORPUS_DIR: 0 when the target ran its time without finding anything
  local target=$1 corpus=$2 executable work dictionary runs
  executable="$build_dir/tests/fuzz/$target"
  if [[ ! -x $executable ]]; then
    echo "FAIL $target: $executable not found (configure with -DGANTRY_FUZZ=ON and build it)" >&2
    return 1
  fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-fuzz-$target.XXXXXX")
  mkdir "$work/corpus"
  cp -R "$corpus". "$work/corpus/"
  local options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144
                 -print_final_stats=1 -artifact_prefix="$work/")
  dictionary="$here/dict/${target#fuzz_}"
  dictionary="${dictionary%_report}.dict"
  if [[ -f $dictionary ]]; then
    options+=(-dict="$dictionary")
  fi
  if "$executable" "${options[@]}" "$work/corpus" >"$work/log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
    echo "ok   $target: ${runs:-?} inputs in ${seconds}s"
    rm -rf "$work"
  else
    { echo "FAIL $target: see $work/log; crashing inputs: $(ls "$work" | grep -E '^(crash|leak|timeout|oom)-' | sed "s|^|$work/|" | tr '\n' ' ')"
      tail -n 40 "$work/log"; } >&2
    return 1
  fi
}

failed=0
running=0
for corpus in "$here"/corpus/*/; do
  if (( running >= jobs )); then
    wait -n || failed=1
    running=$((running - 1))
  fi
  fuzz_one "$(basename "$corpus")" "$corpus" &
  running=$((running + 1))
done
while (( running > 0 )); do
  wait -n || failed=1
  running=$((running - 1))
done
exit "$failed"
