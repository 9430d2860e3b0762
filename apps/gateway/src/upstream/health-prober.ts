import type { UpstreamGroup } from './upstream-group';

/** Asks one instance whether it is ready: resolves `{ ok }`, never rejects. */
export type Probe = (url: string) => Promise<{ ok: boolean; detail?: string }>;

/**
 * The active health check: every `intervalMs`, each instance's /health/ready decides whether
 * it takes traffic. It is how an ejected instance comes back, and how one whose dependencies
 * failed (ready = 503) leaves before a client request finds out. Rounds never overlap.
 */
export class HealthProber {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly groups: readonly UpstreamGroup[],
    private readonly probe: Probe,
    private readonly intervalMs: number,
  ) {}

  /** One round over every instance, in parallel. */
  async probeOnce(): Promise<void> {
    await Promise.all(
      this.groups.flatMap((group) =>
        group.instances.map(async (instance) => {
          const { ok, detail } = await this.probe(instance.url);
          group.recordProbe(instance, ok, detail);
        }),
      ),
    );
  }

  /** Runs a first round now (so readiness is accurate at once), then one per interval. */
  async start(): Promise<void> {
    await this.probeOnce();
    const tick = (): void => {
      this.running = this.probeOnce().finally(() => {
        this.running = undefined;
        if (this.timer !== undefined) this.timer = setTimeout(tick, this.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, this.intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
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
