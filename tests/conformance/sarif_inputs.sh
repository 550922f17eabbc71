#!/usr/bin/env bash
# sarif-merge over the SARIF that real tools write and that is not plain valid SARIF 2.1.0
# (tests/data/sarif-inputs, sources in its SOURCES.md): a byte order mark, SARIF 2.0.0, a ruleIndex
# that contradicts the ruleId, rules referenced by component guid, messages by id and arguments,
# schema-invalid results, external property files.
#
# The judges are independent of sarif-merge: the official SARIF 2.1.0 schema through Python's
# jsonschema (validate_schema.py), counts computed with jq from the inputs as the SARIF
# specification defines them, and, when npm can install it, the SARIF Multitool's validator.
#   - `sarif-merge validate --for none` agrees with the schema on every input (valid or not);
#   - every input merges alone (2.0.0: exit 2 with the conversion command), and the output passes
#     the schema and `sarif-merge validate`; results written + duplicates + left out = results read =
#     the jq count of the input's results (external property files included);
#   - each shape's own promise (ruleId wins, guid references resolve, arguments tell results apart,
#     external results merged and a missing file counted);
#   - all inputs merged together pass the schema, `sarif-merge validate` and the Multitool.
# The built-in schema must be byte for byte the official file of the shared fixtures when present.
set -uo pipefail
build_dir=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
inputs="$root/tests/data/sarif-inputs"
schema="$root/src/core/sarif/schema/sarif-schema-2.1.0.json"
fixtures=${GANTRY_FIXTURES:-$root/../shared/fixtures}
sarif_merge="$build_dir/sarif-merge"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
schema_valid() { /usr/bin/python3 "$root/tests/conformance/validate_schema.py" "$schema" "$@" > "$work/schema.log" 2>&1; }
# jq reads a file with a byte order mark as text after it (jq 1.6 rejects the mark): strip it first.
jq_file() { local file=${!#}; sed '1s/^\xEF\xBB\xBF//' "$file" | jq "${@:1:$#-1}"; }

if [[ -f "$fixtures/schemas/sarif-schema-2.1.0.json" ]]; then
  if cmp -s "$schema" "$fixtures/schemas/sarif-schema-2.1.0.json"; then pass "the built-in schema is the official file"; else fail "the built-in schema differs from $fixtures/schemas/sarif-schema-2.1.0.json"; fi
fi

# sarif-merge validate and the schema agree on every input.
for f in "$inputs"/*.sarif; do
  name=$(basename "$f")
  schema_valid "$f" && by_schema=valid || by_schema=invalid
  "$sarif_merge" validate --for none "$f" > "$work/validate.log" 2>&1
  code=$?
  case $code in 0) ours=valid ;; 1) ours=invalid ;; *) ours="exit $code" ;; esac
  if [[ "$ours" == "$by_schema" ]]; then pass "$name: validate and the schema agree ($ours)"; else fail "$name: schema $by_schema, sarif-merge validate $ours: $(head -n 3 "$work/validate.log")"; fi
done

# Each input alone.
for f in "$inputs"/*.sarif; do
  name=$(basename "$f" .sarif)
  out="$work/$name.out.sarif"
  "$sarif_merge" --for none --format json --json "$work/$name.json" -o "$out" "$f" > /dev/null 2> "$work/err"
  code=$?
  if [[ "$(jq_file -r .version "$f")" != "2.1.0" ]]; then
    if [[ $code == 2 ]] && grep -q "Sarif.Multitool rewrite" "$work/err"; then pass "$name: refused (exit 2) with the conversion command"; else fail "$name: expected exit 2 and the conversion command, got $code: $(cat "$work/err")"; fi
    continue
  fi
  if [[ $code != 0 ]]; then fail "$name: sarif-merge exited $code: $(cat "$work/err")"; continue; fi
  if schema_valid "$out"; then pass "$name: output passes the schema"; else fail "$name: output fails the schema: $(head -n 5 "$work/schema.log")"; fi
  if "$sarif_merge" validate --for none "$out" > "$work/validate.log" 2>&1; then pass "$name: output passes sarif-merge validate"; else fail "$name: output fails sarif-merge validate: $(head -n 5 "$work/validate.log")"; fi
  # Results read, independently: the log's results plus those of the external property files beside it.
  expected=$(jq_file '[.runs[] | (.results // []) | length] | add // 0' "$f")
  for ext in $(jq_file -r '.runs[].externalPropertyFileReferences.results[]?.location.uri' "$f"); do
    [[ -f "$inputs/$ext" ]] && expected=$((expected + $(jq '.results | length' "$inputs/$ext")))
  done
  read -r read_ written removed dropped < <(jq -r '"\(."results-read") \(.results) \(."duplicates-removed") \(."invalid-dropped")"' "$work/$name.json")
  if [[ "$read_" == "$expected" && $((written + removed + dropped)) == "$read_" ]]; then
    pass "$name: $expected results read = $written written + $removed duplicates + $dropped left out"
  else
    fail "$name: jq counts $expected results; sarif-merge read $read_, wrote $written, removed $removed, left out $dropped"
  fi
done

# Each shape's promise, checked on the output with jq.
gosec="$work/gosec-wrong-rule-index.out.sarif"
if [[ -f "$gosec" ]] && [[ $(jq '[.runs[0] as $r | $r.results[] | select($r.tool.driver.rules[.ruleIndex].id != .ruleId)] | length' "$gosec") == 0 ]] &&
   jq -e '.warnings[] | select(contains("ruleIndex that names another rule"))' "$work/gosec-wrong-rule-index.json" > /dev/null; then
  pass "gosec: every ruleIndex names the rule of its ruleId, with a warning"
else
  fail "gosec: a ruleIndex still names another rule, or no warning"
fi
guid="$work/extension-by-guid.out.sarif"
if [[ -f "$guid" ]] && [[ $(jq -c '[.runs[0] as $r | $r.results[] | $r.tool.extensions[.rule.toolComponent.index].rules[.rule.index].id]' "$guid") == '["SEC002","SEC001","SEC002"]' ]]; then
  pass "extension-by-guid: both results resolve to their rule in the extension"
else
  fail "extension-by-guid: $(jq -c '.runs[0].results' "$guid" 2>&1 | head -c 300)"
fi
# Distinct findings as the specification defines a message: id and arguments together.
arguments_expected=$(jq '[.runs[0].results[] | [.ruleId, .message.id, .message.arguments, .locations]] | unique | length' "$inputs/message-arguments.sarif")
if [[ $(jq '.runs[0].results | length' "$work/message-arguments.out.sarif" 2>/dev/null) == "$arguments_expected" ]]; then
  pass "message-arguments: $arguments_expected distinct results kept"
else
  fail "message-arguments: expected $arguments_expected results"
fi
if [[ $(jq '."external-files-read"' "$work/external-properties.json" 2>/dev/null) == 2 && $(jq '."external-files-missing"' "$work/external-properties.json") == 1 ]] &&
   [[ $(jq -r '.runs[0] as $r | [$r.results[] | $r.artifacts[.locations[0].physicalLocation.artifactLocation.index].location.uri] | join(",")' "$work/external-properties.out.sarif") == "src/two.c,src/one.c" ]]; then
  pass "external-properties: 2 files read, 1 missing counted, results point at the external artifacts"
else
  fail "external-properties: $(jq -c '{r: ."external-files-read", m: ."external-files-missing"}' "$work/external-properties.json" 2>&1)"
fi

# Everything together (2.1.0 inputs), judged by the schema, sarif-merge validate and the Multitool.
mapfile -t readable < <(for f in "$inputs"/*.sarif; do [[ "$(jq_file -r .version "$f")" == "2.1.0" ]] && echo "$f"; done)
if "$sarif_merge" --for github -o "$work/all.sarif" "${readable[@]}" > /dev/null 2> "$work/err"; then
  if schema_valid "$work/all.sarif"; then pass "all inputs merged: the schema accepts the output"; else fail "all inputs merged: $(head -n 5 "$work/schema.log")"; fi
  if "$sarif_merge" validate --for github "$work/all.sarif" > "$work/validate.log" 2>&1; then pass "all inputs merged: sarif-merge validate --for github accepts it"; else fail "all inputs merged: $(head -n 5 "$work/validate.log")"; fi
  if multitool=$(bash "$root/scripts/npm-peer" @microsoft/sarif-multitool-linux Sarif.Multitool 2> "$work/npm.err"); then
    "$multitool" validate -o "$work/validation.sarif" "$work/all.sarif" > "$work/multitool.log" 2>&1
    errors=$(jq '[.runs[].results[]? | select(.level == "error")] | length' "$work/validation.sarif" 2>/dev/null || echo "no report")
    if [[ "$errors" == 0 ]]; then pass "all inputs merged: Sarif.Multitool validate finds no error"; else fail "Sarif.Multitool validate: $errors errors: $(jq -r '[.runs[].results[]? | select(.level == "error") | .message.arguments[0:2] | join(" ")] | .[0:5] | join("; ")' "$work/validation.sarif" 2>/dev/null || tail -n 5 "$work/multitool.log")"; fi
  else
    echo "skip Sarif.Multitool: npm could not install it ($(head -n 1 "$work/npm.err"))"
  fi
else
  fail "all inputs merged: sarif-merge failed: $(cat "$work/err")"
fi

# The conversion sarif-merge names for SARIF 2.0.0 works: the Multitool's rewrite, then a valid merge.
if [[ -n "${multitool:-}" ]]; then
  if "$multitool" rewrite "$inputs/prefast-2.0.0.sarif" --sarif-output-version Current --output "$work/converted.sarif" > "$work/rewrite.log" 2>&1 &&
     "$sarif_merge" --for none -o "$work/converted.out.sarif" "$work/converted.sarif" > /dev/null 2> "$work/err" && schema_valid "$work/converted.out.sarif"; then
    pass "prefast-2.0.0: converted as the message says, then merged into valid SARIF"
  else
    fail "prefast-2.0.0: the conversion the message names did not lead to a valid merge: $(tail -n 3 "$work/rewrite.log" "$work/err")"
  fi
fi

echo "sarif-inputs: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
