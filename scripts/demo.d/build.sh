# The demo's build: only the five tools of the release preset (no test suite), with a progress line
# now and then, so a first build - libcurl's and libgit2's system checks (one after another, the
# slow part of configuring), then libcurl, libgit2, simdjson and the tools compiled - never looks
# hung. Sourced by scripts/demo after `root` and `minutes` are set.
#
#   demo_build_tools BUILD_DIR LOG     configures (the first time) and builds; the full output goes to LOG

demo_tools=(scan-gate sarif-merge smoke-test bluegreen-switch semver-tag)

# Reads a command's output (its last line "exit-status N", written by the caller) into LOG and prints
# a progress line now and then: while configuring, the system checks done, every 20 s; while building,
# ninja's "[finished/total]" every 10 % or after 20 s of silence. Exits with N.
demo_follow() {  # configure|build LOG BEGUN FIRST
  local phase=$1 log=$2 begun=$3 first=$4
  local line checks=0 said=$SECONDS done="" total="" shown=-10 percent announced=""
  while :; do
    if IFS= read -r -t 20 line; then
      echo "$line" >>"$log"
      if [[ $line =~ ^exit-status\ ([0-9]+)$ ]]; then
        exit "${BASH_REMATCH[1]}"
      fi
      if [[ $phase == configure ]]; then
        # Our own cmake/Gantry*.cmake say which library's checks start.
        [[ $line =~ ^--\ gantry:\ static\ (lib[a-z0-9]+\ [0-9.]+) ]] &&
          printf '  configuring: %s and its system checks, %s\n' "${BASH_REMATCH[1]}" "$(minutes $((SECONDS - begun)))"
        [[ $line =~ ^--\ (Looking\ for|Performing\ Test|Check).*\ -\  ]] && checks=$((checks + 1))
        if ((SECONDS - said >= 20)); then
          said=$SECONDS
          printf '  configuring: %d system checks done, %s\n' "$checks" "$(minutes $((SECONDS - begun)))"
        fi
        continue
      fi
      # ninja re-running cmake ("[1/2] Re-running CMake...") is housekeeping before the real count.
      [[ $line =~ ^\[([0-9]+)/([0-9]+)\]\ (.*) && ${BASH_REMATCH[1]} != 0 && ${BASH_REMATCH[3]} != Re-* ]] || continue
      [[ ${BASH_REMATCH[2]} == "$total" ]] || shown=-10
      done=${BASH_REMATCH[1]} total=${BASH_REMATCH[2]}
      if [[ $first == no && -z $announced ]]; then
        announced=yes
        echo "The sources changed since the last build: rebuilding what depends on them ($total steps)."
      fi
      percent=$((done * 100 / total))
      if ((percent >= shown + 10)); then
        shown=$((percent / 10 * 10))
        printf '  built %3d of %d steps (%3d %%), %s\n' "$done" "$total" "$percent" "$(minutes $((SECONDS - begun)))"
      fi
    elif [[ $? -gt 128 ]]; then
      if [[ $phase == configure ]]; then
        printf '  configuring: %d system checks done, %s\n' "$checks" "$(minutes $((SECONDS - begun)))"
      else
        printf '  still compiling (%s of %s steps done), %s\n' "${done:-0}" "${total:-?}" "$(minutes $((SECONDS - begun)))"
      fi
      said=$SECONDS
    else
      exit 1
    fi
  done
}

demo_build_tools() {  # BUILD_DIR LOG
  local build_dir=$1 log=$2 first=no tool status
  for tool in "${demo_tools[@]}"; do [[ -x $build_dir/$tool ]] || first=yes; done
  mkdir -p "$(dirname "$log")"
  if [[ $first == yes ]]; then
    echo "First build of the five static tools: cmake runs libcurl's and libgit2's system checks one"
    echo "after another (about a minute of one core), then libcurl, libgit2, simdjson and the tools are"
    echo "compiled (about 390 steps): about 4 minutes on 2 idle cores, more on a busy one. Later runs only check that"
    echo "nothing changed. Full output: ${log#"$root"/}"
  fi
  local begun=$SECONDS
  : >"$log"
  # Configured once; after that ninja itself re-runs cmake when a CMakeLists.txt changes.
  if [[ ! -f $build_dir/build.ninja ]]; then
    { cmake --preset release 2>&1; echo "exit-status $?"; } | demo_follow configure "$log" "$begun" "$first"
    status=$?
    if ((status != 0)); then
      grep -v '^exit-status' "$log" | tail -n 30
      echo "scripts/demo: cmake --preset release failed (full output: $log)"
      return 1
    fi
  fi
  { NINJA_STATUS="[%f/%t] " cmake --build --preset release --target "${demo_tools[@]}" 2>&1; echo "exit-status $?"; } |
    demo_follow build "$log" "$begun" "$first"
  status=$?
  if ((status != 0)); then
    grep -v '^exit-status' "$log" | tail -n 30
    echo "scripts/demo: the build failed (full output: $log)"
    return "$status"
  fi
  [[ $first == yes ]] && echo "  the five tools are built in ${build_dir#"$root"/}/ ($(minutes $((SECONDS - begun))))"
  return 0
}
