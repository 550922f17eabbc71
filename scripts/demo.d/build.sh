# The demo's build: only the five tools of the release preset (no test suite), with a progress line
# now and then, so a first build - libcurl, libgit2 and simdjson compiled from Debian's sources,
# then the tools - never looks hung. Sourced by scripts/demo.
#
#   demo_build_tools BUILD_DIR LOG     configures (the first time) and builds; the full output goes to LOG

demo_tools=(scan-gate sarif-merge smoke-test bluegreen-switch semver-tag)

demo_build_tools() {  # BUILD_DIR LOG
  local build_dir=$1 log=$2 first=no tool
  for tool in "${demo_tools[@]}"; do [[ -x $build_dir/$tool ]] || first=yes; done
  mkdir -p "$(dirname "$log")"
  if [[ $first == yes ]]; then
    echo "First build of the five static tools: libcurl, libgit2 and simdjson are compiled from Debian's"
    echo "sources, then the tools - about 450 compile steps, roughly 5 minutes on 2 idle cores (more on a"
    echo "busy machine). Later runs only check that nothing changed. Full output: ${log#"$root"/}"
  fi
  local begun=$SECONDS
  : >"$log"
  # Configured once; after that ninja itself re-runs cmake when a CMakeLists.txt changes.
  if [[ ! -f $build_dir/build.ninja ]] && ! cmake --preset release >"$log" 2>&1; then
    tail -n 30 "$log"
    echo "scripts/demo: cmake --preset release failed (full output: $log)"
    return 1
  fi
  # Ninja's status is "[finished/total]"; one line every 10 % or 20 s of silence is enough.
  local line done total shown=-10 percent status
  {
    NINJA_STATUS="[%f/%t] " cmake --build --preset release --target "${demo_tools[@]}" 2>&1
    echo "build-status $?"
  } | while :; do
    if IFS= read -r -t 20 line; then
      echo "$line" >>"$log"
      if [[ $line =~ ^build-status\ ([0-9]+)$ ]]; then
        status=${BASH_REMATCH[1]}
        ((status == 0)) || { tail -n 30 "$log" | grep -v '^build-status'; echo "scripts/demo: the build failed (full output: $log)"; }
        exit "$status"
      fi
      # ninja re-running cmake ("[1/2] Re-running CMake...") is housekeeping before the real count.
      [[ $line =~ ^\[([0-9]+)/([0-9]+)\]\ (.*) && ${BASH_REMATCH[1]} != 0 && ${BASH_REMATCH[3]} != Re-* ]] || continue
      [[ ${BASH_REMATCH[2]} == "${total:-}" ]] || shown=-10
      done=${BASH_REMATCH[1]} total=${BASH_REMATCH[2]}
      if [[ $first == no && -z ${announced:-} ]]; then
        announced=yes
        echo "The sources changed since the last build: rebuilding what depends on them ($total steps)."
      fi
      percent=$((done * 100 / total))
      if ((percent >= shown + 10)); then
        shown=$((percent / 10 * 10))
        printf '  built %3d of %d steps (%3d %%), %s\n' "$done" "$total" "$percent" "$(minutes $((SECONDS - begun)))"
      fi
    elif [[ $? -gt 128 ]]; then
      printf '  still compiling (%s of %s steps done), %s\n' "${done:-0}" "${total:-?}" "$(minutes $((SECONDS - begun)))"
    else
      exit 1
    fi
  done
  local status=$?
  ((status == 0)) && [[ $first == yes ]] && echo "  the five tools are built in ${build_dir#"$root"/}/ ($(minutes $((SECONDS - begun))))"
  return "$status"
}
