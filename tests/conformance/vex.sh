#!/usr/bin/env bash
# VEX conformance: for each VEX document in tests/data/vex paired with the real Trivy report there, the
# number of findings scan-gate waives (--json counts.all.waived) must equal the number computed
# independently with jq from the two files, following the OpenVEX 0.2 and CycloneDX 1.6 specs:
# a statement with a waiving status (OpenVEX not_affected/fixed; CycloneDX not_affected/false_positive/
# resolved/resolved_with_pedigree) covers a finding when one of its ids (OpenVEX name, @id, aliases;
# CycloneDX id, references[].id) is the finding's id and one of its purls (OpenVEX subcomponents, else
# products; CycloneDX affects[].ref through components[].bom-ref, or a BOM-link fragment) equals the
# finding's purl without qualifiers (without version when the statement's purl has none). Findings are
# counted once per id + package + version, as scan-gate merges them.
set -uo pipefail
build_dir=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
data="$root/tests/data/vex"
report="$data/gomod.trivy.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

read -r -d '' JQ_STATEMENTS <<'JQ'
def plain: sub("[?#].*$"; "") | gsub("%2B"; "+");
if has("@context") then
  [ .statements[] | select(.status == "not_affected" or .status == "fixed")
    | {ids: ([.vulnerability.name, .vulnerability["@id"]] + (.vulnerability.aliases // []) | map(select(. != null))),
       purls: [ .products[] | if (.subcomponents // []) | length > 0 then .subcomponents[]["@id"] else .["@id"] end | plain ]} ]
else
  ([ (.components // [])[], (.metadata.component // empty) | select(.["bom-ref"] != null and .purl != null)
     | {key: .["bom-ref"], value: .purl} ] | from_entries) as $refs
  | [ .vulnerabilities[] | select(.analysis.state as $s | ["not_affected", "false_positive", "resolved", "resolved_with_pedigree"] | index($s))
      | {ids: ([.id] + [(.references // [])[].id]),
         purls: [ .affects[].ref | ($refs[.] // (if startswith("urn:cdx:") then (split("#")[1] // "" | gsub("%3A"; ":") | gsub("%2F"; "/") | gsub("%40"; "@")) else . end))
                  | select(startswith("pkg:")) | plain ]} ]
end
JQ

read -r -d '' JQ_COVERED <<'JQ'
def plain: sub("[?#].*$"; "") | gsub("%2B"; "+");
[ .Results[].Vulnerabilities[]? | {k: [.VulnerabilityID, .PkgName, .InstalledVersion], id: .VulnerabilityID, purl: (.PkgIdentifier.PURL // "" | plain)} ]
| unique_by(.k)
| map(. as $f | select(any($statements[]; (.ids | index($f.id)) and
      any(.purls[]; . == $f.purl or (contains("@") | not) and . == ($f.purl | split("@")[0])))))
| length
JQ

for vex in trivy-integration.openvex.json trivy-multiple.openvex.json vexctl-v020-1.openvex.json \
           trivy-testdata.cdx.json bom-examples.vex.cdx.json cisa-case1-not-affected.cdx.json handwritten-bom-refs.cdx.json; do
  jq "$JQ_STATEMENTS" "$data/$vex" > "$work/statements.json"
  expected=$(jq --slurpfile s "$work/statements.json" "\$s[0] as \$statements | $JQ_COVERED" "$report")
  "$build_dir/scan-gate" --today 2026-12-03 --fail-on none --format json --vex "$data/$vex" "$report" \
    > "$work/verdict.json" 2> "$work/stderr"
  actual=$(jq '.counts.all.waived' "$work/verdict.json")
  if [[ "$expected" != "$actual" ]]; then
    echo "FAIL: $vex: scan-gate waived $actual findings, jq counts $expected"; failed=1
  else
    echo "ok: $vex: $actual waived"
  fi
done
exit $failed
