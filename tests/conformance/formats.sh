#!/usr/bin/env bash
# Conformance of scan-gate's CycloneDX, OSV-Scanner and npm audit readers over real reports
# (tests/data/cyclonedx, osv-scanner and npm-audit; sources in each folder's SOURCES.md).
#
# For every report, the per-severity totals and the waived count scan-gate reports (--json) must equal
# what jq (CycloneDX, npm audit) or Python (OSV-Scanner, which needs the CVSS v3.1 equations) compute
# from the raw file, following each format's documentation:
#   CycloneDX: one finding per vulnerability and affected reference; the rating of the most trusted
#     method (CVSSv4 > CVSSv31 > CVSSv3 > CVSSv2 > OWASP > SSVC > other) decides, then the highest
#     score, then the highest severity; a rating's severity is its own word, else its CVSS score's
#     band; analysis.state not_affected / false_positive / resolved(_with_pedigree) is waived.
#   OSV-Scanner: one finding per group (per record without groups); max_severity, else the highest
#     CVSS v3 base score of the group's records, else their database_specific.severity.
#   npm audit v2: one finding per advisory object in `via` (strings are references to other entries),
#     with the advisory's own severity.
# Plus: --gitlab-dependency-out over each npm audit and OSV-Scanner report (every package from a lock
# file) holds one vulnerability per finding the independent computation counts and not waived, with
# the lock file as location.file, and validates against GitLab's official dependency-scanning schema;
# --gitlab-out then holds none of them; an empty report validates too. A CycloneDX SBOM (no vulnerabilities) exits 2; the same vulnerabilities read from Trivy's JSON
# and Trivy's CycloneDX of one image count once (when the shared fixtures are present).
set -uo pipefail
build_dir=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
data="$root/tests/data"
fixtures=${GANTRY_FIXTURES:-$root/../shared/fixtures}
scan_gate="$build_dir/scan-gate"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

read -r -d '' JQ_COMMON <<'JQ'
def band(n): if n == null then null elif n >= 9 then "critical" elif n >= 7 then "high"
  elif n >= 4 then "medium" elif n > 0 then "low" else "unknown" end;
def norm: ascii_downcase | if . == "negligible" or . == "info" then "low" elif . == "moderate" then "medium"
  elif . == "critical" or . == "high" or . == "medium" or . == "low" then . else "unknown" end;
def rank: {critical: 4, high: 3, medium: 2, low: 1, unknown: 0}[.];
def tally: reduce .[] as $s ({critical:0,high:0,medium:0,low:0,unknown:0}; .[$s] += 1);
# [{k, s, w}] -> one entry per key, the highest severity; waived when any of the key's entries is.
def merged: group_by(.k) | map({s: (max_by(.s | rank) | .s), w: (any(.[]; .w))});
def result: {counts: (map(.s) | tally), waived: (map(select(.w)) | length)};
JQ
read -r -d '' JQ_CYCLONEDX <<'JQ'
def method_rank: {"CVSSv4": 6, "CVSSv31": 5, "CVSSv3": 4, "CVSSv2": 3, "OWASP": 2, "SSVC": 1}[. // ""] // 0;
def rating_severity:
  . as $r | ((.severity // "") | ascii_downcase) as $word
  | if ($word | IN("critical", "high", "medium", "moderate", "low", "negligible", "info")) then ($word | norm)
    elif .score != null and ((.method // "") | startswith("CVSSv")) then
      (band($r.score) | if . == "critical" and $r.method == "CVSSv2" then "high" else . end)
    elif ($word | IN("none", "unknown")) then "unknown" else null end;
[ .vulnerabilities[] | . as $v
  | ([ (.ratings // [])[] | {m: (.method | method_rank), score: (.score // -1), s: rating_severity} | select(.s != null) ]
     | max_by([.m, .score, (.s | rank)]) | .s // "unknown") as $severity
  | (.analysis.state // "" | IN("not_affected", "false_positive", "resolved", "resolved_with_pedigree")) as $waived
  | ((.affects // []) | if length == 0 then [{ref: null}] else . end)[]
  | {k: [$v.id, .ref], s: $severity, w: $waived} ]
| merged | result
JQ
read -r -d '' JQ_NPM_AUDIT <<'JQ'
[ .vulnerabilities[] | .via[] | objects
  | {k: [(.url // .source | tostring), .name], s: ((.severity // "") | norm), w: false} ]
| merged | result
JQ
# OSV-Scanner: Python for the CVSS v3.1 base score (specification section 7, Appendix A roundup).
read -r -d '' PY_OSV <<'PY'
import json, math, sys
W = {"AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}, "AC": {"L": 0.77, "H": 0.44},
     "UI": {"N": 0.85, "R": 0.62}, "CIA": {"H": 0.56, "L": 0.22, "N": 0.0}}
def roundup(x):
    i = int(round(x * 100000))
    return i / 100000.0 if i % 10000 == 0 else (math.floor(i / 10000) + 1) / 10.0
def cvss3(vector):
    parts = vector.split("/")
    if parts[0] not in ("CVSS:3.0", "CVSS:3.1"):
        return None
    m = dict(p.split(":", 1) for p in parts[1:])
    changed = m["S"] == "C"
    pr = {"N": 0.85, "L": 0.68 if changed else 0.62, "H": 0.5 if changed else 0.27}[m["PR"]]
    iss = 1 - (1 - W["CIA"][m["C"]]) * (1 - W["CIA"][m["I"]]) * (1 - W["CIA"][m["A"]])
    impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 if changed else 6.42 * iss
    expl = 8.22 * W["AV"][m["AV"]] * W["AC"][m["AC"]] * pr * W["UI"][m["UI"]]
    if impact <= 0:
        return 0.0
    return roundup(min((1.08 if changed else 1.0) * (impact + expl), 10))
def band(n):
    return "critical" if n >= 9 else "high" if n >= 7 else "medium" if n >= 4 else "low" if n > 0 else "unknown"
def norm(word):
    word = word.lower()
    return {"moderate": "medium", "negligible": "low", "info": "low"}.get(word, word if word in ("critical", "high", "medium", "low") else "unknown")
RANK = {"unknown": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
best = {}
for result in json.load(open(sys.argv[1]))["results"]:
    for pkg in result.get("packages") or []:
        records = {v["id"]: v for v in pkg.get("vulnerabilities") or []}
        groups = pkg.get("groups") or [{"ids": [i]} for i in records]
        for group in groups:
            if group.get("max_severity"):
                severity = band(float(group["max_severity"]))
            else:
                members = [records[i] for i in group["ids"] if i in records]
                scores = [cvss3(s["score"]) for r in members for s in r.get("severity") or [] if s["type"] == "CVSS_V3"]
                scores = [s for s in scores if s is not None]
                words = [norm(r["database_specific"]["severity"]) for r in members
                         if isinstance(r.get("database_specific"), dict) and isinstance(r["database_specific"].get("severity"), str)]
                severity = band(max(scores)) if scores else max(words, key=RANK.get) if words else "unknown"
            key = (group["ids"][0], pkg["package"].get("name"), pkg["package"].get("version"))
            if key not in best or RANK[severity] > RANK[best[key]]:
                best[key] = severity
counts = {s: 0 for s in ("critical", "high", "medium", "low", "unknown")}
for severity in best.values():
    counts[severity] += 1
print(json.dumps({"counts": counts, "waived": 0}, separators=(",", ":")))
PY

verdict() {  # file -> prints {counts, waived} from scan-gate's JSON verdict
  local file=$1 name
  name=$(basename "$file")
  if ! "$scan_gate" --today 2026-01-01 --format json --fail-on none --json "$work/$name.verdict.json" "$file" > /dev/null 2> "$work/err"; then
    echo "scan-gate failed: $(cat "$work/err")"
    return
  fi
  jq -c '{counts: (.counts | {critical: .critical.total, high: .high.total, medium: .medium.total, low: .low.total, unknown: .unknown.total}),
          waived: .counts.all.waived}' "$work/$name.verdict.json"
}
compare() {  # file expected
  local file=$1 expected=$2 actual
  actual=$(verdict "$file")
  if [[ "$expected" == "$actual" ]]; then pass "$(basename "$file") $actual"; else fail "$(basename "$file"): scan-gate $actual, independent $expected"; fi
}

for f in "$data"/cyclonedx/*.json; do compare "$f" "$(jq -c "$JQ_COMMON $JQ_CYCLONEDX" "$f")"; done
for f in "$data"/npm-audit/*.json; do compare "$f" "$(jq -c "$JQ_COMMON $JQ_NPM_AUDIT" "$f")"; done
for f in "$data"/osv-scanner/*.json; do compare "$f" "$(/usr/bin/python3 -c "$PY_OSV" "$f")"; done

# Every report is recorded in its folder's SOURCES.md, and each format has at least 5 of them.
for folder in cyclonedx osv-scanner npm-audit; do
  listed=0
  for f in "$data/$folder"/*.json; do
    if grep -qF -- "| $(basename "$f") |" "$data/$folder/SOURCES.md"; then
      listed=$((listed + 1))
    else
      fail "$folder/$(basename "$f") is not recorded in $folder/SOURCES.md"
    fi
  done
  if ((listed >= 5)); then pass "$folder: $listed recorded reports"; else fail "$folder: $listed recorded reports, at least 5 expected"; fi
done

# The format each report was read as.
for pair in cyclonedx:cyclonedx osv-scanner:osv-scanner npm-audit:npm-audit; do
  folder=${pair%%:*} format=${pair#*:}
  for f in "$data/$folder"/*.json; do
    got=$(jq -r '.reports[0].format' "$work/$(basename "$f").verdict.json" 2>/dev/null)
    if [[ "$got" == "$format" ]]; then pass "$(basename "$f") read as $format"; else fail "$(basename "$f") read as '$got', expected $format"; fi
  done
done

# GitLab dependency-scanning reports: one vulnerability per counted finding of a lock file, each naming
# its file (OSV-Scanner: the result's source.path; npm audit: package-lock.json), valid by the schema.
dependency_schema="$fixtures/schemas/gitlab-dependency-scanning-report-format-15.2.1.json"
container_schema="$fixtures/schemas/gitlab-container-scanning-report-format-15.2.1.json"
validate="/usr/bin/python3 $root/tests/conformance/validate_schema.py"
dependency_report() {  # file independent-json expected-files-json (of a report with findings)
  local file=$1 independent=$2 files=$3 name expected got
  name=$(basename "$file")
  if ! "$scan_gate" --today 2026-01-01 --fail-on none --gitlab-out "$work/$name.cs.json" \
       --gitlab-dependency-out "$work/$name.ds.json" "$file" > /dev/null 2> "$work/err"; then
    fail "$name --gitlab-dependency-out: $(cat "$work/err")"; return
  fi
  expected=$(jq -c '[(.counts | add) - .waived, 0]' <<< "$independent")
  [[ "$expected" == "[0,0]" ]] && files="[]"  # no findings: still a valid, empty report
  got=$(jq -cs '[(.[0].vulnerabilities | length), (.[1].vulnerabilities | length)]' "$work/$name.ds.json" "$work/$name.cs.json")
  if [[ "$expected" == "$got" ]]; then pass "$name: dependency/container vulnerabilities $got"; else fail "$name: dependency/container vulnerabilities $got, expected $expected"; fi
  got=$(jq -c '[.vulnerabilities[].location.file] | unique' "$work/$name.ds.json")
  if [[ "$got" == "$files" ]]; then pass "$name: location.file $got"; else fail "$name: location.file $got, expected $files"; fi
  if [[ -f "$dependency_schema" ]]; then
    if $validate "$dependency_schema" "$work/$name.ds.json" > "$work/validate.log" 2>&1; then
      pass "$name: dependency-scanning report validates"
    else
      fail "$name: dependency-scanning report does not validate: $(head -n 5 "$work/validate.log")"
    fi
    if $validate "$container_schema" "$work/$name.cs.json" > "$work/validate.log" 2>&1; then
      pass "$name: container-scanning report validates"
    else
      fail "$name: container-scanning report does not validate: $(head -n 5 "$work/validate.log")"
    fi
  fi
}
for f in "$data"/npm-audit/*.json; do
  dependency_report "$f" "$(jq -c "$JQ_COMMON $JQ_NPM_AUDIT" "$f")" '["package-lock.json"]'
done
for f in "$data"/osv-scanner/*.json; do
  dependency_report "$f" "$(/usr/bin/python3 -c "$PY_OSV" "$f")" \
    "$(jq -c '[.results[] | select([.packages[]?.vulnerabilities[]?] | length > 0) | .source.path] | unique' "$f")"
done

# CycloneDX: in a BOM of a container image, components with an OS package's purl stay in the container
# report; every other affected component is a dependency of the SBOM file itself.
read -r -d '' JQ_CYCLONEDX_SPLIT <<'JQ'
((.metadata.component.type // "") == "container") as $image
| ([.. | objects | select(has("bom-ref")) | {key: .["bom-ref"], value: (.purl // "")}] | from_entries) as $purls
| [ .vulnerabilities[]
    | select((.analysis.state // "") | IN("not_affected", "false_positive", "resolved", "resolved_with_pedigree") | not)
    | .id as $id | ((.affects // []) | if length == 0 then [{ref: null}] else . end)[]
    | {k: [$id, .ref], os: ($image and (($purls[.ref // ""] // (.ref // "")) | test("^pkg:(deb|rpm|apk|alpm)/")))} ]
| unique_by(.k) | [(map(select(.os | not)) | length), (map(select(.os)) | length)]
JQ
for f in "$data"/cyclonedx/*.json; do
  name=$(basename "$f")
  if "$scan_gate" --today 2026-01-01 --fail-on none --gitlab-out "$work/$name.cs.json" \
       --gitlab-dependency-out "$work/$name.ds.json" "$f" > /dev/null 2> "$work/err"; then
    expected=$(jq -c "$JQ_CYCLONEDX_SPLIT" "$f")
    got=$(jq -cs '[(.[0].vulnerabilities | length), (.[1].vulnerabilities | length)]' "$work/$name.ds.json" "$work/$name.cs.json")
    if [[ "$expected" == "$got" ]]; then pass "$name: dependency/container vulnerabilities $got"; else fail "$name: dependency/container vulnerabilities $got, jq $expected"; fi
    if [[ -f "$dependency_schema" ]]; then
      if $validate "$dependency_schema" "$work/$name.ds.json" > "$work/validate.log" 2>&1 &&
         $validate "$container_schema" "$work/$name.cs.json" >> "$work/validate.log" 2>&1; then
        pass "$name: dependency- and container-scanning reports validate"
      else
        fail "$name: GitLab reports do not validate: $(head -n 5 "$work/validate.log")"
      fi
    fi
  else
    fail "$name --gitlab-dependency-out: $(cat "$work/err")"
  fi
done

# A waived finding names the report's own analysis and its justification.
reason=$(jq -r '[.findings[] | select(.status == "waived") | .reason][0]' "$work/bom-examples-vex-not-affected.cdx.json.verdict.json" 2>/dev/null)
expected_reason="by the report's own VEX analysis: not_affected ($(jq -r '.vulnerabilities[0].analysis.justification' "$data/cyclonedx/bom-examples-vex-not-affected.cdx.json")): "
if [[ "$reason" == "$expected_reason"* ]]; then pass "VEX reason: $reason"; else fail "VEX reason '$reason', expected it to start with '$expected_reason'"; fi

# A CycloneDX SBOM (the same Trivy document without its vulnerabilities) is not a passing report.
jq 'del(.vulnerabilities)' "$data/cyclonedx/trivy-fluentd-multiple-lockfiles-short.cdx.json" > "$work/sbom.cdx.json"
"$scan_gate" --fail-on none "$work/sbom.cdx.json" > /dev/null 2> "$work/err"
code=$?
if [[ $code -eq 2 ]] && grep -q 'SBOM without `vulnerabilities`' "$work/err"; then pass "an SBOM exits 2: $(cat "$work/err")"; else fail "an SBOM: exit $code, $(cat "$work/err")"; fi

# Wrong-type fields (a real report with one field changed by jq): exit 2 naming the file, the JSON
# pointer and what was expected.
bad_input() {  # source-file jq-edit expected-text
  local file=$1 edit=$2 expected=$3
  jq "$edit" "$file" > "$work/bad.json"
  "$scan_gate" --fail-on none "$work/bad.json" > /dev/null 2> "$work/err"
  local code=$?
  if [[ $code -eq 2 ]] && grep -qF -- "$work/bad.json" "$work/err" && grep -qF -- "$expected" "$work/err"; then
    pass "bad input ($edit): $(cat "$work/err")"
  else
    fail "bad input ($edit): exit $code, $(cat "$work/err"), expected exit 2 and '$expected'"
  fi
}
cdx="$data/cyclonedx/trivy-fluentd-multiple-lockfiles-short.cdx.json"
osv="$data/osv-scanner/osv-scanner-test-vuln-results-a.osv.json"
npm="$data/npm-audit/defectdojo-one-vuln.npm-audit.json"
bad_input "$cdx" '.vulnerabilities[1].ratings[2].score = "7.8"' '(at /vulnerabilities/1/ratings/2/score): expected a number, found a string'
bad_input "$cdx" '.vulnerabilities = {}' '(at /vulnerabilities): expected an array, found an object'
bad_input "$cdx" '.components[1].purl = 1' '(at /components/1/purl): expected a string, found a number'
bad_input "$cdx" '.vulnerabilities[0].analysis.state = ["not_affected"]' '(at /vulnerabilities/0/analysis/state): expected a string, found an array'
bad_input "$cdx" '.bomFormat = "SPDX"' '(at /bomFormat): expected "CycloneDX", found "SPDX"'
bad_input "$osv" '.results[0].packages[0].groups[0].ids = "GO-2021-0053"' '(at /results/0/packages/0/groups/0/ids): expected an array, found a string'
bad_input "$osv" '.results[1].packages[0].groups[0].max_severity = "high"' '(at /results/1/packages/0/groups/0/max_severity): expected a CVSS score'
bad_input "$osv" '.results[1].packages[0].vulnerabilities[0].severity[0].score = 7.5' '(at /results/1/packages/0/vulnerabilities/0/severity/0/score): expected a string, found a number'
bad_input "$osv" '.results[0] = {check_id: "python.lang.eval", path: "app.py"}' '(at /results/0): expected an OSV-Scanner result'
bad_input "$npm" '.vulnerabilities.debug.via[0].severity = 3' '(at /vulnerabilities/debug/via/0/severity): expected a string, found a number'
bad_input "$npm" '.vulnerabilities.debug.fixAvailable = "yes"' '(at /vulnerabilities/debug/fixAvailable): expected true, false or an object, found a string'
bad_input "$npm" '.vulnerabilities = []' '(at /vulnerabilities): expected an object, found an array'
bad_input "$npm" '.auditReportVersion = 1' 'npm audit report version 1 is not read'

# Trivy's JSON and Trivy's CycloneDX of the same image: every CycloneDX finding is one Trivy already has.
trivy_json="$fixtures/trivy/golden-fluentd-multiple-lockfiles.trivy.json"
if [[ -f "$trivy_json" ]]; then
  alone=$(verdict "$trivy_json" | jq '.counts | add')
  both=$("$scan_gate" --today 2026-01-01 --format json --fail-on none --json "$work/both.json" "$trivy_json" \
           "$data/cyclonedx/trivy-fluentd-multiple-lockfiles-short.cdx.json" > /dev/null 2>&1; jq '.counts.all.total' "$work/both.json")
  if [[ -n "$alone" && "$alone" == "$both" ]]; then pass "Trivy JSON + Trivy CycloneDX: $both findings, as many as the JSON alone"; else fail "Trivy JSON alone $alone findings, with its CycloneDX $both"; fi
fi

echo "formats conformance: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
