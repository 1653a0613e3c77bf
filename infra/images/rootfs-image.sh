#!/usr/bin/env bash
# Packages binaries from this machine as a minimal Docker image, without a registry:
# each binary and the shared libraries ldd lists for it go into a fresh root file system,
# with /tmp, a passwd/group that know `node` (1000) and `nobody` (65534), and CA
# certificates if the host has them. `docker import` turns it into an image.
#
#   infra/images/rootfs-image.sh IMAGE [--change 'DOCKERFILE LINE']... [--dir PATH:UID]... SRC[:DEST]...
#
# SRC is a host path; DEST (default: SRC) is where it lands in the image. --dir makes an
# empty directory owned by UID (a data directory a named volume is initialised from). This is how the
# Node base image (lbpoc/node:24-local) and the local Prometheus and node exporter
# images are made from Debian's binaries: the same trick ENVIRONMENT.md describes.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 IMAGE [--change 'DOCKERFILE LINE']... [--dir PATH:UID]... SRC[:DEST]..." >&2
  exit 2
fi
image=$1
shift
changes=()
files=()
dirs=()
while [ $# -gt 0 ]; do
  case $1 in
    --change) changes+=(-c "$2"); shift 2 ;;
    --dir) dirs+=("$2"); shift 2 ;;
    *) files+=("$1"); shift ;;
  esac
done

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/tmp" "$root/etc" "$root/usr/local/bin" "$root/bin"
chmod 1777 "$root/tmp"
# No login shell exists in these images; the entries exist so USER node / nobody resolve.
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnode:x:1000:1000::/home/node:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"
# fetch() to https and Go's TLS look here; harmless when unused.
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$root/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
fi

copy() { # copy SRC DEST, creating the parent directory, following symlinks
  mkdir -p "$root$(dirname "$2")"
  cp -L "$1" "$root$2"
}
for spec in "${files[@]}"; do
  src=${spec%%:*}
  dest=${spec#*:}
  [ "$dest" = "$spec" ] && dest=$src
  [ -e "$src" ] || { echo "rootfs-image: $src does not exist on this machine" >&2; exit 1; }
  if [ -d "$src" ]; then
    mkdir -p "$root$dest" && cp -a "$src/." "$root$dest/"
    continue
  fi
  copy "$src" "$dest"
  # Shared libraries (a static binary has none; ldd then exits non-zero: ignore).
  for lib in $(ldd "$src" 2>/dev/null | grep -o '/[^ ]*' || true); do
    copy "$lib" "$lib"
  done
done

for spec in "${dirs[@]}"; do
  mkdir -p "$root${spec%%:*}" && chown "${spec#*:}:${spec#*:}" "$root${spec%%:*}"
done

tar -C "$root" -c . | docker import "${changes[@]}" - "$image" >/dev/null
echo "rootfs-image: built $image"
