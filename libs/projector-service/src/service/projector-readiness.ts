import type { Pool } from 'pg';
import type { ReadinessCheck } from '@cqrs/platform';
import type { ProjectionStatusReader, ProjectorHost } from '@cqrs/projections';
import type { ProjectorServiceConfig } from '../config/projector-service.config';
import type { BackgroundStart } from './background-start';

/** /health/ready: the database, the read model (query role) and each projection's consumer and lag. */
export function projectorReadinessChecks(
  pool: Pool,
  config: Pick<ProjectorServiceConfig, 'ROLE' | 'PROJECTOR_MAX_LAG'>,
  readModel: BackgroundStart | undefined,
  host: ProjectorHost | undefined,
  statuses: ReadonlyMap<string, ProjectionStatusReader>,
): Record<string, ReadinessCheck> {
  const checks: Record<string, ReadinessCheck> = {
    postgres: async () => void (await pool.query('select 1')),
  };
  if (readModel) {
    checks['readModel'] = () => {
      if (!readModel.done()) throw new Error(`read model not available: ${readModel.lastError()}`);
      return Promise.resolve();
    };
  }
  if (host) {
    checks['projector'] = async () => {
      let totalLag = 0;
      let problem: string | undefined;
      for (const [name, health] of Object.entries(host.health())) {
        const lag = (await statuses.get(name)?.read())?.totalLag ?? 0;
        totalLag += lag;
        const named = host.names().length > 1 ? `${name}: ` : '';
        problem ??= !health.running
          ? `${named}consumer not running: ${health.lastError ?? 'starting'}`
          : lag > config.PROJECTOR_MAX_LAG
            ? `${named}lag ${lag} above ${config.PROJECTOR_MAX_LAG}`
            : undefined;
      }
      // A projector-only instance is not ready while it is behind; one that also serves
      // queries stays in rotation (queries wait for or flag staleness) and reports it here.
      if (problem && config.ROLE === 'projector') throw new Error(problem);
      return problem ? { lag: totalLag, degraded: problem } : { lag: totalLag };
    };
  }
  return checks;
}
