# Sourced by the test runners that start a tool in a clean environment (env -i): the settings the
# whole suite runs under must still reach the tool - the sanitizer options of the ASan phase, and
# libfaketime's preload and offset in the timeshift phase (scripts/test), without which a tool
# would quietly keep today's clock while everything around it moved.
#   keep_harness_environment ARRAY_NAME   appends NAME=VALUE for each such variable that is set
keep_harness_environment() {
  local -n into=$1
  local name
  for name in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS LD_PRELOAD FAKETIME FAKETIME_DONT_FAKE_MONOTONIC \
              FAKETIME_NO_CACHE; do
    [[ -n ${!name:-} ]] && into+=("$name=${!name}")
  done
  return 0
}
