import type { ProjectorHealth, RunningProjection } from './projector-runtime';

/** Two projections under one name would share checkpoints, stream versions and a channel. */
export class DuplicateProjectionError extends Error {
  override readonly name = 'DuplicateProjectionError';
  readonly code = 'DUPLICATE_PROJECTION';

  constructor(readonly projection: string) {
    super(`projection ${projection} is registered twice`);
  }
}

/**
 * Several named projections in one process. Each keeps its own consumer group, checkpoints,
 * stream versions, dead letters and channel (all keyed by its name), so one can be added,
 * rebuilt or replayed without touching the others; the host only starts, stops and reports
 * them together.
 */
export class ProjectorHost {
  private readonly byName = new Map<string, RunningProjection>();

  constructor(projections: readonly RunningProjection[]) {
    for (const projection of projections) {
      if (this.byName.has(projection.name)) throw new DuplicateProjectionError(projection.name);
      this.byName.set(projection.name, projection);
    }
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): RunningProjection | undefined {
    return this.byName.get(name);
  }

  /** All or none: when one fails to start, those already started leave their groups again. */
  async start(): Promise<void> {
    const results = await Promise.allSettled([...this.byName.values()].map((p) => p.start()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      await this.stop();
      throw failed.reason;
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.byName.values()].map((p) => p.stop()));
  }

  health(): Record<string, ProjectorHealth> {
    return Object.fromEntries([...this.byName].map(([name, p]) => [name, p.health()]));
  }
}
