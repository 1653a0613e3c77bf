#!/usr/bin/env bash
# Makes a Docker engine and the local Node base image available, for the tests that talk to
# a real engine (@lbpoc/registry's DockerSource, the compose e2e). Idempotent: on a machine
# that has them already it only checks. Run it (`bash .ci/docker.sh`) or source it from
# .ci/run; sourcing changes no shell option of the caller and exits nothing.
#
# Why each step (see shared ENVIRONMENT.md): a new machine has a docker client but no
# daemon; there is no image registry, so no image can be pulled and the base image is
# made from the Node 24 binary already on PATH.

lbpoc_docker_setup() (
  set -euo pipefail
  local image=lbpoc/node:24-local
  local log=/var/log/dockerd.log

  # Ready already (the usual case on a second run): nothing to install, start or build.
  if docker info >/dev/null 2>&1 && docker image inspect "$image" >/dev/null 2>&1; then
    echo "docker.sh: engine $(docker version --format '{{.Server.Version}}') is up, image $image is present"
    return 0
  fi

  # Several sessions may share one machine: one of them installs and starts at a time.
  exec 9>/tmp/lbpoc-docker-setup.lock
  flock -w 600 9

  if ! command -v dockerd >/dev/null 2>&1; then
    echo "docker.sh: installing docker.io and docker-compose from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq docker.io docker-compose >/dev/null
  fi

  if ! docker info >/dev/null 2>&1; then
    echo "docker.sh: starting dockerd (log: $log)"
    # setsid: the daemon must outlive the shell (and the process group) that started it.
    # 9>&-: the daemon must not inherit (and hold forever) the setup lock.
    setsid nohup dockerd >>"$log" 2>&1 </dev/null 9>&- &
    local waited=0
    until docker info >/dev/null 2>&1; do
      if [ "$waited" -ge 60 ]; then
        echo "docker.sh: dockerd did not answer within 60 s; last lines of $log:" >&2
        tail -n 30 "$log" >&2 || true
        exit 1
      fi
      sleep 1
      waited=$((waited + 1))
    done
  fi
  echo "docker.sh: engine $(docker version --format '{{.Server.Version}}') is up"

  if ! docker image inspect "$image" >/dev/null 2>&1; then
    local node root lib
    node=$(command -v node)
    if ! "$node" --version | grep -q '^v24\.'; then
      echo "docker.sh: $image needs Node 24 first on PATH, found $("$node" --version) at $node" >&2
      exit 1
    fi
    echo "docker.sh: building $image from $node"
    root=$(mktemp -d)
    mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc"
    cp "$node" "$root/usr/local/bin/node"
    chmod 1777 "$root/tmp"
    for lib in $(ldd "$node" | grep -o '/[^ ]*'); do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
    echo 'node:x:1000:1000::/home/node:/usr/sbin/nologin' >"$root/etc/passwd"
    tar -C "$root" -c . | docker import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - "$image" >/dev/null
    rm -rf "$root"
  fi
  echo "docker.sh: image $image is present"
)

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  lbpoc_docker_setup
else
  lbpoc_docker_setup || return
fi
