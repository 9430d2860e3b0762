#!/usr/bin/env bash
# pnpm gen:check: the generator's CI check. In a copy of this checkout (tracked and untracked
# files, node_modules installed from the pnpm store), generate the `inventory` context, then
# hold it to what any context must pass: type-check, lint, format, event docs, API docs, build,
# and the generated context's unit, int and e2e tests against the running infrastructure
# (KAFKA_BROKERS, DATABASE_URL as for `pnpm test:e2e`); then remove it again and require the
# original tree (git status clean); last, make the template yours (remove the accounts example,
# rename the scope to @acme) and hold what is left to the same checks and the unit tier. The skeleton in tools/gen/skeleton is only ever compiled
# here, so this is what keeps it from rotting. Prints each step's time.
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

step "unit tests (all of them, the Kubernetes manifest checks too: adding a context must break none)"
pnpm exec jest --selectProjects unit

step "int tests (the new read model on real Postgres)"
pnpm exec jest --selectProjects int --testPathPatterns "apps/$name-" --maxWorkers=1

step "e2e tests (the new context through the gateway)"
pnpm exec jest --selectProjects e2e --testPathPatterns "apps/$name-" --maxWorkers=1

# The part generators on the generated context: a command (and its event), a new version of a
# skeleton event, a new event type and a second projection; then the same checks again.
step "pnpm gen command | event | projection on $name"
renamed=$(grep -oh "type: '[A-Z][A-Za-z]*Renamed'" "libs/events/src/$name/"*-events.ts | head -1 | cut -d"'" -f2)
pnpm -s gen command "$name" AdjustStock
pnpm -s gen event "$name" "$renamed"
pnpm -s gen event "$name" StockCounted
pnpm -s gen projection "$name" stock-activity

# The parts touch the context's folders and the events lib (and the documents): lint and build
# those again (the first round covered the rest of the tree), type-check the whole of it.
step "with the parts: type-check, lint, format, event and API documents"
pnpm -s typecheck
pnpm exec eslint --max-warnings=0 libs/events "libs/$name-domain" "apps/$name-command" "apps/$name-projector"
pnpm -s deps:check
pnpm -s format:check
pnpm -s events:check
pnpm -s openapi:check
pnpm -s http:check

step "with the parts: build (the events lib and the context's packages)"
# Quiet when it passes; a failing build's compiler output is printed.
if ! built=$(pnpm -r --workspace-concurrency=1 --filter @cqrs/events --filter "@cqrs/$name-*" run build 2>&1); then
  echo "$built" >&2
  exit 1
fi

step "with the parts: unit, int and e2e tests of $name"
pnpm exec jest --selectProjects unit --testPathPatterns "(libs|apps)/$name-" --maxWorkers=1
pnpm exec jest --selectProjects int e2e --testPathPatterns "apps/$name-" --maxWorkers=1

step "pnpm gen remove-context $name: the tree is the original again"
pnpm -s gen remove-context "$name"
if [ -n "$(git status --porcelain)" ]; then
  git status --short
  git diff | head -80
  echo "gen:check: remove-context left the tree different from the checkout (above)" >&2
  exit 1
fi

# --- Making the template yours: remove the example, rename the scope; the platform must stand. ---
# Offline with an empty pnpm metadata cache, as on a CI machine that has only the store.
step "pnpm gen remove-context accounts; pnpm gen rename-scope @acme"
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
XDG_CACHE_HOME=$(mktemp -d) pnpm -s gen remove-context accounts
XDG_CACHE_HOME=$(mktemp -d) pnpm -s gen rename-scope @acme
if git grep -n -F "$old/"; then
  echo "gen:check: the files above still name the old scope $old/" >&2; exit 1
fi
if [ ! -d "apps/gateway/node_modules/@acme" ] || [ -e "apps/gateway/node_modules/$old" ]; then
  echo "gen:check: the workspace is not linked under @acme alone" >&2; exit 1
fi

step "without the example, renamed: type-check, lint, format, documents, build, unit tests"
pnpm -s typecheck
pnpm -s lint
pnpm -s format:check
pnpm -s events:check
pnpm -s openapi:check
pnpm -s http:check
if command -v docker-compose >/dev/null 2>&1; then pnpm -s compose:check; fi
pnpm -s build >/dev/null
pnpm exec jest --selectProjects unit

finish
