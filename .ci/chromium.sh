#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (apps/balancer's status page, driven by
# playwright-core with executablePath /usr/bin/chromium: a test tool's own browser
# download does not work here). Only when missing, so calling it again is cheap.
# .ci/run calls it before the tests.
set -euo pipefail

if dpkg -s chromium >/dev/null 2>&1 && [ -x /usr/bin/chromium ]; then
  echo "chromium: present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

echo "chromium: installing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# With its recommended packages (fonts among them): the page is also screenshotted.
apt-get -o DPkg::Lock::Timeout=300 install -y -q chromium

[ -x /usr/bin/chromium ] || { echo "chromium: /usr/bin/chromium is missing after the install" >&2; exit 1; }
echo "chromium: done ($(/usr/bin/chromium --version))"
