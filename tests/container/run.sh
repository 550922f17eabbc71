#!/usr/bin/env bash
# tests/container/run.sh
# Builds every image of the Dockerfile with podman (one per tool, and gantry with all of them), prints
# their sizes against the targets, and runs each tool in its image the way the CI platforms do:
#   (a) GitHub's runner: ENTRYPOINT run directly, inputs as INPUT_<NAME>, the checkout at
#       /github/workspace, outputs and step summary in mounted file-command files;
#   (b) GitLab's docker executor: entrypoint overridden, the job's script through /bin/sh,
#       outputs as a dotenv report.
# Prints "N passed, N failed" last; exits non-zero on any failure.
#   SAMPLE_REPORT=FILE        report to gate (default: the first samples/reports/*.json)
#   GANTRY_KEEP_IMAGES=1      keep the built images (they are removed by default)
#   GANTRY_PREBUILT_TOOLS=DIR the images take the tools from DIR/bin (static binaries of the
#                             release preset; scripts/test passes the ones its release phase built
#                             and tested) instead of compiling them in the Dockerfile's build stage
#   GANTRY_PREBUILT_TOOLS_ARM64=DIR  also the arm64 images, with the release-arm64 preset's tools from
#                             DIR/bin, and every image as an amd64 + arm64 manifest list
#                             (scripts/build-images); unset: that part is skipped, and says so
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
started=$SECONDS

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
finish() {
  echo "container tests: $((SECONDS - started)) s"
  echo "$passed passed, $failed failed"
  exit $((failed > 0))
}

if ! command -v podman >/dev/null; then
  fail "podman is not installed (scripts/install-deps --full)"
  finish
fi

# Unique per run, so that concurrent runs and leftovers of killed runs never collide.
run_id="t$(date +%Y%m%d%H%M%S)-$$"
scan_gate_image="localhost/gantry-test/scan-gate:$run_id"
gantry_image="localhost/gantry-test/gantry:$run_id"
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-container.XXXXXX")
tool_images=()
cleanup() {
  local name
  for name in $(podman ps -a --filter "name=gantry-test-$run_id-" --format '{{.Names}}' 2>/dev/null); do
    podman rm -f --ignore "$name" >/dev/null 2>&1
  done
  if [[ ${GANTRY_KEEP_IMAGES:-0} != 1 ]]; then
    podman rmi -f "$scan_gate_image" "$gantry_image" "${tool_images[@]}" >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

container_name() {  # a name cleanup() finds
  echo "gantry-test-$run_id-$1"
}

# ---- images -------------------------------------------------------------------------------------
if phase_log=$(bash "$here/make-base-image.sh" 2>&1); then
  pass "$phase_log"
else
  fail "base image: $phase_log"
  finish
fi

commit=$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# Both images build from one snapshot of the sources: the second build then reuses every layer of
# the first one's build stage, and an edit made meanwhile cannot make the two images differ.
mkdir "$work/context"
tar -C "$repo" --exclude=./build --exclude=./.git --exclude=./third_party --exclude=./.cache -cf - . |
  tar -C "$work/context" -xf -
build_args=(--build-arg "GANTRY_COMMIT=$commit")
if [[ -n ${GANTRY_PREBUILT_TOOLS:-} ]]; then
  mkdir -p "$work/context/prebuilt-tools/bin"
  if cp "$GANTRY_PREBUILT_TOOLS"/bin/* "$work/context/prebuilt-tools/bin/" 2>"$work/prebuilt.log"; then
    build_args+=(--build-arg GANTRY_PREBUILT=prebuilt-tools)
    pass "tools taken from $GANTRY_PREBUILT_TOOLS/bin: $(ls "$work/context/prebuilt-tools/bin" | paste -sd' ')"
  else
    fail "GANTRY_PREBUILT_TOOLS=$GANTRY_PREBUILT_TOOLS: $(head -1 "$work/prebuilt.log")"
    finish
  fi
fi
build_image() {  # build_image LABEL IMAGE [--target STAGE]
  local label=$1 image=$2 t0=$SECONDS
  shift 2
  if podman build --network=host "${build_args[@]}" "$@" -t "$image" \
       -f "$work/context/Dockerfile" "$work/context" >"$work/build-$label.log" 2>&1; then
    local bytes
    bytes=$(podman image inspect --format '{{.Size}}' "$image")
    pass "image $label built in $((SECONDS - t0)) s: $(awk -v b="$bytes" 'BEGIN {printf "%.1f MB", b / 1e6}')"
    return 0
  fi
  fail "image $label: podman build failed after $((SECONDS - t0)) s; last lines:"
  tail -40 "$work/build-$label.log" | sed 's/^/    /'
  return 1
}
build_image scan-gate "$scan_gate_image" --target scan-gate || finish
build_image gantry "$gantry_image" || finish
# The other tools' images reuse the build stage: each is one more COPY.
declare -A image_of=([scan-gate]=$scan_gate_image)
for tool in sarif-merge smoke-test bluegreen-switch semver-tag; do
  image_of[$tool]="localhost/gantry-test/$tool:$run_id"
  tool_images+=("${image_of[$tool]}")
  build_image "$tool" "${image_of[$tool]}" --target "$tool" || finish
done
# Size targets: images of tools without networking at most 4 MB, with networking at most 10 MB.
for tool in scan-gate sarif-merge smoke-test bluegreen-switch semver-tag; do
  bytes=$(podman image inspect --format '{{.Size}}' "${image_of[$tool]}")
  case $tool in scan-gate | sarif-merge) target=4 ;; *) target=10 ;; esac
  line=$(awk -v t="$tool" -v b="$bytes" -v m="$target" 'BEGIN { printf "size %s %.1f MB (target <= %d MB)", t, b / 1e6, m }')
  if ((bytes <= target * 1000000)); then pass "$line"; else fail "$line"; fi
done

# ---- what is in the images ----------------------------------------------------------------------
out=$(podman run --rm --network=host --name "$(container_name version)" "$scan_gate_image" --version 2>&1)
status=$?
version_line=${out%%$'\n'*}
if [[ $status -eq 0 && -n $out ]]; then pass "scan-gate image --version: $version_line"; else fail "scan-gate image --version: $out"; fi

out=$(podman run --rm --network=host --name "$(container_name default-cmd)" "$gantry_image" 2>&1)
if [[ $? -eq 0 && $out == *scan-gate* ]]; then pass "gantry image default command (scan-gate --help)"; else fail "gantry image default command: $out"; fi

# Every tool in the gantry image answers --version; the shell and CA bundle are there.
out=$(podman run --rm --network=host --name "$(container_name tools)" "$gantry_image" sh -c \
  'set -e; for tool in /usr/local/bin/*; do "$tool" --version >/dev/null; echo "${tool##*/}"; done
   test -s /etc/ssl/certs/ca-certificates.crt; echo ca-bundle' 2>&1)
if [[ $? -eq 0 && $out == *scan-gate* && $out == *ca-bundle* ]]; then
  pass "gantry image: $(echo "$out" | grep -vx ca-bundle | tr '\n' ' ')on PATH, CA bundle present"
else
  fail "gantry image tools: $out"
fi

# ---- the sample report --------------------------------------------------------------------------
sample=${SAMPLE_REPORT:-}
if [[ -z $sample ]]; then
  sample=$(find "$repo/samples/reports" -maxdepth 1 -name '*.json' -type f 2>/dev/null | sort | head -1)
fi
if [[ -z $sample || ! -f $sample ]]; then
  fail "no sample report: samples/reports/*.json is empty (or set SAMPLE_REPORT)"
  finish
fi
report=$(basename "$sample")
echo "sample report: $report"

# ---- (a) GitHub container action ----------------------------------------------------------------
workspace="$work/github/workspace"
file_commands="$work/github/file_commands"
mkdir -p "$workspace" "$file_commands"
cp "$sample" "$workspace/"
: >"$file_commands/set_output_1"
: >"$file_commands/step_summary_1"
# The runner sets INPUT_<NAME> for every input action.yml declares a default for, then the
# workflow's `with:` values (upper-cased, spaces to underscores, hyphens kept).
# action_defaults TOOL: those defaults as NUL-separated INPUT_<NAME>=VALUE words.
action_defaults() {
  python3 -c 'import sys, yaml
for name, spec in (yaml.safe_load(open(sys.argv[1])).get("inputs") or {}).items():
    if isinstance(spec, dict) and "default" in spec:
        value = spec["default"]
        value = str(value).lower() if isinstance(value, bool) else str(value)
        sys.stdout.write("INPUT_%s=%s\0" % (name.upper().replace(" ", "_"), value))
' "$repo/actions/$1/action.yml"
}
defaults=()
while IFS= read -r -d '' assignment; do
  defaults+=(-e "$assignment")
done < <(action_defaults scan-gate)
echo "github: action.yml defaults: ${defaults[*]}"
podman run --rm --network=host --name "$(container_name github)" "${defaults[@]}" \
  --workdir /github/workspace \
  -v "$workspace:/github/workspace" -v "$file_commands:/github/file_commands" \
  -e CI=true -e GITHUB_ACTIONS=true -e GITHUB_WORKSPACE=/github/workspace \
  -e GITHUB_OUTPUT=/github/file_commands/set_output_1 \
  -e GITHUB_STEP_SUMMARY=/github/file_commands/step_summary_1 \
  -e "INPUT_REPORTS=$report" -e "INPUT_FAIL-ON=critical" \
  "$scan_gate_image" >"$work/github.out" 2>&1
status=$?
case $status in
  0 | 1) pass "github: exit $status (0 pass / 1 policy failed)" ;;
  *) fail "github: exit $status; output:"; sed 's/^/    /' "$work/github.out" | tail -30 ;;
esac
if grep -q '^passed=' "$file_commands/set_output_1"; then
  pass "github: GITHUB_OUTPUT has $(grep '^passed=' "$file_commands/set_output_1")"
  expected_passed=$([[ $status -eq 0 ]] && echo true || echo false)
  if grep -qx "passed=$expected_passed" "$file_commands/set_output_1"; then
    pass "github: passed= agrees with exit status $status"
  else
    fail "github: exit $status but GITHUB_OUTPUT says $(grep '^passed=' "$file_commands/set_output_1")"
  fi
else
  fail "github: GITHUB_OUTPUT has no passed=: $(head -c 500 "$file_commands/set_output_1")"
fi
if [[ -s $file_commands/step_summary_1 ]]; then
  pass "github: step summary written ($(wc -c <"$file_commands/step_summary_1") bytes)"
else
  fail "github: step summary is empty"
fi

# ---- (b) GitLab docker executor -----------------------------------------------------------------
project="$work/gitlab/project"
mkdir -p "$project"
cp "$sample" "$project/"
podman run --rm --network=host --name "$(container_name gitlab)" --entrypoint "" \
  -v "$project:/builds/group/project" --workdir /builds/group/project \
  -e CI=true -e GITLAB_CI=true -e CI_PROJECT_DIR=/builds/group/project \
  "$scan_gate_image" sh -c "scan-gate --version && scan-gate --fail-on critical '$report'" \
  >"$work/gitlab.out" 2>&1
status=$?
if [[ -n $version_line ]] && grep -qF "$version_line" "$work/gitlab.out"; then
  pass "gitlab: script through /bin/sh ran scan-gate --version"
else
  fail "gitlab: scan-gate --version through /bin/sh: $(head -5 "$work/gitlab.out")"
fi
case $status in
  0 | 1) pass "gitlab: exit $status (0 pass / 1 policy failed)" ;;
  *) fail "gitlab: exit $status; output:"; sed 's/^/    /' "$work/gitlab.out" | tail -30 ;;
esac
if grep -q '^SCAN_GATE_PASSED=' "$project/gantry.env" 2>/dev/null; then
  pass "gitlab: gantry.env dotenv has $(grep '^SCAN_GATE_PASSED=' "$project/gantry.env")"
else
  fail "gitlab: no SCAN_GATE_PASSED= in gantry.env; files: $(cd "$project" && ls | tr '\n' ' ')"
fi


# ---- every other tool, in its own image, as GitHub's runner and GitLab's executor start it ---------
# github_run TOOL EXPECTED_EXITS OUTPUT_KEY [-e INPUT_X=...]...: ENTRYPOINT run directly in
# /github/workspace with the action's defaults and the given inputs; the output key must be written.
github_run() {
  local tool=$1 expected=$2 key=$3
  shift 3
  local dir="$work/gh-$tool" defaults=()
  mkdir -p "$dir/file_commands"
  : >"$dir/file_commands/set_output"
  : >"$dir/file_commands/step_summary"
  while IFS= read -r -d '' assignment; do
    defaults+=(-e "$assignment")
  done < <(action_defaults "$tool")
  podman run --rm --network=host --name "$(container_name "gh-$tool")" "${defaults[@]}" \
    --workdir /github/workspace -v "$dir/workspace:/github/workspace" -v "$dir/file_commands:/github/file_commands" \
    -e CI=true -e GITHUB_ACTIONS=true -e GITHUB_WORKSPACE=/github/workspace \
    -e GITHUB_OUTPUT=/github/file_commands/set_output -e GITHUB_STEP_SUMMARY=/github/file_commands/step_summary \
    "$@" "${image_of[$tool]}" >"$dir/out" 2>&1
  local status=$?
  if [[ " $expected " == *" $status "* ]] && grep -q "^$key=" "$dir/file_commands/set_output"; then
    pass "github $tool: exit $status, $(grep "^$key=" "$dir/file_commands/set_output" | head -1)"
  else
    fail "github $tool: exit $status (expected $expected), outputs: $(head -c 300 "$dir/file_commands/set_output")"
    tail -15 "$dir/out" | sed 's/^/    /'
  fi
}
# gitlab_run TOOL DOTENV_KEY SCRIPT: the entrypoint overridden, SCRIPT through /bin/sh in the project dir.
gitlab_run() {
  local tool=$1 key=$2 script=$3 dir="$work/gl-$1"
  podman run --rm --network=host --name "$(container_name "gl-$tool")" --entrypoint "" \
    -v "$dir/project:/builds/group/project" --workdir /builds/group/project \
    -e CI=true -e GITLAB_CI=true -e CI_PROJECT_DIR=/builds/group/project \
    "${image_of[$tool]}" sh -c "$script" >"$dir/out" 2>&1
  local status=$?
  if grep -q "^$key=" "$dir/project/gantry.env" 2>/dev/null; then
    pass "gitlab $tool: exit $status, gantry.env has $(grep "^$key=" "$dir/project/gantry.env" | head -1)"
  else
    fail "gitlab $tool: exit $status, no $key= in gantry.env"
    tail -15 "$dir/out" | sed 's/^/    /'
  fi
}
prepare() {  # prepare DIR: a workspace with the sample SARIF files and a tiny git repository
  mkdir -p "$1"
  cp "$repo"/samples/sarif/*.sarif "$1/"
  git -C "$1" init -q -b main && git -C "$1" -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m "feat: first" &&
    git -C "$1" tag v1.0.0 && git -C "$1" -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m "fix: second"
  echo blue >"$1/live"
}
for tool in sarif-merge smoke-test bluegreen-switch semver-tag; do
  prepare "$work/gh-$tool/workspace"
  prepare "$work/gl-$tool/project"
done
# A loopback HTTP server for smoke-test (the containers share the host network).
http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 &
http_pid=$!
trap 'kill $http_pid 2>/dev/null; cleanup' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$http_port/" && break; sleep 0.1; done

github_run sarif-merge "0" results -e "INPUT_SARIF=backend.semgrep.sarif
frontend.semgrep.sarif" -e INPUT_OUTPUT=merged.sarif
gitlab_run sarif-merge SARIF_MERGE_RESULTS "sarif-merge -o merged.sarif backend.semgrep.sarif frontend.semgrep.sarif"
github_run smoke-test "0" passed -e "INPUT_CHECK=GET http://127.0.0.1:$http_port/ 200"
gitlab_run smoke-test SMOKE_TEST_PASSED "smoke-test --check 'GET http://127.0.0.1:$http_port/ 200'"
github_run bluegreen-switch "0" live-color -e INPUT_PROVIDER=command -e "INPUT_READ-COMMAND=cat live" \
  -e "INPUT_SWITCH-COMMAND=sh -c 'echo {color} > live'" -e INPUT_TO=green
gitlab_run bluegreen-switch BLUEGREEN_SWITCH_LIVE_COLOR \
  "bluegreen-switch -p command --read-command 'cat live' --switch-command \"sh -c 'echo {color} > live'\" --to green"
github_run semver-tag "0" version -e INPUT_DRY-RUN=true
gitlab_run semver-tag SEMVER_TAG_VERSION "semver-tag --dry-run"

# ---- release assets: the images a release publishes hold the binaries attached to it ----------------
# The publish job builds its images with `scripts/build-images --multiarch --assets dist`: here the
# same with this build's tools laid out under the asset names, for amd64; an asset missing is refused
# before anything is built.
if [[ -n ${GANTRY_PREBUILT_TOOLS:-} ]]; then
  assets_prefix="localhost/gantry-test-assets"
  mkdir -p "$work/assets"
  for tool in scan-gate sarif-merge smoke-test bluegreen-switch semver-tag; do
    cp "$GANTRY_PREBUILT_TOOLS/bin/$tool" "$work/assets/gantry-$tool-$run_id-linux-x86_64"
  done
  out=$(bash "$repo/scripts/build-images" --arch amd64 --assets "$work/assets" --prefix "$assets_prefix" \
    --tag "$run_id" --commit "$commit" 2>&1)
  status=$?
  version_out=$(podman run --rm --name "$(container_name assets)" "$assets_prefix/gantry:$run_id-amd64" \
    scan-gate --version 2>&1)
  copied=
  if [[ $status -eq 0 ]] && copied=$(podman create "$assets_prefix/scan-gate:$run_id-amd64" 2>/dev/null); then
    podman cp "$copied:/usr/local/bin/scan-gate" "$work/assets-scan-gate" >/dev/null 2>&1
    podman rm -f "$copied" >/dev/null 2>&1
  fi
  if [[ $status -eq 0 ]] && cmp -s "$GANTRY_PREBUILT_TOOLS/bin/scan-gate" "$work/assets-scan-gate"; then
    pass "assets: images built from the release assets hold them byte for byte ($version_out)"
  else
    fail "assets: build-images --assets: exit $status"
    tail -15 <<<"$out" | sed 's/^/    /'
  fi
  rm "$work/assets/gantry-semver-tag-$run_id-linux-x86_64"
  out=$(bash "$repo/scripts/build-images" --arch amd64 --assets "$work/assets" --prefix "$assets_prefix" \
    --tag "$run_id" --commit "$commit" 2>&1)
  status=$?
  if [[ $status -eq 2 ]] && grep -q "no gantry-semver-tag-$run_id-linux-x86_64" <<<"$out"; then
    pass "assets: a missing asset is refused before any image is built (exit 2)"
  else
    fail "assets: a missing asset: exit $status, $(head -1 <<<"$out")"
  fi
  if [[ ${GANTRY_KEEP_IMAGES:-0} != 1 ]]; then
    for name in scan-gate sarif-merge smoke-test bluegreen-switch semver-tag gantry; do
      podman rmi -f "$assets_prefix/$name:$run_id-amd64" >/dev/null 2>&1
    done
  fi
fi

# ---- arm64: every image for amd64 and arm64, joined into manifest lists ---------------------------
# scripts/build-images builds both architectures' images (arm64: busybox cross-compiled, the tools
# of the release-arm64 preset from GANTRY_PREBUILT_TOOLS_ARM64), checks each image's declared
# architecture, its executables' ELF machine and its size, and makes the manifest lists. The arm64
# images then run as containers when the kernel has a qemu-aarch64 binfmt handler; without one,
# what runs instead is each image's executables, exported from the image, under qemu-aarch64-static.
if [[ -z ${GANTRY_PREBUILT_TOOLS_ARM64:-} ]]; then
  echo "arm64 images: skipped, GANTRY_PREBUILT_TOOLS_ARM64 is not set (cmake --build --preset release-arm64,"
  echo "  then cmake --install build/release-arm64 --component tools --prefix DIR; not counted)"
  finish
fi
multiarch_prefix="localhost/gantry-test-multiarch"
multiarch_images=(scan-gate sarif-merge smoke-test bluegreen-switch semver-tag gantry)
cleanup_multiarch() {
  [[ ${GANTRY_KEEP_IMAGES:-0} == 1 ]] && return
  local name arch
  for name in "${multiarch_images[@]}"; do
    podman manifest rm "$multiarch_prefix/$name:$run_id" >/dev/null 2>&1
    for arch in amd64 arm64; do podman rmi -f "$multiarch_prefix/$name:$run_id-$arch" >/dev/null 2>&1; done
  done
}
trap 'kill $http_pid 2>/dev/null; cleanup_multiarch; cleanup' EXIT
multiarch_args=(--multiarch --prefix "$multiarch_prefix" --tag "$run_id" --commit "$commit"
                --prebuilt "arm64=$GANTRY_PREBUILT_TOOLS_ARM64")
[[ -n ${GANTRY_PREBUILT_TOOLS:-} ]] && multiarch_args+=(--prebuilt "amd64=$GANTRY_PREBUILT_TOOLS")
t0=$SECONDS
while IFS= read -r line; do
  case $line in
    "ok   "*) pass "multiarch: ${line#ok   }" ;;
    "FAIL "*) fail "multiarch: ${line#FAIL }" ;;
    [0-9]*" passed, "*" failed") ;;
    *) echo "$line" ;;
  esac
done < <(bash "$repo/scripts/build-images" "${multiarch_args[@]}" 2>&1)
echo "multiarch images: $((SECONDS - t0)) s"
# The wrong architecture's tools offered as arm64 (the amd64 ones): the image is refused at build time.
if [[ -n ${GANTRY_PREBUILT_TOOLS:-} ]]; then
  out=$(bash "$repo/scripts/build-images" --arch arm64 --prebuilt "arm64=$GANTRY_PREBUILT_TOOLS" \
    --prefix "$multiarch_prefix-wrong" --tag "$run_id" --commit "$commit" 2>&1)
  status=$?
  for name in "${multiarch_images[@]}"; do podman rmi -f "$multiarch_prefix-wrong/$name:$run_id-arm64" >/dev/null 2>&1; done
  if [[ $status -eq 1 ]] && grep -q -- "--arch says AArch64 (e_machine 183), the ELF header says x86-64" <<<"$out" &&
     ! grep -q '^ok   image' <<<"$out"; then
    pass "multiarch: x86-64 tools offered as arm64 are refused, no arm64 image built from them"
  else
    fail "multiarch: x86-64 tools offered as arm64: exit $status"
    tail -15 <<<"$out" | sed 's/^/    /'
  fi
fi

arm64_image() { echo "$multiarch_prefix/$1:$run_id-arm64"; }
if ! podman image exists "$(arm64_image gantry)"; then
  fail "arm64: no arm64 gantry image to run"
  finish
fi
binfmt=/proc/sys/fs/binfmt_misc/qemu-aarch64
if [[ -f $binfmt ]] && head -1 "$binfmt" | grep -qx enabled; then
  echo "arm64: $binfmt is enabled: the arm64 images run as containers under qemu"
  for tool in scan-gate sarif-merge smoke-test bluegreen-switch semver-tag; do
    out=$(podman run --rm --platform linux/arm64 --network=host --name "$(container_name "arm64-$tool")" \
      "$(arm64_image "$tool")" --version 2>&1)
    if [[ $? -eq 0 && $out == *"$tool"* ]]; then pass "arm64 $tool image --version: ${out%%$'\n'*}"; else fail "arm64 $tool image --version: $out"; fi
  done
  out=$(podman run --rm --platform linux/arm64 --network=host --name "$(container_name arm64-gantry)" \
    "$(arm64_image gantry)" sh -c 'set -e; for tool in /usr/local/bin/*; do "$tool" --version >/dev/null; echo "${tool##*/}"; done' 2>&1)
  # The image's busybox has no uname applet (docker/busybox.config); that its /bin/sh ran at all is
  # the proof: the multiarch step above checked it is an AArch64 executable.
  if [[ $? -eq 0 && $out == *scan-gate* && $out == *semver-tag* ]]; then
    pass "arm64 gantry image: its AArch64 /bin/sh runs a script, every tool answers --version"
  else
    fail "arm64 gantry image: $out"
  fi
else
  qemu=$(command -v qemu-aarch64-static || true)
  echo "arm64: NOT run as containers: the kernel has no qemu-aarch64 binfmt handler ($binfmt is missing"
  echo "  or disabled), so podman cannot start an aarch64 process. Checked instead: each arm64 image's"
  echo "  file system exported (podman create + podman export) and its executables run directly under"
  echo "  qemu-aarch64-static: every tool's --version, and busybox's /bin/sh running a script."
  if [[ -z $qemu ]]; then
    fail "arm64: qemu-aarch64-static is not installed either (scripts/install-deps --arm64): the arm64 images were not run at all"
    finish
  fi
  for name in "${multiarch_images[@]}"; do
    root="$work/arm64-$name"
    mkdir -p "$root"
    container=$(podman create --platform linux/arm64 "$(arm64_image "$name")" 2>/dev/null)
    if [[ -z $container ]] || ! podman export "$container" | tar -C "$root" -xf -; then
      fail "arm64 $name: could not export the image's file system"
      [[ -n $container ]] && podman rm -f "$container" >/dev/null 2>&1
      continue
    fi
    podman rm -f "$container" >/dev/null 2>&1
    versions=()
    bad=
    for tool in "$root"/usr/local/bin/*; do
      out=$("$qemu" "$tool" --version 2>&1)
      if [[ $? -eq 0 && -n $out ]]; then versions+=("${out%%$'\n'*}"); else bad="${tool##*/}: $out"; break; fi
    done
    if [[ -z $bad && ${#versions[@]} -gt 0 ]]; then
      joined=$(printf '%s; ' "${versions[@]}")
      pass "arm64 $name image, under qemu-aarch64-static outside a container: ${joined%; }"
    else
      fail "arm64 $name image under qemu-aarch64-static: ${bad:-no tool in /usr/local/bin}"
    fi
    # The shell the GitLab executor uses runs a script (shell syntax only: another aarch64 process
    # started from inside qemu-user would need the binfmt handler that is missing).
    out=$("$qemu" "$root/bin/busybox" sh -c 'x=$((6 * 7)); case $x in 42) echo sh-ok ;; esac' 2>&1)
    if [[ $out == sh-ok ]]; then pass "arm64 $name image: busybox /bin/sh runs a script under qemu-aarch64-static"; else fail "arm64 $name image busybox: $out"; fi
  done
  # scan-gate of the arm64 image gates the sample report the way the amd64 one did above.
  out=$("$qemu" "$work/arm64-scan-gate/usr/local/bin/scan-gate" --fail-on critical "$sample" 2>&1)
  status=$?
  case $status in
    0 | 1) pass "arm64 scan-gate (from its image, under qemu-aarch64-static) gated $report: exit $status" ;;
    *) fail "arm64 scan-gate on $report: exit $status: $(echo "$out" | tail -3)" ;;
  esac
fi

finish
