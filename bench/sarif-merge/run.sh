#!/usr/bin/env bash
# sarif-merge against the SARIF Multitool (`Sarif.Multitool merge`) and `jq -s` on the same >= 300 MB
# corpus of SARIF logs, in one run. A benchmark: nothing runs it in CI.
#
#   bench/sarif-merge/run.sh [BUILD_DIR] [SIZE_MB] [FILES]
#
# The corpus is FILES logs (default 48, about 6.7 MB each) copied from real logs of varied tools
# (samples/reports/app-code.semgrep.sarif and, when present, ../shared/fixtures/sarif/*.sarif) with
# every result made a distinct finding, so all three tools must write every result (make_corpus.py).
# Each tool is started once on one file first (runtime start-up, page cache), then run
# GANTRY_BENCH_RUNS times (default 3) on the whole corpus; the fastest run is reported with its peak
# memory (GNU time, %M). Every output is minified. The result count of each output is checked.
#
# Environment:
#   GANTRY_BENCH_DIR  work folder to keep and reuse (corpus, outputs, the npm-installed Multitool);
#                     default a new temporary folder. Must be outside the repository.
#   GANTRY_BENCH_RUNS timed runs per tool (default 3).
#   SARIF_MULTITOOL   a Sarif.Multitool executable to use instead of installing
#                     @microsoft/sarif-multitool-linux from npm into the work folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${1:-$root/build/release}
size_mb=${2:-320}
file_count=${3:-48}
runs=${GANTRY_BENCH_RUNS:-3}
sarif_merge="$build_dir/sarif-merge"
[[ -x "$sarif_merge" ]] || { echo "build sarif-merge first (cmake --preset release && cmake --build --preset release)"; exit 2; }
command -v jq >/dev/null || { echo "jq is missing: apt-get install jq"; exit 2; }
[[ -x /usr/bin/time ]] || { echo "GNU time is missing: apt-get install time"; exit 2; }
[[ -x /usr/bin/python3 ]] || { echo "python3 is missing: apt-get install python3"; exit 2; }
[[ "$size_mb" =~ ^[0-9]+$ && "$file_count" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ ]] ||
  { echo "SIZE_MB, FILES and GANTRY_BENCH_RUNS must be whole numbers"; exit 2; }

work=$(realpath -m "${GANTRY_BENCH_DIR:-$(mktemp -d)}")
# Hundreds of MB of corpus and an npm install have no place in the repository.
[[ "$work/" != "$root/"* ]] || { echo "GANTRY_BENCH_DIR must be outside the repository ($root)"; exit 2; }
corpus="$work/corpus"
out="$work/out"
mkdir -p "$corpus" "$out"

# --- corpus -------------------------------------------------------------------------------------
seeds=("$root/samples/reports/app-code.semgrep.sarif")
for f in "$root"/../shared/fixtures/sarif/*.sarif; do
  [[ -f "$f" && "$f" != *.expected.sarif ]] && seeds+=("$f")
done
manifest="$corpus/corpus.json"
if [[ ! -f "$manifest" ]] || ! jq -e --argjson mb "$size_mb" --argjson n "$file_count" \
    '.size_mb == $mb and (.files | length) == $n' "$manifest" > /dev/null 2>&1; then
  echo "generating a ${size_mb} MB corpus of ${file_count} SARIF files from ${#seeds[@]} seed log(s)..."
  rm -f "$corpus"/*.sarif "$manifest"
  /usr/bin/python3 "$root/bench/sarif-merge/make_corpus.py" "$corpus" "$size_mb" "$file_count" "${seeds[@]}"
fi
mapfile -t inputs < <(jq -r '.files[]' "$manifest" | sed "s|^|$corpus/|")
read -r input_bytes input_min_bytes expected < <(jq -r '"\(.bytes) \(.minified_bytes) \(.results)"' "$manifest")
echo "input: ${#inputs[@]} files in $corpus, $((input_bytes / 1048576)) MB ($((input_min_bytes / 1048576)) MB minified), $expected results"
cat "${inputs[@]}" > /dev/null  # into the page cache, so no tool pays for the disk

# --- peers --------------------------------------------------------------------------------------
multitool="" multitool_why=""
find_multitool() {  # sets multitool, or multitool_why when it cannot be used
  local exe=${SARIF_MULTITOOL:-}
  if [[ -z "$exe" ]]; then
    echo "peer: @microsoft/sarif-multitool-linux from npm (into $work/peers)"
    if ! exe=$(GANTRY_PEERS_DIR="$work/peers" "$root/scripts/npm-peer" @microsoft/sarif-multitool-linux Sarif.Multitool 2> "$work/npm.err"); then
      multitool_why=$(cat "$work/npm.err"); return
    fi
  fi
  if ! "$exe" --version > "$work/multitool-version.log" 2>&1; then
    multitool_why="$exe does not run: $(tail -n 3 "$work/multitool-version.log" | tr '\n' ' ')"; return
  fi
  multitool=$exe
}
find_multitool
if [[ -n "$multitool" ]]; then
  echo "peer: $(head -n 1 "$work/multitool-version.log")"
else
  echo "peer: SARIF Multitool not measured: $multitool_why"
fi
echo "peer: $(jq --version); ours: $("$sarif_merge" --version 2>&1 | head -n 1)"

# --- measurements -------------------------------------------------------------------------------
# The commands, each taking the output file and then the inputs.
run_ours() { local o=$1; shift; "$sarif_merge" --quiet -o "$o" "$@"; }
run_multitool() {
  local o=$1; shift
  "$multitool" merge "$@" --output-directory "$(dirname "$o")" --output-file "$(basename "$o")" \
    --log "ForceOverwrite;Minify"
}
run_jq() {
  local o=$1; shift
  jq -c -s '{version: "2.1.0", "$schema": .[0]["$schema"], runs: (map(.runs) | add)}' "$@" > "$o"
}
export -f run_ours run_multitool run_jq
export sarif_merge multitool

measure() {  # NAME RUNNER -> "seconds kilobytes" of the fastest run, or "failed"
  local name=$1 runner=$2 best_s="" best_kb="" s kb
  rm -f "$out/$name.sarif"
  # Start-up on one file: .NET's first start alone can take many seconds.
  if ! bash -c "$runner \"\$@\"" _ "$out/$name.warmup.sarif" "${inputs[0]}" > "$work/$name.log" 2>&1; then
    echo failed; return
  fi
  rm -f "$out/$name.warmup.sarif"
  for ((i = 0; i < runs; i++)); do
    if ! /usr/bin/time -f "%e %M" -o "$work/time" bash -c "$runner \"\$@\"" _ "$out/$name.sarif" "${inputs[@]}" \
        > "$work/$name.log" 2>&1 || [[ ! -s "$out/$name.sarif" ]]; then
      echo failed; return
    fi
    read -r s kb < <(tail -n 1 "$work/time")
    if [[ -z "$best_s" ]] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; best_kb=$kb; fi
  done
  echo "$best_s $best_kb"
}

names=(sarif-merge) labels=("sarif-merge") runners=(run_ours)
if [[ -n "$multitool" ]]; then names+=(multitool) labels+=("Sarif.Multitool merge") runners+=(run_multitool); fi
names+=(jq) labels+=("jq -s") runners+=(run_jq)

declare -A secs kbs outbytes counts
for i in "${!names[@]}"; do
  name=${names[$i]}
  echo "measuring ${labels[$i]} ($runs run(s))..."
  read -r s kb < <(measure "$name" "${runners[$i]}")
  if [[ "$s" == failed ]]; then
    echo "  ${labels[$i]} failed; the end of its log ($work/$name.log):"
    tail -n 5 "$work/$name.log" | sed 's/^/    /'
    continue
  fi
  secs[$name]=$s kbs[$name]=$kb
  outbytes[$name]=$(stat -c %s "$out/$name.sarif")
  counts[$name]=$(jq '[.runs[].results | length] | add' "$out/$name.sarif" 2> /dev/null || echo unreadable)
done

# --- report -------------------------------------------------------------------------------------
echo
mb() { awk -v b="$1" -v u="$2" 'BEGIN { printf "%.1f", b * u / 1048576 }'; }  # BYTES UNIT -> MB
printf '%-22s %9s %9s %10s %10s\n' tool seconds "peak MB" "output MB" results
for i in "${!names[@]}"; do
  name=${names[$i]}
  [[ -n "${secs[$name]:-}" ]] || { printf '%-22s %9s\n' "${labels[$i]}" failed; continue; }
  printf '%-22s %9s %9s %10s %10s\n' "${labels[$i]}" "${secs[$name]}" "$(mb "${kbs[$name]}" 1024)" \
    "$(mb "${outbytes[$name]}" 1)" "${counts[$name]}"
done
printf '%-22s %9s %9s %10s %10s\n' "(input, minified)" "" "" "$(mb "$input_min_bytes" 1)" "$expected"
echo

status=0
for name in "${names[@]}"; do
  if [[ -n "${counts[$name]:-}" && "${counts[$name]}" != "$expected" ]]; then
    echo "MISMATCH: $name wrote ${counts[$name]} results, the corpus has $expected (all distinct)"
    status=1
  fi
done
[[ -n "${secs[sarif-merge]:-}" ]] || { echo "sarif-merge failed: nothing to compare"; exit 1; }

verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = op == ">=" ? v >= t : v <= t; print ok ? "met" : "MISSED" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.01; printf "%.2f", a / b }'; }
if [[ -n "${secs[multitool]:-}" ]]; then
  speed=$(ratio "${secs[multitool]}" "${secs[sarif-merge]}")
  memory=$(ratio "${kbs[sarif-merge]}" "${kbs[multitool]}")
  echo "Multitool time / sarif-merge time:  ${speed}x   (target >= 30: $(verdict "$speed" '>=' 30))"
  echo "sarif-merge peak / Multitool peak:  ${memory}    (target <= 0.25: $(verdict "$memory" '<=' 0.25))"
else
  echo "Multitool ratios: not measured (${multitool_why:-Sarif.Multitool merge failed})"
fi
if [[ -n "${secs[jq]:-}" ]]; then
  echo "jq -s time / sarif-merge time:      $(ratio "${secs[jq]}" "${secs[sarif-merge]}")x; peak $(ratio "${kbs[sarif-merge]}" "${kbs[jq]}") of jq's"
fi
size=$(ratio "${outbytes[sarif-merge]}" "$input_min_bytes")
echo "sarif-merge output / input minified: ${size}    (target <= 1: $(verdict "$size" '<=' 1))"
echo "outputs: $out"
exit "$status"
