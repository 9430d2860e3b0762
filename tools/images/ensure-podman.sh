#!/usr/bin/env bash
# Makes podman usable on this machine, idempotently: installs it from Debian when missing (with
# debootstrap, which builds the test base image), and sets the default container ulimits that a
# sandboxed machine can grant. Without them every `podman run` and `podman build` fails with
# "error setting rlimits ... operation not permitted": podman's defaults are higher than the
# limits the sandbox lets a process raise. The OCI runtime is runc: Debian's podman picks crun,
# which refuses a host with cgroups in hybrid (v1 + v2) mode, as sandboxes and older machines
# have. Exits 3 when podman cannot be installed.
set -euo pipefail

missing=""
for tool in podman debootstrap runc; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "podman is not installed and cannot be installed here (needs root and apt-get)" >&2
    exit 3
  fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) \
    || { echo "apt-get could not install podman" >&2; exit 3; }
fi

conf=/etc/containers/containers.conf
mkdir -p "$(dirname "$conf")" 2>/dev/null || true
if [ ! -w "$(dirname "$conf")" ] && [ ! -w "$conf" ]; then
  grep -qs '^[[:space:]]*default_ulimits' "$conf" && grep -qs '^[[:space:]]*runtime[[:space:]]*=' "$conf" \
    || { echo "cannot write $conf (default_ulimits, runtime); run once as root" >&2; exit 3; }
fi
# One setting under its table: appended to the table when it exists, else with a new table.
set_once() {
  local table=$1 key=$2 line=$3
  grep -qs "^[[:space:]]*$key[[:space:]]*=" "$conf" && return 0
  if grep -qs "^\[$table\]" "$conf"; then
    sed -i "/^\[$table\]/a $line" "$conf"
  else
    printf '\n[%s]\n%s\n' "$table" "$line" >>"$conf"
  fi
  echo "set $key in $conf"
}
set_once containers default_ulimits 'default_ulimits = ["nofile=16384:16384", "nproc=8192:8192"]'
set_once engine runtime 'runtime = "runc"'
podman --version
