#!/usr/bin/env bash
# pnpm gen:rename-check: the scope rename's CI check. In a copy of this checkout (tracked and
# untracked files, node_modules installed from the pnpm store), refuse a bad scope without
# touching a file, then `pnpm gen rename-scope @acme` with an empty pnpm metadata cache (CI may
# have no network: the lockfile is renamed with the rest, so pnpm only links), then require that
# no file names the old scope, and hold the renamed workspace to type-check, lint, format, event
# and API documents, build and the unit tier. Prints each step's time.
set -euo pipefail
cd "$(dirname "$0")/../.."
scope=${RENAME_CHECK_SCOPE:-@acme}
work=$(mktemp -d "${TMPDIR:-/tmp}/rename-check.XXXXXX")
keep=${RENAME_CHECK_KEEP:-false}
cleanup() { if [ "$keep" = true ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
started=$(date +%s)
last=$started
timings=()
step() {
  local now; now=$(date +%s)
  if [ -n "${current:-}" ]; then timings+=("$(printf '%4ss  %s' "$((now - last))" "$current")"); fi
  current="$*"; last=$now
  printf '\n=== gen:rename-check: %s (%ss) ===\n' "$*" "$((now - started))"
}
finish() {
  step "done"
  printf '\ngen:rename-check step timings:\n'; printf '  %s\n' "${timings[@]}"
  printf '  %4ss  total\n' "$(($(date +%s) - started))"
}

step "copy the checkout to $work"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work"
cd "$work"
git init -q && git add -A && git -c user.name=rename-check -c user.email=rename-check@localhost commit -qm base
old=$(node -p "require('./libs/events/package.json').name.split('/')[0]")

step "install (offline, from the pnpm store)"
pnpm install --offline --frozen-lockfile --silent

step "refusals change nothing"
for bad in acme @Acme "$old" "$scope/x"; do
  if pnpm -s gen rename-scope "$bad" >refusal.log 2>&1; then
    cat refusal.log; echo "gen:rename-check: rename-scope accepted \"$bad\"" >&2; exit 1
  fi
  rm refusal.log
  if [ -n "$(git status --porcelain)" ]; then
    git status --short; echo "gen:rename-check: the refused \"$bad\" changed files" >&2; exit 1
  fi
done

step "pnpm gen rename-scope $scope (empty pnpm metadata cache)"
cache=$(mktemp -d "${TMPDIR:-/tmp}/rename-check-cache.XXXXXX")
XDG_CACHE_HOME=$cache pnpm -s gen rename-scope "$scope"
rm -rf "$cache"

step "no file names $old/ any more"
if git grep -n -F "$old/"; then
  echo "gen:rename-check: the files above still name the old scope $old/" >&2; exit 1
fi
if [ ! -d "apps/gateway/node_modules/$scope" ] || [ -e "apps/gateway/node_modules/$old" ]; then
  echo "gen:rename-check: the workspace is not linked under $scope alone" >&2; exit 1
fi

step "type-check, lint, format"
pnpm -s typecheck
pnpm -s lint
pnpm -s format:check

step "event and API documents"
pnpm -s events:check
pnpm -s openapi:check
pnpm -s http:check
if command -v docker-compose >/dev/null 2>&1; then pnpm -s compose:check; fi

step "build"
pnpm -s build >/dev/null

step "unit tests (all of them)"
pnpm exec jest --selectProjects unit --maxWorkers=1

finish
