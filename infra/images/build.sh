#!/usr/bin/env bash
# Builds the images infra/compose.yaml runs, offline (no registry is needed):
#
#   lbpoc/balancer:local, lbpoc/backend:local   from apps/*/Dockerfile and the bundled
#                                                apps/*/dist (run `pnpm build` first)
#   lbpoc/docker-api-proxy:local                the read-only gate to the engine's socket
#   lbpoc/node:24-local                         the Node base image, from the node on PATH,
#                                                only when NODE_IMAGE is it and it is missing
#   lbpoc/prometheus:local                      from Debian's /usr/bin/prometheus, and
#   lbpoc/node-exporter:local                   /usr/bin/prometheus-node-exporter, when
#                                                those packages are installed
#
# With --full (or LBPOC_BUILD_FULL=1), also the `full` profile's images that Debian packages
# (infra/images/debian-image.sh: debootstrap, apt, docker import; minutes the first time,
# then cached):
#
#   lbpoc/locust:local                          python3-locust (Locust 2.12)
#   lbpoc/influxdb:local                        influxdb (InfluxDB 1.6)
#
# With a registry, NODE_IMAGE=node:24-slim works too (the Dockerfiles' default).
# Environment: NODE_IMAGE (default lbpoc/node:24-local), LBPOC_IMAGE_TAG (default local),
# LBPOC_REBUILD_BASE=1 to rebuild the local base images even if they exist.
set -euo pipefail
cd "$(dirname "$0")/../.."

full=${LBPOC_BUILD_FULL:-0}
for arg in "$@"; do
  case $arg in
    --full) full=1 ;;
    -h | --help) sed -n '2,/^set -e/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "images: unknown argument $arg (usage: build.sh [--full])" >&2; exit 2 ;;
  esac
done

NODE_IMAGE=${NODE_IMAGE:-lbpoc/node:24-local}
TAG=${LBPOC_IMAGE_TAG:-local}
here=infra/images

say() { echo "images: $*"; }
die() { echo "images: $*" >&2; exit 1; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }
want_base() { [ "${LBPOC_REBUILD_BASE:-0}" = 1 ] || ! exists "$1"; }

docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed); start dockerd (see .ci/docker.sh)"

for app in balancer backend; do
  [ -f "apps/$app/dist/main.js" ] || die "apps/$app/dist/main.js is missing: run \`pnpm build\` first (images copy the host's bundle)"
done

# The Node base: the node binary running this script (Node 24 in CI) and its libraries.
if [ "$NODE_IMAGE" = lbpoc/node:24-local ] && want_base "$NODE_IMAGE"; then
  node=$(command -v node) || die "node is not on PATH; it is needed to build $NODE_IMAGE"
  case $("$node" --version) in v24.*) ;; *) die "$NODE_IMAGE needs Node 24 on PATH, found $("$node" --version)" ;; esac
  bash "$here/rootfs-image.sh" "$NODE_IMAGE" \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    "$node:/usr/local/bin/node"
fi

build() { # build IMAGE DOCKERFILE
  say "building $1 on $NODE_IMAGE"
  # The classic builder: BuildKit (buildx) is not part of Debian's docker.io. Its
  # deprecation notice is noise here; a failed build still prints the error.
  DOCKER_BUILDKIT=0 docker build -q --build-arg "NODE_IMAGE=$NODE_IMAGE" -f "$2" -t "$1" . 2> >(grep -v -e DEPRECATED -e 'legacy builder' -e BuildKit -e buildx -e '^ *$' >&2) >/dev/null
}
build "lbpoc/balancer:$TAG" apps/balancer/Dockerfile
build "lbpoc/backend:$TAG" apps/backend/Dockerfile
build "lbpoc/docker-api-proxy:$TAG" infra/images/docker-api-proxy/Dockerfile

# Prometheus and node exporter from Debian's binaries, laid out like the official images
# (/bin/<binary>, user nobody), so the compose file runs either one unchanged.
if [ -x /usr/bin/prometheus ]; then
  if want_base "lbpoc/prometheus:$TAG"; then
    bash "$here/rootfs-image.sh" "lbpoc/prometheus:$TAG" \
      --change 'USER 65534:65534' \
      --change 'WORKDIR /prometheus' \
      --change 'EXPOSE 9090' \
      --change 'ENTRYPOINT ["/bin/prometheus"]' \
      --change 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
      --dir /prometheus:65534 \
      /usr/bin/prometheus:/bin/prometheus /usr/bin/promtool:/bin/promtool
  fi
else
  say "skipping lbpoc/prometheus:$TAG (no /usr/bin/prometheus: apt-get install prometheus)"
fi
if [ -x /usr/bin/prometheus-node-exporter ]; then
  if want_base "lbpoc/node-exporter:$TAG"; then
    bash "$here/rootfs-image.sh" "lbpoc/node-exporter:$TAG" \
      --change 'USER 65534:65534' \
      --change 'EXPOSE 9100' \
      --change 'ENTRYPOINT ["/bin/node_exporter"]' \
      /usr/bin/prometheus-node-exporter:/bin/node_exporter
  fi
else
  say "skipping lbpoc/node-exporter:$TAG (no /usr/bin/prometheus-node-exporter: apt-get install prometheus-node-exporter)"
fi

# Locust and InfluxDB from Debian's packages, laid out like locustio/locust and influxdb:1.x.
if [ "$full" = 1 ]; then
  bash "$here/debian-image.sh" locust influxdb
fi

docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E '^lbpoc/' | sed 's/^/images: /'
