#!/usr/bin/env bash
# Builds images from Debian bookworm's own packages, with no image registry: a minimal root
# file system made by debootstrap, the image's packages installed in it with apt, and
# `docker import`. Laid out like the official images, so infra/compose.yaml runs either
# one unchanged (LOCUST_IMAGE=lbpoc/locust:local INFLUXDB_IMAGE=lbpoc/influxdb:local).
#
#   bash infra/images/debian-image.sh NAME...      NAME: locust | influxdb
#
#   lbpoc/locust:local     python3-locust (Locust 2.12): /usr/bin/locust as the entrypoint,
#                          user locust (1000), WORKDIR /home/locust, port 8089, like
#                          locustio/locust
#   lbpoc/influxdb:local   influxdb (1.6): influxd -config /etc/influxdb/influxdb.conf,
#                          data in /var/lib/influxdb owned by 1000 (compose's user), port
#                          8086, like influxdb:1.x
#
# Two steps, each cached, because the first takes minutes and the second seconds:
#  1. the root file system, as a tarball in LBPOC_IMAGE_CACHE (default
#     ~/.cache/lbpoc-images): `debootstrap --variant=minbase bookworm` (once, shared by
#     both images), then per image `apt-get install --no-install-recommends` and the
#     security updates in a chroot (no service started: policy-rc.d), then apt's lists and
#     caches, documentation, man pages and locales removed. The tarball's name carries a
#     hash of the recipe (the functions below that make it, without comments): a changed
#     recipe builds a new one.
#  2. `docker import` of the tarball with the image's USER, ENTRYPOINT, ... into the engine
#     DOCKER_HOST names. Skipped when the engine has the image of this recipe (the
#     image's LBPOC_ROOTFS_RECIPE). A new engine (the e2e tests' private one) only imports.
#
# Needs root and debootstrap (apt-get install debootstrap) for step 1, a Docker engine for
# step 2. Environment: LBPOC_REBUILD_BASE=1 redoes both steps; LBPOC_IMAGE_TAG (default
# local); LBPOC_DEBIAN_MIRROR (default: the first .../debian mirror in
# /etc/apt/sources.list*, else http://deb.debian.org/debian) and LBPOC_DEBIAN_SECURITY
# (default: the host's .../debian-security mirror, else none).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
TAG=${LBPOC_IMAGE_TAG:-local}
SUITE=bookworm
CACHE=${LBPOC_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lbpoc-images}

say() { echo "debian-image: $*"; }
die() { echo "debian-image: $*" >&2; exit 1; }

[ $# -gt 0 ] || die "usage: $0 locust|influxdb..."
for name in "$@"; do
  case $name in locust | influxdb) ;; *) die "unknown image $name (known: locust, influxdb)" ;; esac
done

# The mirror apt uses on this machine (the one that answers here), by URL.
sources() { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true; }
mirror_ending() { sources | grep -E '^[[:space:]]*(URIs:|deb[[:space:]])' | grep -oE 'https?://[^[:space:]]+' | grep -E "/$1/?\$" | head -n1 | sed 's:/$::'; }
MIRROR=${LBPOC_DEBIAN_MIRROR:-$(mirror_ending debian)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${LBPOC_DEBIAN_SECURITY-$(mirror_ending debian-security)}

# ---- the recipes ----

packages() {
  case $1 in
    locust) echo python3-locust ;;
    influxdb) echo influxdb ;;
  esac
}

# Runs in the chroot after the install: the image's user (uid 1000, compose's `user:`).
configure() {
  case $1 in
    locust) echo 'useradd --uid 1000 --user-group --create-home --home-dir /home/locust --shell /usr/sbin/nologin locust' ;;
    # The package made a system user `influxdb`; compose runs it as 1000:1000, and a named
    # volume starts with the owner of the image's folder, so both are 1000.
    influxdb) echo 'groupmod --gid 1000 influxdb && usermod --uid 1000 --gid 1000 influxdb && chown -R 1000:1000 /var/lib/influxdb' ;;
  esac
}

# What `docker import` sets (it takes CMD, ENTRYPOINT, ENV, EXPOSE, USER, VOLUME, WORKDIR).
changes() {
  local common=(-c "ENV LBPOC_ROOTFS_RECIPE=$1-$RECIPE" -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'ENV LANG=C.UTF-8')
  case $1 in
    locust)
      printf '%s\0' "${common[@]}" -c 'USER 1000:1000' -c 'WORKDIR /home/locust' -c 'EXPOSE 8089 5557' \
        -c 'ENV PYTHONUNBUFFERED=1' -c 'ENTRYPOINT ["/usr/bin/locust"]'
      ;;
    influxdb)
      printf '%s\0' "${common[@]}" -c 'USER 1000:1000' -c 'WORKDIR /var/lib/influxdb' -c 'EXPOSE 8086' -c 'VOLUME /var/lib/influxdb' \
        -c 'ENTRYPOINT ["/usr/bin/influxd"]' -c 'CMD ["-config", "/etc/influxdb/influxdb.conf"]'
      ;;
  esac
}

# ---- step 1: root file systems ----

tarball() { echo "$CACHE/$1-$SUITE-$RECIPE.tar"; }

mkdir -p "$CACHE"
exec 8>"$CACHE/.lock"
work=
# debootstrap mounts /proc and /sys in the tree while it installs: unmount whatever is
# still mounted there (a build that was stopped), and never delete across a mount.
unmount_under() { awk -v dir="$1/" 'index($5, dir) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null || true; }
cleanup() {
  if [ -n "$work" ]; then
    unmount_under "$work"
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT

minbase() { # the shared debootstrap tree, made once per run that needs it
  if [ -d "$work/minbase" ]; then return; fi
  command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap); it makes the root file systems"
  [ "$(id -u)" = 0 ] || die "debootstrap and chroot need root"
  say "debootstrap --variant=minbase $SUITE from $MIRROR (a few minutes)"
  local started=$SECONDS
  mkdir -p "$CACHE/debs"
  if ! debootstrap --variant=minbase --cache-dir="$CACHE/debs" "$SUITE" "$work/minbase" "$MIRROR" >"$work/debootstrap.log" 2>&1; then
    tail -n 20 "$work/debootstrap.log" >&2
    tail -n 20 "$work/minbase/debootstrap/debootstrap.log" >&2 2>/dev/null || true
    die "debootstrap failed (above)"
  fi
  say "debootstrap done in $((SECONDS - started)) s"
}

build_rootfs() { # build_rootfs NAME: the tarball
  local name=$1 root started=$SECONDS
  minbase
  root="$work/$name"
  cp -a "$work/minbase" "$root"
  {
    echo "deb $MIRROR $SUITE main"
    echo "deb $MIRROR $SUITE-updates main"
    if [ -n "$SECURITY" ]; then echo "deb $SECURITY $SUITE-security main"; fi
  } >"$root/etc/apt/sources.list"
  # No service starts in the chroot; dpkg need not fsync every file of a throwaway tree.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod +x "$root/usr/sbin/policy-rc.d"
  echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/lbpoc-unsafe-io"
  say "$name: apt-get install $(packages "$name") in the chroot"
  if ! chroot "$root" /usr/bin/env -i DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -euc "
      apt-get -q update
      apt-get -q -y upgrade
      apt-get -q -y install --no-install-recommends $(packages "$name")
      $(configure "$name")" >"$work/$name-apt.log" 2>&1; then
    tail -n 30 "$work/$name-apt.log" >&2
    die "$name: installing $(packages "$name") failed (above)"
  fi
  # Small: what apt downloaded and indexed, docs, man pages, locales, logs; and nothing of
  # this machine's (resolv.conf and hostname are Docker's to provide) or of the build's.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/var/log/* "$root"/debootstrap "$root"/etc/resolv.conf "$root"/etc/hostname \
    "$root"/usr/sbin/policy-rc.d "$root"/etc/dpkg/dpkg.cfg.d/lbpoc-unsafe-io
  unmount_under "$root"
  tar -C "$root" --one-file-system --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' --exclude='./run/*' -cf "$(tarball "$name").part" .
  mv "$(tarball "$name").part" "$(tarball "$name")"
  rm -rf --one-file-system "$root"
  say "$name: root file system $(du -h "$(tarball "$name")" | cut -f1) in $((SECONDS - started)) s: $(tarball "$name")"
}

# The recipe: what makes the file systems and the images (bash prints the functions without
# comments, so a reworded comment rebuilds nothing).
RECIPE=$(printf '%s\n' "$SUITE" "$(declare -f packages configure changes minbase build_rootfs)" | sha256sum | cut -c1-12)

wanted=()
for name in "$@"; do
  if [ "${LBPOC_REBUILD_BASE:-0}" = 1 ] || [ ! -f "$(tarball "$name")" ]; then wanted+=("$name"); fi
done
if [ ${#wanted[@]} -gt 0 ]; then
  # One build at a time on this machine (CI and an e2e run may start one together).
  flock -w 1200 8 || die "another build holds $CACHE/.lock for 20 minutes"
  # Trees of builds that were killed (the lock is free, so none of them is running).
  for stale in "$CACHE"/build.*; do
    if [ -d "$stale" ]; then
      unmount_under "$stale"
      rm -rf --one-file-system "$stale"
    fi
  done
  work=$(mktemp -d "$CACHE/build.XXXXXX")
  for name in "${wanted[@]}"; do
    # Another process may have built it while this one waited for the lock.
    if [ "${LBPOC_REBUILD_BASE:-0}" = 1 ] || [ ! -f "$(tarball "$name")" ]; then build_rootfs "$name"; fi
  done
  cleanup
  work=
  flock -u 8
  # Other recipes' tarballs, a day old: another checkout may still use a recent one.
  find "$CACHE" -maxdepth 1 -name "*-$SUITE-*.tar" ! -name "*-$RECIPE.tar" -mmin +1440 -delete
fi

# ---- step 2: images ----

docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed); start dockerd (see .ci/docker.sh)"
for name in "$@"; do
  image="lbpoc/$name:$TAG"
  if [ "${LBPOC_REBUILD_BASE:-0}" != 1 ] &&
    docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" 2>/dev/null | grep -qx "LBPOC_ROOTFS_RECIPE=$name-$RECIPE"; then
    continue
  fi
  mapfile -d '' import_changes < <(changes "$name")
  docker import "${import_changes[@]}" "$(tarball "$name")" "$image" >/dev/null
  say "imported $image"
done
