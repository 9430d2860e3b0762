#!/usr/bin/env bash
# pnpm observability:check: the alert rules under deploy/observability are valid Prometheus rules
# (promtool check rules) and fire on the series they are meant for (promtool test rules,
# alerts.test.yml); every query of the Grafana dashboard parses as PromQL (checked as recording
# rules); the compose profile's Prometheus configuration, as its entrypoint writes it, passes
# promtool check config. That every metric they read exists is the unit tier's part
# (tools/observability/alert-metrics.unit.spec.ts). promtool comes from Debian's prometheus
# package, unpacked (not installed: no daemon is started) into ~/.cache/cqrs-template/ and kept
# there. Exits 3 when it cannot be fetched (no Debian package source here).
set -euo pipefail
cd "$(dirname "$0")/../.."
cache="$HOME/.cache/cqrs-template/promtool"
promtool="$cache/usr/bin/promtool"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x "$promtool" ]; then
  if ! (cd "$work" && apt-get download prometheus >/dev/null 2>&1); then
    apt-get update -qq >/dev/null 2>&1 || true
    (cd "$work" && apt-get download prometheus >/dev/null 2>&1) || {
      echo "promtool: Debian's prometheus package cannot be fetched here" >&2
      exit 3
    }
  fi
  mkdir -p "$cache"
  dpkg-deb -x "$work"/prometheus_*.deb "$work/x"
  mkdir -p "$cache/usr/bin"
  cp "$work/x/usr/bin/promtool" "$promtool"
fi
"$promtool" --version 2>&1 | head -1
rules=deploy/observability/prometheus
"$promtool" check rules "$rules/alerts.yml"
(cd "$rules" && "$promtool" test rules alerts.test.yml)
# The dashboard's queries as recording rules: promtool parses each one.
node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const exprs = d.panels.flatMap((p) => [p, ...(p.panels ?? [])]).flatMap((p) => p.targets ?? []);
  const rules = exprs.map((t, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(t.expr)}`);
  console.log(`groups:\n  - name: dashboard\n    rules:\n${rules.join("\n")}`);
' deploy/observability/grafana/dashboards/cqrs-services.json > "$work/dashboard.rules.yml"
echo "dashboard queries:"
"$promtool" check rules "$work/dashboard.rules.yml"
# The compose profile's Prometheus configuration, written by its entrypoint from the compose
# file's SCRAPE_TARGETS, as the container would.
targets=$(sed -n '/^ *SCRAPE_TARGETS: >-$/,/^ \{0,6\}[^ ]/{s/^ \{8\}\([^ ]*\)$/\1/p}' docker-compose.yml | tr '\n' ' ')
echo "compose Prometheus configuration (targets: $targets):"
PROMETHEUS_DIR="$work" INTERNAL_TOKEN=check-token SCRAPE_TARGETS="$targets" \
  RULES_FILE="$PWD/$rules/alerts.yml" sh "$rules/compose-entrypoint.sh" --config-only
"$promtool" check config "$work/prometheus.yml"
