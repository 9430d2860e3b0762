#!/usr/bin/env bash
# TEST FIXTURES, never pushed: builds the local stand-ins for the third-party images of
# docker-compose.yml (apache/kafka, postgres) on a machine that reaches no container registry,
# from Debian packages and the Kafka jars the local broker already caches
# (libs/testing/src/infra/local-kafka.ts). podman.override.yml points compose at these tags.
# Always built: podman's layer cache makes an unchanged build take seconds, and a tag reused as is
# would run a stale entrypoint after the files here change.
# Usage: standin-images.sh <kafka-version> <debian-base-image>
set -euo pipefail
kafka_version=${1:?kafka version (libs/testing/src/versions.ts)}
base=${2:?Debian base image (tools/images/base-image.sh builds it)}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jars="${INFRA_STATE_DIR:-$HOME/.cache/cqrs-template}/kafka-$kafka_version/libs"

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
build() {
  local image=$1 dir=$2
  podman build -q --format docker --build-arg "BASE=$base" -t "$image" "$dir" >/dev/null
  echo "$image"
}

[ -f "$jars/.complete" ] || [ -n "$(ls "$jars"/kafka_*.jar 2>/dev/null)" ] \
  || { echo "no Kafka jars in $jars: run pnpm infra:up once (it resolves them)" >&2; exit 1; }
cp -r "$here/kafka" "$context/kafka"
cp -r "$jars" "$context/kafka/libs"
# The local broker's logging: INFO to stdout, noisy request loggers at WARN.
cp "$root/libs/testing/kafka/log4j2.properties" "$context/kafka/"
build "localhost/compose-standin/kafka:$kafka_version" "$context/kafka"
build localhost/compose-standin/postgres:latest "$here/postgres"
