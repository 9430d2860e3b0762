#!/usr/bin/env bash
# pnpm gen:check: the generator's CI check. In a copy of this checkout (tracked and untracked
# files, node_modules installed from the pnpm store):
# 1. generate the `inventory` context beside the example and hold the tree to what any context
#    must pass: type-check, lint, format, event and API documents, build, the whole unit tier and
#    the new context's int and e2e tests against the running infrastructure (KAFKA_BROKERS,
#    DATABASE_URL as for `pnpm test:e2e`); remove it again and require the original tree;
# 2. make the template yours as the README says (rename the scope to @acme, remove the accounts
#    example, generate the context), add a command, an event version, an event type and a
#    projection with the part generators, and hold the result to the same checks; remove the
#    context with its parts and require the tree as it was before it.
# The skeleton in tools/gen/skeleton is only ever compiled here, so this is what keeps it from
# rotting. Prints each step's time.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${GEN_CHECK_CONTEXT:-inventory}
work=$(mktemp -d "${TMPDIR:-/tmp}/gen-check.XXXXXX")
keep=${GEN_CHECK_KEEP:-false}
cleanup() { if [ "$keep" = true ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
started=$(date +%s)
last=$started
timings=()
step() {
  local now; now=$(date +%s)
  if [ -n "${current:-}" ]; then timings+=("$(printf '%4ss  %s' "$((now - last))" "$current")"); fi
  current="$*"; last=$now
  printf '\n=== gen:check: %s (%ss) ===\n' "$*" "$((now - started))"
}
finish() {
  step "done"
  printf '\ngen:check step timings:\n'; printf '  %s\n' "${timings[@]}"
  printf '  %4ss  total\n' "$(($(date +%s) - started))"
}

step "copy the checkout to $work"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work"
cd "$work"
# A repository of its own, so that the check can compare trees (git status) after generation.
git init -q && git add -A && git -c user.name=gen-check -c user.email=gen-check@localhost commit -qm base

step "install (offline, from the pnpm store)"
pnpm install --offline --frozen-lockfile --reporter=append-only --loglevel=error

step "pnpm gen context $name"
pnpm -s gen context "$name"

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

step "unit tests (all of them: adding a context must break none)"
pnpm exec jest --selectProjects unit

step "int tests (the new read model on real Postgres)"
pnpm exec jest --selectProjects int --testPathPatterns "apps/$name-" --maxWorkers=1

step "e2e tests (the new context through the gateway)"
pnpm exec jest --selectProjects e2e --testPathPatterns "apps/$name-" --maxWorkers=1

step "pnpm gen remove-context $name: the tree is the original again"
pnpm -s gen remove-context "$name"
require_clean() {
  if [ -n "$(git status --porcelain)" ]; then
    git status --short
    git diff | head -80
    echo "gen:check: remove-context left the tree different from $1 (above)" >&2
    exit 1
  fi
}
require_clean "the checkout"

# --- Making the template yours: README "Make it yours", in its order, then the part generators
# on the new context. The platform must stand. Offline with an empty pnpm metadata cache, as on a
# CI machine that has only the store.
step "pnpm gen rename-scope @acme; pnpm gen remove-context transfers, then accounts"
old=$(node -p "require('./libs/events/package.json').name.split('/')[0]")
for bad in acme @Acme "$old" @acme/x; do
  if pnpm -s gen rename-scope "$bad" >refusal.log 2>&1; then
    cat refusal.log; echo "gen:check: rename-scope accepted \"$bad\"" >&2; exit 1
  fi
  rm refusal.log
  if [ -n "$(git status --porcelain)" ]; then
    git status --short; echo "gen:check: the refused \"$bad\" changed files" >&2; exit 1
  fi
done
# accounts is called by transfers: removing it first is refused and changes nothing.
if pnpm -s gen remove-context accounts >refusal.log 2>&1 || [ -n "$(git status --porcelain | grep -v refusal.log)" ]; then
  cat refusal.log; git status --short; echo "gen:check: remove-context accounts was not refused while transfers calls it" >&2; exit 1
fi
rm refusal.log
XDG_CACHE_HOME=$(mktemp -d) pnpm -s gen rename-scope @acme
XDG_CACHE_HOME=$(mktemp -d) pnpm -s gen remove-context transfers
XDG_CACHE_HOME=$(mktemp -d) pnpm -s gen remove-context accounts
if git grep -n -F "$old/"; then
  echo "gen:check: the files above still name the old scope $old/" >&2; exit 1
fi
if [ ! -d "apps/gateway/node_modules/@acme" ] || [ -e "apps/gateway/node_modules/$old" ]; then
  echo "gen:check: the workspace is not linked under @acme alone" >&2; exit 1
fi
git add -A && git -c user.name=gen-check -c user.email=gen-check@localhost commit -qm yours

# The part generators: a command (and its event), a new version of a skeleton event, a new
# event type and a second projection.
step "pnpm gen context $name; pnpm gen command | event | projection on it"
XDG_CACHE_HOME=$(mktemp -d) pnpm -s gen context "$name"
renamed=$(grep -oh "type: '[A-Z][A-Za-z]*Renamed'" "libs/events/src/$name/"*-events.ts | head -1 | cut -d"'" -f2)
pnpm -s gen command "$name" AdjustStock
pnpm -s gen event "$name" "$renamed"
pnpm -s gen event "$name" StockCounted
pnpm -s gen projection "$name" stock-activity

step "made yours, with the parts: type-check, lint, format, documents, build"
pnpm -s typecheck
pnpm -s lint
pnpm -s format:check
pnpm -s events:check
pnpm -s openapi:check
pnpm -s http:check
if command -v docker-compose >/dev/null 2>&1; then pnpm -s compose:check; fi
pnpm -s build >/dev/null

step "made yours, with the parts: the unit tier, and the int and e2e tests of $name"
pnpm exec jest --selectProjects unit
pnpm exec jest --selectProjects int e2e --testPathPatterns "apps/$name-" --maxWorkers=1

step "pnpm gen remove-context $name, with its parts: the tree is as made yours again"
pnpm -s gen remove-context "$name"
require_clean "the renamed tree without the example"

finish
