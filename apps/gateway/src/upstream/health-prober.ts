import type { UpstreamGroup, UpstreamInstance } from './upstream-group';

/** Asks one instance whether it is ready: resolves `{ ok }`, never rejects. */
export type Probe = (url: string) => Promise<{ ok: boolean; detail?: string }>;

export interface ProbeIntervals {
  /** How often an instance in rotation is checked (catches one whose dependencies failed). */
  healthyMs: number;
  /**
   * How often an ejected instance is checked. Short, because every probe period an instance
   * that is ready again stays out is a period of 503s (one instance) or of lost capacity: a
   * restarted instance is back within one such period of its first ready answer.
   */
  ejectedMs: number;
}

/**
 * The active health check: each instance's /health/ready decides whether it takes traffic. It
 * is how an ejected instance comes back, and how one whose dependencies failed (ready = 503)
 * leaves before a client request finds out. Each instance is probed on its own schedule, so a
 * slow probe of one (a silent host) never delays the re-admission of another, and probes of one
 * instance never overlap.
 */
export class HealthProber {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly lastProbe = new Map<UpstreamInstance, number>();
  private readonly inFlight = new Map<UpstreamInstance, Promise<void>>();
  private readonly intervals: ProbeIntervals;

  constructor(
    private readonly groups: readonly UpstreamGroup[],
    private readonly probe: Probe,
    intervals: ProbeIntervals | number,
    private readonly now: () => number = Date.now,
  ) {
    this.intervals =
      typeof intervals === 'number' ? { healthyMs: intervals, ejectedMs: intervals } : intervals;
  }

  /** One round over every instance, in parallel (at boot, so readiness is accurate at once). */
  async probeOnce(): Promise<void> {
    await Promise.all(
      this.groups.flatMap((group) => group.instances.map((i) => this.probeInstance(group, i))),
    );
  }

  /** Runs a first round now, then checks every instance when its interval has passed. */
  async start(): Promise<void> {
    await this.probeOnce();
    const tickMs = Math.min(this.intervals.healthyMs, this.intervals.ejectedMs);
    const tick = (): void => {
      if (this.timer === undefined) return;
      this.probeDue();
      this.timer = setTimeout(tick, tickMs).unref();
    };
    this.timer = setTimeout(tick, tickMs).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all(this.inFlight.values());
  }

  /** Starts a probe of every instance whose interval (by its current state) has passed. */
  private probeDue(): void {
    const now = this.now();
    for (const group of this.groups) {
      for (const instance of group.instances) {
        const interval = instance.healthy ? this.intervals.healthyMs : this.intervals.ejectedMs;
        if (now - (this.lastProbe.get(instance) ?? 0) >= interval) {
          void this.probeInstance(group, instance);
        }
      }
    }
  }

  /**
   * Probes one instance now (a request to it timed out): its readiness, not the request,
   * decides whether it leaves rotation. Joins a probe already running.
   */
  probeNow(group: UpstreamGroup, instance: UpstreamInstance): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.probeInstance(group, instance);
  }

  private probeInstance(group: UpstreamGroup, instance: UpstreamInstance): Promise<void> {
    const running = this.inFlight.get(instance);
    if (running !== undefined) return running;
    this.lastProbe.set(instance, this.now());
    const probing = this.probe(instance.url)
      .then(({ ok, detail }) => group.recordProbe(instance, ok, detail))
      .finally(() => this.inFlight.delete(instance));
    this.inFlight.set(instance, probing);
    return probing;
  }
}

/** The real probe: GET <url>/health/ready within `timeoutMs`; 200 means ready. */
export function httpReadyProbe(timeoutMs: number): Probe {
  return async (url) => {
    try {
      const response = await fetch(`${url}/health/ready`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      return response.status === 200
        ? { ok: true }
        : { ok: false, detail: `/health/ready answered ${response.status}` };
    } catch (error) {
      return {
        ok: false,
        detail: `/health/ready failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  };
}
