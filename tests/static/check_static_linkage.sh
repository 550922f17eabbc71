#!/usr/bin/env bash
# check_static_linkage.sh TOOL...
# The release contract of every tool: `file` says it is statically linked and stripped, and it
# prints its --version inside an empty chroot with an empty environment (when running as root).
# GANTRY_EXPECT_MACHINE (a cross build sets it, e.g. "ARM aarch64"): `file` must also name that
# machine. GANTRY_TOOL_EMULATOR: run_in_empty_chroot.sh runs the tools under it.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
failures=0

for tool in "$@"; do
  name=$(basename "$tool")
  description=$(file -L "$tool")
  if [[ $description != *"statically linked"* ]]; then
    echo "FAIL $name: not statically linked: $description"
    failures=$((failures + 1))
    continue
  fi
  if [[ -n ${GANTRY_EXPECT_MACHINE:-} && $description != *"$GANTRY_EXPECT_MACHINE"* ]]; then
    echo "FAIL $name: not built for $GANTRY_EXPECT_MACHINE: $description"
    failures=$((failures + 1))
    continue
  fi
  if [[ $description != *", stripped"* ]]; then
    echo "FAIL $name: not stripped: $description"
    failures=$((failures + 1))
  fi
  echo "ok   $name: statically linked${GANTRY_EXPECT_MACHINE:+ for $GANTRY_EXPECT_MACHINE}, $(du -h "$tool" | cut -f1)"

  version=$(bash "$here/run_in_empty_chroot.sh" "$tool" --version 2>&1)
  status=$?
  if [[ $status -eq 77 ]]; then
    echo "skip $name: --version in an empty chroot (${version##*: })"
  elif [[ $status -ne 0 || -z $version ]]; then
    echo "FAIL $name: --version in an empty chroot exited $status: $version"
    failures=$((failures + 1))
  else
    echo "ok   $name: --version in an empty chroot: ${version%%$'\n'*}"
  fi
done

if [[ $# -eq 0 ]]; then
  echo "FAIL no tool given"
  failures=1
fi
exit $((failures > 0))
