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
# (documented in anchors.md and the SARIF spec) and the rule for what is the same finding (README,
# "Which findings are the same": de-duplicated by id + package + version where a package is named, by
# the SARIF identity for SARIF results; the highest severity of the same finding counts).
read -r -d '' JQ_COMMON <<'JQ'
def band(s): (s | tonumber? // null) as $n
  | if $n == null then null elif $n >= 9 then "critical" elif $n >= 7 then "high"
    elif $n >= 4 then "medium" elif $n > 0 then "low" else "unknown" end;
def norm: ascii_downcase | if . == "negligible" or . == "info" or . == "informational" then "low"
  elif . == "moderate" then "medium"
  elif . == "critical" or . == "high" or . == "medium" or . == "low" then . else "unknown" end;
def tally: reduce .[] as $s ({critical:0,high:0,medium:0,low:0,unknown:0}; .[$s] += 1);
def rank: {critical: 4, high: 3, medium: 2, low: 1, unknown: 0}[.];
# [{k, s}] -> severities, one per key (k null: never the same as another), the highest of a key.
def merged: ([.[] | select(.k == null) | .s]) + ([.[] | select(.k != null)] | group_by(.k) | map(max_by(.s | rank) | .s));
JQ
# Trivy: image/fs/repo reports (Results[]) and `trivy k8s` reports, whose resources (in Resources[],
# Findings[], or the older Vulnerabilities[] and Misconfigurations[]) hold the same Results[].
read -r -d '' JQ_TRIVY <<'JQ'
[ ( .Results[]?, ((.Resources, .Findings, .Vulnerabilities, .Misconfigurations) | arrays | .[] | .Results[]?) ) |
  ( (.Vulnerabilities // [])[] | {k: [.VulnerabilityID, .PkgName, .InstalledVersion], s: ((.Severity // "") | norm)} ),
  ( . as $r | (.Misconfigurations // [])[] | select(.Status == "FAIL") | {k: null, s: ((.Severity // "") | norm)} ),
  ( (.Secrets // [])[] | {k: null, s: ((.Severity // "") | norm)} ),
  ( (.Licenses // [])[] | {k: (if (.PkgName // "") != "" then ["license", .Name, .PkgName] else null end),
                           s: ((.Severity // "") | norm)} ) ]
| merged | tally
JQ
read -r -d '' JQ_GRYPE <<'JQ'
[ .matches[]? | {k: [.vulnerability.id, .artifact.name, .artifact.version], s: ((.vulnerability.severity // "") | norm)} ]
| merged | tally
JQ
# SARIF 2.1.0 and 2.0.0 (tool.name, resources.rules as an object or a list, fileLocation, files[],
# pass/notApplicable/open as levels). The same result of one tool counts once; "the same" is the
# identity of README "Which findings are the same": fingerprints, else artifact + partialFingerprints,
# else message as stated + artifact + region (each with the rule).
read -r -d '' JQ_SARIF <<'JQ'
def present(keys): with_entries(select(.key as $k | keys | index($k)) | select(.value != null));
def nonempty_object: type == "object" and length > 0;
[ .runs[]? | . as $run
  | ($run.tool.driver.name // $run.tool.name // "") as $tool
  | (($run.resources.rules // []) | if type == "object" then to_entries | map(.value + {id: (.value.id // .key)}) else . end) as $old_rules
  | (($run.tool.driver.rules // []) + $old_rules) as $driver_rules
  | ([$driver_rules] + [($run.tool.extensions // [])[] | .rules // []]) as $components
  | ($run.artifacts // (if ($run.files | type) == "array" then $run.files else [] end)
     | map(.location.uri // .fileLocation.uri)) as $artifact_uris
  | ($run.results // [])[]
  # A suppressed result (in source, or by an external tool) is not an active finding.
  | select(((.suppressions // []) | map(select(.status != "rejected")) | length) == 0)
  | . as $res
  | (.kind // (if (.level == "pass" or .level == "notApplicable" or .level == "open") then .level else null end)) as $kind
  | select($kind != "pass" and $kind != "notApplicable")
  | ( if ($res.rule.toolComponent.index? != null) and ($res.rule.index? != null)
        then $components[$res.rule.toolComponent.index + 1][$res.rule.index]
      elif $res.rule.index? != null then $driver_rules[$res.rule.index]
      elif $res.ruleIndex? != null then $driver_rules[$res.ruleIndex]
      else ([$components[][] | select(.id == ($res.ruleId // $res.rule.id))] | first) end ) as $rule
  | ($res.ruleId // $res.rule.id // $rule.id // "") as $rule_id
  | ($res.locations[0].physicalLocation // {}) as $loc
  | ($loc.artifactLocation // $loc.fileLocation // {}) as $al
  | (($al.index // $al.fileIndex) as $i | $al.uri // (if $i != null then $artifact_uris[$i] else null end)) as $uri
  | ({uri: $uri, uriBaseId: $al.uriBaseId, index: (if $uri == null then ($al.index // $al.fileIndex) else null end)}
     | present(["uri", "uriBaseId", "index"])) as $artifact
  | { k: ( if ($res.fingerprints | nonempty_object) then ["fingerprints", $tool, $rule_id, $res.fingerprints]
           elif ($res.partialFingerprints | nonempty_object) then ["partial", $tool, $rule_id, $artifact, $res.partialFingerprints]
           else ["location", $tool, $rule_id, (($res.message // {}) | present(["text", "markdown", "id", "arguments"])),
                 $artifact, (($loc.region // {}) | with_entries(select(.value != null)))] end ),
      s: ( band($res.properties["security-severity"]?) // band($rule.properties["security-severity"]?)
           # SARIF 3.27.10: a result whose kind is not "fail" has level "none" unless it says otherwise.
           // ( (if $res.level != null then $res.level elif $kind != null and $kind != "fail" then "none"
                 else ($rule.defaultConfiguration.level // $rule.configuration.defaultLevel // "warning") end)
                | if . == "error" then "high" elif . == "warning" then "medium" elif . == "note" then "low" else "unknown" end ) ) } ]
| merged | tally
JQ
read -r -d '' JQ_GITLAB <<'JQ'
[ .vulnerabilities[]? | { k: (if .location.dependency.package.name != null
                              then [(.identifiers[0].value // .id), .location.dependency.package.name, .location.dependency.version]
                              else null end),
                          s: ((.severity // "") | norm) } ]
| merged | tally
JQ

check_counts() {  # file jq-program
  local file=$1 program=$2 name
  name=$(basename "$file")
  local expected actual
  # jq 1.6 rejects a UTF-8 byte order mark (RFC 8259 §8.1 lets a reader skip it): strip it for jq.
  expected=$(sed '1s/^\xEF\xBB\xBF//' "$file" | jq -c "$JQ_COMMON $program") || { fail "$name: jq could not read it"; return; }
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
# GitLab dependency-scanning reports written by GitLab's analyzers (tests/data/gitlab/SOURCES.md),
# including the 2.x format without `scan`.
gitlab_inputs="$root/tests/data/gitlab"
for f in "$gitlab_inputs"/*.json; do
  if grep -qF -- "| $(basename "$f") |" "$gitlab_inputs/SOURCES.md"; then pass; else fail "gitlab/$(basename "$f") is not recorded in SOURCES.md"; fi
  check_counts "$f" "$JQ_GITLAB"
done

# The shapes the shared fixtures lack, from the scanners' own test data and documentation (sources in
# tests/conformance/reports/SOURCES.md): `trivy k8s` reports, Trivy licence findings, SARIF 2.0.0.
own="$root/tests/conformance/reports"
for f in "$own"/trivy/*.json; do check_counts "$f" "$JQ_TRIVY"; done
for f in "$own"/sarif/*.sarif; do check_counts "$f" "$JQ_SARIF"; done
# sarif-merge's real-world inputs (tests/data/sarif-inputs/SOURCES.md), one with a byte order mark.
sarif_inputs="$root/tests/data/sarif-inputs"
for f in "$sarif_inputs"/*.sarif; do check_counts "$f" "$JQ_SARIF"; done
# A byte order mark in front of a Trivy report (an edge case: a real Trivy report, the mark added here).
for f in "$own"/trivy/license-alpine-311.trivy.json; do
  printf '\xEF\xBB\xBF' > "$work/bom-$(basename "$f")"
  cat "$f" >> "$work/bom-$(basename "$f")"
  check_counts "$work/bom-$(basename "$f")" "$JQ_TRIVY"
done

# One identity for both tools: sarif-merge writes as many active results (not pass, notApplicable or
# suppressed) of each file as scan-gate counts findings.
if [[ -x "$build_dir/sarif-merge" ]]; then
  for f in "$fixtures"/sarif/*.sarif "$sarif_inputs"/*.sarif; do
    case "$f" in *.expected.sarif) continue ;; esac
    name=$(basename "$f")
    [[ -f "$work/$name.verdict.json" ]] || continue
    if jq -e '[.runs[]?.externalPropertyFileReferences // empty] | length > 0' "$f" > /dev/null; then
      # scan-gate does not read external property files: it must say that findings may be missing.
      "$scan_gate" --fail-on none "$f" > /dev/null 2> "$work/err"
      if grep -q 'external property file' "$work/err"; then
        pass; echo "ok   $name: scan-gate warns that its external property files are not read"
      else
        fail "$name: no warning about the external property files it does not read"
      fi
      continue
    fi
    if ! "$build_dir/sarif-merge" --output "$work/$name.merged.sarif" "$f" > /dev/null 2> "$work/err"; then
      grep -q '2\.0\.0' "$work/err" && continue  # sarif-merge refuses SARIF 2.0.0; scan-gate reads it
      fail "$name: sarif-merge failed: $(cat "$work/err")"; continue
    fi
    merged=$(jq '[.runs[].results[]? | select((.kind // "fail") as $k | $k != "pass" and $k != "notApplicable")
                  | select(((.suppressions // []) | map(select(.status != "rejected")) | length) == 0)] | length' \
               "$work/$name.merged.sarif")
    counted=$(jq '.counts.all.total' "$work/$name.verdict.json")
    if [[ "$merged" == "$counted" ]]; then
      pass; echo "ok   $name: sarif-merge keeps $merged results, scan-gate counts $counted"
    else
      fail "$name: sarif-merge keeps $merged results, scan-gate counts $counted (one identity expected)"
    fi
  done
fi

# A HIGH `restricted` licence fails --fail-on low, counted as kind license.
licences="$own/trivy/license-alpine-311.trivy.json"
"$scan_gate" --fail-on low --format json --json "$work/licences.json" "$licences" > /dev/null 2> "$work/err"
code=$?
expected=$(jq '([.Results[].Licenses[] | select(.PkgName != "") | [.Name, .PkgName]] | unique | length)
               + ([.Results[].Licenses[] | select(.PkgName == "")] | length)' "$licences")
actual=$(jq '[.findings[] | select(.kind == "license")] | length' "$work/licences.json" 2>/dev/null)
if [[ $code -eq 1 && "$expected" == "$actual" ]]; then
  pass; echo "ok   licences: $actual license findings, --fail-on low fails"
else
  fail "licences: exit $code (expected 1), $actual license findings (jq $expected): $(cat "$work/err")"
fi

# `trivy k8s`: every finding's target is its resource, namespace/Kind/name (Kind/name when cluster-scoped).
for f in "$own"/trivy/k8s-*.json; do
  name=$(basename "$f")
  expected=$(jq -c '[(.Resources, .Findings, .Vulnerabilities, .Misconfigurations) | arrays | .[]
                     | select([.Results[]? | (.Vulnerabilities, .Misconfigurations, .Secrets, .Licenses) | arrays | .[]] | length > 0)
                     | ([.Namespace, .Kind, .Name] | map(select(. != null and . != "")) | join("/"))] | unique' "$f")
  actual=$(jq -c '[.findings[].target] | unique' "$work/$name.verdict.json" 2>/dev/null)
  if [[ "$expected" == "$actual" ]]; then pass; echo "ok   $name targets $actual"; else fail "$name: targets $actual, jq $expected"; fi
done

# Conversions validate against the official schemas, sarif-merge's validator and the SARIF Multitool
# (which reports a relative reference with a leading slash - an absolute path - as SARIF1004).
all_reports=("$fixtures"/trivy/*.json "$fixtures"/grype/*.json "$fixtures"/gitlab/*.json "$own"/trivy/*.json)
if "$scan_gate" --fail-on none --sarif-out "$work/all.sarif" --gitlab-out "$work/all.gitlab.json" \
     "${all_reports[@]}" > /dev/null 2> "$work/err"; then
  pass
  if $validate "$fixtures/schemas/sarif-schema-2.1.0.json" "$work/all.sarif"; then pass; echo "ok   --sarif-out validates"; else fail "--sarif-out does not validate"; fi
  if $validate "$fixtures/schemas/gitlab-container-scanning-report-format-15.2.1.json" "$work/all.gitlab.json"; then
    pass; echo "ok   --gitlab-out validates"
  else
    fail "--gitlab-out does not validate"
  fi
  # With --gitlab-dependency-out, the lock-file findings (Trivy lang-pkgs outside an image scan, Grype
  # outside an image) move there: both reports validate and together hold what the one report held.
  if "$scan_gate" --fail-on none --gitlab-out "$work/split.cs.json" --gitlab-dependency-out "$work/split.ds.json" \
       "${all_reports[@]}" > /dev/null 2> "$work/err"; then
    if $validate "$fixtures/schemas/gitlab-dependency-scanning-report-format-15.2.1.json" "$work/split.ds.json" &&
       $validate "$fixtures/schemas/gitlab-container-scanning-report-format-15.2.1.json" "$work/split.cs.json"; then
      pass; echo "ok   --gitlab-dependency-out and --gitlab-out validate"
    else
      fail "--gitlab-dependency-out / --gitlab-out do not validate"
    fi
    one=$(jq '.vulnerabilities | length' "$work/all.gitlab.json")
    split=$(jq -s 'map(.vulnerabilities | length)' "$work/split.ds.json" "$work/split.cs.json" | jq -c .)
    # Independently: vulnerabilities of lang-pkgs results of non-image Trivy reports, and Grype matches
    # of non-image sources, as many as the verdict counts (de-duplicated with the other reports).
    lockfile_files=$(jq -c '[.vulnerabilities[].location.file] | unique' "$work/split.ds.json")
    expected_files=$(for f in "${all_reports[@]}"; do
        # Trivy: the file a dependency is declared in is the SBOM of an SBOM scan (ArtifactName), else
        # the package's own path (PkgPath), else the result's target, a lock file.
        jq -c 'if has("SchemaVersion") and (.ArtifactType // "" | IN("container_image", "vm") | not) then
                 (.ArtifactType // "" | IN("cyclonedx", "spdx")) as $sbom | (.ArtifactName // "") as $name
                 | [.Results[]? | select(.Class == "lang-pkgs") | .Target as $target | (.Vulnerabilities // [])[]
                    | if $sbom and $name != "" then $name elif (.PkgPath // "") != "" then .PkgPath else $target end]
               elif has("matches") and (.source.type // "image") != "image" then
                 [.matches[] | (.artifact.locations[0].path // .source.target) | ltrimstr("/")]
               else [] end' "$f"; done | jq -cs 'add | unique')
    if [[ "$(jq 'add' <<< "$split")" == "$one" && "$lockfile_files" == "$expected_files" && "$(jq '.[0]' <<< "$split")" -gt 0 ]]; then
      pass; echo "ok   split: dependency/container $split of $one; files $lockfile_files"
    else
      fail "split: dependency/container $split of $one; files $lockfile_files, expected $expected_files"
    fi
  else
    fail "--gitlab-dependency-out run failed: $(cat "$work/err")"
  fi
  if [[ -x "$build_dir/sarif-merge" ]] && "$build_dir/sarif-merge" validate "$work/all.sarif" > "$work/validate-out.log" 2>&1; then
    pass; echo "ok   --sarif-out passes sarif-merge validate"
  else
    fail "--sarif-out and sarif-merge validate: $(head -n 5 "$work/validate-out.log" 2>/dev/null)"
  fi
  if multitool=$(bash "$root/scripts/npm-peer" @microsoft/sarif-multitool-linux Sarif.Multitool 2> "$work/npm.err"); then
    "$multitool" validate -o "$work/all.validation.sarif" "$work/all.sarif" > "$work/all.validate.log" 2>&1
    errors=$(jq -r '[.runs[].results[]? | select(.level == "error") | "\(.ruleId) \(.message.arguments[0:2] | join(" "))"]
                    | "\(length) \(.[0:3] | join("; "))"' "$work/all.validation.sarif" 2>/dev/null || echo "no report")
    if [[ "$errors" == "0 " ]]; then pass; echo "ok   Sarif.Multitool validate: no errors in --sarif-out"; else fail "Sarif.Multitool validate --sarif-out: $errors"; fi
  else
    fail "the SARIF Multitool could not be installed: $(cat "$work/npm.err")"
  fi
else
  fail "conversion run failed: $(cat "$work/err")"
fi

# A GitLab dependency-scanning report read back: --gitlab-dependency-out holds every counted finding,
# each at the lock file the analyzer named (location.file), --gitlab-out none; both validate.
for f in "$gitlab_inputs"/*.json; do
  name=$(basename "$f")
  if "$scan_gate" --fail-on none --gitlab-out "$work/$name.cs.json" --gitlab-dependency-out "$work/$name.ds.json" \
       "$f" > /dev/null 2> "$work/err"; then
    expected=$(jq -c "$JQ_COMMON $JQ_GITLAB | [add, 0]" "$f")
    got=$(jq -cs '[(.[0].vulnerabilities | length), (.[1].vulnerabilities | length)]' "$work/$name.ds.json" "$work/$name.cs.json")
    expected_files=$(jq -c '[.vulnerabilities[].location.file] | unique' "$f")
    files=$(jq -c '[.vulnerabilities[].location.file] | unique' "$work/$name.ds.json")
    if [[ "$expected" == "$got" && "$expected_files" == "$files" ]]; then
      pass; echo "ok   $name: dependency/container $got, files $files"
    else
      fail "$name: dependency/container $got (jq $expected), files $files (jq $expected_files)"
    fi
    if $validate "$fixtures/schemas/gitlab-dependency-scanning-report-format-15.2.1.json" "$work/$name.ds.json" &&
       $validate "$fixtures/schemas/gitlab-container-scanning-report-format-15.2.1.json" "$work/$name.cs.json"; then
      pass; echo "ok   $name: GitLab reports written from it validate"
    else
      fail "$name: GitLab reports written from it do not validate"
    fi
  else
    fail "$name --gitlab-dependency-out: $(cat "$work/err")"
  fi
done

# A Trivy scan of an SBOM: its language results' targets are language names ("Ruby"), so each
# dependency's file is the SBOM (ArtifactName), in scan-gate's own report as in --gitlab-dependency-out.
sbom_scan="$fixtures/trivy/golden-fluentd-multiple-lockfiles.trivy.json"
if "$scan_gate" --fail-on none --format json --json "$work/sbom-scan.verdict.json" --gitlab-out "$work/sbom-scan.cs.json" \
     --gitlab-dependency-out "$work/sbom-scan.ds.json" "$sbom_scan" > /dev/null 2> "$work/err"; then
  expected=$(jq -c '[([.Results[] | select(.Class == "lang-pkgs") | .Vulnerabilities // [] | length] | add), [.ArtifactName]]' "$sbom_scan")
  in_gitlab=$(jq -c '[(.vulnerabilities | length), ([.vulnerabilities[].location.file] | unique)]' "$work/sbom-scan.ds.json")
  in_verdict=$(jq -c '[([.findings[] | select(.location.path != null)] | length), ([.findings[].location.path // empty] | unique)]' \
                 "$work/sbom-scan.verdict.json")
  if [[ "$in_gitlab" == "$expected" && "$in_verdict" == "$expected" ]]; then
    pass; echo "ok   Trivy SBOM scan: dependencies and their file $in_gitlab in both reports"
  else
    fail "Trivy SBOM scan: --gitlab-dependency-out $in_gitlab, verdict $in_verdict, expected $expected"
  fi
else
  fail "Trivy SBOM scan: $(cat "$work/err")"
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
