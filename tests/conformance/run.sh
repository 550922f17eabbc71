#!/usr/bin/env bash
# Conformance of scan-gate over real third-party reports (../shared/fixtures, present in CI, absent
# in a user's clone: then this test is skipped with code 77).
#
# For every Trivy, Grype, SARIF and GitLab report there, the per-severity totals scan-gate reports
# (--json, counts.<severity>.total) must equal totals computed independently with jq from the raw
# file, and the SARIF and GitLab files scan-gate writes must validate against the official schemas.
set -uo pipefail
build_dir=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
fixtures=${GANTRY_FIXTURES:-$root/../shared/fixtures}
[[ -d "$fixtures" ]] || { echo "conformance: no fixtures at $fixtures, skipped"; exit 77; }
scan_gate="$build_dir/scan-gate"
validate="/usr/bin/python3 $root/tests/conformance/validate_schema.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# jq programs: each prints {"critical":N,...} for one format, following the formats' own rules
# (documented in anchors.md and the SARIF spec), de-duplicated by id + package + version where a
# package is named.
read -r -d '' JQ_COMMON <<'JQ'
def band(s): (s | tonumber? // null) as $n
  | if $n == null then null elif $n >= 9 then "critical" elif $n >= 7 then "high"
    elif $n >= 4 then "medium" elif $n > 0 then "low" else "unknown" end;
def norm: ascii_downcase | if . == "negligible" or . == "info" or . == "informational" then "low"
  elif . == "moderate" then "medium"
  elif . == "critical" or . == "high" or . == "medium" or . == "low" then . else "unknown" end;
def tally: reduce .[] as $s ({critical:0,high:0,medium:0,low:0,unknown:0}; .[$s] += 1);
JQ
read -r -d '' JQ_TRIVY <<'JQ'
[ .Results[]? |
  ( (.Vulnerabilities // [])[] | {k: [.VulnerabilityID, .PkgName, .InstalledVersion], s: ((.Severity // "") | norm)} ),
  ( . as $r | (.Misconfigurations // [])[] | select(.Status == "FAIL") | {k: null, s: ((.Severity // "") | norm)} ),
  ( (.Secrets // [])[] | {k: null, s: ((.Severity // "") | norm)} ) ]
| ([.[] | select(.k == null)] + ([.[] | select(.k != null)] | unique_by(.k))) | map(.s) | tally
JQ
read -r -d '' JQ_GRYPE <<'JQ'
[ .matches[]? | {k: [.vulnerability.id, .artifact.name, .artifact.version], s: ((.vulnerability.severity // "") | norm)} ]
| unique_by(.k) | map(.s) | tally
JQ
read -r -d '' JQ_SARIF <<'JQ'
[ .runs[]? | . as $run
  | ([$run.tool.driver.rules // []] + [($run.tool.extensions // [])[] | .rules // []]) as $components
  | ($run.tool.driver.rules // []) as $driver_rules
  | ($run.results // [])[]
  # A suppressed result (in source, or by an external tool) is not an active finding.
  | select(((.suppressions // []) | map(select(.status != "rejected")) | length) == 0)
  | . as $res
  | ( if ($res.rule.toolComponent.index? != null) and ($res.rule.index? != null)
        then $components[$res.rule.toolComponent.index + 1][$res.rule.index]
      elif $res.rule.index? != null then $driver_rules[$res.rule.index]
      elif $res.ruleIndex? != null then $driver_rules[$res.ruleIndex]
      else ([$components[][] | select(.id == ($res.ruleId // $res.rule.id))] | first) end ) as $rule
  | ($res.locations[0].physicalLocation // {}) as $loc
  | { k: [ ($res.ruleId // $res.rule.id // $rule.id),
           ($loc.artifactLocation.uri // (if $loc.artifactLocation.index != null
                                          then $run.artifacts[$loc.artifactLocation.index].location.uri else null end)),
           $loc.region.startLine, $loc.region.startColumn, $res.message.text ],
      s: ( band($res.properties["security-severity"]?) // band($rule.properties["security-severity"]?)
           // ( ($res.level // $rule.defaultConfiguration.level // "warning")
                | if . == "error" then "high" elif . == "warning" then "medium" elif . == "note" then "low" else "unknown" end ) ) } ]
# The same result at the same place with the same message counts once (as GitHub shows one alert).
| unique_by(.k) | map(.s) | tally
JQ
read -r -d '' JQ_GITLAB <<'JQ'
[ .vulnerabilities[]? | { k: [(.identifiers[0].value // .id), .location.dependency.package.name, .location.dependency.version],
                          p: (.location.dependency.package.name != null), s: ((.severity // "") | norm) } ]
| ([.[] | select(.p | not)] + ([.[] | select(.p)] | unique_by(.k))) | map(.s) | tally
JQ

check_counts() {  # file jq-program
  local file=$1 program=$2 name
  name=$(basename "$file")
  local expected actual
  expected=$(jq -c "$JQ_COMMON $program" "$file") || { fail "$name: jq could not read it"; return; }
  "$scan_gate" --format json --fail-on none --json "$work/$name.verdict.json" "$file" > /dev/null 2> "$work/err"
  local code=$?
  if [[ $code -ne 0 ]]; then fail "$name: scan-gate exited $code: $(cat "$work/err")"; return; fi
  actual=$(jq -c '.counts | {critical: .critical.total, high: .high.total, medium: .medium.total, low: .low.total, unknown: .unknown.total}' "$work/$name.verdict.json")
  if [[ "$expected" == "$actual" ]]; then pass; echo "ok   $name $actual"; else fail "$name: scan-gate $actual, jq $expected"; fi
}

for f in "$fixtures"/trivy/*.json; do check_counts "$f" "$JQ_TRIVY"; done
for f in "$fixtures"/grype/*.json; do check_counts "$f" "$JQ_GRYPE"; done
for f in "$fixtures"/sarif/*.sarif; do
  case "$f" in *.expected.sarif) continue ;; esac
  check_counts "$f" "$JQ_SARIF"
done
for f in "$fixtures"/gitlab/*.json; do check_counts "$f" "$JQ_GITLAB"; done

# Conversions validate against the official schemas.
all_reports=("$fixtures"/trivy/*.json "$fixtures"/grype/*.json "$fixtures"/gitlab/*.json)
if "$scan_gate" --fail-on none --sarif-out "$work/all.sarif" --gitlab-out "$work/all.gitlab.json" \
     "${all_reports[@]}" > /dev/null 2> "$work/err"; then
  pass
  if $validate "$fixtures/schemas/sarif-schema-2.1.0.json" "$work/all.sarif"; then pass; echo "ok   --sarif-out validates"; else fail "--sarif-out does not validate"; fi
  if $validate "$fixtures/schemas/gitlab-container-scanning-report-format-15.2.1.json" "$work/all.gitlab.json"; then
    pass; echo "ok   --gitlab-out validates"
  else
    fail "--gitlab-out does not validate"
  fi
else
  fail "conversion run failed: $(cat "$work/err")"
fi

# sarif-merge over every SARIF fixture: a valid log whose result count is the inputs' minus the
# duplicates it reports, and a GitLab SAST conversion that validates.
sarif_merge="$build_dir/sarif-merge"
if [[ -x "$sarif_merge" ]]; then
  sarif_inputs=()
  for f in "$fixtures"/sarif/*.sarif; do [[ "$f" == *.expected.sarif ]] || sarif_inputs+=("$f"); done
  if "$sarif_merge" --format json --json "$work/merge.json" -o "$work/merged.sarif" "${sarif_inputs[@]}" > /dev/null 2> "$work/err"; then
    pass
    if $validate "$fixtures/schemas/sarif-schema-2.1.0.json" "$work/merged.sarif"; then pass; echo "ok   sarif-merge output validates"; else fail "sarif-merge output does not validate"; fi
    inputs=$(jq -s '[.[].runs[]?.results // [] | length] | add' "${sarif_inputs[@]}")
    removed=$(jq '."duplicates-removed"' "$work/merge.json")
    written=$(jq '[.runs[].results | length] | add' "$work/merged.sarif")
    if [[ $((inputs - removed)) -eq $written ]]; then
      pass; echo "ok   sarif-merge results: $inputs in - $removed duplicates = $written written"
    else
      fail "sarif-merge results: $inputs in - $removed duplicates != $written written"
    fi
    runs=$(jq '.runs | length' "$work/merged.sarif")
    categories=$(jq '[.runs[].automationDetails.id] | unique | length' "$work/merged.sarif")
    if [[ "$runs" == "$categories" ]]; then pass; echo "ok   sarif-merge: $runs runs, each with its own category"; else fail "sarif-merge: $runs runs but $categories categories"; fi
    if "$sarif_merge" --to gitlab-sast -o "$work/gl-sast.json" "${sarif_inputs[@]}" > /dev/null 2> "$work/err" &&
       $validate "$fixtures/schemas/gitlab-sast-report-format-15.2.1.json" "$work/gl-sast.json"; then
      pass; echo "ok   sarif-merge --to gitlab-sast validates"
    else
      fail "sarif-merge --to gitlab-sast: $(cat "$work/err")"
    fi
    # Never larger than the inputs, minified.
    input_bytes=$(for f in "${sarif_inputs[@]}"; do jq -c . "$f"; done | wc -c)
    output_bytes=$(wc -c < "$work/merged.sarif")
    if ((output_bytes <= input_bytes)); then
      pass; echo "ok   sarif-merge output: $output_bytes bytes <= $input_bytes bytes of minified input"
    else
      fail "sarif-merge output is larger than its inputs: $output_bytes > $input_bytes bytes"
    fi
    # An independent judge: the Microsoft SARIF Multitool's validator (from npm) finds no error.
    if multitool=$(bash "$root/scripts/npm-peer" @microsoft/sarif-multitool-linux Sarif.Multitool 2> "$work/npm.err"); then
      "$multitool" validate -o "$work/validation.sarif" "$work/merged.sarif" > "$work/validate.log" 2>&1
      errors=$(jq '[.runs[].results[]? | select(.level == "error")] | length' "$work/validation.sarif" 2>/dev/null || echo "no report")
      if [[ "$errors" == 0 ]]; then
        pass; echo "ok   Sarif.Multitool validate: no errors in the merged file"
      else
        fail "Sarif.Multitool validate: $errors errors: $(jq -r '[.runs[].results[]? | select(.level == "error") | .message.arguments[0:2] | join(" ")] | .[0:5] | join("; ")' "$work/validation.sarif" 2>/dev/null || tail -n 5 "$work/validate.log")"
      fi
    else
      fail "the SARIF Multitool could not be installed: $(cat "$work/npm.err")"
    fi
    # Fit for GitHub: the same merge with --for github passes our own validator's limit checks.
    if "$sarif_merge" --for github -o "$work/github.sarif" "${sarif_inputs[@]}" > /dev/null 2> "$work/err" &&
       "$sarif_merge" validate --for github "$work/github.sarif" > "$work/validate-github.log" 2>&1; then
      pass; echo "ok   sarif-merge --for github output passes sarif-merge validate"
    else
      fail "sarif-merge --for github / validate: $(cat "$work/err" "$work/validate-github.log" | head -n 5)"
    fi
    # The Multitool's own dedupe oracle: 4 results in, 2 out.
    oracle="$fixtures/sarif/sarif-sdk-merge-DuplicatedResults"
    "$sarif_merge" -o "$work/dup.sarif" "$oracle.input.sarif" > /dev/null 2>&1
    if [[ $(jq '[.runs[].results | length] | add' "$work/dup.sarif") == $(jq '[.runs[].results | length] | add' "$oracle.expected.sarif") ]]; then
      pass; echo "ok   sarif-merge matches the Multitool's DuplicatedResults oracle"
    else
      fail "sarif-merge differs from the Multitool's DuplicatedResults oracle"
    fi
  else
    fail "sarif-merge failed: $(cat "$work/err")"
  fi
fi

echo "conformance: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
