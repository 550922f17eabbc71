#!/usr/bin/env bash
# make-base-image.sh [IMAGE]
# Makes the Dockerfile's builder base image (default docker.io/library/debian:bookworm) with
# debootstrap from the host's configured Debian mirror, so no registry is needed, and gives it the
# host's apt sources and mirror-related apt settings (a snapshot mirror needs Check-Valid-Until off,
# a proxy must be used inside too). Cached: does nothing when the image already exists.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
image=${1:-docker.io/library/debian:bookworm}
suite=bookworm

if podman image exists "$image"; then
  echo "base image $image: cached"
  exit 0
fi
for tool in debootstrap podman; do
  command -v "$tool" >/dev/null || { echo "make-base-image: $tool is missing (scripts/install-deps --full)" >&2; exit 3; }
done

sources=/etc/apt/sources.list.d/debian.sources
if [[ -f $sources ]]; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' "$sources")
else
  mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list)
fi
[[ -n $mirror ]] || { echo "make-base-image: no Debian mirror configured on this host" >&2; exit 3; }

rootfs=$(mktemp -d "${TMPDIR:-/tmp}/gantry-rootfs.XXXXXX")
trap 'rm -rf "$rootfs"' EXIT
echo "base image $image: debootstrap $suite from $mirror"
started=$SECONDS
if ! debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
  tail -20 "$rootfs.log" >&2
  rm -f "$rootfs.log"
  exit 3
fi
rm -f "$rootfs.log"

rm -f "$rootfs/etc/apt/sources.list"
if [[ -f $sources ]]; then
  cp "$sources" "$rootfs/etc/apt/sources.list.d/"
else
  grep -E '^deb(-src)? ' /etc/apt/sources.list >"$rootfs/etc/apt/sources.list"
fi
for conf in /etc/apt/apt.conf.d/*; do
  [[ -f $conf ]] || continue
  if grep -qE '^[[:space:]]*Acquire::([a-z]+::Proxy|Check-Valid-Until|Check-Date)' "$conf"; then
    cp "$conf" "$rootfs/etc/apt/apt.conf.d/"
  fi
done
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

if ! tar -C "$rootfs" -c . | podman import --change 'CMD ["bash"]' - "$image" >"$rootfs.log" 2>&1; then
  cat "$rootfs.log" >&2
  rm -f "$rootfs.log"
  exit 3
fi
rm -f "$rootfs.log"
echo "base image $image: made in $((SECONDS - started)) s"
