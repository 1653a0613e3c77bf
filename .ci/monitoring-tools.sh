#!/usr/bin/env bash
# Installs the real monitoring tools the infra/, dashboards/ and comparison tests run
# (Prometheus + promtool, node exporter, Locust, InfluxDB 1.x and its Python client) from
# Debian, only those missing, so calling it again is cheap. .ci/run calls it before the tests.
set -euo pipefail

PACKAGES=(prometheus prometheus-node-exporter python3-locust influxdb python3-influxdb)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "monitoring-tools: all present (${PACKAGES[*]})"
  exit 0
fi

echo "monitoring-tools: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# --no-install-recommends: the tests run the binaries directly; the packages' own
# services are not wanted (and policy-rc.d below keeps them from starting).
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.lbpoc
chmod +x /usr/sbin/policy-rc.d.lbpoc
if [ ! -e /usr/sbin/policy-rc.d ]; then cp /usr/sbin/policy-rc.d.lbpoc /usr/sbin/policy-rc.d; created_policy=1; fi
apt-get install -y -q --no-install-recommends "${missing[@]}"
if [ "${created_policy:-0}" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
rm -f /usr/sbin/policy-rc.d.lbpoc

for tool in /usr/bin/prometheus /usr/bin/promtool /usr/bin/prometheus-node-exporter /usr/bin/locust /usr/bin/influxd; do
  [ -x "$tool" ] || { echo "monitoring-tools: $tool is missing after the install" >&2; exit 1; }
done
echo "monitoring-tools: done"
