#!/bin/sh
# The compose `observability` profile's Prometheus: writes its configuration from the
# environment, then runs Prometheus. SCRAPE_TARGETS lists every service's host:port (one job per
# service, named by its host, which the alert rules group by); INTERNAL_TOKEN opens their
# /metrics and is sent as a bearer token from a file only this container reads.
# PROMETHEUS_DIR (default /prometheus, the data volume) is where both files go.
set -eu
dir="${PROMETHEUS_DIR:-/prometheus}"
umask 077
printf '%s' "$INTERNAL_TOKEN" > "$dir/internal-token"
{
  echo 'global:'
  echo '  scrape_interval: 15s'
  echo '  evaluation_interval: 15s'
  echo 'rule_files:'
  echo "  - ${RULES_FILE:-/etc/prometheus/rules/alerts.yml}"
  echo 'scrape_configs:'
  for target in $SCRAPE_TARGETS; do
    echo "  - job_name: ${target%%:*}"
    echo '    authorization:'
    echo "      credentials_file: $dir/internal-token"
    echo '    static_configs:'
    echo "      - targets: ['$target']"
  done
} > "$dir/prometheus.yml"
[ "${1:-}" = '--config-only' ] && exit 0
exec /bin/prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir"

