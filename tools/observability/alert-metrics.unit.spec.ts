import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  dashboardExpressions,
  metricNames,
  ruleExpressions,
  unknownMetrics,
} from './alert-metrics';

const ROOT = path.resolve(__dirname, '..', '..');
const OBSERVABILITY = path.join(ROOT, 'deploy', 'observability');
const read = (file: string): string => readFileSync(path.join(OBSERVABILITY, file), 'utf8');

it('every metric an alert reads is one a service registers', () => {
  const exprs = ruleExpressions(read('prometheus/alerts.yml'));
  expect(exprs.length).toBeGreaterThanOrEqual(10);
  expect(unknownMetrics(ROOT, exprs)).toEqual([]);
});

it('every dashboard panel has a query, and every metric it reads is one a service registers', () => {
  const dashboard = JSON.parse(read('grafana/dashboards/cqrs-services.json')) as {
    uid: string;
    panels: { type: string; title: string; targets?: { expr: string }[] }[];
  };
  expect(dashboard.uid).toBe('cqrs-services');
  const empty = dashboard.panels.filter((p) => p.type !== 'row' && !p.targets?.length);
  expect(empty.map((p) => p.title)).toEqual([]);
  const exprs = dashboardExpressions(read('grafana/dashboards/cqrs-services.json'));
  expect(exprs.length).toBeGreaterThanOrEqual(10);
  expect(unknownMetrics(ROOT, exprs)).toEqual([]);
});

it('reads one-line and folded expressions and the metric names in them', () => {
  const text = [
    '      - alert: A',
    '        expr: max by (job) (outbox_oldest_age_seconds) > 30',
    '      - alert: B',
    '        expr: >',
    '          histogram_quantile(0.99, sum by (job, le) (rate(x_seconds_bucket{a="b"}[5m])))',
    '          and on (job) up == 0',
    '        for: 5m',
  ].join('\n');
  const exprs = ruleExpressions(text);
  expect(exprs).toHaveLength(2);
  expect(exprs.flatMap(metricNames)).toEqual(['outbox_oldest_age_seconds', 'x_seconds', 'up']);
});

it('names a metric no service registers', () => {
  expect(metricNames('rate(projector_events_totall[5m]) > 0')).toEqual(['projector_events_totall']);
  const fixture = readFileSync(
    path.join(__dirname, 'test-fixtures', 'unknown-metric.rules.yml'),
    'utf8',
  );
  expect(unknownMetrics(ROOT, ruleExpressions(fixture))).toEqual(['projector_applied_lag_seconds']);
});
