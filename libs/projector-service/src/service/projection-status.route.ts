import type { FastifyInstance } from 'fastify';
import { opsAccess, problem, sendProblem } from '@cqrs/platform';
import type { ProjectorServiceConfig } from '../config/projector-service.config';
import type { ProjectorParts } from './projector-parts';

/**
 * GET /projections/status: the served projection's consumer, offsets and lag. Offsets, lags,
 * topic names and last errors describe the deployment: operators only.
 */
export function registerProjectionStatusRoute(
  fastify: FastifyInstance,
  parts: Pick<ProjectorParts, 'host' | 'served' | 'status'>,
  config: Pick<ProjectorServiceConfig, 'INTERNAL_TOKEN' | 'ROLE'>,
): void {
  const access = opsAccess(config.INTERNAL_TOKEN);
  fastify.get('/projections/status', async (request, reply) => {
    if (!access.allowsDetails(request)) return access.refuse(reply, 'Projection status details');
    try {
      const consumer = parts.host?.get(parts.served)?.health() ?? null;
      return { role: config.ROLE, consumer, ...(await parts.status.read()) };
    } catch (error) {
      // Kafka (high watermarks) or the database is away: unavailable, not a server fault.
      const message = error instanceof Error ? error.message : String(error);
      return sendProblem(reply, problem(503, 'SERVICE_UNAVAILABLE', message), {
        'retry-after': '1',
      });
    }
  });
}
