#!/usr/bin/env bash
# pnpm bench:ab <base-rev> <commands|projector|e2e|gateway> [pairs]
#
# Compares a benchmark on two revisions side by side, on the same machine in the same hour:
# <base-rev> is checked out (once) in a git worktree under $AB_DIR and built; then the benchmark
# runs alternately on the base and on this checkout, <pairs> times (default 1), so both sides
# share whatever else the machine is doing. Benchmark settings come from the environment
# (CLIENTS, SECONDS, RATES, ...), the same for both sides. Each run's output is kept in
# bench-results/ab/<bench>-<base|head>-<n>.log.
set -euo pipefail
cd "$(dirname "$0")/../../.."
base=${1:?usage: pnpm bench:ab <base-rev> <commands|projector|e2e|gateway> [pairs]}
bench=${2:?name the benchmark: commands, projector, e2e or gateway}
pairs=${3:-1}
case "$bench" in
  commands) script=apps/accounts-command/bench/commands.bench.ts ;;
  projector) script=apps/accounts-projector/bench/projector.bench.ts ;;
  e2e) script=apps/gateway/bench/e2e.bench.ts ;;
  gateway) script=apps/gateway/bench/gateway.bench.ts ;;
  *) echo "unknown benchmark: $bench" >&2; exit 2 ;;
esac
rev=$(git rev-parse --short "$base^{commit}")
dir=${AB_DIR:-${TMPDIR:-/tmp}/cqrs-bench-ab}/$rev
if [ ! -d "$dir" ]; then
  echo "[bench:ab] checking out $rev in $dir"
  git worktree add --detach "$dir" "$rev" >/dev/null
  (cd "$dir" && pnpm install --frozen-lockfile --prefer-offline >/dev/null && pnpm build >/dev/null)
fi
echo "[bench:ab] building this checkout ($(git rev-parse --short HEAD))"
pnpm build >/dev/null
out=bench-results/ab
mkdir -p "$out"
for n in $(seq 1 "$pairs"); do
  for side in base head; do
    where=$([ "$side" = base ] && echo "$dir" || pwd)
    log="$out/$bench-$side-$n.log"
    echo "[bench:ab] $bench, $side ($([ "$side" = base ] && echo "$rev" || git rev-parse --short HEAD)), run $n of $pairs -> $log"
    (cd "$where" && pnpm exec tsx "$script") 2>&1 | tee "$log"
  done
done
