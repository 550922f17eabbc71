#!/usr/bin/env bash
# run_in_empty_chroot.sh BINARY [ARGS...]
# Runs BINARY inside a chroot that holds nothing but the binary and the CA bundle, with an empty
# environment (static-build.md, "Proving a binary is really self-contained"). A binary that needs
# the dynamic loader, a shared library, NSS or a locale fails here.
# GANTRY_TOOL_EMULATOR (a cross build): a static user-mode emulator (qemu-aarch64-static) that is
# copied into the chroot too and runs the binary there - nothing else from the host comes in.
# Exit status: the binary's; 77 when this cannot be checked here (not root, chroot refused).
set -uo pipefail
binary=$1
shift

if [[ $(id -u) -ne 0 ]]; then
  echo "run_in_empty_chroot: not root, chroot check skipped" >&2
  exit 77
fi
chroot_bin=$(command -v chroot || echo /usr/sbin/chroot)
root=$(mktemp -d "${TMPDIR:-/tmp}/gantry-chroot.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/ssl/certs"
cp "$binary" "$root/"
[[ -f /etc/ssl/certs/ca-certificates.crt ]] && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
# Probe with the binary itself would confuse "chroot refused" with "binary broken": probe first.
probe=$(LC_ALL=C "$chroot_bin" "$root" /nonexistent 2>&1)
if [[ $probe != *"No such file"* ]]; then
  echo "run_in_empty_chroot: chroot is not permitted here, chroot check skipped" >&2
  exit 77
fi
emulator=()
if [[ -n ${GANTRY_TOOL_EMULATOR:-} ]]; then
  if [[ $(file -L "$GANTRY_TOOL_EMULATOR") != *"static"*" linked"* ]]; then  # static or static-pie
    echo "run_in_empty_chroot: $GANTRY_TOOL_EMULATOR is not a static program, chroot check skipped" >&2
    exit 77
  fi
  cp "$GANTRY_TOOL_EMULATOR" "$root/"
  emulator=("/$(basename "$GANTRY_TOOL_EMULATOR")")
fi
env -i "$chroot_bin" "$root" "${emulator[@]}" "/$(basename "$binary")" "$@"
