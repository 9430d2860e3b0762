import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { UpstreamObserver } from '../upstream/upstream-client';
import type { UpstreamGroup } from '../upstream/upstream-group';

export interface GatewayMetrics {
  requests: Counter<'route' | 'method' | 'status'>;
  upstream: UpstreamObserver;
}

/** Requests by route template and status, upstream latency, healthy instances per upstream. */
export function createGatewayMetrics(
  registry: Registry,
  groups: readonly UpstreamGroup[],
): GatewayMetrics {
  const requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests answered, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gateway_upstream_duration_seconds',
    help: 'Time to the upstream answer headers, by upstream, instance and outcome',
    labelNames: ['upstream', 'instance', 'outcome'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'gateway_upstream_healthy_instances',
    help: 'Instances taking traffic, by upstream',
    labelNames: ['upstream'] as const,
    registers: [registry],
    collect() {
      for (const group of groups) this.set({ upstream: group.name }, group.healthyCount());
    },
  });
  return {
    requests,
    upstream: {
      observe: (upstream, instance, outcome, seconds) =>
        latency.observe({ upstream, instance, outcome }, seconds),
    },
  };
}
