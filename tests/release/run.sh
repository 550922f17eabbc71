#!/usr/bin/env bash
# tests/release/run.sh BUILD_DIR
#
# What a release ships beside the tools: their CycloneDX SBOMs (BUILD_DIR/sbom/<tool>.cdx.json, written
# by the build, cmake/GantrySbom.cmake) and the assets scripts/release-assets lays out.
#   - every SBOM passes the official CycloneDX 1.5 JSON schema (from the @cyclonedx/cyclonedx-library
#     npm package, pinned; scripts/npm-peer installs it outside the repository);
#   - the SBOM agrees with the link line: every static archive the linker is given for the tool
#     (`ninja -t commands`) is in a Debian package the SBOM names with dpkg's version, every Debian
#     source tree compiled in is there with its debian/changelog version, and no networking library
#     is in a tool that does not link curl;
#   - the tool is metadata.component with the project version and the SHA-256 of the binary; the
#     writer gives the same bytes twice (timestamp and serialNumber derived, not drawn);
#   - scan-gate reads it: alone, as what it is (an SBOM, exit 2, not a pass); with an empty
#     vulnerabilities array, a passing report; with one vulnerability on a component's bom-ref, a
#     finding on that package that fails the gate;
#   - scripts/release-assets lays out binaries, SBOMs and SHA256SUMS that `sha256sum -c` accepts, and
#     scripts/check-release-assets refuses a binary under another architecture's name (or --arch), a non-ELF file
#     and a binary whose SBOM records another hash.
# Prints "ok ..." / "FAIL ..." per check, then "N passed, N failed". Exit 0 when all passed, 1 otherwise,
# 77 when the build wrote no SBOMs (GANTRY_SBOM=OFF) or npm cannot install the schema.
set -uo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: tests/release/run.sh BUILD_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
work="$build/release-test"
rm -rf "$work"
mkdir -p "$work"
tools=(scan-gate sarif-merge smoke-test bluegreen-switch semver-tag)
networked=(smoke-test bluegreen-switch semver-tag)
# Pinned, so a new release of the package cannot change the verdict on an unchanged build.
CYCLONEDX_LIBRARY=@cyclonedx/cyclonedx-library@10.3.0

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() {  # fail CHECK DETAILS
  failed=$((failed + 1))
  echo "FAIL $1"
  # shellcheck disable=SC2001 # indents every line
  [[ -z ${2:-} ]] || sed 's/^/       /' <<<"$2" | head -n 30
}

[[ -f $build/sbom/scan-gate.cdx.json ]] || { echo "release: $build/sbom holds no SBOM (GANTRY_SBOM=OFF?), skipped"; exit 77; }
version=$(sed -nE 's/^project\(gantry VERSION ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' "$root/CMakeLists.txt")
# In a cross build the tools run through the launchers tests/CMakeLists.txt writes.
run_dir=$build
[[ -d $build/emulated ]] && run_dir=$build/emulated

# ---- the official schema ------------------------------------------------------------------------
if schema=$("$root/scripts/npm-peer" "$CYCLONEDX_LIBRARY" bom-1.5.SNAPSHOT.schema.json 2>"$work/npm.err"); then
  for tool in "${tools[@]}"; do
    if out=$(/usr/bin/python3 "$root/tests/conformance/validate_schema.py" "$schema" "$build/sbom/$tool.cdx.json" 2>&1); then
      pass "schema: $tool.cdx.json is valid CycloneDX 1.5"
    else
      fail "schema: $tool.cdx.json" "$out"
    fi
  done
  # The validator can fail: a component without its required name.
  jq 'del(.components[0].name)' "$build/sbom/scan-gate.cdx.json" >"$work/broken.cdx.json"
  if /usr/bin/python3 "$root/tests/conformance/validate_schema.py" "$schema" "$work/broken.cdx.json" >/dev/null 2>&1; then
    fail "schema: a component without a name was accepted"
  else
    pass "schema: a component without a name is refused"
  fi
else
  if ! timeout 30 npm ping >/dev/null 2>&1; then
    echo "release: the npm registry is unreachable, skipped ($(tr '\n' ' ' <"$work/npm.err"))"
    exit 77
  fi
  fail "install $CYCLONEDX_LIBRARY" "$(cat "$work/npm.err")"
fi

# ---- the SBOM against the link line -------------------------------------------------------------
debian_version() {  # debian_version FILE: "package=version" of the Debian package holding FILE
  local owner package
  owner=$(dpkg-query -S "$(realpath "$1")" 2>/dev/null | head -n 1) || return 1
  package=${owner%%: *}
  echo "${package%%:*}=$(dpkg-query -W -f '${Version}' "$package")"
}
purl_version() { sed -e 's/%2B/+/g; s/%3A/:/g; s/%25/%/g' <<<"$1"; }
for tool in "${tools[@]}"; do
  sbom="$build/sbom/$tool.cdx.json"
  # package=version of every pkg:deb component, as the purl spells it (arch=source for source trees).
  listed=$(jq -r '.components[].purl | select(startswith("pkg:deb/debian/"))
                  | sub("^pkg:deb/debian/"; "") | sub("\\?.*$"; "") | sub("@"; "=")' "$sbom" | while read -r entry; do purl_version "$entry"; done)
  problems=""
  archives=$(cd "$build" && ninja -t commands "$tool" | tail -n 1 | tr ' ' '\n' | grep -E '^/.*\.a$' | sort -u)
  [[ -n $archives ]] || problems+="no system archive on the link line of $tool"$'\n'
  for archive in $archives; do
    if [[ $archive == */third_party/arm64-sysroot/* ]]; then
      continue  # unpacked, not installed: dpkg cannot tell; GantrySbom reads their changelogs
    fi
    if ! expected=$(debian_version "$archive"); then
      problems+="$archive: no Debian package holds it"$'\n'
    elif ! grep -qxF "$expected" <<<"$listed"; then
      problems+="$archive: $expected is not in the SBOM"$'\n'
    fi
  done
  # Debian source trees compiled in: the link line's archives built under _deps/ and the sources.
  for tree in "$root"/third_party/*/debian/changelog; do
    tree=${tree%/debian/changelog}
    package=$(sed -nE '1s/^([a-z0-9][a-z0-9+.-]*) \(([^)]+)\).*/\1=\2/p' "$tree/debian/changelog")
    name=${package%%=*}
    case $name in
      simdjson | fmtlib) wanted=yes ;;
      curl) [[ " ${networked[*]} " == *" $tool "* ]] && wanted=yes || wanted=no ;;
      libgit2) [[ $tool == semver-tag ]] && wanted=yes || wanted=no ;;
      *) continue ;;
    esac
    if [[ $wanted == yes ]] && ! grep -qxF "$package" <<<"$listed"; then problems+="the source tree $package is not in the SBOM"$'\n'; fi
    if [[ $wanted == no ]] && grep -q "^$name=" <<<"$listed"; then problems+="$name is in the SBOM of a tool that does not link it"$'\n'; fi
  done
  if [[ " ${networked[*]} " != *" $tool "* ]] && grep -qE '^(libssl-dev|libc-ares-dev|libnghttp2-dev)' <<<"$listed"; then
    problems+="a networking library is listed for $tool, which does not link curl"$'\n'
  fi
  if [[ -z $problems ]]; then
    pass "link line: $tool.cdx.json names every library linked into $tool ($(jq '.components | length' "$sbom") components)"
  else
    fail "link line: $tool.cdx.json" "$problems"
  fi

  # The tool itself.
  expected_hash=$(sha256sum "$build/$tool" | cut -d' ' -f1)
  facts=$(jq -r '[.metadata.component.name, .metadata.component.version, .metadata.component.purl,
                   (.metadata.component.hashes[] | select(.alg == "SHA-256") | .content)] | join(" ")' "$sbom")
  if [[ $facts == "$tool $version pkg:generic/gantry-$tool@$version $expected_hash" ]]; then
    pass "metadata: $tool $version, purl and SHA-256 of the binary"
  else
    fail "metadata: $tool.cdx.json" "got: $facts"$'\n'"expected: $tool $version pkg:generic/gantry-$tool@$version $expected_hash"
  fi
done

# Sorted, unique, deterministic: the writer run again on the same inputs gives the same bytes.
sbom="$build/sbom/semver-tag.cdx.json"
if jq -e '[.components[].purl] as $p | $p == ($p | unique)' "$sbom" >/dev/null; then
  pass "components of semver-tag.cdx.json sorted by purl, each once"
else
  fail "components of semver-tag.cdx.json are not sorted and unique"
fi
epoch=$(jq -r '.metadata.timestamp // "" | if . == "" then "" else fromdateiso8601 end' "$sbom")
for run in 1 2; do
  cmake -D TOOL=semver-tag -D "VERSION=$version" -D "BINARY=$build/semver-tag" \
    -D "COMPONENTS=$build/sbom/input/semver-tag.components.json" -D "OUTPUT=$work/again-$run.cdx.json" \
    -D "EPOCH=$epoch" -D "COMMIT=$(jq -r '.metadata.component.properties[]? | select(.name == "gantry:commit") | .value' "$sbom")" \
    -P "$root/cmake/GantrySbomWrite.cmake" >"$work/write.log" 2>&1
done
if cmp -s "$work/again-1.cdx.json" "$work/again-2.cdx.json" && cmp -s "$work/again-1.cdx.json" "$sbom"; then
  pass "reproducible: the writer gives the build's bytes again ($(jq -r .serialNumber "$sbom"))"
else
  fail "reproducible: semver-tag.cdx.json differs when written again" "$(cat "$work/write.log"; diff "$work/again-1.cdx.json" "$sbom" | head -n 10)"
fi
SOURCE_DATE_EPOCH=0 cmake -D TOOL=semver-tag -D VERSION=9.9.9 -D "BINARY=$build/semver-tag" \
  -D "COMPONENTS=$build/sbom/input/semver-tag.components.json" -D "OUTPUT=$work/other.cdx.json" -D EPOCH=0 \
  -P "$root/cmake/GantrySbomWrite.cmake" >/dev/null 2>&1
if [[ $(jq -r .serialNumber "$work/other.cdx.json") != "$(jq -r .serialNumber "$sbom")" &&
      $(jq -r .metadata.timestamp "$work/other.cdx.json") == 1970-01-01T00:00:00Z ]]; then
  pass "serialNumber follows the content; the timestamp is the given epoch"
else
  fail "serialNumber/timestamp" "$(jq -c '{serialNumber, t: .metadata.timestamp}' "$work/other.cdx.json")"
fi

# ---- image SBOMs ---------------------------------------------------------------------------------
# The all-tools image: every tool, the union of their libraries, busybox and the CA bundle (the
# versions given here stand for what the Dockerfile's shell stage reports).
image_sboms=()
for tool in "${tools[@]}"; do image_sboms+=("$build/sbom/$tool.cdx.json"); done
if out=$("$root/scripts/image-sbom" -o "$work/gantry-image.cdx.json" --image ghcr.io/gantry-ci/gantry \
           --version "$version" --busybox 1:1.35.0-4 --ca-certificates 20230311 "${image_sboms[@]}" 2>&1); then
  union=$(jq -s '[.[].components[].purl] | unique | length' "${image_sboms[@]}")
  facts=$(jq -r '[.metadata.component.type, .metadata.component.name, (.components | length),
                  ([.components[] | select(.type == "application")] | length),
                  ([.components[].purl | select(startswith("pkg:deb/debian/busybox@1%3A1.35.0-4?arch=source"))] | length),
                  ([.dependencies[] | select(.ref == "gantry-image:ghcr.io/gantry-ci/gantry@'"$version"'") | .dependsOn[]] | length)]
                 | map(tostring) | join(" ")' "$work/gantry-image.cdx.json")
  if [[ $facts == "container ghcr.io/gantry-ci/gantry $((union + 7)) 5 1 7" ]]; then
    pass "image-sbom: the gantry image holds 5 tools, their $union libraries, busybox and the CA bundle"
  else
    fail "image-sbom: gantry image" "got: $facts, expected: container ghcr.io/gantry-ci/gantry $((union + 7)) 5 1 7"
  fi
  if [[ -n ${schema:-} ]]; then
    if out=$(/usr/bin/python3 "$root/tests/conformance/validate_schema.py" "$schema" "$work/gantry-image.cdx.json" 2>&1); then
      pass "schema: the gantry image's SBOM is valid CycloneDX 1.5"
    else
      fail "schema: the gantry image's SBOM" "$out"
    fi
  fi
  "$root/scripts/image-sbom" -o "$work/gantry-image-2.cdx.json" --image ghcr.io/gantry-ci/gantry --version "$version" \
    --busybox 1:1.35.0-4 --ca-certificates 20230311 "${image_sboms[@]}"
  if cmp -s "$work/gantry-image.cdx.json" "$work/gantry-image-2.cdx.json"; then pass "image-sbom: reproducible"; else fail "image-sbom: two runs differ"; fi
  # One SBOM per image of a manifest list: the platform is named, and the two never share a bom-ref.
  for platform in linux/amd64 linux/arm64; do
    "$root/scripts/image-sbom" -o "$work/gantry-image-${platform#linux/}.cdx.json" --image ghcr.io/gantry-ci/gantry \
      --version "$version" --platform "$platform" "${image_sboms[@]}"
  done
  platforms=$(jq -r -s '[.[].metadata.component | "\(.properties[0].value) \(.["bom-ref"])"] | join(", ")' \
    "$work/gantry-image-amd64.cdx.json" "$work/gantry-image-arm64.cdx.json")
  if [[ $platforms == "linux/amd64 gantry-image:ghcr.io/gantry-ci/gantry@$version?platform=linux/amd64, linux/arm64 gantry-image:ghcr.io/gantry-ci/gantry@$version?platform=linux/arm64" ]]; then
    pass "image-sbom: --platform names each image's platform in its own bom-ref"
  else
    fail "image-sbom --platform" "got: $platforms"
  fi
  if [[ -n ${schema:-} ]] && ! out=$(/usr/bin/python3 "$root/tests/conformance/validate_schema.py" "$schema" "$work/gantry-image-arm64.cdx.json" 2>&1); then
    fail "schema: the arm64 image's SBOM" "$out"
  fi
  if "$root/scripts/image-sbom" -o "$work/x.cdx.json" --image x --version 1 --platform linux/s390x "${image_sboms[@]}" 2>"$work/err"; then
    fail "image-sbom --platform linux/s390x accepted"
  elif grep -q "expected linux/amd64 or linux/arm64" "$work/err"; then
    pass "image-sbom: an unknown platform is refused"
  else
    fail "image-sbom --platform linux/s390x" "$(cat "$work/err")"
  fi
else
  fail "image-sbom" "$out"
fi

# ---- scan-gate reads it -------------------------------------------------------------------------
scan_gate="$run_dir/scan-gate"
"$scan_gate" --today 2026-12-03 --fail-on none "$sbom" >"$work/out" 2>"$work/err"
code=$?
# shellcheck disable=SC2016 # the backquotes are part of the message
if [[ $code -eq 2 ]] && grep -q 'SBOM without `vulnerabilities`' "$work/err"; then
  pass "scan-gate: the SBOM alone is an SBOM, not a pass (exit 2)"
else
  fail "scan-gate on the SBOM alone: exit $code" "$(cat "$work/err")"
fi
jq '.vulnerabilities = []' "$sbom" >"$work/scanned-clean.cdx.json"
if "$scan_gate" --today 2026-12-03 --fail-on low --format json "$work/scanned-clean.cdx.json" >"$work/clean.json" 2>"$work/err" &&
   [[ $(jq '.counts.all.counted' "$work/clean.json") == 0 ]]; then
  pass "scan-gate: the SBOM with an empty vulnerabilities array passes with 0 findings"
else
  fail "scan-gate on the SBOM with vulnerabilities: []" "$(cat "$work/err" "$work/clean.json")"
fi
target=$(jq -r '[.components[] | select(.purl | startswith("pkg:deb/debian/libssl-dev"))][0]["bom-ref"]' "$sbom")
jq --arg ref "$target" '.vulnerabilities = [{"bom-ref": "v1", "id": "CVE-2024-0001",
     "ratings": [{"severity": "high", "method": "CVSSv31", "score": 7.5}], "affects": [{"ref": $ref}]}]' \
  "$sbom" >"$work/scanned.cdx.json"
"$scan_gate" --today 2026-12-03 --fail-on high --format json "$work/scanned.cdx.json" >"$work/found.json" 2>"$work/err"
code=$?
if [[ $code -eq 1 && $(jq '.counts.all.counted' "$work/found.json") == 1 ]]; then
  pass "scan-gate: a vulnerability on the SBOM's OpenSSL component fails the gate (exit 1, 1 counted)"
else
  fail "scan-gate with a vulnerability on $target: exit $code" "$(cat "$work/err"; head -c 600 "$work/found.json")"
fi

# ---- release assets -----------------------------------------------------------------------------
arch=$(uname -m)
[[ -d $build/emulated ]] && arch=aarch64
dist="$work/dist"
if out=$("$root/scripts/release-assets" "$version" "$dist" "$arch=$build" 2>&1) &&
   (cd "$dist" && sha256sum --quiet -c SHA256SUMS) >"$work/sums.log" 2>&1 &&
   [[ $(wc -l <"$dist/SHA256SUMS") -eq 10 ]]; then
  pass "release-assets: 5 binaries and 5 SBOMs for linux-$arch, SHA256SUMS verifies"
else
  fail "release-assets" "$out$(cat "$work/sums.log" 2>/dev/null)"
fi
other=aarch64
[[ $arch == aarch64 ]] && other=x86_64
wrong="$work/wrong/gantry-scan-gate-$version-linux-$other"
mkdir -p "$work/wrong"
cp "$build/scan-gate" "$wrong"
out=$("$root/scripts/check-release-assets" "$wrong" 2>&1)
code=$?
if [[ $code -eq 1 ]] && grep -q "the name says" <<<"$out"; then
  pass "check-release-assets: a $arch binary named linux-$other is refused: $out"
else
  fail "check-release-assets accepted a $arch binary named linux-$other (exit $code)" "$out"
fi
# --arch: the executables of an image, whatever their names, against the architecture it declares.
cp "$build/scan-gate" "$work/wrong/scan-gate"
out=$("$root/scripts/check-release-assets" --arch "$other" "$work/wrong/scan-gate" 2>&1)
code=$?
own=$("$root/scripts/check-release-assets" --arch "$arch" "$work/wrong/scan-gate" 2>&1)
own_code=$?
if [[ $code -eq 1 ]] && grep -q -- "--arch says" <<<"$out" && [[ $own_code -eq 0 ]]; then
  pass "check-release-assets --arch: a $arch binary is refused as $other, accepted as $arch"
else
  fail "check-release-assets --arch $other: exit $code, --arch $arch: exit $own_code" "$out$own"
fi
cp "$build/sbom/scan-gate.cdx.json" "$work/wrong/gantry-sarif-merge-$version-linux-$arch.cdx.json"
cp "$build/sarif-merge" "$work/wrong/gantry-sarif-merge-$version-linux-$arch"
printf 'not a program\n' >"$work/wrong/gantry-notes-$version-linux-$arch"
out=$("$root/scripts/check-release-assets" "$work/wrong/gantry-sarif-merge-$version-linux-$arch" "$work/wrong/gantry-notes-$version-linux-$arch" 2>&1)
code=$?
if [[ $code -eq 1 ]] && grep -q "records SHA-256" <<<"$out" && grep -q "not an ELF file" <<<"$out"; then
  pass "check-release-assets: a binary with another binary's SBOM and a non-ELF file are refused"
else
  fail "check-release-assets: exit $code" "$out"
fi

echo "$passed passed, $failed failed"
exit $((failed > 0))
