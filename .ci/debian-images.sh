#!/usr/bin/env bash
# Builds the `full` profile's Locust and InfluxDB images from Debian's packages
# (infra/images/debian-image.sh: debootstrap, apt in a chroot, docker import) for the e2e
# test of that profile (e2e/test/compose-full-profile.test.ts), and installs debootstrap
# first if it is missing. Their root file systems are cached in ~/.cache/lbpoc-images, so
# this is slow once per machine (measured on the 2-core CI machine, shared and busy: about
# 4 minutes from nothing) and a few seconds after; the e2e run imports the cached file
# systems into its private engine. .ci/run calls it after .ci/docker.sh (it needs the engine).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "debian-images: installing debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq debootstrap >/dev/null
fi

started=$SECONDS
# Bounded: a mirror that stops answering fails the run here, saying so, rather than hanging it.
if ! timeout 900 bash infra/images/debian-image.sh locust influxdb; then
  echo "debian-images: building lbpoc/locust:local and lbpoc/influxdb:local failed or took over 15 minutes (above)" >&2
  exit 1
fi
echo "debian-images: lbpoc/locust:local and lbpoc/influxdb:local ready in $((SECONDS - started)) s"
