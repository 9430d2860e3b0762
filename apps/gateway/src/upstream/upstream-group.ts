/** One instance of an upstream service, as the load balancer sees it. */
export interface UpstreamInstance {
  readonly url: string;
  /** Requests sent and not yet finished (headers and body). */
  outstanding: number;
  healthy: boolean;
  lastError: string | undefined;
  /** When `healthy` last changed (ms since epoch). */
  since: number;
}

/**
 * Instances of one upstream (the command service, the query side) and the balancing policy:
 * least outstanding requests among the healthy ones, ties broken round-robin so a quiet system
 * still spreads its load. Passive health: an attempt the failure policy (failure-policy.ts)
 * judges an instance fault takes it out; only the active health check (a 200 from its
 * /health/ready) brings it back. No I/O here: pure bookkeeping.
 */
export class UpstreamGroup {
  readonly instances: UpstreamInstance[];
  private nextTieBreak = 0;

  constructor(
    readonly name: string,
    urls: readonly string[],
    private readonly onChange: (group: UpstreamGroup, instance: UpstreamInstance) => void = () =>
      undefined,
    private readonly now: () => number = Date.now,
  ) {
    // Optimistic start: usable at once; the first health round (run at boot) corrects it.
    this.instances = urls.map((url) => ({
      url,
      outstanding: 0,
      healthy: true,
      lastError: undefined,
      since: now(),
    }));
  }

  /** The healthy instance with the fewest outstanding requests, skipping `exclude` (already tried). */
  pick(exclude: ReadonlySet<string> = new Set()): UpstreamInstance | undefined {
    const n = this.instances.length;
    const start = this.nextTieBreak++ % n;
    let best: UpstreamInstance | undefined;
    for (let i = 0; i < n; i++) {
      const candidate = this.instances[(start + i) % n];
      if (candidate === undefined || !candidate.healthy || exclude.has(candidate.url)) continue;
      if (best === undefined || candidate.outstanding < best.outstanding) best = candidate;
    }
    return best;
  }

  healthyCount(): number {
    return this.instances.filter((i) => i.healthy).length;
  }

  /** Takes the instance out at once: it could not be reached or did not answer in time. */
  eject(instance: UpstreamInstance, detail: string): void {
    instance.lastError = detail;
    this.setHealthy(instance, false);
  }

  /** The verdict of an active health check. */
  recordProbe(instance: UpstreamInstance, ok: boolean, detail?: string): void {
    if (ok) {
      instance.lastError = undefined;
    } else {
      instance.lastError = detail ?? 'health check failed';
    }
    this.setHealthy(instance, ok);
  }

  snapshot(): {
    url: string;
    state: 'healthy' | 'ejected';
    outstanding: number;
    lastError?: string;
    since: string;
  }[] {
    return this.instances.map((i) => ({
      url: i.url,
      state: i.healthy ? 'healthy' : 'ejected',
      outstanding: i.outstanding,
      ...(i.lastError === undefined ? {} : { lastError: i.lastError }),
      since: new Date(i.since).toISOString(),
    }));
  }

  private setHealthy(instance: UpstreamInstance, healthy: boolean): void {
    if (instance.healthy === healthy) return;
    instance.healthy = healthy;
    instance.since = this.now();
    this.onChange(this, instance);
  }
}
